/** What the server answers about recorded cases, and how a test explorer reads it (no vscode here). */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** One case of `scriptcontract.listCases`. */
export interface ListedCase {
  name: string;
  range: Range;
  outcome?: string | null;
}

/** The answer of `scriptcontract.listCases`. */
export interface CaseList {
  casesUri: string;
  scriptUri: string;
  exists: boolean;
  cases: ListedCase[];
  problems: { message: string; range: Range }[];
}

export interface Difference {
  where: string;
  kind: string;
  message: string;
}

/** One case of `scriptcontract.runCases`. */
export interface CaseOutcome {
  name: string;
  outcome: "passed" | "failed" | "error";
  message: string;
  durationMs: number;
  range: Range;
  failureRange?: Range;
  differences?: Difference[];
  expected?: string;
  actual?: string;
  stderrTail?: string[];
  traceback?: string | null;
}

/** The answer of `scriptcontract.runCases`. */
export interface CasesRun {
  casesUri?: string;
  scriptUri?: string;
  error?: string;
  cases: CaseOutcome[];
  /** Cases refused by the script's declared schema: what to add to the arguments to run them. */
  runAnyway?: Record<string, unknown>;
  /** The cases the declared schema refused, each with why (absent: every case alike). */
  refused?: { name: string; message: string }[];
}

/**
 * A refusal's cases: those refused, with their own message, and the others, which may run
 * (checked again by their own run). Without the server's list (a schema that cannot be used,
 * an older server) or when none of `names` is in it, every case is refused with the error.
 */
export function refusedCases(
  names: string[],
  answer: CasesRun,
): { refused: Map<string, string>; others: string[] } {
  const own = new Map((answer.refused ?? []).map((item) => [item.name, item.message]));
  if (!names.some((name) => own.has(name))) {
    return { refused: new Map(names.map((name) => [name, answer.error ?? "not run"])), others: [] };
  }
  return {
    refused: new Map(names.filter((name) => own.has(name)).map((name) => [name, own.get(name) ?? ""])),
    others: names.filter((name) => !own.has(name)),
  };
}

const SEPARATOR = "#case=";

/** A case's test id: its cases file and its name (names are unique in a file). */
export function caseId(casesUri: string, name: string): string {
  return `${casesUri}${SEPARATOR}${encodeURIComponent(name)}`;
}

/** The cases file and case name of a case's test id; undefined for a script's id. */
export function parseCaseId(id: string): { casesUri: string; name: string } | undefined {
  const at = id.lastIndexOf(SEPARATOR);
  if (at < 0) {
    return undefined;
  }
  return { casesUri: id.slice(0, at), name: decodeURIComponent(id.slice(at + SEPARATOR.length)) };
}

/**
 * What to run, by cases file: every case (undefined) or those named. `files` are the ids of whole
 * scripts asked for, `cases` those of single cases; a file asked for whole runs whole.
 */
export function plan(files: string[], cases: string[]): Map<string, string[] | undefined> {
  const out = new Map<string, string[] | undefined>();
  for (const file of files) {
    out.set(file, undefined);
  }
  for (const id of cases) {
    const parsed = parseCaseId(id);
    if (parsed === undefined || (out.has(parsed.casesUri) && out.get(parsed.casesUri) === undefined)) {
      continue;
    }
    const names = out.get(parsed.casesUri) ?? [];
    if (!names.includes(parsed.name)) {
      names.push(parsed.name);
    }
    out.set(parsed.casesUri, names);
  }
  return out;
}

/** The text of a failure: the differences, where the traceback ended, the end of stderr. */
export function failureText(outcome: CaseOutcome): string {
  const lines = [outcome.message];
  for (const difference of outcome.differences ?? []) {
    if (difference.message !== outcome.message) {
      lines.push(difference.message);
    }
  }
  if (outcome.traceback) {
    lines.push(`traceback ended at ${outcome.traceback}`);
  }
  if (outcome.stderrTail && outcome.stderrTail.length > 0) {
    lines.push("stderr (last lines):", ...outcome.stderrTail.map((line) => `  ${line}`));
  }
  return lines.join("\n");
}

/** "3 cases: 2 passed, 1 failed": the summary of one run, in `scriptcontract test`'s words. */
export function summary(run: CasesRun): string {
  const count = (outcome: string) => run.cases.filter((item) => item.outcome === outcome).length;
  const failed = count("failed");
  const notRun = run.cases.length - count("passed") - failed;
  const parts = [`${count("passed")} passed`];
  if (failed > 0) {
    parts.push(`${failed} failed`);
  }
  if (notRun > 0) {
    parts.push(`${notRun} not run`);
  }
  const total = run.cases.length;
  return `${total} case${total === 1 ? "" : "s"}: ${parts.join(", ")}`;
}
