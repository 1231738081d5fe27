/** What VS Code says of an exploration's answer (no vscode import: unit-tested under node). */

/** What `scriptcontract.explore` answers (the fields shown here). */
export interface ExploreAnswer {
  error?: string;
  seed?: number;
  runs?: number;
  /** Why it stopped, in the CLI's words (the server says it; older servers do not). */
  stopped?: string;
  failures?: { kind: string; errorType?: string | null }[];
}

/** One line: what was found, in how many runs, with which seed, and why it stopped. */
export function exploreSummary(script: string, answer: ExploreAnswer): string {
  if (typeof answer.error === "string") {
    return answer.error;
  }
  const failures = answer.failures ?? [];
  const found =
    failures.length === 0 ? "no failure" : `${failures.length} failure${failures.length === 1 ? "" : "s"}`;
  const stopped = typeof answer.stopped === "string" && answer.stopped !== "" ? `; ${answer.stopped}` : "";
  return `${script}: ${found} in ${answer.runs ?? 0} runs (seed ${answer.seed ?? "?"})${stopped}`;
}
