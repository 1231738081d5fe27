/**
 * "Debug with inputs": a debug type of the extension's own, whose adapter is debugpy's, started
 * as the language server's launch configuration says (the interpreter that runs the server, the
 * debugpy installed with it). The script runs through the server, as a run does, connected to
 * that adapter; its result is reported exactly as a run's.
 */

import * as path from "node:path";

import * as vscode from "vscode";
import { type LanguageClient, ResponseError } from "vscode-languageclient/node";

import type { CaseOutcome } from "./caseResults";
import {
  DEBUG_TYPE,
  type LaunchConfiguration,
  asLaunchConfiguration,
  caseVerdictLine,
  cannotDebug,
  sessionConfiguration,
} from "./debugConfiguration";
import { asExecutionResult } from "./result";
import { type RunArguments, type Runs, SERVER_COMMANDS } from "./runs";

/** The arguments of `scriptcontract.debugConfiguration`: a run's, or a recorded case's name. */
export interface DebugArguments extends RunArguments {
  case?: string;
}

/** What `scriptcontract.debugRun` answers: a run's result, and for a case its verdict. */
export interface DebugAnswer {
  success: boolean;
  case?: CaseOutcome | null;
}

/** How long a run may go on after its session ended before it is cancelled. */
const GRACE_MS = 2000;

/** What a refusal's data names to add to the arguments to go on regardless, if anything. */
function runAnywayOf(error: unknown): Record<string, unknown> | undefined {
  const data: unknown = error instanceof ResponseError ? error.data : undefined;
  const anyway = typeof data === "object" && data !== null ? (data as { runAnyway?: unknown }).runAnyway : undefined;
  return typeof anyway === "object" && anyway !== null ? (anyway as Record<string, unknown>) : undefined;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Says why a session could not start; offers to copy the install command when one is named. */
function showCannotDebug(script: string, reason: string): void {
  const { text, install } = cannotDebug(script, reason);
  if (install === undefined) {
    void vscode.window.showErrorMessage(text);
    return;
  }
  void vscode.window.showErrorMessage(text, COPY_INSTALL).then(async (choice) => {
    if (choice === COPY_INSTALL) {
      await vscode.env.clipboard.writeText(install);
    }
  });
}

const COPY_INSTALL = "Copy Install Command";

export class Debugging implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private sessions = 0;
  /** How many sessions are starting or going on (the server must not restart meanwhile). */
  active = 0;
  /** Called when the last session is over. */
  onIdle: (() => void) | undefined;
  /** The lines this extension wrote to debug consoles, for the end-to-end test hook. */
  readonly consoleLines: string[] = [];
  /** With the end-to-end test hook on: the DAP messages of its sessions, in short. */
  readonly trace: string[] = [];

  constructor(private readonly runs: Runs) {
    this.disposables.push(
      vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, {
        createDebugAdapterDescriptor: (session) => {
          const adapter = (session.configuration.scriptcontract as { adapter?: LaunchConfiguration["adapter"] })
            ?.adapter;
          if (adapter === undefined) {
            throw new Error(
              "scriptcontract: start this debug type with “scriptcontract: Debug with Inputs…” (or the code lens): " +
                "the language server gives it its configuration.",
            );
          }
          return new vscode.DebugAdapterExecutable(adapter.command, adapter.args);
        },
      }),
    );
  }

  /** Records the DAP traffic of this debug type's sessions (the end-to-end test hook's). */
  traceSessions(): void {
    const short = (message: { type?: string; command?: string; event?: string; success?: boolean; message?: string }): string =>
      [message.type, message.command ?? message.event, message.success === false ? `failed: ${message.message}` : ""].join(" ");
    this.disposables.push(
      vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
        createDebugAdapterTracker: () => ({
          onWillReceiveMessage: (message) => void this.trace.push(`> ${short(message)}`),
          onDidSendMessage: (message) => void this.trace.push(`< ${short(message)}`),
          onError: (error) => void this.trace.push(`error ${error.message}`),
          onExit: (code, signal) => void this.trace.push(`exit ${code} ${signal}`),
        }),
      }),
    );
  }

  dispose(): void {
    for (const disposable of this.disposables) {
      disposable.dispose();
    }
  }

  /**
   * Asks the server for the configuration, starts the session and the run. Prompts for inputs
   * unless `extra` gives them (`inputs`, `inputsFile`, or a recorded `case`'s).
   */
  async debugWithInputs(document: vscode.TextDocument, extra: Partial<DebugArguments> = {}): Promise<unknown> {
    const given = extra.inputs !== undefined || extra.inputsFile !== undefined || extra.case !== undefined;
    if (given) {
      const client = await this.runs.requireClient();
      if (client === undefined || !(await this.runs.saved(document))) {
        return undefined;
      }
      const uri = client.code2ProtocolConverter.asUri(document.uri);
      return asExecutionResult(await this.debug(client, document, { ...extra, uri }));
    }
    const asked = await this.runs.askInputs(document, "scriptcontract: Debug with Inputs");
    if (asked === undefined) {
      return undefined;
    }
    const { client, uri, inputs } = asked;
    return asExecutionResult(await this.debug(client, document, { ...extra, uri, inputs }));
  }

  /**
   * "Debug case": the script (saved first when open) with the inputs of its case `name` in the
   * cases file `casesUri`; the server's answer, with the case's verdict (`case`), or undefined.
   */
  async debugCase(script: vscode.Uri, casesUri: string, name: string): Promise<DebugAnswer | undefined> {
    const client = await this.runs.requireClient();
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === script.toString());
    if (client === undefined || (open !== undefined && !(await this.runs.saved(open)))) {
      return undefined;
    }
    const document = open ?? (await vscode.workspace.openTextDocument(script));
    return (await this.debug(client, document, { uri: casesUri, case: name })) as DebugAnswer | undefined;
  }

  /** The session and its run; the run's answer (reported as a run's), or undefined. */
  private async debug(client: LanguageClient, document: vscode.TextDocument, args: DebugArguments): Promise<unknown> {
    this.active += 1;
    try {
      return await this.session(client, document, args);
    } finally {
      this.active -= 1;
      if (this.active === 0) {
        this.onIdle?.();
      }
    }
  }

  private async session(client: LanguageClient, document: vscode.TextDocument, args: DebugArguments): Promise<unknown> {
    const script = path.basename(document.uri.fsPath);
    let launch: LaunchConfiguration | undefined;
    try {
      launch = asLaunchConfiguration(await this.runs.execute(client, SERVER_COMMANDS.debugConfiguration, args));
    } catch (error) {
      const anyway = runAnywayOf(error);
      if (anyway !== undefined) {
        // Inputs the declared schema refuses: the same way out as a run's, a session anyway.
        const again = (): Promise<unknown> => this.debug(client, document, { ...args, ...anyway });
        this.runs.offerAnyway(cannotDebug(script, message(error)).text, again, "Debug Anyway");
        return undefined;
      }
      showCannotDebug(script, message(error));
      return undefined;
    }
    if (launch === undefined) {
      void vscode.window.showErrorMessage(
        `scriptcontract: cannot debug ${script}: the language server gave no launch configuration (is it up to date?)`,
      );
      return undefined;
    }
    this.sessions += 1;
    const id = `${process.pid}-${this.sessions}`;
    const cancel = new vscode.CancellationTokenSource();
    let session: vscode.DebugSession | undefined;
    const started = vscode.debug.onDidStartDebugSession((candidate) => {
      if ((candidate.configuration.scriptcontract as { id?: string } | undefined)?.id === id) {
        session = candidate;
        this.toConsole(launch.sandbox);
      }
    });
    let stopping: NodeJS.Timeout | undefined;
    const ended = vscode.debug.onDidTerminateDebugSession((candidate) => {
      if (candidate === session) {
        // A script that ended by itself ends the session too, and its result is on its way: the
        // run is cancelled only if it has not ended shortly after (the user stopped the session).
        stopping = setTimeout(() => cancel.cancel(), GRACE_MS);
      }
    });
    // The run connects to the adapter as soon as it listens, and the adapter answers `attach` only
    // once the script has connected: so the run is sent first, and the session started after.
    const answer = this.runs.execute(client, SERVER_COMMANDS.debugRun, launch.run, cancel.token);
    try {
      const folder = vscode.workspace.getWorkspaceFolder(document.uri);
      if (!(await vscode.debug.startDebugging(folder, sessionConfiguration(launch, id)))) {
        cancel.cancel();
      }
      const answered = await answer;
      const result = asExecutionResult(answered);
      if (result !== undefined) {
        // Reported as a run is (output, error, exit code, stderr, sandbox in "scriptcontract
        // runs"; diagnostics, status bar); the session is over, so the output is brought up.
        const root = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath;
        this.runs.report({ script, inputs: launch.inputs ?? args.inputs, result }, root);
        const verdict = caseVerdictLine((answered as DebugAnswer).case);
        if (verdict !== undefined) {
          this.toConsole(verdict);
        }
        void vscode.commands.executeCommand("scriptcontract.showOutput");
      }
      return answered;
    } catch (error) {
      if (!cancel.token.isCancellationRequested) {
        this.toConsole(`scriptcontract: debugging ${script} failed: ${message(error)}`);
        void vscode.window.showErrorMessage(`scriptcontract: debugging ${script} failed: ${message(error)}`);
      }
      return undefined;
    } finally {
      clearTimeout(stopping);
      started.dispose();
      ended.dispose();
      cancel.dispose();
    }
  }

  private toConsole(line: string): void {
    this.consoleLines.push(line);
    vscode.debug.activeDebugConsole.appendLine(line);
  }
}
