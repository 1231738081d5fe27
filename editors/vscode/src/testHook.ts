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
  /** The status bar item's background colour (a theme colour's id), undefined for none. */
  statusBackground?: string;
  /** What a click on the status bar item runs. */
  statusCommand?: string;
  lastRun?: LastRun;
  /** What "Debug with inputs" wrote to debug consoles. */
  debugConsole?: string[];
  /** The DAP traffic of "Debug with inputs" sessions, in short. */
  debugTrace?: string[];
}

/** The inlay hints VS Code has for the visible editors (as the user sees them beside lines). */
async function inlayHintsSnapshot(): Promise<object[]> {
  const found: object[] = [];
  for (const editor of vscode.window.visibleTextEditors) {
    const document = editor.document;
    const whole = new vscode.Range(0, 0, document.lineCount, 0);
    const hints =
      (await vscode.commands.executeCommand<vscode.InlayHint[]>(
        "vscode.executeInlayHintProvider",
        document.uri,
        whole,
      )) ?? [];
    for (const hint of hints) {
      const label = typeof hint.label === "string" ? hint.label : hint.label.map((part) => part.value).join("");
      found.push({ path: document.uri.fsPath, line: hint.position.line, label });
    }
  }
  return found;
}

/** The source breakpoints VS Code holds (as the Breakpoints view lists them), 0-based lines. */
function breakpointsSnapshot(): object[] {
  return vscode.debug.breakpoints
    .filter((breakpoint): breakpoint is vscode.SourceBreakpoint => breakpoint instanceof vscode.SourceBreakpoint)
    .map((breakpoint) => ({
      path: breakpoint.location.uri.fsPath,
      line: breakpoint.location.range.start.line,
      enabled: breakpoint.enabled,
    }));
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
  let inlayHints: object[] = [];
  const write = (): void => {
    writes += 1;
    const snapshot = {
      writes,
      ...state(),
      diagnostics: diagnosticsSnapshot(),
      inlayHints,
      breakpoints: breakpointsSnapshot(),
    };
    // Written aside and renamed, so a reader never sees half a file.
    writeFileSync(`${file}.tmp`, JSON.stringify(snapshot, null, 2));
    renameSync(`${file}.tmp`, file);
  };
  write();
  const timer = setInterval(() => {
    write();
    // Asked for now, written with the next snapshot.
    inlayHintsSnapshot().then(
      (hints) => {
        inlayHints = hints;
      },
      () => {},
    );
  }, 500);
  const listener = vscode.languages.onDidChangeDiagnostics(write);
  return new vscode.Disposable(() => {
    clearInterval(timer);
    listener.dispose();
  });
}
