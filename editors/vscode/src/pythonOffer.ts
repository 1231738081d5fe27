/**
 * "Use .venv/bin/python for runs": the server's quick fix on a run that missed a module the
 * project's environment has, checked before it becomes a setting (no vscode import: unit-tested
 * under node).
 */

/** The server's command: taken over here, since only the editor can set its own settings. */
export const USE_PYTHON_COMMAND = "scriptcontract.usePython";
export const RUN_AGAIN = "Run Again";

/** What the quick fix carries: the script whose run missed the module, the interpreter. */
export interface PythonOffer {
  uri: string;
  python: string;
}

/**
 * The offer in the command's argument, or undefined. Only what the server offers is taken: an
 * environment at the project's top (`.venv/bin/python`), relative to the project root as
 * `run.python` is; an absolute path, `~` or a `..` would name an interpreter elsewhere.
 */
export function pythonOffer(raw: unknown): PythonOffer | undefined {
  if (typeof raw !== "object" || raw === null) {
    return undefined;
  }
  const { uri, python } = raw as Record<string, unknown>;
  if (typeof uri !== "string" || uri === "" || typeof python !== "string") {
    return undefined;
  }
  const parts = python.split("/");
  const inProject =
    parts.length >= 2 && !python.startsWith("~") && parts.every((part) => part !== "" && part !== "." && part !== "..");
  return inProject ? { uri, python } : undefined;
}

/** Said once the server has the setting: what changed and where (a button runs the script again). */
export function usedMessage(python: string, folder: string): string {
  return `scriptcontract: runs in ${folder} now use ${python} (scriptcontract.run.python in the folder's settings).`;
}

/** Said when the script is in no workspace folder: there is no folder setting to write. */
export function noFolderMessage(python: string): string {
  return `scriptcontract: the script is in no workspace folder, so no folder setting was written: open its project folder, or set scriptcontract.run.python to ${python} yourself.`;
}
