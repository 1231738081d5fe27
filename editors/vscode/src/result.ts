/** Turns a run's ExecutionResult into the output channel's report and the status bar's summary. */

/** The server's ExecutionResult (snake_case, as its pydantic model serialises). */
export interface ExecutionResult {
  success: boolean;
  /** The one-line outcome the server's code lens shows ("✓ 35 ms", "✗ KeyError: 'name'"). */
  outcome?: string;
  output?: Record<string, unknown> | null;
  /**
   * The output as the server writes it (indented, keys in the script's order, numbers as the
   * script wrote them): `JSON.parse` made 12345678901234567890 into ...000 and 6.0 into 6.
   */
  output_text?: string;
  error?: string | null;
  error_type?: string | null;
  error_kind?: string | null;
  exit_code?: number | null;
  stdout?: string;
  stderr?: string;
  stdout_truncated?: boolean;
  stderr_truncated?: boolean;
  execution_time_ms?: number;
  timed_out?: boolean;
  timeout_stack?: string | null;
  script_path?: string | null;
  mode?: string;
  sandbox?: { platform?: string; enforced?: string[]; missing?: string[] };
  /** Before the run: its inputs may not be what the script reads (it ran anyway). */
  warning?: string;
  /** A run the script's declared schema refused: what to add to its arguments to run anyway. */
  runAnyway?: Record<string, unknown>;
}

/** A command answer that looks like an ExecutionResult, or undefined. */
export function asExecutionResult(value: unknown): ExecutionResult | undefined {
  if (typeof value === "object" && value !== null && typeof (value as { success?: unknown }).success === "boolean") {
    return value as ExecutionResult;
  }
  return undefined;
}

function milliseconds(value: number | undefined): string {
  if (value === undefined) {
    return "";
  }
  return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

function shorten(text: string, limit: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > limit ? `${line.slice(0, limit - 1)}…` : line;
}

/** The server's outcome without its leading mark ("KeyError: 'name'", "35 ms"). */
function outcomeWords(result: ExecutionResult): string | undefined {
  const outcome = result.outcome?.trim();
  return outcome ? outcome.replace(/^[✓✗]\s*/u, "") : undefined;
}

/** Why the run failed, in one short line ("KeyError: 'name'", "timed out after 30.0 s"). */
export function failureSummary(result: ExecutionResult): string {
  const words = outcomeWords(result);
  if (words !== undefined) {
    return shorten(words, 80);
  }
  // An answer without the server's outcome (an older server): put one together.
  if (result.timed_out) {
    return `timed out after ${milliseconds(result.execution_time_ms)}`;
  }
  const reason = [result.error_type, result.error].filter((part) => part).join(": ");
  const exit =
    result.exit_code !== undefined && result.exit_code !== null ? `exit ${result.exit_code}` : "";
  return shorten([exit, reason].filter((part) => part).join(": ") || "failed", 80);
}

/**
 * A message of the server's as one line: its first line, then the problems it lists below
 * ("  - n: expected integer, got \"x\"") after a colon, joined by semicolons.
 */
export function oneLine(text: string): string {
  const [first, ...rest] = text.split("\n");
  let said = "";
  for (const line of rest) {
    const problem = /^\s+- (.+)$/.exec(line)?.[1];
    // A heading the problems below belong to ("  order.py::wrong type (against ...):").
    const heading = problem === undefined ? /^\s+(\S.*):$/.exec(line)?.[1] : undefined;
    if (problem !== undefined) {
      said += said && !said.endsWith(": ") ? `; ${problem}` : problem;
    } else if (heading !== undefined) {
      said += said ? `; ${heading}: ` : `${heading}: `;
    }
  }
  if (said === "") {
    return text.replace(/\s*\n\s*/g, " ");
  }
  return `${first.replace(/:$/, "")}: ${said}`;
}

/** The message for a run that did not start: "scriptcontract: hello.py did not run: <why>". */
export function notRunMessage(scriptName: string, result: ExecutionResult): string {
  // The server's error starts with "Not run: " where it stands alone; here it would be said twice.
  const why = (result.error ?? result.error_kind ?? "").replace(/^Not run: /, "");
  return `scriptcontract: ${scriptName} did not run: ${oneLine(why)}`;
}

/** The message for cases that did not run: "scriptcontract: cases not run: <why, on one line>". */
export function casesNotRunMessage(error: string): string {
  return `scriptcontract: cases not run: ${oneLine(error.replace(/^Not run: /, ""))}`;
}

/** The message for a run whose inputs may not be what the script reads: the problems, once. */
export function inputsWarningMessage(scriptName: string, warning: string): string {
  const [, ...rest] = warning.split("\n");
  const problems = rest.map((line) => /^\s+- (.+)$/.exec(line)?.[1]).filter((line) => line !== undefined);
  const said = problems.length ? problems.join("; ") : oneLine(warning);
  return `scriptcontract: ${scriptName}: check the inputs: ${said}`;
}

export interface StatusSummary {
  text: string;
  tooltip: string;
  failed: boolean;
  /** The run did not start (refused): no failure of the script's, shown as a warning. */
  notRun?: boolean;
}

/** Whether the run never started: refused before it (inputs, configuration, an unsaved file). */
export function notRun(result: ExecutionResult): boolean {
  return !result.success && (result.error_kind === "validation" || result.error_kind === "setup");
}

/** What the runs output and the status bar's tooltip say of a refusal the user can override. */
export const RUN_ANYWAY_HINT =
  "To run it anyway: “Run Anyway” on its message, the status bar item, or “scriptcontract: Run Anyway” in the Command Palette.";

/** The status bar item's text after a run of `scriptName`. */
export function statusSummary(scriptName: string, result: ExecutionResult): StatusSummary {
  if (result.success) {
    const time = milliseconds(result.execution_time_ms);
    return {
      text: `$(check) ${scriptName} ${time}`,
      tooltip: `scriptcontract: ${scriptName} succeeded in ${time}. Click for the run's report.`,
      failed: false,
    };
  }
  const why = failureSummary(result);
  if (notRun(result)) {
    const then = result.runAnyway ? "Click to run it anyway." : "Click for the run's report.";
    return {
      text: `$(warning) ${scriptName} ${shorten(why, 40)}`,
      tooltip: `scriptcontract: ${scriptName} was not run: ${why.replace(/^not run: /, "")}. ${then}`,
      failed: false,
      notRun: true,
    };
  }
  return {
    text: `$(error) ${scriptName} ${shorten(why, 40)}`,
    tooltip: `scriptcontract: ${scriptName} failed: ${why}. Click for the run's report.`,
    failed: true,
  };
}

/** The status bar item's text after the user cancelled a run of `scriptName`. */
export function cancelledSummary(scriptName: string): StatusSummary {
  return {
    text: `$(circle-slash) ${scriptName} cancelled`,
    tooltip: `scriptcontract: the run of ${scriptName} was cancelled and its processes stopped.`,
    failed: false,
  };
}

function section(title: string, body: string, truncated = false): string[] {
  if (!body) {
    return [];
  }
  const note = truncated ? " (truncated)" : "";
  return [`--- ${title}${note} ---`, body.replace(/\s+$/, "")];
}

/** The local time of day, "14:03:07". */
function clock(when: Date): string {
  return [when.getHours(), when.getMinutes(), when.getSeconds()]
    .map((part) => String(part).padStart(2, "0"))
    .join(":");
}

/**
 * A timeout's stack dump as the project's frames: without the frames outside the project (the
 * sandbox's own start-up) and the thread's address, which say nothing of the script.
 */
function timeoutStack(dump: string): string {
  return dump
    .split("\n")
    .filter((line) => !/^\s*File "\//.test(line) && !/^Current thread 0x[0-9a-f]+ \(most recent call first\):$/.test(line))
    .map((line) => line.replace(/^Thread 0x[0-9a-f]+ \(most recent call first\):$/, "another thread:"))
    .join("\n");
}

/**
 * The report written to the runs output for one run: the outcome first, then what a user
 * reads (inputs, output, the error, stderr, where a timeout was), and the sandbox only when
 * a protection was missing. The whole result, sandbox details included, only with `full`
 * (the scriptcontract.runs.fullResult setting).
 */
export function formatReport(options: {
  script: string;
  inputs?: unknown;
  result: ExecutionResult;
  finishedAt: Date;
  full?: boolean;
  /** The project's folder: paths under it are shown relative to it. */
  root?: string;
}): string {
  const { script, inputs, result, finishedAt, full, root } = options;
  const shown = (text: string): string => (root ? text.split(`${root.replace(/[\\/]+$/, "")}/`).join("") : text);
  const outcome = result.success
    ? `✓ succeeded in ${milliseconds(result.execution_time_ms)}`
    : `✗ ${failureSummary(result)}`;
  const lines = [`=== ${clock(finishedAt)} ${script}: ${outcome}` + (result.mode ? ` (${result.mode})` : "")];
  if (inputs !== undefined) {
    lines.push(`inputs: ${JSON.stringify(inputs)}`);
  }
  lines.push(...section("warning", result.warning ?? ""));

  if (result.output !== undefined && result.output !== null) {
    const text = typeof result.output_text === "string" ? result.output_text : JSON.stringify(result.output, null, 2);
    lines.push(...section("output", text));
  } else if (result.stdout) {
    lines.push(...section("stdout", result.stdout, result.stdout_truncated));
  }
  // "Script exited with code 1" or "timed out" say nothing the first line and stderr do not.
  if (result.error && !result.timed_out && !/^Script exited with code \d+$/.test(result.error)) {
    lines.push(`error: ${result.error_type ? `${result.error_type}: ` : ""}${result.error}`);
  }
  if (result.runAnyway) {
    lines.push(RUN_ANYWAY_HINT);
  }
  lines.push(...section("stderr", shown(result.stderr ?? ""), result.stderr_truncated));
  lines.push(...section("where it was when the time ran out, innermost call first", timeoutStack(shown(result.timeout_stack ?? ""))));
  const missing = result.sandbox?.missing ?? [];
  if (missing.length) {
    lines.push(`sandbox: not enforced here: ${missing.join(", ")}`);
  }
  if (full) {
    lines.push(...section("full result", JSON.stringify(result, null, 2)));
  }
  return `${lines.join("\n")}\n\n`;
}

/** The report of a run the user cancelled. */
export function formatCancelled(options: { script: string; inputs?: unknown; finishedAt: Date }): string {
  const lines = [`=== ${clock(options.finishedAt)} ${options.script}: cancelled (its processes were stopped)`];
  if (options.inputs !== undefined) {
    lines.push(`inputs: ${JSON.stringify(options.inputs)}`);
  }
  return `${lines.join("\n")}\n\n`;
}
