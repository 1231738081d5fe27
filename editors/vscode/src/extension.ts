/** The extension's entry point: wires settings, commands, the status bar and the language client. */

import * as vscode from "vscode";
import type { Middleware } from "vscode-languageclient/node";

import { CaseTests, RUN_CASES } from "./caseTests";
import { SECTION } from "./configuration";
import { Debugging } from "./debug";
import { EXPLORE_COMMAND, exploreScript } from "./explore";
import { withoutDuplicateSyntaxErrors } from "./jsonSyntax";
import { type LastRun, RUN_ANYWAY_COMMAND, type RunArguments, Runs, SERVER_COMMANDS } from "./runs";
import { onInterpreterChange } from "./pythonExtension";
import { ServerController } from "./server";
import { NEW_SCRIPT_COMMAND, newScript } from "./newScript";
import { needsRestart } from "./settings";
import { startTestHook } from "./testHook";
import { USE_PYTHON_COMMAND } from "./pythonOffer";
import { usePython } from "./usePython";

let controller: ServerController | undefined;

/** The Python document a palette command acts on: the argument's, else the active editor's. */
async function targetDocument(resource?: unknown): Promise<vscode.TextDocument | undefined> {
  if (resource instanceof vscode.Uri) {
    return vscode.workspace.openTextDocument(resource);
  }
  const document = vscode.window.activeTextEditor?.document;
  if (document === undefined || document.languageId !== "python") {
    void vscode.window.showWarningMessage("scriptcontract: open a Python workflow script first.");
    return undefined;
  }
  return document;
}

/** `withoutDuplicateSyntaxErrors` for a document, with VS Code's JSON validation setting. */
function withoutDuplicates(uri: vscode.Uri, diagnostics: vscode.Diagnostic[]): vscode.Diagnostic[] {
  const document = vscode.workspace.textDocuments.find((open) => open.uri.toString() === uri.toString());
  const validated = vscode.workspace.getConfiguration("json", uri).get<boolean>("validate.enable", true);
  return withoutDuplicateSyntaxErrors(diagnostics, document?.languageId ?? "", validated);
}

async function documentFor(uri: string): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel("scriptcontract", { log: true });
  const runOutput = vscode.window.createOutputChannel("scriptcontract runs");
  const status = vscode.window.createStatusBarItem("scriptcontract.status", vscode.StatusBarAlignment.Left, 50);
  status.name = "scriptcontract";
  status.text = "$(play) scriptcontract";
  status.tooltip = "scriptcontract: no run yet. Click for the runs' output.";
  status.command = "scriptcontract.showOutput";
  status.show();

  let runs: Runs | undefined;
  let debugging: Debugging | undefined;
  let cases: CaseTests | undefined;
  // Fires once the server has read the settings again (its workspace/configuration answered).
  const settingsRead = new vscode.EventEmitter<void>();
  const nextSettingsRead = (): Promise<void> =>
    new Promise((resolve) => {
      const once = settingsRead.event(() => {
        once.dispose();
        resolve();
      });
    });
  // The "Run with inputs" code action and code lens carry scriptcontract.run; intercepting it
  // here lets them prompt exactly like the palette command, which then sends runNow.
  const middleware: Middleware = {
    executeCommand: async (command, args, next) => {
      const first = (args[0] ?? {}) as Partial<RunArguments>;
      if (command === SERVER_COMMANDS.run && runs !== undefined && typeof first.uri === "string") {
        const { uri: _uri, ...extra } = first;
        return runs.promptAndRun(await documentFor(first.uri), extra);
      }
      if (command === SERVER_COMMANDS.debug && debugging !== undefined && typeof first.uri === "string") {
        const { uri: _uri, ...extra } = first;
        return debugging.debugWithInputs(await documentFor(first.uri), extra);
      }
      // "Use .venv/bin/python for runs": only the editor can set its settings.
      if (command === USE_PYTHON_COMMAND && runs !== undefined) {
        const rerun = runs;
        return usePython(args[0], nextSettingsRead, (document) => rerun.runAgain(document));
      }
      // The cases' lenses and actions run as test runs: the Test Explorer shows their outcome.
      if (command === RUN_CASES && (await cases?.runFromEditor(first))) {
        return undefined;
      }
      return next(command, args);
    },
    workspace: {
      configuration: async (params, token, next) => {
        const answer = await next(params, token);
        // After the answer has gone: a run sent on this event then comes after it.
        setTimeout(() => settingsRead.fire(), 0);
        return answer;
      },
    },
    handleDiagnostics: (uri, diagnostics, next) => next(uri, withoutDuplicates(uri, diagnostics)),
    provideDiagnostics: async (document, previousResultId, token, next) => {
      const report = await next(document, previousResultId, token);
      if (report?.kind !== "full") {
        return report;
      }
      const uri = document instanceof vscode.Uri ? document : document.uri;
      return { ...report, items: withoutDuplicates(uri, report.items) };
    },
  };

  controller = new ServerController(context, log, middleware);
  runs = new Runs(() => controller?.ready() ?? Promise.resolve(undefined), runOutput, status);
  debugging = new Debugging(runs);
  // A restart of the server ends a debug run: one the settings ask for waits for its end.
  controller.restartsHeld = () => (debugging?.active ?? 0) > 0;
  debugging.onIdle = () => void controller?.released();
  let serverState = "starting";
  let lastRun: LastRun | undefined;
  context.subscriptions.push(
    settingsRead,
    log,
    runOutput,
    status,
    controller,
    runs,
    debugging,
    controller.onDidChangeState((state) => {
      serverState = state;
    }),
    runs.onDidRun((run) => {
      lastRun = run;
    }),
  );

  const register = (id: string, handler: (...args: unknown[]) => unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, handler));
  };
  register("scriptcontract.runWithInputs", async (resource?: unknown) => {
    const document = await targetDocument(resource);
    return document && runs?.promptAndRun(document);
  });
  register("scriptcontract.runWithInputsFile", async (resource?: unknown, inputsFile?: unknown) => {
    const document = await targetDocument(resource);
    return document && runs?.runWithFile(document, typeof inputsFile === "string" ? inputsFile : undefined);
  });
  register("scriptcontract.debugWithInputs", async (resource?: unknown) => {
    const document = await targetDocument(resource);
    return document && debugging?.debugWithInputs(document);
  });
  register("scriptcontract.createInputsFile", async (resource?: unknown) => {
    const document = await targetDocument(resource);
    return document && runs?.createInputs(document);
  });
  register(EXPLORE_COMMAND, async (resource?: unknown) => {
    const document = await targetDocument(resource);
    return document && exploreScript(await controller?.ready(), document);
  });
  register(RUN_ANYWAY_COMMAND, () => runs?.runAnyway());
  register(NEW_SCRIPT_COMMAND, () => newScript(() => controller?.ready() ?? Promise.resolve(undefined)));
  register("scriptcontract.showOutput", () => runOutput.show(true));
  register("scriptcontract.showLog", () => log.show(true));
  register("scriptcontract.restartServer", () => controller?.restart());

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(SECTION)) {
        return;
      }
      if (needsRestart((section) => event.affectsConfiguration(section))) {
        void controller?.restartIfChanged();
      } else {
        void controller?.settingsChanged();
      }
    }),
  );
  const interpreterListener = await onInterpreterChange(() => {
    if (!vscode.workspace.getConfiguration(SECTION).get<string>("interpreter")) {
      void controller?.restart();
    }
  });
  if (interpreterListener !== undefined) {
    context.subscriptions.push(interpreterListener);
  }

  cases = new CaseTests(
    () => controller?.ready() ?? Promise.resolve(undefined),
    (script, casesUri, name) => debugging?.debugCase(script, casesUri, name) ?? Promise.resolve(undefined),
    (message, again) => runs?.offerAnyway(message, again),
  );
  context.subscriptions.push(cases);

  const hook = startTestHook(() => ({
    serverState,
    status: status.text,
    statusBackground: runs?.statusBackground,
    statusCommand: typeof status.command === "string" ? status.command : status.command?.command,
    lastRun,
    debugConsole: debugging?.consoleLines,
    debugTrace: debugging?.trace,
  }));
  if (hook !== undefined) {
    debugging.traceSessions();
    context.subscriptions.push(hook);
  }
  await controller.start();
  void cases.discover();
}

export async function deactivate(): Promise<void> {
  await controller?.stop();
}
