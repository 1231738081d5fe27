/**
 * "scriptcontract: Explore with Generated Inputs": the server runs inputs generated from the
 * script's schema (scriptcontract.explore) with a cancellable progress notification. Each
 * failure comes back as a diagnostic at its line, whose quick fix "Save input as case" the
 * server handles; this only says what was found.
 */
import * as path from "path";
import * as vscode from "vscode";
import type { LanguageClient } from "vscode-languageclient/node";

import { type ExploreAnswer, exploreSummary } from "./exploreSummary";
import { executeWithProgress, isCancellation, onDisk } from "./runs";

export const EXPLORE_COMMAND = "scriptcontract.exploreScript";
const SERVER_EXPLORE = "scriptcontract.explore";

export async function exploreScript(
  client: LanguageClient | undefined,
  document: vscode.TextDocument,
): Promise<ExploreAnswer | undefined> {
  if (client === undefined) {
    void vscode.window.showErrorMessage("scriptcontract: the language server is not running.");
    return undefined;
  }
  // The runs use the file on disk.
  if (!onDisk(document, "the runs use the file on disk") || (document.isDirty && !(await document.save()))) {
    return undefined;
  }
  const script = path.basename(document.uri.fsPath);
  const uri = client.code2ProtocolConverter.asUri(document.uri);
  let answer: ExploreAnswer | undefined;
  try {
    answer = (await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Exploring ${script}`, cancellable: true },
      (progress, token) => executeWithProgress(client, SERVER_EXPLORE, { uri }, progress, token),
    )) as ExploreAnswer | undefined;
  } catch (error) {
    // A cancel is the user's: its runs are killed, and nothing is left to say.
    if (!isCancellation(error)) {
      const reason = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(`scriptcontract: exploring ${script} failed: ${reason}`);
    }
    return undefined;
  }
  if (answer === undefined || answer === null) {
    return undefined;
  }
  // A refusal (unsaved, a configuration with errors...) the server has said already.
  if (typeof answer.error === "string") {
    return answer;
  }
  const message = `scriptcontract: ${exploreSummary(script, answer)}`;
  if ((answer.failures ?? []).length > 0) {
    void vscode.window.showWarningMessage(message);
  } else {
    void vscode.window.showInformationMessage(message);
  }
  return answer;
}
