/** Starts, stops and restarts the language client, after checking that its interpreter can run it. */

import { execFile } from "node:child_process";

import * as vscode from "vscode";
import {
  type ConfigurationParams,
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  type Middleware,
  RevealOutputChannelOn,
  type ServerOptions,
  State,
} from "vscode-languageclient/node";

import { SECTION, clientSetting, initializationOptions, settingsFor } from "./configuration";
import {
  type InterpreterChoice,
  chooseInterpreter,
  parseProbe,
  probeFailure,
  startProblem,
} from "./interpreter";
import { importStrategy, probeProcess, serverProcess } from "./launch";
import { lookUpProgram, refusedMessage } from "./pathLookup";
import { selectedInterpreter } from "./pythonExtension";
import { RunOutcomesFeature } from "./runOutcomes";

const PROBE_TIMEOUT_MS = 30_000;

/** Runs the probe; resolves with the message to show when the server cannot start, else undefined. */
function probe(
  choice: InterpreterChoice,
  extensionPath: string,
  strategy: ReturnType<typeof importStrategy>,
  version: string,
): Promise<string | undefined> {
  const spec = probeProcess(choice.command, extensionPath, strategy);
  return new Promise((resolve) => {
    execFile(spec.command, spec.args, { timeout: PROBE_TIMEOUT_MS }, (error, stdout, stderr) => {
      const probed = parseProbe(stdout);
      if (probed !== undefined) {
        resolve(startProblem(choice, probed, strategy, version));
        return;
      }
      const code = (error as NodeJS.ErrnoException | null)?.code;
      resolve(probeFailure(choice, { code: code ?? (error ? "failed" : undefined), stderr, stdout }));
    });
  });
}

/** How long settings are left to settle before a restart is decided. */
const SETTLE_MS = 300;

function launchKey(launch: { choice: InterpreterChoice; strategy: string }): string {
  return `${launch.choice.command}, ${launch.strategy}`;
}

export class ServerController implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private startedWith: string | undefined;
  private starting: Promise<void> | undefined;
  private readonly stateEmitter = new vscode.EventEmitter<string>();
  /** Fires with a short description of the server's state ("running", "stopped", a problem). */
  readonly onDidChangeState = this.stateEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly middleware: Middleware,
  ) {}

  /** The running client, or undefined while it starts or when it could not. */
  get running(): LanguageClient | undefined {
    return this.client?.state === State.Running ? this.client : undefined;
  }

  /** The running client, waiting for a start in progress; undefined when there is none. */
  async ready(): Promise<LanguageClient | undefined> {
    await this.starting;
    return this.running;
  }

  start(): Promise<void> {
    this.starting = this.startOnce().catch((error: unknown) => {
      const message = `scriptcontract: the language server did not start: ${String(error)}`;
      this.log.error(message);
      this.stateEmitter.fire("failed to start");
      void this.showProblem(message);
    });
    return this.starting;
  }

  /**
   * After a change of the settings that decide how the server starts: restarts it if what they
   * decide (interpreter, import strategy) differs from what it was started with. Read again after
   * a moment: starting a debug session makes code-server report a change while, for an instant,
   * the user's settings read as unset (which restarted the server, and ended the debug run).
   */
  async restartIfChanged(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    if (this.restartsHeld()) {
      // A restart would end the debug run (code-server can also report the settings unset for
      // longer than SETTLE_MS when a session starts): decided again once the sessions are over.
      this.restartWaits = true;
      this.log.info("settings changed during a debug session: the server is not restarted before it ends");
      return;
    }
    const wanted = launchKey(await this.launchChoice());
    if (this.client !== undefined && wanted === this.startedWith) {
      this.log.info(`settings changed, not how the server starts (${wanted}): not restarted`);
      return;
    }
    await this.restart();
  }

  /** While this says so (a debug run is going on), a restart waits for `released()`. */
  restartsHeld: () => boolean = () => false;
  private restartWaits = false;

  /** What held restarts is over: a restart that waited is decided now. */
  async released(): Promise<void> {
    if (this.restartWaits) {
      this.restartWaits = false;
      await this.restartIfChanged();
    }
  }

  async restart(): Promise<void> {
    await this.starting;
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) {
      try {
        await client.dispose();
      } catch (error) {
        this.log.warn(`stopping the language server: ${String(error)}`);
      }
    }
    this.stateEmitter.fire("stopped");
  }

  /** Tells the server that settings changed; it reads them again through workspace/configuration. */
  async settingsChanged(): Promise<void> {
    await this.running?.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { [SECTION]: settingsFor(undefined) },
    });
  }

  dispose(): void {
    void this.stop();
    this.stateEmitter.dispose();
  }

  private async launchChoice(): Promise<{ choice: InterpreterChoice; strategy: ReturnType<typeof importStrategy> }> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const setting = clientSetting<string>("interpreter", folder);
    const choice = chooseInterpreter({
      setting,
      pythonExtension: setting ? undefined : await selectedInterpreter(folder),
      workspaceFolder: folder?.fsPath,
    });
    return { choice, strategy: importStrategy(clientSetting<string>("importStrategy", folder)) };
  }

  private async startOnce(): Promise<void> {
    const launch = await this.launchChoice();
    const { strategy } = launch;
    this.startedWith = launchKey(launch);
    const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
    const found = lookUpProgram(launch.choice.command, process.env.PATH, folders);
    if (found.kind === "refused") {
      const how =
        "Set scriptcontract.interpreter to the full path of the Python to use (one no run can write).";
      const problem = refusedMessage(launch.choice.command, found, how);
      this.log.error(problem);
      this.stateEmitter.fire("cannot start");
      void this.showProblem(problem);
      return;
    }
    // Started by the path found, so the program checked is the one started.
    const choice = found.kind === "found" ? { ...launch.choice, command: found.command } : launch.choice;
    const extensionPath = this.context.extensionPath;
    // Named as the user named it (the log's readers, the e2e scenarios, match on that), then
    // where PATH found it.
    const where = choice.command === launch.choice.command ? "" : ` at ${choice.command}`;
    this.log.info(
      `interpreter: ${launch.choice.command} (${choice.source})${where}; import strategy: ${strategy}`,
    );
    const version = String(this.context.extension.packageJSON.version);
    const problem = await probe(choice, extensionPath, strategy, version);
    if (problem !== undefined) {
      this.log.error(problem);
      this.stateEmitter.fire("cannot start");
      void this.showProblem(problem);
      return;
    }
    const spec = serverProcess(choice.command, extensionPath, strategy);
    const serverOptions: ServerOptions = { command: spec.command, args: spec.args };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: "file", language: "python" },
        { scheme: "untitled", language: "python" },
        // Recorded cases (caseTests.ts): checked, with their code lenses and actions.
        { scheme: "file", language: "json", pattern: "**/*.cases.json" },
        // A script's inputs file: its keys checked against the script's schema, and completed.
        { scheme: "file", language: "json", pattern: "**/*.inputs.json" },
      ],
      outputChannel: this.log,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      initializationOptions: initializationOptions(),
      middleware: { ...this.middleware, workspace: { configuration: answerConfiguration } },
    };
    const client = new LanguageClient(SECTION, "scriptcontract", serverOptions, clientOptions);
    client.registerFeature(new RunOutcomesFeature());
    this.client = client;
    client.onDidChangeState((event) => {
      this.stateEmitter.fire(event.newState === State.Running ? "running" : "stopped");
    });
    await client.start();
  }

  private async showProblem(message: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(message, "Open Settings", "Show Log");
    if (choice === "Open Settings") {
      await vscode.commands.executeCommand("workbench.action.openSettings", "scriptcontract.interpreter");
    } else if (choice === "Show Log") {
      this.log.show();
    }
  }
}

/**
 * Answers the server's workspace/configuration requests for the `scriptcontract` section with the
 * settings the user set, leaving defaults out (see settings.ts); other sections go to VS Code.
 */
async function answerConfiguration(
  params: ConfigurationParams,
  token: vscode.CancellationToken,
  next: (params: ConfigurationParams, token: vscode.CancellationToken) => unknown,
): Promise<unknown[]> {
  const fromVsCode = await Promise.resolve(next(params, token));
  const values = Array.isArray(fromVsCode) ? fromVsCode : [];
  return params.items.map((item, index) =>
    item.section === SECTION
      ? settingsFor(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)
      : (values[index] ?? null),
  );
}
