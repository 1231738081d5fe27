/** Turns a run's ExecutionResult into the output channel's report and the status bar's summary. */

/** The server's ExecutionResult (snake_case, as its pydantic model serialises). */
export interface ExecutionResult {
  success: boolean;
  output?: Record<string, unknown> | null;
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

/** Why the run failed, in one short line ("exit 1: KeyError 'name'", "timed out after 30.0 s"). */
export function failureSummary(result: ExecutionResult): string {
  if (result.timed_out) {
    return `timed out after ${milliseconds(result.execution_time_ms)}`;
  }
  const reason = [result.error_type, result.error].filter((part) => part).join(": ");
  const exit =
    result.exit_code !== undefined && result.exit_code !== null ? `exit ${result.exit_code}` : "";
  return shorten([exit, reason].filter((part) => part).join(": ") || "failed", 80);
}

export interface StatusSummary {
  text: string;
  tooltip: string;
  failed: boolean;
}

/** The status bar item's text after a run of `scriptName`. */
export function statusSummary(scriptName: string, result: ExecutionResult): StatusSummary {
  if (result.success) {
    return {
      text: `$(check) ${scriptName} ${milliseconds(result.execution_time_ms)}`,
      tooltip: `scriptcontract: ${scriptName} succeeded in ${milliseconds(result.execution_time_ms)}. Click for the full result.`,
      failed: false,
    };
  }
  const why = failureSummary(result);
  return {
    text: `$(error) ${scriptName} ${shorten(why, 40)}`,
    tooltip: `scriptcontract: ${scriptName} failed: ${why}. Click for the full result.`,
    failed: true,
  };
}

function section(title: string, body: string, truncated = false): string[] {
  if (!body) {
    return [];
  }
  const note = truncated ? " (truncated)" : "";
  return [`--- ${title}${note} ---`, body.replace(/\s+$/, "")];
}

/** The full report written to the output channel for one run. */
export function formatReport(options: {
  script: string;
  inputs?: unknown;
  result: ExecutionResult;
  finishedAt: Date;
}): string {
  const { script, inputs, result, finishedAt } = options;
  const outcome = result.success ? "succeeded" : `failed (${failureSummary(result)})`;
  const lines = [
    `=== ${finishedAt.toISOString()} ${script}: ${outcome} in ${milliseconds(result.execution_time_ms)}` +
      (result.mode ? ` [${result.mode}]` : ""),
  ];
  if (inputs !== undefined) {
    lines.push(`inputs: ${JSON.stringify(inputs)}`);
  }
  if (result.output !== undefined && result.output !== null) {
    lines.push(...section("output", JSON.stringify(result.output, null, 2)));
  } else if (result.stdout) {
    lines.push(...section("stdout", result.stdout, result.stdout_truncated));
  }
  if (result.error) {
    lines.push(`error: ${result.error_type ? `${result.error_type}: ` : ""}${result.error}`);
  }
  lines.push(...section("stderr", result.stderr ?? "", result.stderr_truncated));
  lines.push(...section("stack at timeout", result.timeout_stack ?? ""));
  const enforced = result.sandbox?.enforced ?? [];
  const missing = result.sandbox?.missing ?? [];
  if (enforced.length || missing.length) {
    lines.push(
      `sandbox: enforced ${enforced.join(", ") || "nothing"}` +
        (missing.length ? `; missing ${missing.join(", ")}` : ""),
    );
  }
  lines.push(...section("full result", JSON.stringify(result, null, 2)));
  return `${lines.join("\n")}\n`;
}
