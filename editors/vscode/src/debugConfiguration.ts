/** The language server's launch configuration for "Debug with inputs", as the extension uses it. */

import type * as vscode from "vscode";

import type { Inputs } from "./inputs";
import { oneLine } from "./result";

/** The debug type (package.json's `debuggers`), the same name the server's configuration uses. */
export const DEBUG_TYPE = "scriptcontract";

/** What `scriptcontract.debugConfiguration` answers (the parts the extension uses). */
export interface LaunchConfiguration {
  name: string;
  adapter: { command: string; args: string[] };
  configuration: vscode.DebugConfiguration;
  run: object;
  sandbox: string;
  inputs?: Inputs;
}

/** The server's answer as a launch configuration, or undefined when it is not one. */
export function asLaunchConfiguration(value: unknown): LaunchConfiguration | undefined {
  if (typeof value !== "object" || value === null) {
    return undefined;
  }
  const answer = value as Partial<LaunchConfiguration>;
  const adapter = answer.adapter;
  const valid =
    typeof answer.name === "string" &&
    typeof answer.sandbox === "string" &&
    typeof answer.configuration === "object" &&
    typeof answer.run === "object" &&
    typeof adapter?.command === "string" &&
    Array.isArray(adapter.args) &&
    adapter.args.every((arg) => typeof arg === "string");
  return valid ? (answer as LaunchConfiguration) : undefined;
}

/** The VS Code debug configuration for one session: the server's, with what the factory needs. */
export function sessionConfiguration(launch: LaunchConfiguration, id: string): vscode.DebugConfiguration {
  return { ...launch.configuration, type: DEBUG_TYPE, name: launch.name, scriptcontract: { adapter: launch.adapter, id } };
}

/**
 * The message when a session cannot start, and the install command it names when debugpy is
 * missing (the server says "install it with `pip install ...`"), for a "copy" button.
 */
export function cannotDebug(script: string, reason: string): { text: string; install?: string } {
  // The server's "Not debugged: " stands alone; after "cannot debug" it would say it twice. Its
  // problems ("  - name: ...") go on the line, as a run's refusal shows them.
  const text = `scriptcontract: cannot debug ${script}: ${oneLine(reason.replace(/^Not debugged: /, ""))}`;
  const install = /`((?:[^`\s]*python[^`\s]* -m )?pip install [^`]+)`/.exec(reason)?.[1];
  return install === undefined ? { text } : { text, install };
}

/** The debug console's last line after debugging a case: its verdict, as the Test Explorer says it. */
export function caseVerdictLine(verdict: { name: string; outcome: string; message: string } | null | undefined): string | undefined {
  if (verdict === undefined || verdict === null) {
    return undefined;
  }
  const mark = verdict.outcome === "passed" ? "✓" : verdict.outcome === "failed" ? "✗" : "!";
  return `scriptcontract: case ${JSON.stringify(verdict.name)}: ${mark} ${verdict.message}`;
}
