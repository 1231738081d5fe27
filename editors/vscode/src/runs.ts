/** "Run with inputs": the prompt, the request, and where the result goes (output, status bar). */

import * as path from "node:path";

import * as vscode from "vscode";
import { ExecuteCommandRequest, type LanguageClient } from "vscode-languageclient/node";

import {
  type Inputs,
  inputsProblem,
  parseInputs,
  prefill,
  promptFor,
  templateFrom,
} from "./inputs";
import { type ExecutionResult, asExecutionResult, formatReport, statusSummary } from "./result";

/** The server's command ids (see the server's executeCommandProvider). */
export const SERVER_COMMANDS = {
  run: "scriptcontract.run",
  runNow: "scriptcontract.runNow",
  createInputs: "scriptcontract.createInputs",
  inputsTemplate: "scriptcontract.inputsTemplate",
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
  result: ExecutionResult;
}

export class Runs implements vscode.Disposable {
  private readonly lastRunEmitter = new vscode.EventEmitter<LastRun>();
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
    const template = templateFrom(
      await this.execute(client, SERVER_COMMANDS.inputsTemplate, { uri }).catch(() => undefined),
    );
    const text = await vscode.window.showInputBox({
      title,
      prompt: promptFor(path.basename(document.uri.fsPath), template),
      value: prefill(template),
      ignoreFocusOut: true,
      validateInput: (value) => inputsProblem(value),
    });
    return text === undefined ? undefined : { client, uri, inputs: parseInputs(text) };
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
    if (client === undefined) {
      return;
    }
    const uri = client.code2ProtocolConverter.asUri(document.uri);
    const answer = (await this.execute(client, SERVER_COMMANDS.createInputs, { uri })) as
      | { uri?: unknown }
      | undefined;
    if (typeof answer?.uri === "string") {
      const sidecar = await vscode.workspace.openTextDocument(vscode.Uri.parse(answer.uri));
      // The edit created the file in the editor; a run reads it from disk, so write it now.
      if (sidecar.isDirty) {
        await sidecar.save();
      }
      await vscode.window.showTextDocument(sidecar);
    }
  }

  /** Sends `scriptcontract.runNow` with a cancellable progress notification and reports the result. */
  async run(client: LanguageClient, document: vscode.TextDocument, args: RunArguments): Promise<unknown> {
    const script = path.basename(document.uri.fsPath);
    const answer = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `scriptcontract: running ${script}`,
        cancellable: true,
      },
      (_progress, token) => this.execute(client, SERVER_COMMANDS.runNow, args, token),
    );
    const result = asExecutionResult(answer);
    if (result !== undefined) {
      this.report({ script, inputs: args.inputs, result });
    }
    return answer;
  }

  /** Shows a run's result: the output channel, the status bar, a warning if it did not start. */
  report(run: LastRun): void {
    this.output.append(formatReport({ ...run, finishedAt: new Date() }));
    const summary = statusSummary(run.script, run.result);
    this.status.text = summary.text;
    this.status.tooltip = summary.tooltip;
    this.status.backgroundColor = summary.failed
      ? new vscode.ThemeColor("statusBarItem.errorBackground")
      : undefined;
    this.status.show();
    const kind = run.result.error_kind;
    if (kind === "validation" || kind === "setup") {
      // The script did not start, so no run diagnostics explain it: say so where it is seen.
      void vscode.window
        .showWarningMessage(`scriptcontract: ${run.script} did not run: ${run.result.error ?? kind}`, "Show Output")
        .then((choice) => choice && this.output.show(true));
    }
    this.lastRunEmitter.fire(run);
  }

  execute(
    client: LanguageClient,
    command: string,
    args: object,
    token?: vscode.CancellationToken,
  ): Promise<unknown> {
    return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [args] }, token);
  }

  private async requireClient(): Promise<LanguageClient | undefined> {
    const client = await this.client();
    if (client === undefined) {
      void vscode.window.showErrorMessage(
        "scriptcontract: the language server is not running. See the scriptcontract log, or run “scriptcontract: Restart Server”.",
      );
    }
    return client;
  }

  /** A run executes the file on disk: save unsaved changes first; refuse untitled buffers. */
  private async saved(document: vscode.TextDocument): Promise<boolean> {
    if (document.isUntitled) {
      void vscode.window.showWarningMessage(
        "scriptcontract: save the script first: a run executes the file on disk.",
      );
      return false;
    }
    return document.isDirty ? document.save() : true;
  }
}
