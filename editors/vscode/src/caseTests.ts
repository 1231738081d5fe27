/**
 * Recorded cases in VS Code's Test Explorer (the Testing API): each script with cases is a test
 * item, its cases are its children. Run one case, a script's, or all; a failure carries the
 * expected and actual expectations, so "Show diff" opens VS Code's diff view on them. The cases are
 * found, listed and run by the language server (scriptcontract.findCasesFiles / listCases /
 * runCases): the files found are those `scriptcontract test` runs, never one in a folder its
 * .gitignore names or a virtual environment.
 */

import { renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";

import * as vscode from "vscode";
import { ExecuteCommandRequest, type LanguageClient } from "vscode-languageclient/node";

import {
  type CaseList,
  type CaseOutcome,
  type CasesRun,
  type Range,
  caseId,
  failureText,
  plan,
  refusedCases,
  summary,
} from "./caseResults";
import { problemList } from "./markdownText";
import { casesNotRunMessage } from "./result";

const CASES_GLOB = "**/*.cases.json";
/** The Test Results' action on a failing case: the server's "Accept actual output" edit. */
export const RUN_CASES = "scriptcontract.runCases";
const FIND_CASES_FILES = "scriptcontract.findCasesFiles";
export const ACCEPT_COMMAND = "scriptcontract.acceptActualOutput";
const ACCEPTABLE = "scriptcontract.acceptable";
const LIST_DELAY_MS = 300;

/** Where a refusal's Test Results message says the way out is, beside the message's button. */
const RUN_ANYWAY_HINT = "To run it anyway: “Run Anyway” on its message, or “scriptcontract: Run Anyway” in the Command Palette.";

/** Shows `message` with a "Run Anyway" that calls `again` (and keeps it for the palette command). */
export type AnywayOffer = (message: string, again: () => unknown) => void;

/** Starts a debug session of `script` with its case `name`; the run's answer, with the verdict. */
export type CaseDebugger = (
  script: vscode.Uri,
  casesUri: string,
  name: string,
) => Promise<{ case?: CaseOutcome | null } | undefined>;

function range(value: Range): vscode.Range {
  return new vscode.Range(value.start.line, value.start.character, value.end.line, value.end.character);
}

export class CaseTests implements vscode.Disposable {
  private readonly controller: vscode.TestController;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private pendingDiscovery: NodeJS.Timeout | undefined;
  /** The test item id (the cases file as the server spells its URI) of each cases file. */
  private readonly ids = new Map<string, string>();
  /** What the last runs gave, by test id (for the end-to-end test hook). */
  private readonly results = new Map<string, { outcome: string; message: string; expected?: string; actual?: string }>();
  /** The test ids the last run reported on (for the end-to-end test hook). */
  private lastRun: string[] = [];
  /** How many test runs (and debug sessions of cases) started (for the end-to-end test hook). */
  private runs = 0;

  constructor(
    private readonly client: () => Promise<LanguageClient | undefined>,
    debugCase: CaseDebugger | undefined,
    private readonly offerAnyway: AnywayOffer,
  ) {
    this.controller = vscode.tests.createTestController("scriptcontract.cases", "scriptcontract cases");
    this.controller.resolveHandler = async (item) => {
      if (item === undefined) {
        await this.discover();
      }
    };
    this.controller.refreshHandler = () => this.discover();
    this.controller.createRunProfile(
      "Run cases",
      vscode.TestRunProfileKind.Run,
      (request, token) => this.run(request, token),
      true,
    );
    if (debugCase !== undefined) {
      this.controller.createRunProfile(
        "Debug case",
        vscode.TestRunProfileKind.Debug,
        (request, token) => this.debug(request, token, debugCase),
        true,
      );
    }
    const watcher = vscode.workspace.createFileSystemWatcher(CASES_GLOB);
    this.disposables.push(
      vscode.commands.registerCommand(ACCEPT_COMMAND, (argument?: { test?: vscode.TestItem; message?: vscode.TestMessage }) =>
        this.accept(argument?.test, argument?.message),
      ),
      this.controller,
      watcher,
      // A new file may be one `scriptcontract test` leaves out: the server says which to list.
      watcher.onDidCreate(() => this.discoverSoon()),
      watcher.onDidChange((uri) => this.listSoonIfKnown(uri)),
      watcher.onDidDelete((uri) => this.remove(uri)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.uri.path.endsWith(".cases.json")) {
          this.listSoonIfKnown(event.document.uri);
        }
      }),
    );
  }

  dispose(): void {
    for (const timer of this.pending.values()) {
      clearTimeout(timer);
    }
    clearTimeout(this.pendingDiscovery);
    for (const disposable of this.disposables) {
      disposable.dispose();
    }
  }

  /** Lists the cases of every cases file `scriptcontract test` runs in the workspace's folders. */
  async discover(): Promise<void> {
    const client = await this.client();
    if (client === undefined) {
      return;
    }
    const found = new Set<string>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      let answer: { files: string[] };
      try {
        answer = (await this.execute(client, FIND_CASES_FILES, { uri: client.code2ProtocolConverter.asUri(folder.uri) })) as { files: string[] };
      } catch (error) {
        void vscode.window.showErrorMessage(`scriptcontract: cannot find the cases files of ${folder.name}: ${(error as Error).message}`);
        continue;
      }
      for (const file of answer.files) {
        found.add(client.protocol2CodeConverter.asUri(file).toString());
      }
    }
    // Files no longer found (their folder now ignored) leave the tree.
    for (const known of [...this.ids.keys()]) {
      if (!found.has(known)) {
        this.remove(vscode.Uri.parse(known));
      }
    }
    await Promise.all([...found].map((uri) => this.list(vscode.Uri.parse(uri))));
    this.writeState();
  }

  private discoverSoon(): void {
    clearTimeout(this.pendingDiscovery);
    this.pendingDiscovery = setTimeout(() => void this.discover(), LIST_DELAY_MS);
  }

  private listSoonIfKnown(uri: vscode.Uri): void {
    if (!this.ids.has(uri.toString())) {
      return; // not a file `scriptcontract test` runs (or not found yet: its creation asks)
    }
    const key = uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        void this.list(uri).then(() => this.writeState());
      }, LIST_DELAY_MS),
    );
  }

  private remove(casesUri: vscode.Uri): void {
    const id = this.ids.get(casesUri.toString());
    if (id !== undefined) {
      this.controller.items.delete(id);
      this.ids.delete(casesUri.toString());
    }
  }

  /** The script's test item with its cases as children, as the server lists them. */
  private async list(casesUri: vscode.Uri): Promise<void> {
    const client = await this.client();
    if (client === undefined) {
      return;
    }
    let listed: CaseList;
    try {
      listed = (await this.execute(client, "scriptcontract.listCases", { uri: client.code2ProtocolConverter.asUri(casesUri) })) as CaseList;
    } catch {
      this.remove(casesUri);
      return;
    }
    if (!listed.exists) {
      this.remove(casesUri);
      return;
    }
    const scriptUri = vscode.Uri.parse(listed.scriptUri);
    const file = vscode.Uri.parse(listed.casesUri);
    const id = listed.casesUri;
    const script =
      this.controller.items.get(id) ?? this.controller.createTestItem(id, path.basename(scriptUri.fsPath), scriptUri);
    this.ids.set(casesUri.toString(), id);
    script.error =
      listed.problems.length > 0
        ? new vscode.MarkdownString(problemList(listed.problems.map((problem) => problem.message)))
        : undefined;
    script.children.replace(
      listed.cases.map((listedCase) => {
        const item = this.controller.createTestItem(caseId(listed.casesUri, listedCase.name), listedCase.name, file);
        item.range = range(listedCase.range);
        return item;
      }),
    );
    this.controller.items.add(script);
  }

  private async run(
    request: vscode.TestRunRequest,
    token: vscode.CancellationToken,
    anyway?: Record<string, unknown>,
  ): Promise<void> {
    const run = this.controller.createTestRun(request);
    this.lastRun = [];
    this.runs += 1;
    const excluded = new Set((request.exclude ?? []).map((item) => item.id));
    const asked = request.include ?? [...this.controller.items].map(([, item]) => item);
    const files = asked.filter((item) => item.parent === undefined && !excluded.has(item.id)).map((item) => item.id);
    const cases = asked.filter((item) => item.parent !== undefined && !excluded.has(item.id)).map((item) => item.id);
    const client = await this.client();
    try {
      for (const [casesUri, names] of plan(files, cases)) {
        if (token.isCancellationRequested) {
          break;
        }
        const script = this.controller.items.get(casesUri);
        if (script === undefined) {
          continue;
        }
        const items = [...script.children]
          .map(([, item]) => item)
          .filter((item) => !excluded.has(item.id) && (names === undefined || names.includes(item.label)));
        for (const item of items) {
          run.started(item);
        }
        if (client === undefined) {
          const message = new vscode.TestMessage("the scriptcontract language server is not running");
          items.forEach((item) => run.errored(item, message));
          continue;
        }
        await this.runFile(client, run, casesUri, names, items, token, anyway);
      }
    } finally {
      run.end();
      this.writeState();
    }
  }

  /**
   * The Debug profile: one case in a debug session (the first chosen: a session debugs one
   * run), its verdict reported as a run of it is.
   */
  private async debug(request: vscode.TestRunRequest, token: vscode.CancellationToken, debugCase: CaseDebugger): Promise<void> {
    const excluded = new Set((request.exclude ?? []).map((item) => item.id));
    const asked = request.include ?? [...this.controller.items].map(([, item]) => item);
    const chosen = asked
      .flatMap((item) => (item.parent === undefined ? [...item.children].map(([, child]) => child) : [item]))
      .filter((item) => !excluded.has(item.id));
    const item = chosen[0];
    const script = item?.parent;
    if (item === undefined || script?.uri === undefined) {
      return;
    }
    const run = this.controller.createTestRun(request);
    this.lastRun = [];
    this.runs += 1;
    try {
      if (chosen.length > 1) {
        run.appendOutput(`A debug session runs one case: debugging "${item.label}" only.\r\n`);
      }
      for (const other of chosen.slice(1)) {
        run.skipped(other);
      }
      run.started(item);
      const answer = await debugCase(script.uri, script.id, item.label);
      if (answer?.case) {
        this.report(run, item, vscode.Uri.parse(script.id), answer.case);
      } else if (token.isCancellationRequested || answer === undefined) {
        run.skipped(item);
      } else {
        run.errored(item, new vscode.TestMessage("the case was not found in its file after the run"));
      }
    } finally {
      run.end();
      this.writeState();
    }
  }

  private async runFile(
    client: LanguageClient,
    run: vscode.TestRun,
    casesUri: string,
    names: string[] | undefined,
    items: vscode.TestItem[],
    token: vscode.CancellationToken,
    anyway?: Record<string, unknown>,
  ): Promise<void> {
    let answer: CasesRun;
    try {
      const args = { uri: casesUri, ...(names ? { names } : {}), ...anyway };
      answer = (await this.execute(client, RUN_CASES, args, token)) as CasesRun;
    } catch (error) {
      const message = new vscode.TestMessage(`not run: ${String(error)}`);
      items.forEach((item) => (token.isCancellationRequested ? run.skipped(item) : run.errored(item, message)));
      return;
    }
    if (answer.error) {
      // Only the cases the declared schema refused are errored, each with its own problems;
      // the others run (and pass or fail) on their own.
      const { refused, others } = refusedCases(items.map((item) => item.label), answer);
      const refusedItems = items.filter((item) => refused.has(item.label));
      for (const item of refusedItems) {
        const said = refused.get(item.label) ?? answer.error;
        const message = new vscode.TestMessage(answer.runAnyway ? `${said}\n\n${RUN_ANYWAY_HINT}` : said);
        if (item.uri !== undefined && item.range !== undefined) {
          message.location = new vscode.Location(item.uri, item.range);
        }
        run.errored(item, message);
        this.lastRun.push(item.id);
        this.results.set(item.id, { outcome: "errored", message: said });
      }
      const runAnyway = answer.runAnyway;
      if (runAnyway) {
        // Inputs the script's declared schema refuses: said here, once, with the offer (kept
        // for "scriptcontract: Run Anyway" too: a message can go by unseen).
        const again = (): Promise<void> => {
          const cancel = new vscode.CancellationTokenSource();
          return this.run(new vscode.TestRunRequest(refusedItems), cancel.token, runAnyway).finally(() => cancel.dispose());
        };
        this.offerAnyway(casesNotRunMessage(answer.error), again);
      }
      const rest = items.filter((item) => others.includes(item.label));
      if (rest.length > 0) {
        await this.runFile(client, run, casesUri, others, rest, token, anyway);
      }
      return;
    }
    const byName = new Map(answer.cases.map((outcome) => [outcome.name, outcome]));
    for (const item of items) {
      const outcome = byName.get(item.label);
      if (outcome === undefined) {
        run.skipped(item);
        continue;
      }
      this.report(run, item, vscode.Uri.parse(casesUri), outcome);
    }
    run.appendOutput(`${path.basename(vscode.Uri.parse(casesUri).fsPath)}: ${summary(answer)}\r\n`);
  }

  private report(run: vscode.TestRun, item: vscode.TestItem, casesUri: vscode.Uri, outcome: CaseOutcome): void {
    this.lastRun.push(item.id);
    this.results.set(item.id, {
      outcome: outcome.outcome,
      message: outcome.message,
      expected: outcome.expected,
      actual: outcome.actual,
    });
    if (outcome.outcome === "passed") {
      run.passed(item, outcome.durationMs);
      return;
    }
    const text = failureText(outcome);
    const message =
      outcome.expected !== undefined && outcome.actual !== undefined
        ? vscode.TestMessage.diff(text, outcome.expected, outcome.actual)
        : new vscode.TestMessage(text);
    message.location = new vscode.Location(casesUri, range(outcome.failureRange ?? outcome.range));
    if (outcome.outcome === "failed" && outcome.actual !== undefined) {
      message.contextValue = ACCEPTABLE;
    }
    if (outcome.outcome === "failed") {
      run.failed(item, message, outcome.durationMs);
    } else {
      run.errored(item, message, outcome.durationMs);
    }
  }

  /**
   * A run a code lens or a code action asked for (scriptcontract.runCases `{uri, names?}`), made
   * a test run so the Test Explorer shows what the lens shows. False when those cases are not
   * listed (yet): the caller then sends the command to the server as it is.
   */
  async runFromEditor(argument: { uri?: unknown; names?: unknown }): Promise<boolean> {
    if (typeof argument.uri !== "string") {
      return false;
    }
    const asked = vscode.Uri.parse(argument.uri).toString();
    const script = [...this.controller.items]
      .map(([, item]) => item)
      .find((item) => vscode.Uri.parse(item.id).toString() === asked || item.uri?.toString() === asked);
    if (script === undefined) {
      return false;
    }
    let include = [script];
    if (Array.isArray(argument.names)) {
      const names: unknown[] = argument.names;
      include = [...script.children].map(([, item]) => item).filter((item) => names.includes(item.label));
      if (include.length !== names.length) {
        return false;
      }
    }
    const cancel = new vscode.CancellationTokenSource();
    try {
      await this.run(new vscode.TestRunRequest(include), cancel.token);
    } finally {
      cancel.dispose();
    }
    return true;
  }

  /**
   * "Accept Actual Output" on a failure in the Test Results: the server's code action of that
   * name, applied to the cases file, which is then shown (to save, or undo).
   */
  private async accept(item: vscode.TestItem | undefined, message: vscode.TestMessage | undefined): Promise<void> {
    if (item?.uri === undefined || item.parent === undefined) {
      return;
    }
    const document = await vscode.workspace.openTextDocument(item.uri);
    const where = message?.location?.range ?? item.range ?? new vscode.Range(0, 0, 0, 0);
    const title = `Accept actual output of case ${JSON.stringify(item.label)}`;
    const actions =
      (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
        "vscode.executeCodeActionProvider",
        document.uri,
        where,
        vscode.CodeActionKind.QuickFix.value,
      )) ?? [];
    const action = actions.find((candidate): candidate is vscode.CodeAction => candidate.title === title && "edit" in candidate);
    if (action?.edit === undefined) {
      void vscode.window.showWarningMessage(
        `scriptcontract: nothing to accept for "${item.label}": run the case again (its file changed since, or it passed).`,
      );
      return;
    }
    if (await vscode.workspace.applyEdit(action.edit)) {
      await vscode.window.showTextDocument(document, { selection: where, preview: false });
    }
  }

  private execute(client: LanguageClient, command: string, argument: object, token?: vscode.CancellationToken): Promise<unknown> {
    return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [argument] }, token);
  }

  /** For the end-to-end tests only (SCRIPTCONTRACT_E2E_STATE set): the tree and the results. */
  private writeState(): void {
    const file = process.env.SCRIPTCONTRACT_E2E_STATE;
    if (!file) {
      return;
    }
    const tree = [...this.controller.items].map(([id, item]) => ({
      id,
      label: item.label,
      error: item.error instanceof vscode.MarkdownString ? item.error.value : item.error,
      cases: [...item.children].map(([caseKey, child]) => ({ id: caseKey, label: child.label, line: child.range?.start.line })),
    }));
    const snapshot = { tree, results: Object.fromEntries(this.results), lastRun: this.lastRun, runs: this.runs };
    writeFileSync(`${file}.tests.tmp`, JSON.stringify(snapshot, null, 2));
    renameSync(`${file}.tests.tmp`, `${file}.tests.json`);
  }
}
