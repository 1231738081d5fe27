/** How to start (and first probe) the language server for a chosen interpreter and import strategy. */

import * as path from "node:path";

import type { ImportStrategy } from "./interpreter";

export interface ProcessSpec {
  command: string;
  args: string[];
}

/** The launcher bundled with the extension, which both probes and starts the server. */
export function launcherPath(extensionPath: string): string {
  return path.join(extensionPath, "bundled", "tool", "serve.py");
}

function launcherArgs(extensionPath: string, strategy: ImportStrategy): string[] {
  // -I keeps a user's PYTHONPATH and user site-packages from shadowing the bundled libraries;
  // from the environment, those are exactly what the user wants to be used.
  return strategy === "useBundled"
    ? ["-I", launcherPath(extensionPath)]
    : [launcherPath(extensionPath), "--from-environment"];
}

/** The command that starts the server over stdio. */
export function serverProcess(
  interpreter: string,
  extensionPath: string,
  strategy: ImportStrategy,
): ProcessSpec {
  return { command: interpreter, args: launcherArgs(extensionPath, strategy) };
}

/** The command that reports the interpreter's version and whether the server imports there. */
export function probeProcess(
  interpreter: string,
  extensionPath: string,
  strategy: ImportStrategy,
): ProcessSpec {
  return { command: interpreter, args: [...launcherArgs(extensionPath, strategy), "--probe"] };
}

/** Reads the importStrategy setting, falling back to the bundled server for unknown values. */
export function importStrategy(value: unknown): ImportStrategy {
  return value === "fromEnvironment" ? "fromEnvironment" : "useBundled";
}
