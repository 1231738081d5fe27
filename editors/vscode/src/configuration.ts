/** Reads the `scriptcontract.*` settings from VS Code, per folder, in the server's shape. */

import * as vscode from "vscode";

import { type SettingInspection, serverSettings } from "./settings";

export const SECTION = "scriptcontract";

/** The server settings the user set for `scope` (a folder or file), defaults left out. */
export function settingsFor(scope?: vscode.Uri): Record<string, unknown> {
  const configuration = vscode.workspace.getConfiguration(SECTION, scope ?? null);
  return serverSettings((key) => configuration.inspect(key) as SettingInspection | undefined);
}

/** initializationOptions in the per-folder shape the server accepts from VS Code. */
export function initializationOptions(): Record<string, unknown> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  return {
    settings: folders.map((folder) => ({
      workspace: folder.uri.toString(),
      ...settingsFor(folder.uri),
    })),
    globalSettings: settingsFor(undefined),
  };
}

/** A client-only setting for `scope` (`interpreter`, `importStrategy`). */
export function clientSetting<T>(key: string, scope?: vscode.Uri): T | undefined {
  return vscode.workspace.getConfiguration(SECTION, scope ?? null).get<T>(key);
}
