/**
 * "scriptcontract: New Script from Template…": asks for a name, creates the file and fills it
 * with the server's template (the light bulb's "Insert workflow script template", which the
 * server offers only for a file the project treats as a workflow script).
 */

import { existsSync } from "node:fs";
import * as path from "node:path";

import * as vscode from "vscode";

import { scriptNameProblem, suggestedName } from "./newScriptName";

export const NEW_SCRIPT_COMMAND = "scriptcontract.newScript";
const TEMPLATE_ACTION = "Insert workflow script template";
// The server answers code actions once it has the new file open: asked again until then.
const ASKS = 20;
const ASK_EVERY_MS = 250;

export async function newScript(ready: () => Promise<unknown>): Promise<void> {
  const folder = targetFolder();
  if (folder === undefined) {
    void vscode.window.showWarningMessage("scriptcontract: open a folder first: a new script goes into a project.");
    return;
  }
  const exists = (relative: string): boolean => existsSync(path.join(folder.uri.fsPath, relative));
  const suggested = suggestedName(exists("scripts") ? "scripts" : "", exists);
  const start = suggested.lastIndexOf("/") + 1;
  const name = await vscode.window.showInputBox({
    title: "scriptcontract: New Script from Template",
    prompt: `The new script's path in ${folder.name}`,
    value: suggested,
    valueSelection: [start, suggested.length - ".py".length],
    ignoreFocusOut: true,
    validateInput: (value) => scriptNameProblem(value, exists),
  });
  if (name === undefined) {
    return;
  }
  const uri = vscode.Uri.joinPath(folder.uri, name.trim());
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, ".."));
  await vscode.workspace.fs.writeFile(uri, new Uint8Array());
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document);
  await ready();
  const action = await templateAction(uri);
  if (action?.edit === undefined) {
    void vscode.window.showWarningMessage(
      `scriptcontract: ${name.trim()} is created but empty: the project does not treat it as a workflow script (its include globs do not name it), so no template was offered.`,
    );
    return;
  }
  await vscode.workspace.applyEdit(action.edit);
  await document.save();
}

/** The folder of the active editor's file, else the only or first workspace folder. */
function targetFolder(): vscode.WorkspaceFolder | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  return (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
}

async function templateAction(uri: vscode.Uri): Promise<vscode.CodeAction | undefined> {
  for (let ask = 0; ask < ASKS; ask += 1) {
    const actions =
      (await vscode.commands.executeCommand<vscode.CodeAction[]>(
        "vscode.executeCodeActionProvider",
        uri,
        new vscode.Range(0, 0, 0, 0),
        vscode.CodeActionKind.QuickFix.value,
      )) ?? [];
    const found = actions.find((action) => action.title === TEMPLATE_ACTION);
    if (found !== undefined) {
      return found;
    }
    await new Promise((resolve) => setTimeout(resolve, ASK_EVERY_MS));
  }
  return undefined;
}
