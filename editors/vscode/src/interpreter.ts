/** Chooses the Python that runs the language server and checks that it is new enough. */

export const MINIMUM_PYTHON: readonly [number, number] = [3, 10];
export const FALLBACK_INTERPRETER = "python3";

export type InterpreterSource = "setting" | "python extension" | "default";

export interface InterpreterChoice {
  /** The executable to start: a path or a command looked up on PATH. */
  command: string;
  source: InterpreterSource;
}

/**
 * The `scriptcontract.interpreter` setting wins; then the interpreter selected in the Python
 * extension; then `python3`. A `${workspaceFolder}` in the setting is replaced by the folder's path.
 */
export function chooseInterpreter(options: {
  setting?: string;
  pythonExtension?: string;
  workspaceFolder?: string;
}): InterpreterChoice {
  const setting = options.setting?.trim();
  if (setting) {
    const folder = options.workspaceFolder;
    const command =
      folder === undefined ? setting : setting.split("${workspaceFolder}").join(folder);
    return { command, source: "setting" };
  }
  const fromExtension = options.pythonExtension?.trim();
  if (fromExtension) {
    return { command: fromExtension, source: "python extension" };
  }
  return { command: FALLBACK_INTERPRETER, source: "default" };
}

/** What `serve.py --probe` prints: the interpreter, and why the server cannot start there if so. */
export interface ProbedInterpreter {
  version: [number, number, number];
  executable: string;
  problem?: string;
}

/** Reads the probe's output; undefined when it is not what the probe prints. */
export function parseProbe(stdout: string): ProbedInterpreter | undefined {
  const line = stdout.trim().split(/\r?\n/).pop() ?? "";
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) {
    return undefined;
  }
  const { version, executable, problem } = value as Record<string, unknown>;
  if (
    !Array.isArray(version) ||
    version.length !== 3 ||
    !version.every((part) => Number.isInteger(part)) ||
    typeof executable !== "string" ||
    (problem !== undefined && typeof problem !== "string")
  ) {
    return undefined;
  }
  const probed: ProbedInterpreter = { version: version as [number, number, number], executable };
  if (typeof problem === "string") {
    probed.problem = problem;
  }
  return probed;
}

function describeSource(choice: InterpreterChoice): string {
  switch (choice.source) {
    case "setting":
      return "set in scriptcontract.interpreter";
    case "python extension":
      return "selected in the Python extension";
    default:
      return "the default, as neither scriptcontract.interpreter nor the Python extension names one";
  }
}

export type ImportStrategy = "useBundled" | "fromEnvironment";

/** `path` as one word of a command line, quoted (as every shell reads it) when it must be. */
function commandWord(path: string): string {
  return /^[\w@%+=:,./\\-]+$/.test(path) ? path : `"${path}"`;
}

/**
 * The commands that install the server into `executable`, to copy as they are. scriptcontract
 * is not on a package index yet, so `pip install scriptcontract` would fail: it installs from a
 * clone, or from the wheel of this extension's version built from one.
 */
export function installCommands(executable: string, version: string): string {
  const pip = `${commandWord(executable)} -m pip install`;
  return (
    `from a clone of scriptcontract: ${pip} ./scriptcontract ` +
    `(or from a wheel built from one: ${pip} scriptcontract-${version}-py3-none-any.whl; see the README)`
  );
}

/** Undefined when the probed interpreter can run the server, else the message to show. */
export function startProblem(
  choice: InterpreterChoice,
  probed: ProbedInterpreter,
  strategy: ImportStrategy,
  version: string,
): string | undefined {
  const [major, minor] = probed.version;
  const [needMajor, needMinor] = MINIMUM_PYTHON;
  const where = `${probed.executable} (${describeSource(choice)})`;
  if (major < needMajor || (major === needMajor && minor < needMinor)) {
    return (
      `scriptcontract needs Python ${needMajor}.${needMinor} or newer to run its language server, ` +
      `but ${where} is Python ${probed.version.join(".")}. ` +
      "Set scriptcontract.interpreter to a newer Python."
    );
  }
  if (probed.problem === undefined) {
    return undefined;
  }
  const install = installCommands(probed.executable, version);
  if (strategy === "fromEnvironment") {
    return (
      `scriptcontract.importStrategy is "fromEnvironment", but the server cannot be imported ` +
      `in ${where}: ${probed.problem}. Install it there ${install} ` +
      `or set scriptcontract.importStrategy to "useBundled".`
    );
  }
  return (
    `The scriptcontract server bundled with this extension cannot run on ${where}: ` +
    `${probed.problem}. Install scriptcontract into that interpreter ${install} and set ` +
    `scriptcontract.importStrategy to "fromEnvironment", or choose another interpreter.`
  );
}

/** The message for an interpreter that could not be started or did not answer the probe. */
export function probeFailure(
  choice: InterpreterChoice,
  failure: { code?: string | number | null; stderr?: string; stdout?: string },
): string {
  if (failure.code === "ENOENT" || failure.code === 127) {
    return (
      `Python interpreter not found: ${choice.command} (${describeSource(choice)}). ` +
      "Install Python 3.10 or newer, or set scriptcontract.interpreter to its path."
    );
  }
  const detail = (failure.stderr || failure.stdout || "").trim().split(/\r?\n/).slice(-3).join(" ");
  const code = failure.code === undefined || failure.code === null ? "" : ` (${failure.code})`;
  return (
    `Could not ask ${choice.command} (${describeSource(choice)}) for its version${code}` +
    (detail ? `: ${detail}` : ".") +
    " Set scriptcontract.interpreter to a working Python 3.10 or newer."
  );
}
