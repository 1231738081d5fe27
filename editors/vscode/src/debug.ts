/**
 * "Debug with inputs": a debug type of the extension's own, whose adapter is debugpy's, started
 * as the language server's launch configuration says (the interpreter that runs the server, the
 * debugpy installed with it). The script runs through the server, as a run does, connected to
 * that adapter; its result is reported exactly as a run's.
 */

import * as path from "node:path";

import * as vscode from "vscode";

import { DEBUG_TYPE, type LaunchConfiguration, asLaunchConfiguration, sessionConfiguration } from "./debugConfiguration";
import { asExecutionResult } from "./result";
import { type RunArguments, type Runs, SERVER_COMMANDS } from "./runs";

/** How long a run may go on after its session ended before it is cancelled. */
const GRACE_MS = 2000;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class Debugging implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private sessions = 0;
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

  /** Prompts for inputs, asks the server for the configuration, starts the session and the run. */
  async debugWithInputs(document: vscode.TextDocument, extra: Partial<RunArguments> = {}): Promise<unknown> {
    const asked = await this.runs.askInputs(document, "scriptcontract: Debug with Inputs");
    if (asked === undefined) {
      return undefined;
    }
    const { client, uri, inputs } = asked;
    const script = path.basename(document.uri.fsPath);
    let launch: LaunchConfiguration | undefined;
    try {
      launch = asLaunchConfiguration(
        await this.runs.execute(client, SERVER_COMMANDS.debugConfiguration, { ...extra, uri, inputs }),
      );
    } catch (error) {
      void vscode.window.showErrorMessage(`scriptcontract: cannot debug ${script}: ${message(error)}`);
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
      const result = asExecutionResult(await answer);
      if (result !== undefined) {
        // Reported as a run is (output, error, exit code, stderr, sandbox in "scriptcontract
        // runs"; diagnostics, status bar); the session is over, so the output is brought up.
        const root = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath;
        this.runs.report({ script, inputs: launch.inputs ?? inputs, result }, root);
        void vscode.commands.executeCommand("scriptcontract.showOutput");
      }
      return result;
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
