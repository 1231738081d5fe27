/**
 * An end-to-end test hook, off unless SCRIPTCONTRACT_E2E_STATE names a file: it keeps that file
 * holding what the user would see (every diagnostic, the last run, the status bar text), so
 * tests assert on data instead of on VS Code's internal DOM.
 */

import { renameSync, writeFileSync } from "node:fs";

import * as vscode from "vscode";

import type { LastRun } from "./runs";

const SEVERITIES = ["error", "warning", "information", "hint"];

export interface TestState {
  serverState: string;
  status: string;
  lastRun?: LastRun;
  /** What "Debug with inputs" wrote to debug consoles. */
  debugConsole?: string[];
  /** The DAP traffic of "Debug with inputs" sessions, in short. */
  debugTrace?: string[];
}

function diagnosticsSnapshot(): object[] {
  return vscode.languages.getDiagnostics().map(([uri, diagnostics]) => ({
    uri: uri.toString(),
    path: uri.fsPath,
    diagnostics: diagnostics.map((diagnostic) => ({
      source: diagnostic.source,
      code:
        typeof diagnostic.code === "object" ? String(diagnostic.code.value) : diagnostic.code,
      message: diagnostic.message,
      severity: SEVERITIES[diagnostic.severity],
      range: {
        start: { line: diagnostic.range.start.line, character: diagnostic.range.start.character },
        end: { line: diagnostic.range.end.line, character: diagnostic.range.end.character },
      },
    })),
  }));
}

/** Starts the hook when the environment asks for it; returns what keeps it going, or undefined. */
export function startTestHook(state: () => TestState): vscode.Disposable | undefined {
  const file = process.env.SCRIPTCONTRACT_E2E_STATE;
  if (!file) {
    return undefined;
  }
  let writes = 0;
  const write = (): void => {
    writes += 1;
    const snapshot = { writes, ...state(), diagnostics: diagnosticsSnapshot() };
    // Written aside and renamed, so a reader never sees half a file.
    writeFileSync(`${file}.tmp`, JSON.stringify(snapshot, null, 2));
    renameSync(`${file}.tmp`, file);
  };
  write();
  const timer = setInterval(write, 500);
  const listener = vscode.languages.onDidChangeDiagnostics(write);
  return new vscode.Disposable(() => {
    clearInterval(timer);
    listener.dispose();
  });
}
