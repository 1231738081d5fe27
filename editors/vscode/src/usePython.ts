/**
 * "Use .venv/bin/python for runs": the server offers it on a run that missed a module the
 * project's environment has; the user's click lands here, which sets `scriptcontract.run.python`
 * for the script's workspace folder (the server never picks a run's interpreter by itself).
 */

import * as vscode from "vscode";

import { SECTION } from "./configuration";
import { noFolderMessage, pythonOffer, RUN_AGAIN, usedMessage } from "./pythonOffer";

// How long the server is given to read the new setting before the message says it is used.
const APPLIED_MS = 5000;

export async function usePython(
  argument: unknown,
  settingsRead: () => Promise<void>,
  runAgain: (document: vscode.TextDocument) => unknown,
): Promise<void> {
  const offer = pythonOffer(argument);
  if (offer === undefined) {
    void vscode.window.showErrorMessage("scriptcontract: the quick fix named no interpreter of the project to use.");
    return;
  }
  const script = vscode.Uri.parse(offer.uri);
  const folder = vscode.workspace.getWorkspaceFolder(script);
  if (folder === undefined) {
    void vscode.window.showWarningMessage(noFolderMessage(offer.python));
    return;
  }
  const configuration = vscode.workspace.getConfiguration(SECTION, folder.uri);
  if (configuration.inspect<string>("run.python")?.workspaceFolderValue !== offer.python) {
    // The server reads the settings again once they change: a run started before that would
    // still use the old interpreter.
    const read = Promise.race([settingsRead(), new Promise<void>((resolve) => setTimeout(resolve, APPLIED_MS))]);
    await configuration.update("run.python", offer.python, vscode.ConfigurationTarget.WorkspaceFolder);
    await read;
  }
  const choice = await vscode.window.showInformationMessage(usedMessage(offer.python, folder.name), RUN_AGAIN);
  if (choice === RUN_AGAIN) {
    await runAgain(await vscode.workspace.openTextDocument(script));
  }
}
