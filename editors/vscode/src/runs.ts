/** "Run with inputs": the prompt, the request, and where the result goes (output, status bar). */

import { randomUUID } from "node:crypto";
import * as path from "node:path";

import * as vscode from "vscode";
import {
  ExecuteCommandRequest,
  type LanguageClient,
  LSPErrorCodes,
  ResponseError,
  WorkDoneProgress,
} from "vscode-languageclient/node";

import {
  type Inputs,
  inputsProblem,
  parseInputs,
  prefill,
  promptFor,
  templateFrom,
} from "./inputs";
import {
  type ExecutionResult,
  asExecutionResult,
  cancelledSummary,
  formatCancelled,
  formatReport,
  inputsWarningMessage,
  notRun,
  notRunMessage,
  type StatusSummary,
  statusSummary,
} from "./result";
import { fullResultWanted } from "./runSettings";

/** The server's command ids (see the server's executeCommandProvider). */
export const SERVER_COMMANDS = {
  run: "scriptcontract.run",
  runNow: "scriptcontract.runNow",
  createInputs: "scriptcontract.createInputs",
  inputsTemplate: "scriptcontract.inputsTemplate",
  parseInputs: "scriptcontract.parseInputs",
  debug: "scriptcontract.debug",
  debugConfiguration: "scriptcontract.debugConfiguration",
  debugRun: "scriptcontract.debugRun",
} as const;

/** The arguments of `scriptcontract.run` / `scriptcontract.runNow`. */
export interface RunArguments {
  uri: string;
  inputs?: Inputs;
  inputsFile?: string;
  timeoutMs?: number;
}

export interface LastRun {
  script: string;
  inputs?: Inputs;
  /** The result; undefined for a run the user cancelled. */
  result?: ExecutionResult;
  cancelled?: boolean;
  /** What the runs output got for it. */
  report?: string;
}

/** Whether a request failed because it was cancelled (by the user, or the server said so). */
export function isCancellation(error: unknown): boolean {
  return (
    error instanceof vscode.CancellationError ||
    (error instanceof ResponseError &&
      (error.code === LSPErrorCodes.RequestCancelled || error.code === LSPErrorCodes.ServerCancelled))
  );
}

/**
 * `command` with a progress token of ours: the notification shows the server's words (where a
 * run's inputs came from, an exploration's budget), and the server opens no progress of its own.
 */
export async function executeWithProgress(
  client: LanguageClient,
  command: string,
  args: object,
  progress: vscode.Progress<{ message?: string }>,
  token: vscode.CancellationToken,
): Promise<unknown> {
  const workDoneToken = `scriptcontract-progress-${randomUUID()}`;
  const listener = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
    if ((value.kind === "begin" || value.kind === "report") && value.message) {
      progress.report({ message: value.message });
    }
  });
  try {
    return await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [args], workDoneToken }, token);
  } finally {
    listener.dispose();
  }
}

/** The command that does the last refused run (or debug session, or cases) anyway. */
export const RUN_ANYWAY_COMMAND = "scriptcontract.runAnyway";
const CAN_RUN_ANYWAY = "scriptcontract.canRunAnyway";

export class Runs implements vscode.Disposable {
  private readonly lastRunEmitter = new vscode.EventEmitter<LastRun>();
  /** Each script's last run's arguments, by its URI, for "Run Again". */
  private readonly lastArguments = new Map<string, RunArguments>();
  /** The last refusal the user may override, until it is overridden or a run starts. */
  private anyway: (() => unknown) | undefined;
  /** The status bar item's background colour's id (the end-to-end test hook's). */
  statusBackground: string | undefined;
  /** Fires after every run that returned a result. */
  readonly onDidRun = this.lastRunEmitter.event;

  constructor(
    private readonly client: () => Promise<LanguageClient | undefined>,
    private readonly output: vscode.OutputChannel,
    private readonly status: vscode.StatusBarItem,
  ) {}

  dispose(): void {
    this.lastRunEmitter.dispose();
  }

  /** Prompts for inputs (pre-filled from the sidecar or the inferred template), then runs. */
  async promptAndRun(document: vscode.TextDocument, extra: Partial<RunArguments> = {}): Promise<unknown> {
    const asked = await this.askInputs(document, "scriptcontract: Run with Inputs");
    return asked && this.run(asked.client, document, { ...extra, uri: asked.uri, inputs: asked.inputs });
  }

  /** Saves the script, then prompts for its inputs; undefined when the user gives up. */
  async askInputs(
    document: vscode.TextDocument,
    title: string,
  ): Promise<{ client: LanguageClient; uri: string; inputs: Inputs } | undefined> {
    const client = await this.requireClient();
    if (client === undefined || !(await this.saved(document))) {
      return undefined;
    }
    const uri = client.code2ProtocolConverter.asUri(document.uri);
    // The server refuses a template when the inputs file cannot be read: the prompt says why.
    let problem: string | undefined;
    const template = templateFrom(
      await this.execute(client, SERVER_COMMANDS.inputsTemplate, { uri }).catch((error: unknown) => {
        problem = error instanceof ResponseError ? error.message : undefined;
        return undefined;
      }),
    );
    const text = await vscode.window.showInputBox({
      title,
      prompt: promptFor(path.basename(document.uri.fsPath), template, problem),
      value: prefill(template),
      ignoreFocusOut: true,
      validateInput: (value) => this.inputsProblemInWords(client, value),
    });
    return text === undefined ? undefined : { client, uri, inputs: parseInputs(text) };
  }

  /**
   * What is wrong with typed inputs, said by the server in words and with where ("a comma or
   * a closing bracket is missing at column 18"); JavaScript's own message if it cannot say.
   */
  private async inputsProblemInWords(client: LanguageClient, value: string): Promise<string | undefined> {
    const problem = inputsProblem(value);
    if (problem === undefined) {
      return undefined;
    }
    const answer = (await this.execute(client, SERVER_COMMANDS.parseInputs, { text: value }).catch(
      () => undefined,
    )) as { problem?: unknown } | undefined;
    return typeof answer?.problem === "string" ? answer.problem : problem;
  }

  /** Asks for an inputs file (unless one is given), then runs with it. */
  async runWithFile(document: vscode.TextDocument, inputsFile?: string): Promise<unknown> {
    const client = await this.requireClient();
    if (client === undefined || !(await this.saved(document))) {
      return undefined;
    }
    let file = inputsFile;
    if (file === undefined) {
      const picked = await vscode.window.showOpenDialog({
        title: "scriptcontract: Run with Inputs File",
        defaultUri: vscode.Uri.file(path.dirname(document.uri.fsPath)),
        canSelectMany: false,
        filters: { "JSON inputs": ["json"], "All files": ["*"] },
        openLabel: "Run with these inputs",
      });
      if (picked === undefined || picked.length === 0) {
        return undefined;
      }
      file = picked[0].fsPath;
    }
    const uri = client.code2ProtocolConverter.asUri(document.uri);
    return this.run(client, document, { uri, inputsFile: file });
  }

  /** Creates `<script>.inputs.json` through the server and opens it. */
  async createInputs(document: vscode.TextDocument): Promise<void> {
    const client = await this.requireClient();
    if (client === undefined || !onDisk(document, "its inputs file goes beside it")) {
      return;
    }
    const uri = client.code2ProtocolConverter.asUri(document.uri);
    let answer: { uri?: unknown } | undefined;
    try {
      answer = (await this.execute(client, SERVER_COMMANDS.createInputs, { uri })) as
        | { uri?: unknown }
        | undefined;
    } catch (error) {
      // Else VS Code's own "Running the contributed command ... failed", which says nothing.
      const reason = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(`scriptcontract: the inputs file was not created: ${reason}`);
      return;
    }
    if (typeof answer?.uri === "string") {
      const sidecar = await vscode.workspace.openTextDocument(vscode.Uri.parse(answer.uri));
      // The edit created the file in the editor; a run reads it from disk, so write it now.
      if (sidecar.isDirty) {
        await sidecar.save();
      }
      await vscode.window.showTextDocument(sidecar);
    }
  }

  /**
   * Sends `scriptcontract.runNow` with a cancellable progress notification (showing the
   * server's progress message: where the inputs came from) and reports the result. A cancel
   * is not an error: it is reported as "cancelled", quietly, where results go.
   */
  async run(client: LanguageClient, document: vscode.TextDocument, args: RunArguments): Promise<unknown> {
    const script = path.basename(document.uri.fsPath);
    this.lastArguments.set(document.uri.toString(), args);
    let answer: unknown;
    try {
      answer = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `scriptcontract: running ${script}`,
          cancellable: true,
        },
        (progress, token) => executeWithProgress(client, SERVER_COMMANDS.runNow, args, progress, token),
      );
    } catch (error) {
      if (isCancellation(error)) {
        this.reportCancelled(script, args.inputs);
        return undefined;
      }
      const reason = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(`scriptcontract: ${script} did not run: ${reason}`);
      return undefined;
    }
    const result = asExecutionResult(answer);
    if (result !== undefined) {
      const root = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath;
      const anyway = result.runAnyway;
      // Refused by the script's declared schema: the message offers to run it regardless.
      const runAnyway = anyway && (() => this.run(client, document, { ...args, ...anyway }));
      this.report({ script, inputs: args.inputs, result }, root, runAnyway);
    }
    return answer;
  }

  /** Runs the script again with its last run's inputs; prompts for them when it has none. */
  async runAgain(document: vscode.TextDocument): Promise<unknown> {
    const args = this.lastArguments.get(document.uri.toString());
    const client = args && (await this.requireClient());
    if (args === undefined || client === undefined) {
      return this.promptAndRun(document);
    }
    return (await this.saved(document)) ? this.run(client, document, args) : undefined;
  }

  /**
   * Offers to do a refused run anyway: a message with the button, and `again` kept for
   * “scriptcontract: Run Anyway” (and the status bar), since a message can go by unseen.
   */
  offerAnyway(message: string, again: () => unknown, button = "Run Anyway", showOutput = false): void {
    this.keepAnyway(again);
    const actions = showOutput ? [button, "Show Output"] : [button];
    void vscode.window.showWarningMessage(message, ...actions).then((choice) => {
      if (choice === button) {
        // This message's refusal, even when a later one (or a run) came since.
        if (this.anyway === again) {
          this.keepAnyway(undefined);
        }
        void again();
      } else if (choice) {
        this.output.show(true);
      }
    });
  }

  /** Does the last refused run anyway; says so when there is none. */
  runAnyway(): unknown {
    const again = this.anyway;
    this.keepAnyway(undefined);
    if (again === undefined) {
      void vscode.window.showInformationMessage("scriptcontract: no refused run to do anyway.");
      return undefined;
    }
    return again();
  }

  private keepAnyway(again: (() => unknown) | undefined): void {
    this.anyway = again;
    void vscode.commands.executeCommand("setContext", CAN_RUN_ANYWAY, again !== undefined);
  }


  /**
   * Shows a run's result: the output channel, the status bar, a warning if it did not start
   * (with "Run Anyway" given `runAnyway`) or if its inputs may not be what the script reads.
   */
  report(run: LastRun & { result: ExecutionResult }, root?: string, runAnyway?: () => unknown): void {
    const report = formatReport({ ...run, finishedAt: new Date(), full: fullResultWanted(), root });
    if (!notRun(run.result)) {
      this.keepAnyway(undefined); // a run that started: the refusal before it is history
    }
    this.output.append(report);
    this.showStatus(statusSummary(run.script, run.result), runAnyway !== undefined);
    if (notRun(run.result)) {
      // The script did not start (unsaved, a configuration with errors or not trusted yet):
      // a message says why, once (the server leaves it to us) and never as a modal dialog.
      if (runAnyway !== undefined) {
        this.offerAnyway(notRunMessage(run.script, run.result), runAnyway, "Run Anyway", true);
      } else {
        this.keepAnyway(undefined);
        void vscode.window
          .showWarningMessage(notRunMessage(run.script, run.result), "Show Output")
          .then((choice) => choice && this.output.show(true));
      }
    } else if (run.result.warning) {
      void vscode.window
        .showWarningMessage(inputsWarningMessage(run.script, run.result.warning), "Show Output")
        .then((choice) => choice && this.output.show(true));
    }
    this.lastRunEmitter.fire({ ...run, report });
  }

  private reportCancelled(script: string, inputs?: Inputs): void {
    const report = formatCancelled({ script, inputs, finishedAt: new Date() });
    this.keepAnyway(undefined); // a run that started: the refusal before it is history
    this.output.append(report);
    this.showStatus(cancelledSummary(script));
    this.lastRunEmitter.fire({ script, inputs, cancelled: true, report });
  }

  /** `anyway`: a click runs the refused run anyway (the tooltip says so), else shows the output. */
  private showStatus(summary: StatusSummary, anyway = false): void {
    this.status.text = summary.text;
    this.status.tooltip = summary.tooltip;
    // A refusal is no failure of the script's: a warning, not the error colour.
    this.statusBackground = summary.failed
      ? "statusBarItem.errorBackground"
      : summary.notRun
        ? "statusBarItem.warningBackground"
        : undefined;
    this.status.backgroundColor = this.statusBackground && new vscode.ThemeColor(this.statusBackground);
    this.status.command = anyway ? RUN_ANYWAY_COMMAND : "scriptcontract.showOutput";
    this.status.show();
  }

  execute(
    client: LanguageClient,
    command: string,
    args: object,
    token?: vscode.CancellationToken,
  ): Promise<unknown> {
    return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [args] }, token);
  }

  async requireClient(): Promise<LanguageClient | undefined> {
    const client = await this.client();
    if (client === undefined) {
      void vscode.window.showErrorMessage(
        "scriptcontract: the language server is not running. See the scriptcontract log, or run “scriptcontract: Restart Server”.",
      );
    }
    return client;
  }

  /**
   * A run executes the file on disk and reads its inputs file there: save the unsaved changes
   * of both first (else the prompt offers the inputs file's older text); refuse untitled buffers.
   */
  async saved(document: vscode.TextDocument): Promise<boolean> {
    if (!onDisk(document, "a run executes the file on disk")) {
      return false;
    }
    if (document.isDirty && !(await document.save())) {
      return false;
    }
    const inputsFile = sidecarPath(document.uri.fsPath);
    const inputs = vscode.workspace.textDocuments.find(
      (open) => open.uri.scheme === "file" && open.uri.fsPath === inputsFile,
    );
    return inputs?.isDirty ? inputs.save() : true;
  }
}

/** `<script>.inputs.json` beside the script, as the server names it (the name without its suffix). */
export function sidecarPath(script: string): string {
  const parsed = path.parse(script);
  return path.join(parsed.dir, `${parsed.name}.inputs.json`);
}

/**
 * Whether `document` is a file on disk; an untitled one is refused with what to do (`why`
 * ends the message), before a save would open a dialog whose file the command would not use.
 */
export function onDisk(document: vscode.TextDocument, why: string): boolean {
  if (document.isUntitled) {
    void vscode.window.showWarningMessage(`scriptcontract: save the script first: ${why}.`);
    return false;
  }
  return true;
}
