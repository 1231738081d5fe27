/**
 * End-to-end test of the packaged extension in real VS Code: code-server in Debian's Chromium,
 * driven by playwright-core. Run through e2e/run.sh, which installs what it needs and sets:
 *   CODE_SERVER  code-server's entry.js        VSIX       the .vsix to install
 *   E2E_ARTIFACTS  where screenshots go        E2E_PYTHON the interpreter for the server (optional)
 * Assertions read the extension's test-hook file (SCRIPTCONTRACT_E2E_STATE): what the user would
 * see, without depending on VS Code's DOM for anything but the clicks and keys.
 */

import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

import { probeServer, serverCommands } from "./lspProbe.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const extensionDir = path.dirname(here);
const repo = path.resolve(extensionDir, "..", "..");
const codeServer = process.env.CODE_SERVER;
const vsix = process.env.VSIX ?? path.join(extensionDir, "scriptcontract.vsix");
const artifacts = process.env.E2E_ARTIFACTS ?? path.join(here, "artifacts");
const python = process.env.E2E_PYTHON ?? "python3";
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];
const WAIT_MS = 60_000;
const RUN_TIMEOUT_MS = 6_000;
// When set, the screenshots the editor docs show are written there too (docs/editors/images).
const docsImages = process.env.SCRIPTCONTRACT_DOCS_IMAGES;
const WAITS_FOREVER_SCRIPT = "wait_for_service.py";
const WAITS_FOREVER = `#!/usr/bin/env python3
"""Waits for a service that never answers: only the timeout, or a cancel, ends it."""
import json
import sys
import time

inputs = json.load(sys.stdin)
while True:
    time.sleep(0.2)  # polls the service
print(json.dumps({"success": True}))
`;

const BROKEN = "broken_debug_print.py";
let work;
let workspace;
let stateFile;
let codeServerProcess;
let codeServerLog = "";
let browser;
let page;
let capabilities;
let serverProblem;
let shot = 0;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

function readState() {
  try {
    return JSON.parse(readFileSync(stateFile, "utf8"));
  } catch {
    return undefined;
  }
}

/** Polls the test-hook state until `predicate` returns something truthy; fails with `what`. */
async function waitForState(what, predicate, timeoutMs = WAIT_MS) {
  const deadline = Date.now() + timeoutMs;
  let state;
  while (Date.now() < deadline) {
    state = readState();
    const value = state && predicate(state);
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await screenshot(`timeout-${what.replace(/\W+/g, "-")}`);
  assert.fail(`timed out waiting for ${what}; last state: ${JSON.stringify(state, null, 1)?.slice(0, 3000)}`);
}

/** The inlay hint a successful run left in `fileName` ("✓ 35 ms: {...}"), if any. */
function successHint(state, fileName) {
  return (state.inlayHints ?? []).find((hint) => path.basename(hint.path) === fileName && hint.label.startsWith("✓"));
}

function diagnosticsOf(state, fileName, source) {
  const entry = state.diagnostics.find((item) => path.basename(item.path) === fileName);
  return (entry?.diagnostics ?? []).filter((diagnostic) => diagnostic.source === source);
}

async function screenshot(name, { docs } = {}) {
  if (page === undefined) return;
  shot += 1;
  await page
    .screenshot({ path: path.join(artifacts, `${String(shot).padStart(2, "0")}-${name}.png`) })
    .catch(() => {});
  if (docs && docsImages) {
    mkdirSync(docsImages, { recursive: true });
    await page.screenshot({ path: path.join(docsImages, `${docs}.png`) });
  }
}

/** Runs a palette command by its title (as "scriptcontract: Run with Inputs…" reads). */
async function paletteCommand(title) {
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  await input.fill(`>${title}`);
  const rows = page.locator(".quick-input-list .monaco-list-row");
  await rows.filter({ hasText: title }).first().waitFor();
  // Fuzzy matching also lists longer titles ("…Inputs File…"): pick the exact one.
  const labels = await rows.locator(".label-name").allInnerTexts();
  const index = labels.findIndex((label) => label.trim() === title);
  assert.ok(index >= 0, `no palette command titled ${title}: ${JSON.stringify(labels)}`);
  for (let step = 0; step < index; step += 1) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
}

async function openFile(fileName) {
  await page.keyboard.press("Control+P");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  await input.fill(fileName);
  const rows = page.locator(".quick-input-list .monaco-list-row");
  await rows.filter({ hasText: fileName }).first().waitFor();
  // Quick Open also lists other files (hello.inputs.json for hello.py): pick the exact one.
  const labels = await rows.locator(".label-name").allInnerTexts();
  const index = labels.findIndex((label) => label.trim() === fileName);
  for (let step = 0; step < index; step += 1) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.locator(".tab.active", { hasText: fileName }).waitFor();
  await page.locator(".editor-instance .monaco-editor .view-lines").first().click();
}

/** Presses Ctrl+S until `done()` holds (a key press can be lost while a widget closes). */
async function saveUntil(done, what) {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    await page.keyboard.press("Control+S");
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) {
      if (done()) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  await screenshot(`timeout-${what.replace(/\W+/g, "-")}`);
  assert.fail(`timed out waiting for ${what}`);
}

async function goToPosition(line, character) {
  await page.keyboard.press("Control+G");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  await input.fill(`:${line + 1}:${character + 1}`);
  await page.keyboard.press("Enter");
}

/**
 * A breakpoint on hello.py's `return {` line, whether an earlier scenario left one there or
 * not. Asks VS Code's own list (the test hook's snapshot), not the editor's gutter: F9
 * toggles, and pressed over a breakpoint the gutter had not drawn yet it removed it.
 */
async function breakpointOnHelloReturn() {
  await openFile("hello.py");
  const line = lineOf("hello.py", "return {");
  const there = (state) =>
    (state.breakpoints ?? []).some((b) => path.basename(b.path) === "hello.py" && b.line === line && b.enabled);
  // A snapshot written from now on (one every 500 ms), so that it lists what VS Code holds.
  const seen = readState()?.writes ?? 0;
  const fresh = await waitForState("a fresh test-hook snapshot", (state) => state.writes > seen && state);
  if (!there(fresh)) {
    await goToPosition(line, 4);
    await page.keyboard.press("F9");
    await waitForState("the breakpoint on hello.py's `return {` line", there);
  }
}

/** The run prompt: waits for the input box, returns its pre-filled value. */
async function runPrompt() {
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  await page.locator(".quick-input-widget", { hasText: "Inputs for" }).waitFor();
  return input.inputValue();
}

function skipUnless(t, condition, reason) {
  if (serverProblem !== undefined) {
    t.skip(`the language server is not in this build yet: ${serverProblem}`);
    return true;
  }
  if (!condition) {
    t.skip(reason);
    return true;
  }
  return false;
}

/** A test whose failure leaves a screenshot of the moment it failed. */
function scenario(name, body) {
  test(name, async (t) => {
    try {
      await body(t);
    } catch (error) {
      await screenshot(`failed-${name.slice(0, 40).replace(/\W+/g, "-")}`);
      throw error;
    }
  });
}

before(async () => {
  assert.ok(codeServer && existsSync(codeServer), "CODE_SERVER must name code-server's entry.js (use e2e/run.sh)");
  assert.ok(existsSync(vsix), `no .vsix at ${vsix}: build it first (npm run package)`);
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  work = mkdtempSync(path.join(tmpdir(), "scriptcontract-e2e-"));
  workspace = path.join(work, "project");
  cpSync(path.join(repo, "examples"), workspace, { recursive: true });
  // A script that runs until its timeout or a cancel (Quick Open lists files there at start).
  writeFileSync(path.join(workspace, "scripts", WAITS_FOREVER_SCRIPT), WAITS_FOREVER);
  stateFile = path.join(work, "state.json");

  // What the server can do decides which steps can run; the probe uses the bundled launcher,
  // exactly as the extension will.
  const launcher = path.join(extensionDir, "bundled", "tool", "serve.py");
  const probe = await probeServer(python, ["-I", launcher], { cwd: workspace });
  capabilities = probe.capabilities;
  serverProblem = probe.problem;

  const userData = path.join(work, "user-data");
  const extensions = path.join(work, "extensions");
  mkdirSync(path.join(userData, "User"), { recursive: true });
  writeFileSync(
    path.join(userData, "User", "settings.json"),
    JSON.stringify(
      {
        "workbench.startupEditor": "none",
        "workbench.tips.enabled": false,
        "workbench.enableExperiments": false,
        "workbench.welcomePage.walkthroughs.openOnInstall": false,
        "security.workspace.trust.enabled": false,
        "telemetry.telemetryLevel": "off",
        "extensions.autoCheckUpdates": false,
        "extensions.autoUpdate": false,
        "update.mode": "none",
        "chat.disableAIFeatures": true,
        "editor.codeLens": true,
        "editor.lightbulb.enabled": "on",
        // Hovers below their line, so the docs' screens show the lines above a failure.
        "editor.hover.above": false,
        "files.autoSave": "off",
        "scriptcontract.interpreter": python,
        // Short, for the timeout scenario; the other runs take well under a second.
        "scriptcontract.run.timeoutMs": RUN_TIMEOUT_MS,
      },
      null,
      2,
    ),
  );
  // The interpreter is a machine-overridable setting: in a remote window (code-server is one) the
  // user's settings stop applying it once the configuration is reloaded, as starting a debug
  // session does; the machine's settings keep it (else the server restarts with python3).
  mkdirSync(path.join(userData, "Machine"), { recursive: true });
  writeFileSync(path.join(userData, "Machine", "settings.json"), JSON.stringify({ "scriptcontract.interpreter": python }, null, 2));
  const common = ["--user-data-dir", userData, "--extensions-dir", extensions];
  const install = spawnSync(process.execPath, [codeServer, ...common, "--install-extension", vsix], {
    encoding: "utf8",
  });
  assert.equal(install.status, 0, `installing the .vsix failed:\n${install.stdout}\n${install.stderr}`);

  const port = await freePort();
  const config = path.join(work, "code-server.yaml");
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  codeServerProcess = spawn(
    process.execPath,
    [
      codeServer,
      ...common,
      "--config",
      config,
      "--disable-telemetry",
      "--disable-update-check",
      "--disable-workspace-trust",
      "--disable-getting-started-override",
      workspace,
    ],
    { env: { ...process.env, SCRIPTCONTRACT_E2E_STATE: stateFile }, stdio: ["ignore", "pipe", "pipe"] },
  );
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start:\n${codeServerLog}`)), WAIT_MS);
    const listen = (chunk) => {
      codeServerLog += chunk.toString();
      if (codeServerLog.includes("HTTP server listening")) {
        clearTimeout(timer);
        resolve();
      }
    };
    codeServerProcess.stdout.on("data", listen);
    codeServerProcess.stderr.on("data", listen);
    codeServerProcess.on("exit", (code) => reject(new Error(`code-server exited (${code}):\n${codeServerLog}`)));
  });

  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_FLAGS });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator(".monaco-workbench").waitFor({ timeout: WAIT_MS });
  await screenshot("workbench");
});

/**
 * Removes the throwaway profile and workspace. The extension host can outlive code-server for a
 * few seconds (deactivating), its test hook writing the state file meanwhile: retried until then.
 */
async function removeWork() {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      rmSync(work, { recursive: true, force: true });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

after(async () => {
  await browser?.close();
  if (codeServerProcess && codeServerProcess.exitCode === null) {
    // Wait for it to go: it writes its logs into `work` until it exits.
    const exited = new Promise((resolve) => codeServerProcess.once("exit", resolve));
    codeServerProcess.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  }
  // E2E_KEEP: keep the workspace and code-server's logs to look at.
  if (work && !process.env.E2E_KEEP) await removeWork();
});

scenario("the extension starts its bundled server with the chosen interpreter", async (t) => {
  if (skipUnless(t, true, "")) return;
  await waitForState("the server to run", (state) => state.serverState === "running");
});

scenario("a broken script from examples/ shows its contract diagnostics", async (t) => {
  if (skipUnless(t, true, "")) return;
  await openFile(BROKEN);
  const diagnostics = await waitForState(`scriptcontract diagnostics on ${BROKEN}`, (state) => {
    const found = diagnosticsOf(state, BROKEN, "scriptcontract");
    return found.length > 0 && found;
  });
  await screenshot("diagnostics");
  for (const diagnostic of diagnostics) {
    assert.match(String(diagnostic.code), /^SCR\d{3}$/, JSON.stringify(diagnostic));
  }
});

scenario("a quick fix from the light bulb menu applies and its diagnostic goes away", async (t) => {
  if (skipUnless(t, capabilities?.codeActionProvider, "the server offers no code actions yet")) return;
  await openFile(BROKEN);
  const before = await waitForState("lint diagnostics", (state) => {
    const found = diagnosticsOf(state, BROKEN, "scriptcontract");
    return found.length > 0 && found;
  });
  // The example's point: the debug print on stdout, which has a fix.
  const file = path.join(workspace, "scripts", BROKEN);
  const textBefore = readFileSync(file, "utf8");
  const printLine = textBefore.split("\n").findIndex((line) => line.startsWith('print("Starting'));
  const target = before.find((diagnostic) => diagnostic.range.start.line === printLine);
  assert.ok(target, `no diagnostic on the debug print (line ${printLine + 1}): ${JSON.stringify(before)}`);
  await goToPosition(target.range.start.line, target.range.start.character);
  await page.keyboard.press("Control+.");
  const rows = page.locator(".action-widget .monaco-list-row.action");
  await rows.first().waitFor();
  await screenshot("quick-fix-menu");
  const titles = await rows.allInnerTexts();
  const index = titles.findIndex((title) => !/^(Ignore|Run with|Create inputs)/i.test(title.trim()));
  assert.ok(index >= 0, `no quick fix offered for ${JSON.stringify(target)}; menu: ${JSON.stringify(titles)}`);
  // The menu sits under a pointer-blocking overlay: choose with the keys, as users do.
  for (let step = 0; step < index; step += 1) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  // The diagnostics follow the edit as typed, before any save.
  await waitForState("the fixed diagnostic to go away", (state) => {
    const now = diagnosticsOf(state, BROKEN, "scriptcontract");
    return !now.some(
      (diagnostic) => diagnostic.code === target.code && diagnostic.range.start.line === target.range.start.line,
    );
  });
  // On a loaded machine a Ctrl+S sent while the menu is still closing is lost: save until it is on disk.
  await saveUntil(() => readFileSync(file, "utf8") !== textBefore, "the quick fix in the saved file");
  await screenshot("quick-fix-applied");
});

scenario("Run with Inputs… prompts pre-filled and publishes the run's diagnostics", async (t) => {
  const commands = serverCommands(capabilities);
  if (skipUnless(t, commands.has("scriptcontract.runNow") && commands.has("scriptcontract.inputsTemplate"), "the server has no scriptcontract.runNow / scriptcontract.inputsTemplate yet")) return;
  await openFile(BROKEN);
  await paletteCommand("scriptcontract: Run with Inputs…");
  const value = await runPrompt();
  assert.equal(typeof JSON.parse(value), "object", `the prompt's text is not a JSON object: ${value}`);
  await screenshot("run-prompt");
  // Typing invalid JSON is refused as you type.
  const input = page.locator(".quick-input-widget input");
  await input.fill('{"numbers": [1, 2');
  // What is wrong, in words and with where (the server says it; not the parser's state).
  const problem = "Not valid JSON: a comma or a closing bracket is missing at column 18 (the text ends there).";
  await page.locator(".quick-input-widget .quick-input-message", { hasText: problem }).waitFor();
  await screenshot("run-prompt-invalid");
  await input.fill('{"numbers": [4, 5, 6]}');
  await page.keyboard.press("Enter");
  const runDiagnostics = await waitForState("run diagnostics", (state) => {
    const found = diagnosticsOf(state, BROKEN, "scriptcontract-run");
    return state.lastRun?.script === BROKEN && found.length > 0 && found;
  });
  await page.keyboard.press("Control+Shift+M"); // the Problems panel, for the screenshot
  await page.locator(".markers-panel").first().waitFor();
  await screenshot("run-result");
  assert.ok(runDiagnostics.length > 0);
  const state = readState();
  assert.deepEqual(state.lastRun.inputs, { numbers: [4, 5, 6] });
  assert.match(state.status, new RegExp(BROKEN.replace(".", "\\.")));
});

scenario("the code lens prompts too, pre-filled from the script's inputs file", async (t) => {
  const commands = serverCommands(capabilities);
  if (skipUnless(t, capabilities?.codeLensProvider && commands.has("scriptcontract.runNow"), "the server has no code lens / scriptcontract.runNow yet")) return;
  await openFile("hello.py");
  const lens = page.locator(".contentWidgets .codelens-decoration a", { hasText: "Run with inputs" });
  await lens.first().waitFor({ timeout: WAIT_MS });
  await lens.first().click();
  const value = await runPrompt();
  const sidecar = JSON.parse(readFileSync(path.join(workspace, "scripts", "hello.inputs.json"), "utf8"));
  assert.deepEqual(JSON.parse(value), sidecar);
  await page.keyboard.press("Enter");
  const result = await waitForState("the hello.py run", (state) => state.lastRun?.script === "hello.py" && state.lastRun.result);
  await waitForState("hello.py's success beside its entry line", (state) => successHint(state, "hello.py"));
  await screenshot("lens-run-result");
  assert.equal(result.success, true, JSON.stringify(result));
  assert.deepEqual(result.output, { success: true, message: "Hello, Lighthouse!" });
  assert.match(readState().status, /hello\.py/);
});

scenario("Run with Inputs… offers the inputs file as edited, not its older text on disk", async (t) => {
  const commands = serverCommands(capabilities);
  if (skipUnless(t, commands.has("scriptcontract.runNow") && commands.has("scriptcontract.inputsTemplate"), "the server has no scriptcontract.runNow / scriptcontract.inputsTemplate yet")) return;
  const script = path.join(workspace, "scripts", "greet_edited.py");
  const inputsFile = path.join(workspace, "scripts", "greet_edited.inputs.json");
  writeFileSync(script, GREET_SCRIPT);
  writeFileSync(inputsFile, '{"name": "On disk"}\n');
  await openNewFile(inputsFile);
  await goToPosition(0, '{"name": "'.length);
  await page.keyboard.type("Edited ");
  await page.locator(".tab.active.dirty", { hasText: "greet_edited.inputs.json" }).waitFor();
  await openNewFile(script);
  await paletteCommand("scriptcontract: Run with Inputs…");
  const value = await runPrompt();
  assert.deepEqual(JSON.parse(value), { name: "Edited On disk" });
  await page.keyboard.press("Enter");
  const result = await waitForState("the greet_edited.py run", (state) => state.lastRun?.script === "greet_edited.py" && state.lastRun.result);
  assert.deepEqual(result.output, { success: true, message: "Hello Edited On disk" });
  // Saved first, as the script is: what ran is the file's text.
  assert.deepEqual(JSON.parse(readFileSync(inputsFile, "utf8")), { name: "Edited On disk" });
});

scenario("an inputs file that is not valid JSON is named in the prompt, not taken for {}", async (t) => {
  const commands = serverCommands(capabilities);
  if (skipUnless(t, commands.has("scriptcontract.inputsTemplate"), "the server has no scriptcontract.inputsTemplate yet")) return;
  const sidecar = path.join(workspace, "scripts", "hello.inputs.json");
  const original = readFileSync(sidecar, "utf8");
  writeFileSync(sidecar, "{not json\n");
  try {
    await openFile("hello.py");
    await paletteCommand("scriptcontract: Run with Inputs…");
    assert.equal(await runPrompt(), "{}");
    const prompt = page.locator(".quick-input-widget .quick-input-message", { hasText: "not pre-filled" });
    await prompt.waitFor({ timeout: WAIT_MS });
    assert.match(await prompt.innerText(), /not pre-filled: scripts\/hello\.inputs\.json is not valid JSON: /);
    await screenshot("run-prompt-broken-inputs-file");
    await page.keyboard.press("Escape");
  } finally {
    writeFileSync(sidecar, original);
  }
});

scenario("an untitled script is refused with what to do, by every command, without a save dialog", async (t) => {
  const commands = serverCommands(capabilities);
  if (skipUnless(t, commands.has("scriptcontract.createInputs") && commands.has("scriptcontract.explore"), "the server has no scriptcontract.createInputs / scriptcontract.explore yet")) return;
  await page.keyboard.press("Control+N");
  await page.locator(".tab.active", { hasText: "Untitled" }).waitFor();
  await paletteCommand("Change Language Mode");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  await input.fill("Python");
  await page.locator(".quick-input-list .monaco-list-row", { hasText: "Python" }).first().waitFor();
  await page.keyboard.press("Enter");
  await page.locator(".monaco-editor .view-lines").first().click();
  await page.keyboard.type("import json");
  const toast = (text) => page.locator(".notifications-toasts .notification-list-item-message", { hasText: text });
  for (const [title, why] of [
    ["scriptcontract: Create Inputs File", "save the script first: its inputs file goes beside it."],
    ["scriptcontract: Explore with Generated Inputs", "save the script first: the runs use the file on disk."],
    ["scriptcontract: Run with Inputs…", "save the script first: a run executes the file on disk."],
  ]) {
    await paletteCommand(title);
    await toast(why).first().waitFor({ timeout: WAIT_MS });
    // No "Save As" asked for a file the command would then not use.
    assert.equal(await page.locator(".quick-input-widget input:visible").count(), 0, `${title} asked for something`);
  }
  assert.equal(await toast("Running the contributed command").count(), 0);
  await screenshot("untitled-refused");
  // Emptied, it closes without a question. (Not "Revert and Close": the language client can
  // send the revert's change after the close, which the server log then warns of.)
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.press("Control+W");
  await page.locator(".tab", { hasText: "Untitled" }).waitFor({ state: "detached" });
});

scenario("Run with Inputs File… runs with the file picked in the dialog", async (t) => {
  const commands = serverCommands(capabilities);
  if (skipUnless(t, commands.has("scriptcontract.runNow"), "the server has no scriptcontract.runNow yet")) return;
  const inputsFile = path.join(workspace, "data", "other.inputs.json");
  writeFileSync(inputsFile, JSON.stringify({ name: "from a file" }));
  await openFile("hello.py");
  await paletteCommand("scriptcontract: Run with Inputs File…");
  const input = page.locator(".quick-input-widget input");
  const rows = page.locator(".quick-input-widget .quick-input-list .monaco-list-row");
  // The dialog lists its start folder asynchronously and then resets the path it shows: type the
  // path only once that listing is in, and again if a late listing put the folder back.
  await rows.filter({ hasText: "hello.py" }).first().waitFor();
  for (let attempt = 0; ; attempt += 1) {
    await input.fill(inputsFile);
    try {
      await rows.filter({ hasText: "other.inputs.json" }).first().waitFor({ timeout: 5000 });
      if ((await input.inputValue()) === inputsFile) break;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
    assert.ok(attempt < 3, `the dialog keeps resetting its path: ${await input.inputValue()}`);
  }
  await page.locator(".quick-input-widget .monaco-button", { hasText: "Run with these inputs" }).click();
  const result = await waitForState("the run with an inputs file", (state) =>
    state.lastRun?.script === "hello.py" && state.lastRun.result.output?.message === "Hello, from a file!" && state.lastRun.result,
  );
  await screenshot("inputs-file-run-result");
  assert.equal(result.success, true);
});

scenario("Create Inputs File writes <script>.inputs.json from the keys the script reads", async (t) => {
  const commands = serverCommands(capabilities);
  if (skipUnless(t, commands.has("scriptcontract.createInputs"), "the server has no scriptcontract.createInputs yet")) return;
  const sidecar = path.join(workspace, "scripts", "broken_no_error_handling.inputs.json");
  assert.equal(existsSync(sidecar), false);
  await openFile("broken_no_error_handling.py");
  await paletteCommand("scriptcontract: Create Inputs File");
  await page.locator(".tab.active", { hasText: "broken_no_error_handling.inputs.json" }).waitFor();
  await waitForState("the inputs file on disk", () => existsSync(sidecar) && readFileSync(sidecar, "utf8").trim());
  await screenshot("inputs-file-created");
  assert.ok("name" in JSON.parse(readFileSync(sidecar, "utf8")), "the script reads inputs[\"name\"]");
});

// --- What a user sees of a run: where it failed and why, a success, a timeout, a cancel ---

/** The 0-based line of `fileName` (under scripts/) that starts with `text`, trimmed. */
function lineOf(fileName, text) {
  const lines = readFileSync(path.join(workspace, "scripts", fileName), "utf8").split("\n");
  const index = lines.findIndex((line) => line.trim().startsWith(text));
  assert.ok(index >= 0, `${fileName} has no line starting with ${text}`);
  return index;
}

/** Opens `fileName`, runs it from the palette with `inputs` typed in the prompt. */
async function runWithInputs(fileName, inputs) {
  await openFile(fileName);
  await paletteCommand("scriptcontract: Run with Inputs…");
  await runPrompt();
  await page.locator(".quick-input-widget input").fill(inputs);
  await page.keyboard.press("Enter");
}

/** Shows the hover at (line, character) of the active editor (as Ctrl+K Ctrl+I does). */
async function hoverAt(line, character) {
  await page.locator(".editor-instance .monaco-editor .view-lines").first().click();
  await goToPosition(line, character);
  await page.keyboard.press("Control+K");
  await page.keyboard.press("Control+I");
  await page.locator(".monaco-hover:not(.hidden)").first().waitFor({ state: "visible" });
  await page.waitForTimeout(300); // past its fade-in, for the screenshot
}

/** Waits (a little) for the run's progress notification to go, for a screenshot. */
async function progressGone() {
  await page
    .locator(".notifications-toasts .notification-toast", { hasText: "scriptcontract: running" })
    .first()
    .waitFor({ state: "hidden", timeout: 5_000 })
    .catch(() => {});
}

/** No modal dialog is open, and no notification says a command failed. */
async function assertNoErrorDialog() {
  assert.equal(await page.locator(".monaco-dialog-box").count(), 0, "a modal dialog is open");
  const toasts = await page.locator(".notifications-toasts .notification-list-item-message").allInnerTexts();
  assert.ok(!toasts.some((text) => /resulted in an error|is canceled/.test(text)), JSON.stringify(toasts));
}


scenario("a failing run points at the line it failed on and says why", async (t) => {
  if (skipUnless(t, true, "")) return;
  const script = "broken_no_error_handling.py";
  await runWithInputs(script, "{}");
  const nameRead = lineOf(script, 'name = inputs["name"]');
  const [failure] = await waitForState("the failure on the line that read the input", (state) => {
    const found = diagnosticsOf(state, script, "scriptcontract-run");
    return state.lastRun?.script === script && found.length > 0 && found;
  });
  assert.equal(failure.range.start.line, nameRead, JSON.stringify(failure));
  assert.equal(failure.message, 'KeyError: \'name\' — the inputs have no "name"');
  const state = readState();
  assert.equal(state.status, `$(error) ${script} KeyError: 'name'`);
  await assertNoErrorDialog();
  await progressGone();
  await hoverAt(failure.range.start.line, failure.range.start.character + 1);
  await screenshot("run-failure", { docs: "vscode-run-failure" });
  await page.keyboard.press("Escape");
});

scenario("a success shows beside the entry line and in the code lens, not as a problem", async (t) => {
  if (skipUnless(t, true, "")) return;
  await runWithInputs("hello.py", '{"name": "Ada"}');
  const hint = await waitForState("the success beside hello.py's entry line", (state) => {
    const found = state.lastRun?.inputs?.name === "Ada" && successHint(state, "hello.py");
    return found && found.label.includes("Ada") && found;
  });
  assert.equal(hint.line, lineOf("hello.py", "if __name__"));
  assert.match(hint.label, /^✓ \d+ ms → \{"message": "Hello, Ada!"\}$/);
  const state = readState();
  assert.deepEqual(diagnosticsOf(state, "hello.py", "scriptcontract-run"), [], "a success is not a problem");
  const lens = page.locator(".contentWidgets .codelens-decoration", { hasText: "Run with inputs · ✓" });
  await lens.first().waitFor({ timeout: WAIT_MS });
  // The runs output leads with the outcome; the sandbox's internals stay out of it.
  const report = state.lastRun.report.split("\n");
  assert.match(report[0], /^=== \d\d:\d\d:\d\d hello\.py: ✓ succeeded in \d+ ms/);
  assert.equal(report[1], 'inputs: {"name":"Ada"}');
  assert.doesNotMatch(state.lastRun.report, /sandbox|full result/);
  await progressGone();
  await screenshot("run-success", { docs: "vscode-run-success" });
  await paletteCommand("scriptcontract: Show Output");
  await page.locator(".output-view .view-lines", { hasText: "succeeded" }).first().waitFor();
  await screenshot("runs-output", { docs: "vscode-runs-output" });
});

scenario("the whole result is in the runs output when scriptcontract.runs.fullResult is on", async (t) => {
  if (skipUnless(t, true, "")) return;
  const folderSettings = path.join(workspace, ".vscode", "settings.json");
  mkdirSync(path.dirname(folderSettings), { recursive: true });
  writeFileSync(folderSettings, JSON.stringify({ "scriptcontract.runs.fullResult": true }));
  try {
    // The setting is read when a run ends, once the editor has taken the file in (which takes
    // a moment on a loaded machine): run until a report has the whole result, a few times.
    let run;
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      await page.waitForTimeout(1000);
      const name = `Bo ${attempt}`;
      await runWithInputs("hello.py", JSON.stringify({ name }));
      run = await waitForState(`run ${attempt} with the setting on`, (state) =>
        state.lastRun?.inputs?.name === name && state.lastRun.report && state.lastRun,
      );
      if (run.report.includes("--- full result ---")) break;
    }
    // Still led by the outcome, with the whole record after what a user reads first.
    const report = run.report.split("\n");
    assert.match(report[0], /^=== \d\d:\d\d:\d\d hello\.py: ✓ succeeded in \d+ ms/);
    const full = report.indexOf("--- full result ---");
    assert.ok(full > report.indexOf("--- output ---"), run.report);
    assert.deepEqual(JSON.parse(report.slice(full + 1).join("\n")).output, {
      success: true,
      message: `Hello, ${run.inputs.name}!`,
    });
  } finally {
    rmSync(path.dirname(folderSettings), { recursive: true, force: true });
  }
});

scenario("a timeout points at the line that was running when the time ran out", async (t) => {
  if (skipUnless(t, true, "")) return;
  const script = WAITS_FOREVER_SCRIPT;
  await runWithInputs(script, "{}");
  const [timeout] = await waitForState(
    "the timeout's diagnostic",
    (state) => {
      const found = diagnosticsOf(state, script, "scriptcontract-run");
      return state.lastRun?.script === script && found.length > 0 && found;
    },
    WAIT_MS + RUN_TIMEOUT_MS,
  );
  assert.equal(timeout.range.start.line, lineOf(script, "time.sleep"));
  assert.match(timeout.message, /^Timed out after ([6-9]|\d\d+)\.\d s: it was running this line/);
  assert.match(readState().status, /wait_for_service\.py timed out after ([6-9]|\d\d+)\.\d s/);
  await assertNoErrorDialog();
  await page.keyboard.press("Control+Shift+M"); // the Problems panel beside it
  await page.locator(".markers-panel").first().waitFor();
  await progressGone();
  await hoverAt(timeout.range.start.line, timeout.range.start.character + 1);
  await screenshot("run-timeout", { docs: "vscode-run-timeout" });
  await page.keyboard.press("Escape");
});

scenario("cancelling a run from its notification is quiet and says cancelled", async (t) => {
  if (skipUnless(t, true, "")) return;
  const script = WAITS_FOREVER_SCRIPT;
  const before = readState().lastRun;
  await runWithInputs(script, "{}");
  const toast = page.locator(".notifications-toasts .notification-toast", { hasText: `running ${script}` });
  await toast.first().waitFor();
  // The progress says where the inputs came from, in words.
  await toast.first().locator(".notification-list-item-message", { hasText: "with the inputs you gave" }).waitFor();
  await screenshot("run-in-progress");
  await toast.first().locator(".monaco-button", { hasText: "Cancel" }).click();
  const cancelled = await waitForState("the cancelled run", (state) =>
    state.lastRun !== before && state.lastRun?.script === script && state.lastRun.cancelled && state.lastRun,
  );
  assert.match(cancelled.report, new RegExp(`^=== \\d\\d:\\d\\d:\\d\\d ${script.replace(".", "\\.")}: cancelled`));
  assert.equal(readState().status, `$(circle-slash) ${script} cancelled`);
  await assertNoErrorDialog();
  await screenshot("run-cancelled");
});

scenario("an ordinary session leaves no error in the server log", async (t) => {
  if (skipUnless(t, true, "")) return;
  const lines = serverLogLines();
  const errors = lines.filter((line) => /\[(error|warning)\]/.test(line));
  assert.ok(lines.length > 5, `the log is too short to mean anything: ${JSON.stringify(lines)}`);
  assert.deepEqual(errors, [], `${errors.length} of ${lines.length} lines of the scriptcontract log are errors or warnings`);
});

scenario("a run the project's configuration refuses says why once, without a dialog", async (t) => {
  if (skipUnless(t, true, "")) return;
  const config = path.join(workspace, "scriptcontract.toml");
  const original = readFileSync(config, "utf8");
  writeFileSync(config, original.replace("timeout-ms = 30000", 'timeout-ms = "soon"'));
  try {
    await runWithInputs("hello.py", "{}");
    await waitForState("the refusal in the status bar", (state) => /hello\.py not run: /.test(state.status));
    const toasts = page.locator(".notifications-toasts .notification-list-item-message", { hasText: "did not run" });
    await toasts.first().waitFor();
    assert.equal(await toasts.count(), 1, "one message, not one from the server and one from the extension");
    // Said once ("did not run", not "did not run: Not run:"), the file named as in the project.
    const text = await toasts.first().innerText();
    assert.match(text, /hello\.py did not run: the project's configuration has errors: scriptcontract\.toml: /);
    assert.ok(!text.includes("Not run") && !text.includes(workspace), text);
    await assertNoErrorDialog();
    await screenshot("run-refused");
  } finally {
    writeFileSync(config, original);
  }
});

scenario("inputs the declared schema refuses run only after Run Anyway; unread keys warn", async (t) => {
  const commands = serverCommands(capabilities);
  if (skipUnless(t, commands.has("scriptcontract.runNow"), "the server has no scriptcontract.runNow yet")) return;
  const schemaFile = path.join(workspace, "scripts", "hello.schema.json");
  writeFileSync(schemaFile, JSON.stringify({ type: "object", required: ["name"], properties: { name: { type: "string" } } }));
  const toast = (text) => page.locator(".notifications-toasts .notification-toast", { hasText: text });
  try {
    const before = readState().lastRun;
    await runWithInputs("hello.py", '{"nam": 3}');
    const refused = await waitForState("the refused run", (state) =>
      state.lastRun !== before && state.lastRun?.script === "hello.py" && state.lastRun.result.runAnyway && state.lastRun,
    );
    assert.equal(refused.result.success, false);
    const message = toast("did not run: the inputs do not match the declared schema");
    await message.first().waitFor({ timeout: WAIT_MS });
    const text = await message.first().locator(".notification-list-item-message").innerText();
    assert.match(text, /name: expected a value \(required\), got nothing/);
    await screenshot("run-refused-by-schema");
    // Not a failure of the script's: a warning in the status bar, whose click runs it anyway
    // (as the runs output says), for when the message went by unseen.
    const shown = await waitForState("the refusal in the status bar", (state) =>
      /^\$\(warning\) hello\.py not run: /.test(state.status) && state,
    );
    assert.equal(shown.statusBackground, "statusBarItem.warningBackground");
    assert.equal(shown.statusCommand, "scriptcontract.runAnyway");
    assert.match(refused.report, /\nTo run it anyway: “Run Anyway” on its message, the status bar item, or “scriptcontract: Run Anyway” in the Command Palette\.\n/);
    await paletteCommand("Notifications: Clear All Notifications");
    await message.first().waitFor({ state: "detached", timeout: WAIT_MS });
    await page.locator(".statusbar-item", { hasText: "hello.py not run" }).first().click();
    const ran = await waitForState("the run anyway", (state) =>
      state.lastRun !== refused && state.lastRun?.result.success && state.lastRun,
    );
    assert.deepEqual(ran.result.output, { success: true, message: "Hello, World!" });
    // The next run that started brings the status bar back to its normal state.
    const normal = await waitForState("the status bar after the run", (state) => /^\$\(check\) hello\.py /.test(state.status) && state);
    assert.equal(normal.statusBackground, undefined);
    assert.equal(normal.statusCommand, "scriptcontract.showOutput");
    // Refused again, then run anyway from its message's button.
    await runWithInputs("hello.py", '{"nam": 3}');
    const again = await waitForState("the refused run again", (state) =>
      state.lastRun !== ran && state.lastRun?.result.runAnyway && state.lastRun,
    );
    await message.first().locator(".monaco-button", { hasText: "Run Anyway" }).click();
    await waitForState("the run anyway from the message", (state) =>
      state.lastRun !== again && state.lastRun?.result.success && state.lastRun,
    );
    // Without the declared schema, the inferred one warns of the key hello.py never reads.
    rmSync(schemaFile);
    await runWithInputs("hello.py", '{"nam": "Ada"}');
    const warned = await waitForState("the warned run", (state) =>
      state.lastRun !== ran && state.lastRun?.result.warning && state.lastRun,
    );
    assert.equal(warned.result.success, true);
    assert.match(warned.report, /--- warning ---\n[^\n]*\n {2}- nam: hello\.py never reads this key \(did you mean name\?\)/);
    await toast("hello.py: check the inputs: nam: hello.py never reads this key (did you mean name?)").first().waitFor({ timeout: WAIT_MS });
    await assertNoErrorDialog();
  } finally {
    rmSync(schemaFile, { force: true });
  }
});

// --- Recorded cases (issue 14): the Test Explorer, the cases file's schema and lenses ---------

function readTests() {
  try {
    return JSON.parse(readFileSync(`${stateFile}.tests.json`, "utf8"));
  } catch {
    return undefined;
  }
}

/** Polls the test controller's state file (see src/caseTests.ts) until `predicate` holds. */
function waitForTests(what, predicate, timeoutMs = WAIT_MS) {
  return waitForState(what, () => {
    const tests = readTests();
    return tests && predicate(tests);
  }, timeoutMs);
}

const MEANT_TO_FAIL = "a missing name is a JSON error (meant to fail: the script does not handle it)";

scenario("the Test Explorer lists each script's cases, runs them all, and diffs the failure", async (t) => {
  const commands = serverCommands(capabilities);
  if (skipUnless(t, commands.has("scriptcontract.runCases") && commands.has("scriptcontract.listCases"), "the server has no scriptcontract.runCases / listCases yet")) return;
  const tree = await waitForTests("the cases in the Test Explorer", (tests) => {
    const scripts = Object.fromEntries(tests.tree.map((item) => [item.label, item.cases.map((c) => c.label)]));
    return scripts["hello.py"]?.length === 3 && scripts["broken_no_error_handling.py"]?.length === 2 && scripts;
  });
  assert.ok(tree["transform_data.py"].includes("an unknown operation is an error"), JSON.stringify(tree));
  // Cases files made now are listed as `scriptcontract test` finds them: not the one in the
  // folder .gitignore names, the same file in another folder yes (both stay: they pass).
  const scripts = path.join(workspace, "scripts");
  // Below scripts/, which the examples' `include` names: the copies are scripts `check` checks.
  writeFileSync(path.join(workspace, ".gitignore"), "scripts/generated/\n");
  for (const [folder, name] of [["generated", "ignored_copy"], ["kept", "kept_copy"]]) {
    mkdirSync(path.join(scripts, folder), { recursive: true });
    for (const [from, to] of [["hello.py", `${name}.py`], ["hello.cases.json", `${name}.cases.json`], ["hello.inputs.json", "hello.inputs.json"]]) {
      writeFileSync(path.join(scripts, folder, to), readFileSync(path.join(scripts, from)));
    }
  }
  // Asked again from the server (a file watcher's events for a new folder are not relied on).
  await paletteCommand("Test: Refresh Tests");
  const found = await waitForTests("the kept copy in the Test Explorer", (tests) => {
    const labels = tests.tree.map((item) => item.label);
    return labels.includes("kept_copy.py") && labels;
  });
  assert.ok(!found.includes("ignored_copy.py"), JSON.stringify(found));
  await paletteCommand("Test: Run All Tests");
  const results = await waitForTests("every case's result", (tests) => {
    const ids = tests.tree.flatMap((item) => item.cases.map((c) => c.id));
    return ids.length > 0 && ids.every((id) => tests.results[id]) && tests;
  });
  const failed = Object.entries(results.results).filter(([, result]) => result.outcome !== "passed");
  assert.equal(failed.length, 1, JSON.stringify(failed));
  const [id, failure] = failed[0];
  assert.ok(id.endsWith(encodeURIComponent(MEANT_TO_FAIL)), id);
  assert.equal(failure.outcome, "failed");
  assert.deepEqual(JSON.parse(failure.expected).output_includes, { success: false, error_type: "KeyError" });
  assert.equal(JSON.parse(failure.actual).success, false);
  // Chosen in the Test Results, the failure shows as a diff of the expected and actual
  // expectations (no diff editor was open before).
  assert.equal(await page.locator(".monaco-diff-editor").count(), 0);
  // The results list re-sorts while the last results come in: a click can land on a row that
  // moved, so click again until the diff opens.
  const row = page.locator(".monaco-list-row", { hasText: "a missing name is a JSON error" }).last();
  const diff = page.locator(".monaco-diff-editor").first();
  for (let attempt = 1; ; attempt += 1) {
    await row.waitFor({ timeout: WAIT_MS });
    await row.click();
    try {
      await diff.waitFor({ timeout: 10_000 });
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  await screenshot("cases-failure-diff");
  await page.keyboard.press("Escape");
});

scenario("the Test Explorer runs one case, or one script's cases", async (t) => {
  const commands = serverCommands(capabilities);
  if (skipUnless(t, commands.has("scriptcontract.runCases"), "the server has no scriptcontract.runCases yet")) return;
  const tree = await waitForTests("the cases in the Test Explorer", (tests) => tests.tree.length > 0 && tests.tree);
  const hello = tree.find((item) => item.label === "hello.py");
  const transform = tree.find((item) => item.label === "transform_data.py");
  const one = hello.cases.find((item) => item.label === "greets the world when no name is given");
  await paletteCommand("Testing: Focus on Test Explorer View");
  const runOf = async (label) => {
    const row = page.locator(".test-explorer .monaco-list-row", { hasText: label }).first();
    await row.waitFor({ timeout: WAIT_MS });
    await row.hover();
    await row.locator(".codicon-testing-run-icon").first().click();
  };
  // The tree shows scripts collapsed: a case is reached by expanding its script.
  const helloRow = page.locator(".test-explorer .monaco-list-row", { hasText: "hello.py" }).first();
  await helloRow.waitFor({ timeout: WAIT_MS });
  if ((await helloRow.getAttribute("aria-expanded")) === "false") await helloRow.click();
  await runOf(one.label);
  await waitForTests("one case run alone", (tests) => tests.lastRun.length === 1 && tests.lastRun[0] === one.id);
  await runOf("transform_data.py");
  const ran = await waitForTests("one script's cases run", (tests) => tests.lastRun.length === 3 && tests.lastRun);
  assert.deepEqual(new Set(ran), new Set(transform.cases.map((item) => item.id)));
  await screenshot("cases-run-from-the-tree");
  // Back to the Explorer, as the other scenarios expect the side bar.
  await paletteCommand("View: Show Explorer");
});

scenario("only the cases the declared schema refuses are errored, the others run; Run Anyway runs those", async (t) => {
  const commands = serverCommands(capabilities);
  if (skipUnless(t, commands.has("scriptcontract.runCases"), "the server has no scriptcontract.runCases yet")) return;
  const tree = await waitForTests("the cases in the Test Explorer", (tests) => tests.tree.length > 0 && tests.tree);
  const hello = tree.find((item) => item.label === "hello.py");
  const ids = hello.cases.map((item) => item.id);
  const refusedCase = hello.cases.find((item) => item.label === "greets the world when no name is given");
  const schemaFile = path.join(workspace, "scripts", "hello.schema.json");
  writeFileSync(schemaFile, JSON.stringify({ type: "object", required: ["name"], properties: { name: { type: "string" } } }));
  const toast = () => page.locator(".notifications-toasts .notification-toast", { hasText: "cases not run" });
  try {
    await paletteCommand("Testing: Focus on Test Explorer View");
    const row = page.locator(".test-explorer .monaco-list-row", { hasText: "hello.py" }).first();
    await row.waitFor({ timeout: WAIT_MS });
    await row.hover();
    await row.locator(".codicon-testing-run-icon").first().click();
    // The refused case alone is errored, with its own problems; the others ran and passed.
    const refused = await waitForTests("hello.py's cases, one refused", (tests) =>
      ids.every((id) => tests.lastRun.includes(id) && tests.results[id]) && tests,
    );
    const outcomes = Object.fromEntries(ids.map((id) => [id, refused.results[id].outcome]));
    assert.deepEqual(outcomes, Object.fromEntries(ids.map((id) => [id, id === refusedCase.id ? "errored" : "passed"])));
    assert.match(refused.results[refusedCase.id].message, /^Not run: the inputs do not match the declared schema scripts\/hello\.schema\.json; nothing was run \("Run anyway" runs it\):\n\s+- name: expected a value \(required\), got nothing$/);
    await toast().first().waitFor({ timeout: WAIT_MS });
    const text = await toast().first().locator(".notification-list-item-message").innerText();
    assert.match(text, /scriptcontract: cases not run: inputs that do not match the declared schema/);
    assert.match(text, /greets the world when no name is given .*name: expected a value \(required\), got nothing/);
    // Said once: by the extension, with its offer, not by the server as well.
    await page.waitForTimeout(500);
    assert.equal(await page.locator(".notifications-toasts .notification-toast", { hasText: "declared schema" }).count(), 1);
    await screenshot("cases-refused-by-schema");
    await toast().first().locator(".monaco-button", { hasText: "Run Anyway" }).click();
    // Run anyway: the refused case alone, which passes.
    const ran = await waitForTests("the refused case run anyway", (tests) =>
      tests.lastRun.length === 1 && tests.lastRun[0] === refusedCase.id && tests.results[refusedCase.id]?.outcome !== "errored" && tests,
    );
    assert.equal(ran.results[refusedCase.id].outcome, "passed");
    await assertNoErrorDialog();
  } finally {
    rmSync(schemaFile, { force: true });
    await paletteCommand("View: Show Explorer");
  }
});

scenario("a cases file is checked by its schema and the server, and its lens runs a case", async (t) => {
  const commands = serverCommands(capabilities);
  if (skipUnless(t, capabilities?.codeLensProvider && commands.has("scriptcontract.runCases"), "the server has no cases lenses yet")) return;
  // An existing file, rewritten: quick open may not list a file created after the start yet.
  const typo = path.join(workspace, "scripts", "process_file.cases.json");
  writeFileSync(typo, JSON.stringify({ cases: [{ name: "typo", expect: { exit_cod: 1 } }] }, null, 2) + "\n");
  await openFile("process_file.cases.json");
  const found = await waitForState("the schema's and the server's diagnostics", (state) => {
    const all = state.diagnostics.find((item) => path.basename(item.path) === "process_file.cases.json")?.diagnostics ?? [];
    const schema = all.filter((d) => d.source !== "scriptcontract-cases" && /exit_cod/.test(d.message));
    const ours = all.filter((d) => d.source === "scriptcontract-cases");
    return schema.length > 0 && ours.length > 0 && { schema, ours };
  });
  assert.match(found.ours[0].message, /^case "typo": expect\.exit_cod: unknown key/);
  assert.match(found.schema[0].message, /exit_cod/);
  // The Test Explorer shows the mistake on the script (its cases are not run with it), as
  // markdown whose punctuation is escaped: what a run wrote there renders as the text it is.
  const explorer = await waitForTests("the mistake in the Test Explorer", (tests) => {
    const markdown = tests.tree.find((item) => item.label === "process_file.py")?.error ?? "";
    const rendered = markdown.replace(/\\([!-/:-@[-`{-~])/g, "$1");
    return /expect\.exit_cod: unknown key/.test(rendered) && markdown;
  });
  assert.match(explorer, /expect\\\.exit\\_cod/);
  await screenshot("cases-file-checked");
  await openFile("hello.cases.json");
  const lens = page.locator(".contentWidgets .codelens-decoration a", { hasText: "Run case" });
  await lens.first().waitFor({ timeout: WAIT_MS });
  await lens.first().click();
  await page.locator(".contentWidgets .codelens-decoration a", { hasText: /Run case · ✓ \d+ ms/ }).first().waitFor({ timeout: WAIT_MS });
  await screenshot("cases-lens-passed");
  // The lens's run is a test run too: the Test Explorer shows the same outcome.
  const ran = await waitForTests("the lens's run in the Test Explorer", (tests) => tests.lastRun.length === 1 && tests);
  assert.ok(ran.lastRun[0].endsWith(encodeURIComponent("greets by name")), ran.lastRun[0]);
  assert.ok(ran.lastRun[0].includes("hello.cases.json"), ran.lastRun[0]);
  assert.equal(ran.results[ran.lastRun[0]].outcome, "passed");
});

// Lenses of the editor shown (another file's tab may keep the same title hidden).
const VISIBLE_LENS = ".contentWidgets .codelens-decoration a:visible";

/** Shows a file already open in a tab (quick open can pick a stale row between two open files). */
async function showTab(fileName) {
  await page.locator(".tab", { hasText: fileName }).first().click();
  await page.locator(".tab.active", { hasText: fileName }).waitFor();
  await page.locator(".monaco-editor .view-lines").first().click();
}

scenario("Accept actual output brings a stale expectation up to date; + Add as case records a run", async (t) => {
  const commands = serverCommands(capabilities);
  if (skipUnless(t, capabilities?.codeActionProvider && commands.has("scriptcontract.addCase"), "the server has no cases actions yet")) return;
  const casesFile = path.join(workspace, "scripts", "transform_data.cases.json");
  const original = readFileSync(casesFile, "utf8");
  writeFileSync(casesFile, original.replace('"count": 3', '"count": 4'));
  await openFile("transform_data.cases.json");
  const runAll = page.locator(VISIBLE_LENS, { hasText: "Run all 3 cases" });
  await runAll.first().waitFor({ timeout: WAIT_MS });
  await runAll.first().click();
  const failure = await waitForState("the stale expectation's diagnostic", (state) => {
    const found = diagnosticsOf(state, "transform_data.cases.json", "scriptcontract-cases");
    return found.length > 0 && found[0];
  });
  assert.equal(failure.message, 'case "title case, from the inputs file": output.count: expected 4, got 3');
  await goToPosition(failure.range.start.line, failure.range.start.character);
  await page.keyboard.press("Control+.");
  const rows = page.locator(".action-widget .monaco-list-row.action");
  await rows.first().waitFor();
  const titles = await rows.allInnerTexts();
  const index = titles.findIndex((title) => title.trim().startsWith("Accept actual output"));
  assert.ok(index >= 0, `no "Accept actual output" in ${JSON.stringify(titles)}`);
  await screenshot("cases-accept-menu");
  for (let step = 0; step < index; step += 1) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  // The accepted value is exactly what the file said before it went stale.
  await saveUntil(() => readFileSync(casesFile, "utf8") === original, "the accepted output saved");

  // A run with inputs, then its lens "+ Add as case".
  await openFile("transform_data.py");
  const run = page.locator(VISIBLE_LENS, { hasText: "Run with inputs" });
  await run.first().waitFor({ timeout: WAIT_MS });
  await run.first().click();
  await runPrompt();
  await page.locator(".quick-input-widget input").fill('{"items": ["ab", "cd"], "operation": "title"}');
  await page.keyboard.press("Enter");
  await waitForState("the transform_data.py run", (state) => state.lastRun?.script === "transform_data.py" && state.lastRun.result);
  const add = page.locator(VISIBLE_LENS, { hasText: "Add as case" });
  await add.first().waitFor({ timeout: WAIT_MS });
  await add.first().click();
  await page.locator(".notifications-toasts", { hasText: "Added a case to transform_data.cases.json" }).first().waitFor({ timeout: WAIT_MS });
  await screenshot("cases-added");
  await waitForTests("the new case in the Test Explorer", (tests) =>
    tests.tree.find((item) => item.label === "transform_data.py")?.cases.length === 4,
  );
  // The case is an edit of the cases file (open in its tab), saved like any other.
  await showTab("transform_data.cases.json");
  await saveUntil(() => readFileSync(casesFile, "utf8").includes('"Ab"'), "the added case saved");
  const added = JSON.parse(readFileSync(casesFile, "utf8")).cases.at(-1);
  assert.deepEqual(added.inputs, { items: ["ab", "cd"], operation: "title" });
  assert.deepEqual(added.expect.output, { success: true, transformed: ["Ab", "Cd"], count: 2 });
  // And every case passes, the new one with them.
  await showTab("transform_data.py");
  const runCases = page.locator(VISIBLE_LENS, { hasText: "Run 4 cases" });
  await runCases.first().waitFor({ timeout: WAIT_MS });
  await runCases.first().click();
  await page.locator(VISIBLE_LENS, { hasText: /Run 4 cases · ✓ 4 passed/ }).first().waitFor({ timeout: WAIT_MS });
  await screenshot("cases-all-passed");
});

scenario("a failure in the Test Results offers Accept Actual Output, which fixes the cases file", async (t) => {
  const commands = serverCommands(capabilities);
  if (skipUnless(t, capabilities?.codeActionProvider && commands.has("scriptcontract.runCases"), "the server has no cases actions yet")) return;
  const casesFile = path.join(workspace, "scripts", "create_ticket.cases.json");
  const original = readFileSync(casesFile, "utf8");
  writeFileSync(casesFile, original.replace('"priority": "normal"', '"priority": "high"'));
  const stale = "opens a ticket with the normal priority";
  const id = await waitForTests("create_ticket.py's cases listed", (tests) =>
    tests.tree.find((item) => item.label === "create_ticket.py")?.cases.find((c) => c.label === stale)?.id,
  );
  await paletteCommand("Test: Run All Tests");
  await waitForTests("the stale case failed", (tests) => tests.lastRun.includes(id) && tests.results[id]?.outcome === "failed");
  // The run opened the Test Results panel: the failure's message is a row under its case.
  // As above, a right-click can land on a row that moved as the list re-sorted: then again.
  const message = page.locator(".monaco-list-row:visible", { hasText: "output differs" }).last();
  const accept = page.locator(".context-view .action-label", { hasText: "Accept Actual Output" });
  for (let attempt = 1; ; attempt += 1) {
    await message.waitFor({ timeout: WAIT_MS });
    await message.click({ button: "right" });
    try {
      await accept.first().waitFor({ timeout: 10_000 });
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
      await page.keyboard.press("Escape");
    }
  }
  await screenshot("cases-accept-from-test-results");
  await accept.first().click();
  // The edit is shown in the cases file; saved, the file says what it said before it went stale.
  await page.locator(".tab.active", { hasText: "create_ticket.cases.json" }).waitFor({ timeout: WAIT_MS });
  await page.locator(".monaco-editor .view-lines:visible").first().click();
  await saveUntil(() => readFileSync(casesFile, "utf8") === original, "the accepted output saved");
  await screenshot("cases-accepted-from-test-results");
});

/** The template as the server offers it: from the bundled package, the one place it lives. */
function templateText() {
  const code = "import sys; from scriptcontract.contract.script_template import script_text; sys.stdout.write(script_text())";
  const done = spawnSync(python, ["-I", "-c", `import sys; sys.path.insert(0, ${JSON.stringify(path.join(extensionDir, "bundled", "libs"))}); ${code}`], { encoding: "utf8" });
  assert.equal(done.status, 0, `cannot read the template from the bundle: ${done.stderr}`);
  return done.stdout;
}

/** Creates an empty script in the workspace and opens it (a blank script has no finding). */
async function openEmptyScript(fileName) {
  const file = path.join(workspace, "scripts", fileName);
  writeFileSync(file, "");
  await openNewFile(file);
  return file;
}

/** Opens a file written after the workbench started. */
async function openNewFile(file) {
  const fileName = path.basename(file);
  // By its absolute path: Quick Open finds a file that exists without its file index, which
  // earlier scenarios built before this file was there.
  await page.keyboard.press("Control+P");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  await input.fill(file);
  await page.locator(".quick-input-list .monaco-list-row", { hasText: fileName }).first().waitFor();
  await page.keyboard.press("Enter");
  await page.locator(".tab.active", { hasText: fileName }).waitFor();
  await page.locator(".monaco-editor .view-lines").first().click();
}

scenario("an empty script gets the template from the light bulb menu", async (t) => {
  if (skipUnless(t, capabilities?.codeActionProvider, "the server offers no code actions yet")) return;
  const fileName = "from_code_action.py";
  const file = await openEmptyScript(fileName);
  await page.keyboard.press("Control+.");
  const rows = page.locator(".action-widget .monaco-list-row.action");
  await rows.first().waitFor();
  await screenshot("template-action-menu");
  const titles = (await rows.allInnerTexts()).map((title) => title.trim());
  const index = titles.indexOf("Insert workflow script template");
  assert.ok(index >= 0, `no template action in the menu: ${JSON.stringify(titles)}`);
  for (let step = 0; step < index; step += 1) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  const expected = templateText();
  await saveUntil(() => readFileSync(file, "utf8") === expected, "the template in the saved file");
  await screenshot("template-action-applied");
});

scenario("New Script from Template… asks for a name and creates the script filled with the template", async (t) => {
  if (skipUnless(t, capabilities?.codeActionProvider, "the server offers no code actions yet")) return;
  await paletteCommand("scriptcontract: New Script from Template…");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  // Offered where the examples' include globs name scripts, under a name not taken yet.
  assert.equal(await input.inputValue(), "scripts/new_script.py");
  await input.fill("scripts/hello.py");
  await page.locator(".quick-input-widget .quick-input-message", { hasText: "scripts/hello.py exists already" }).waitFor();
  await input.fill("scripts/from_palette.py");
  await screenshot("new-script-name");
  await page.keyboard.press("Enter");
  const file = path.join(workspace, "scripts", "from_palette.py");
  await page.locator(".tab.active", { hasText: "from_palette.py" }).waitFor({ timeout: WAIT_MS });
  const expected = templateText();
  await waitForState("the template saved in the new script", () => existsSync(file) && readFileSync(file, "utf8") === expected);
  await screenshot("new-script-created");
  // Outside the include globs the server offers no template: the file stays empty, and why is said.
  await paletteCommand("scriptcontract: New Script from Template…");
  await input.waitFor({ state: "visible" });
  await input.fill("notes/outside.py");
  await page.keyboard.press("Enter");
  const said = "notes/outside.py is created but empty: the project does not treat it as a workflow script";
  await page.locator(".notifications-toasts .notification-list-item-message", { hasText: said }).first().waitFor({ timeout: WAIT_MS });
  assert.equal(readFileSync(path.join(workspace, "notes", "outside.py"), "utf8"), "");
  await page.keyboard.press("Control+W");
  rmSync(path.join(workspace, "notes"), { recursive: true, force: true });
});

scenario("the workflow-script completion inserts the template as a snippet with tab stops", async (t) => {
  if (skipUnless(t, capabilities?.completionProvider, "the server offers no completion yet")) return;
  const fileName = "from_completion.py";
  const file = await openEmptyScript(fileName);
  await page.keyboard.type("wor");
  await page.keyboard.press("Control+Space");
  const item = page.locator(".suggest-widget .monaco-list-row", { hasText: "workflow-script" });
  await item.first().waitFor();
  await screenshot("template-completion");
  const focused = await page.locator(".suggest-widget .monaco-list-row.focused").innerText();
  assert.match(focused, /workflow-script/, `the first suggestion is not ours: ${focused}`);
  await page.keyboard.press("Enter");
  // The first tab stop (the input key) is selected: typing replaces it; Tab goes to the result.
  await page.keyboard.type("path");
  await page.keyboard.press("Tab");
  await page.keyboard.type("value * 2"); // no bracket: VS Code would close it on its own
  await page.keyboard.press("Escape");
  const expected = templateText().replace(
    '    value = inputs["name"]\n    return {"success": True, "result": value}',
    '    value = inputs["path"]\n    return {"success": True, "result": value * 2}',
  );
  assert.notEqual(expected, templateText(), "the template's reads changed: update this test");
  await saveUntil(() => readFileSync(file, "utf8") === expected, "the filled-in template in the saved file");
  await screenshot("template-completion-filled");
});

// --- Exploration (issue 15): generated inputs, a failure at its line, saved as a case ----------

const SPLIT_BILL = `#!/usr/bin/env python3
"""Splits a bill between the people at the table."""
import json
import sys

inputs = json.load(sys.stdin)
total = float(inputs["total"])
people = int(inputs["people"])
share = total / people
print(json.dumps({"success": True, "share": round(share, 2)}))
`;

scenario("Explore with Generated Inputs shows the smallest failing input at its line, and saves it as a case", async (t) => {
  const commands = serverCommands(capabilities);
  if (skipUnless(t, commands.has("scriptcontract.explore") && commands.has("scriptcontract.saveExploredCase"), "the server has no scriptcontract.explore yet")) return;
  const fileName = "split_bill.py";
  const file = path.join(workspace, "scripts", fileName);
  const casesFile = path.join(workspace, "scripts", "split_bill.cases.json");
  writeFileSync(file, SPLIT_BILL);
  await openNewFile(file);
  await paletteCommand("scriptcontract: Explore with Generated Inputs");
  // One progress notification while it explores (the extension's, with the server's words),
  // counted until the exploration is over: the server's own would come a moment later.
  const progress = page.locator(".notifications-toasts .notification-toast", { hasText: `Exploring ${fileName}` });
  await progress.first().waitFor({ timeout: WAIT_MS });
  await progress.first().locator(".notification-list-item-message", { hasText: "generated inputs" }).waitFor();
  await screenshot("explore-in-progress");
  const explored = (state) => {
    const found = diagnosticsOf(state, fileName, "scriptcontract-explore");
    return found.length > 0 && found;
  };
  let shown = 0;
  const deadline = Date.now() + WAIT_MS;
  while (!explored(readState() ?? { diagnostics: [] }) && Date.now() < deadline) {
    shown = Math.max(shown, await progress.count());
    await page.waitForTimeout(100);
  }
  assert.equal(shown, 1, "one progress notification, not the extension's and the server's");
  // The failure: a warning on the division, with the smallest input that makes it.
  const divides = lineOf(fileName, "share = total / people");
  const [failure] = await waitForState("the exploration's failure at the division", explored);
  assert.equal(failure.range.start.line, divides, JSON.stringify(failure));
  assert.equal(failure.severity, "warning");
  assert.match(failure.message, /^ZeroDivisionError: float division by zero; smallest input: \{"total": 0, "people": 0\} \(explored with seed \d+\)$/);
  // And a message says what was found (the seed to replay it with) and why it stopped, in
  // the command line's words.
  const found = page.locator(".notifications-toasts .notification-list-item-message", { hasText: `${fileName}: 1 failure in` });
  await found.first().waitFor({ timeout: WAIT_MS });
  assert.match(await found.first().innerText(), /1 failure in \d+ runs \(seed \d+\); (stopped at the run budget of 200 runs|every input the schema gave was run)/);
  await screenshot("explore-failure");
  // Its quick fix saves that input as a case of the script (a new cases file).
  assert.equal(existsSync(casesFile), false);
  await goToPosition(failure.range.start.line, failure.range.start.character);
  await page.keyboard.press("Control+.");
  const rows = page.locator(".action-widget .monaco-list-row.action");
  await rows.first().waitFor();
  const titles = (await rows.allInnerTexts()).map((title) => title.trim());
  const index = titles.indexOf("Save input as case");
  assert.ok(index >= 0, `no "Save input as case" in ${JSON.stringify(titles)}`);
  await screenshot("explore-save-menu");
  for (let step = 0; step < index; step += 1) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.locator(".notifications-toasts", { hasText: "Added a case to split_bill.cases.json" }).first().waitFor({ timeout: WAIT_MS });
  // The new cases file is an unsaved edit, as "+ Add as case" leaves it: shown and saved.
  await waitForState("the cases file created", () => existsSync(casesFile));
  await openNewFile(casesFile);
  const saved = () => {
    try {
      return JSON.parse(readFileSync(casesFile, "utf8")).cases?.length === 1;
    } catch {
      return false;
    }
  };
  await saveUntil(saved, "the explored case saved");
  const [added] = JSON.parse(readFileSync(casesFile, "utf8")).cases;
  assert.equal(added.name, `explored: ZeroDivisionError at line ${divides + 1}`);
  assert.deepEqual(added.inputs, { total: 0, people: 0 });
  await screenshot("explore-case-saved");
});

scenario("an exploration the project's configuration refuses says why once", async (t) => {
  const commands = serverCommands(capabilities);
  if (skipUnless(t, commands.has("scriptcontract.explore"), "the server has no scriptcontract.explore yet")) return;
  const config = path.join(workspace, "scriptcontract.toml");
  const original = readFileSync(config, "utf8");
  writeFileSync(config, original.replace("timeout-ms = 30000", 'timeout-ms = "soon"'));
  try {
    await openFile("split_bill.py");
    await paletteCommand("scriptcontract: Explore with Generated Inputs");
    const toasts = page.locator(".notifications-toasts .notification-list-item-message", { hasText: "Not explored" });
    await toasts.first().waitFor({ timeout: WAIT_MS });
    await screenshot("explore-refused");
    assert.match(await toasts.first().innerText(), /Not explored: the project's configuration has errors: scriptcontract\.toml: /);
    // Give a second message the time to come (the refusal above is the round trip).
    await page.waitForTimeout(1000);
    assert.equal(await toasts.count(), 1, "one message, not one from the server and one from the extension");
    await assertNoErrorDialog();
  } finally {
    writeFileSync(config, original);
  }
});

scenario("cancelling an exploration from its notification is quiet", async (t) => {
  const commands = serverCommands(capabilities);
  if (skipUnless(t, commands.has("scriptcontract.explore"), "the server has no scriptcontract.explore yet")) return;
  // Every run of this script waits until its timeout: the exploration is still going when cancelled.
  await openFile(WAITS_FOREVER_SCRIPT);
  await paletteCommand("scriptcontract: Explore with Generated Inputs");
  const toast = page.locator(".notifications-toasts .notification-toast", { hasText: `Exploring ${WAITS_FOREVER_SCRIPT}` });
  await toast.first().locator(".notification-list-item-message", { hasText: "generated inputs" }).waitFor({ timeout: WAIT_MS });
  await toast.first().locator(".monaco-button", { hasText: "Cancel" }).click();
  await toast.first().waitFor({ state: "hidden", timeout: WAIT_MS });
  // The server's answer to the cancel has come back by now; give an error message a moment.
  await page.waitForTimeout(1000);
  await screenshot("explore-cancelled");
  await assertNoErrorDialog();
  const toasts = await page.locator(".notifications-toasts .notification-list-item-message").allInnerTexts();
  assert.ok(!toasts.some((text) => text.includes(WAITS_FOREVER_SCRIPT)), JSON.stringify(toasts));
  assert.deepEqual(diagnosticsOf(readState(), WAITS_FOREVER_SCRIPT, "scriptcontract-explore"), []);
});

scenario("Debug with inputs stops at a breakpoint, shows a variable, continues and reports the result", async (t) => {
  const commands = serverCommands(capabilities);
  if (skipUnless(t, commands.has("scriptcontract.debugConfiguration") && commands.has("scriptcontract.debugRun"), "the server has no scriptcontract.debugConfiguration / debugRun yet")) return;
  await breakpointOnHelloReturn(); // on `return {"success": True, ...}`
  const lens = page.locator(".contentWidgets .codelens-decoration a", { hasText: "Debug with inputs" });
  await lens.first().waitFor({ timeout: WAIT_MS });
  await lens.first().click();
  const value = await runPrompt();
  assert.deepEqual(JSON.parse(value), { name: "Lighthouse" });
  await page.keyboard.press("Enter");
  // Stopped at the breakpoint: the session's first line says it runs confined, and the
  // Variables view shows the script's local `name` as the inputs gave it.
  await waitForState("the sandbox statement in the debug console", (state) =>
    state.debugConsole?.some((line) => line.includes("hello.py runs confined")),
  ).catch((error) => {
    assert.fail(`${error.message.slice(0, 300)}\ndebug console: ${JSON.stringify(readState()?.debugConsole)}\nDAP: ${JSON.stringify(readState()?.debugTrace)}`);
  });
  const variable = page.locator(".debug-pane .monaco-list-row", { hasText: /^\s*name\s*[=:]\s*'Lighthouse'\s*$/ });
  await variable.first().waitFor({ timeout: WAIT_MS });
  await page.locator(".debug-top-stack-frame-column, .debug-top-stack-frame-line").first().waitFor();
  await screenshot("debug-stopped-at-breakpoint");
  await page.keyboard.press("F5"); // continue
  // The result, reported as a run's: the status bar says it (in seconds, not milliseconds: this
  // run waited at the breakpoint, the earlier runs did not), the runs output is brought up.
  await page.locator(".statusbar-item", { hasText: /hello\.py [\d.]+ s/ }).first().waitFor({ timeout: WAIT_MS });
  await page.locator(".panel .monaco-editor .view-lines").first().waitFor();
  await screenshot("debug-result");
  const result = await waitForState("the debug run's result", (state) => state.lastRun?.result.execution_time_ms > 1000 && state.lastRun.result);
  assert.equal(result.success, true, JSON.stringify(result));
  assert.equal(result.exit_code, 0);
  assert.deepEqual(result.output, { success: true, message: "Hello, Lighthouse!" });
  assert.ok(result.sandbox.enforced.includes("filesystem"), JSON.stringify(result.sandbox));
  // The run lens shows this run's outcome (seconds: it waited at the breakpoint), not the
  // earlier runs' ("✓ 35 ms").
  await page.locator(VISIBLE_LENS, { hasText: /Run with inputs · ✓ [\d.]+ s/ }).first().waitFor({ timeout: WAIT_MS });
  // Leave the workbench as the other scenarios expect it: no panel over the editor, the Explorer.
  await paletteCommand("View: Hide Panel");
  await page.keyboard.press("Control+Shift+E");
});

scenario("Debug with inputs the declared schema refuses offers Debug Anyway, which starts the session", async (t) => {
  const commands = serverCommands(capabilities);
  if (skipUnless(t, commands.has("scriptcontract.debugConfiguration") && commands.has("scriptcontract.debugRun"), "the server has no scriptcontract.debugConfiguration / debugRun yet")) return;
  const schemaFile = path.join(workspace, "scripts", "hello.schema.json");
  writeFileSync(schemaFile, JSON.stringify({ type: "object", required: ["name"], properties: { name: { type: "string" } } }));
  const toast = page.locator(".notifications-toasts .notification-toast", { hasText: "cannot debug hello.py" });
  try {
    // The session runs to its end: without the breakpoint an earlier scenario left (F9 toggles
    // it; the scenarios that want it put it back).
    await openFile("hello.py");
    const line = lineOf("hello.py", "return {");
    const there = (state) => (state.breakpoints ?? []).some((b) => path.basename(b.path) === "hello.py" && b.line === line);
    const seen = readState()?.writes ?? 0;
    if (there(await waitForState("a fresh test-hook snapshot", (state) => state.writes > seen && state))) {
      await goToPosition(line, 4);
      await page.keyboard.press("F9");
      await waitForState("no breakpoint on hello.py's `return {` line", (state) => !there(state) && state);
    }
    const before = readState().lastRun;
    await paletteCommand("scriptcontract: Debug with Inputs…");
    await runPrompt();
    await page.locator(".quick-input-widget input").fill('{"nam": 3}');
    await page.keyboard.press("Enter");
    await toast.first().waitFor({ timeout: WAIT_MS });
    const text = await toast.first().locator(".notification-list-item-message").innerText();
    assert.match(text, /cannot debug hello\.py: the inputs do not match the declared schema scripts\/hello\.schema\.json; nothing was run \("Debug anyway" starts it\): name: expected a value \(required\), got nothing/);
    assert.deepEqual(readState().lastRun, before, "nothing ran");
    await screenshot("debug-refused-by-schema");
    await toast.first().locator(".monaco-button", { hasText: "Debug Anyway" }).click();
    const ran = await waitForState("the session's run anyway", (state) =>
      state.lastRun?.result?.success && JSON.stringify(state.lastRun.inputs) === '{"nam":3}' && state.lastRun,
    );
    assert.deepEqual(ran.result.output, { success: true, message: "Hello, World!" });
    assert.ok(readState().debugConsole.some((line) => line.includes("hello.py runs confined")));
    await assertNoErrorDialog();
    // Leave the workbench as the other scenarios expect it: no panel over the editor, the Explorer.
    await paletteCommand("View: Hide Panel");
    await page.keyboard.press("Control+Shift+E");
  } finally {
    rmSync(schemaFile, { force: true });
  }
});

/**
 * The text VS Code shows for the focused completion item once it holds `wanted`: its row
 * (the detail beside the label) or, when VS Code opens it, the details pane. Fails after
 * WAIT_MS with what the row showed.
 */
async function focusedDetail(wanted) {
  const row = page.locator(".suggest-widget .monaco-list-row.focused");
  const shown = page.locator(".suggest-widget .monaco-list-row.focused, .suggest-details").filter({ hasText: wanted });
  try {
    await shown.first().waitFor({ timeout: WAIT_MS });
  } catch {
    assert.fail(`the focused completion never showed ${wanted}: its row reads ${JSON.stringify(await row.innerText())}`);
  }
  return shown.first().innerText();
}

const GREET_SCRIPT = `import json
import sys

inputs = json.load(sys.stdin)
name = inputs["name"].strip()
times = int(inputs.get("times", 1))
print(json.dumps({"success": True, "message": ", ".join(["Hello " + name] * times)}))
`;

scenario("an inputs file shows its problems at their keys and completes the keys the script reads", async (t) => {
  if (skipUnless(t, capabilities?.definitionProvider, "the server does not check inputs files yet")) return;
  const fileName = "greet_keys.inputs.json";
  writeFileSync(path.join(workspace, "scripts", "greet_keys.py"), GREET_SCRIPT);
  const file = path.join(workspace, "scripts", fileName);
  writeFileSync(file, '{\n  "nam": "Ada",\n  "name": 5\n}\n');
  await openNewFile(file);
  const shown = (state) =>
    diagnosticsOf(state, fileName, "scriptcontract-inputs").map((d) => `${d.range.start.line} ${d.code} ${d.severity}`).sort();
  const first = await waitForState("the inputs file's diagnostics", (state) => shown(state).length === 2 && shown(state));
  assert.deepEqual(first, ["1 unread-key information", "2 wrong-type warning"]);
  await screenshot("inputs-file-diagnostics");
  // Half-typed JSON: VS Code's JSON service says where it stops parsing, and only it (the
  // server's own syntax error, for editors without such a service, is not shown twice).
  // The server's warnings going away is the sign it read the broken text.
  await goToPosition(2, 11);
  await page.keyboard.type("x");
  const broken = await waitForState("VS Code's syntax error, and the server's warnings gone", (state) => {
    const entry = state.diagnostics.find((item) => path.basename(item.path) === fileName);
    const all = entry?.diagnostics ?? [];
    return shown(state).length === 0 && all.some((d) => d.source === "json") && all;
  });
  // Every error is VS Code's own (it may report more than one place it could not parse).
  assert.ok(broken.every((d) => d.source === "json"), JSON.stringify(broken));
  await page.keyboard.press("Backspace");
  await waitForState("the inputs file's diagnostics again", (state) => shown(state).length === 2);
  // The unread key's line deleted, then the number quoted (a selection typed over with `"`
  // is surrounded): nothing is left to say.
  await goToPosition(1, 0);
  await page.keyboard.press("Control+Shift+K");
  await goToPosition(1, 10);
  await page.keyboard.press("Shift+ArrowRight");
  await page.keyboard.type('"');
  await waitForState("no diagnostics left", (state) => state.diagnostics.some((e) => path.basename(e.path) === fileName) && shown(state).length === 0);
  // A new member: completion offers the key not written yet, with its type and default.
  await page.keyboard.press("End");
  await page.keyboard.type(",");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Control+Space");
  const rows = page.locator(".suggest-widget .monaco-list-row");
  await rows.filter({ hasText: "times" }).first().waitFor();
  await screenshot("inputs-file-completion");
  const labels = (await rows.locator(".label-name").allInnerTexts()).map((label) => label.trim());
  const index = labels.indexOf("times");
  assert.ok(index >= 0, `no "times" in the suggestions: ${JSON.stringify(labels)}`);
  assert.ok(!labels.includes("name"), `"name" is written already: ${JSON.stringify(labels)}`);
  for (let step = 0; step < index; step += 1) await page.keyboard.press("ArrowDown");
  // The focused item's detail: in its row, or in the details pane when VS Code shows that
  // (on a loaded machine the row was drawn without it for 30 s, twice in one CI run).
  assert.match(await focusedDetail(/integer, optional, default 1/), /integer, optional, default 1/);
  await page.keyboard.press("Enter");
  await page.keyboard.press("Escape");
  await saveUntil(() => {
    try {
      return JSON.stringify(JSON.parse(readFileSync(file, "utf8"))) === JSON.stringify({ name: "5", times: 1 });
    } catch {
      return false;
    }
  }, "the completed key in the saved inputs file");
});

const MODES_SCRIPT = `import json
import sys

inputs = json.load(sys.stdin)
mode = inputs.get("mode", "fast")
if mode not in ("fast", "slow"):
    raise SystemExit("unknown mode")
print(json.dumps({"success": True, "mode": mode}))
`;

scenario("after a key's colon, completion offers the values the schema knows and replaces the half-typed string", async (t) => {
  if (skipUnless(t, capabilities?.definitionProvider, "the server does not check inputs files yet")) return;
  const fileName = "modes.inputs.json";
  writeFileSync(path.join(workspace, "scripts", "modes.py"), MODES_SCRIPT);
  const file = path.join(workspace, "scripts", fileName);
  writeFileSync(file, '{\n  "mode": \n}\n');
  await openNewFile(file);
  // The quote typed after the colon is closed by VS Code and asks the server (a trigger
  // character): the default comes first, preselected.
  await goToPosition(1, 10);
  await page.keyboard.type('"');
  await page.keyboard.press("Control+Space");
  const rows = page.locator(".suggest-widget .monaco-list-row");
  await rows.filter({ hasText: '"slow"' }).first().waitFor();
  await screenshot("inputs-file-value-completion");
  const labels = (await rows.locator(".label-name").allInnerTexts()).map((label) => label.trim());
  assert.deepEqual(labels.slice(0, 2), ['"fast"', '"slow"'], JSON.stringify(labels));
  assert.match(await page.locator(".suggest-widget .monaco-list-row.focused").innerText(), /"fast"/);
  assert.match(await focusedDetail(/the default/), /the default/);
  // Typed on, the list narrows; the choice replaces the whole string, both quotes.
  await page.keyboard.type("sl");
  await page.locator(".suggest-widget .monaco-list-row.focused", { hasText: '"slow"' }).waitFor();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Escape");
  await saveUntil(() => {
    try {
      return readFileSync(file, "utf8") === '{\n  "mode": "slow"\n}\n';
    } catch {
      return false;
    }
  }, "the completed value in the saved inputs file");
});

scenario("Debug case from the Test Explorer stops with the case's inputs, and its verdict is the test's result", async (t) => {
  const commands = serverCommands(capabilities);
  if (skipUnless(t, commands.has("scriptcontract.debugRun") && commands.has("scriptcontract.runCases"), "the server has no debug runs or cases yet")) return;
  await breakpointOnHelloReturn();
  const tree = await waitForTests("the cases in the Test Explorer", (tests) => tests.tree.length > 0 && tests.tree);
  // A case only hello.py has (broken_no_error_handling.py has a "greets by name" too).
  const wanted = tree.find((item) => item.label === "hello.py").cases.find((item) => item.label === "greets with the inputs file");
  const consoleBefore = readState()?.debugConsole?.length ?? 0;
  const runsBefore = readTests()?.runs ?? 0;
  await paletteCommand("Testing: Focus on Test Explorer View");
  const helloRow = page.locator(".test-explorer .monaco-list-row", { hasText: "hello.py" }).first();
  await helloRow.waitFor({ timeout: WAIT_MS });
  if ((await helloRow.getAttribute("aria-expanded")) === "false") await helloRow.click();
  const row = page.locator(".test-explorer .monaco-list-row", { hasText: "greets with the inputs file" }).first();
  await row.waitFor({ timeout: WAIT_MS });
  await row.hover();
  await row.locator(".codicon-testing-debug-icon").first().click();
  // Stopped at the breakpoint with the case's inputs: `name` is its inputs file's "Lighthouse".
  await waitForState("the case's session in the debug console", (state) =>
    state.debugConsole?.slice(consoleBefore).some((line) => line.includes("hello.py runs confined")),
  );
  const variable = page.locator(".debug-pane .monaco-list-row", { hasText: /^\s*name\s*[=:]\s*'Lighthouse'\s*$/ });
  await variable.first().waitFor({ timeout: WAIT_MS });
  await screenshot("debug-case-stopped-at-breakpoint");
  await page.keyboard.press("F5"); // continue
  // The verdict is the case's result in the Test Explorer, and the debug console's last line;
  // the run is reported as a run's.
  const results = await waitForTests("the debugged case's verdict", (tests) =>
    tests.runs > runsBefore && tests.lastRun.length === 1 && tests.lastRun[0] === wanted.id && tests,
  );
  assert.equal(results.results[wanted.id].outcome, "passed", JSON.stringify(results.results[wanted.id]));
  const state = await waitForState("the verdict in the debug console", (state) =>
    state.debugConsole?.slice(consoleBefore).includes('scriptcontract: case "greets with the inputs file": ✓ passed') && state,
  );
  assert.deepEqual(state.lastRun.result.output, { success: true, message: "Hello, Lighthouse!" });
  // hello.py's run lens shows this run's outcome too.
  await showTab("hello.py");
  await page.locator(VISIBLE_LENS, { hasText: /Run with inputs · ✓ [\d.]+ s/ }).first().waitFor({ timeout: WAIT_MS });
  await screenshot("debug-case-result");
  await paletteCommand("View: Hide Panel");
  await paletteCommand("View: Show Explorer");
});

// --- A restart the settings ask for waits for the end of a debug session (issue 16) ----------

/** The lines of the extension's log (the scriptcontract channel's file), as they are now. */
function serverLogLines() {
  const logs = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/scriptcontract\.log$/.test(entry.name) && !full.includes("runs")) logs.push(full);
    }
  };
  walk(path.join(work, "user-data"));
  return logs.flatMap((file) => readFileSync(file, "utf8").split("\n").filter((line) => line.trim()));
}

const HELD = "settings changed during a debug session: the server is not restarted before it ends";

/** How many times the log says a restart waits for the debug sessions to end. */
function held() {
  return serverLogLines().filter((line) => line.includes(HELD)).length;
}

/** How many times the log says the server started with `command` as its interpreter. */
function startsWith(command) {
  return serverLogLines().filter((line) => line.includes(`[info] interpreter: ${command} (setting)`)).length;
}

/** Another command for the same interpreter: a change of scriptcontract.interpreter that works. */
function otherInterpreter() {
  const real = spawnSync(python, ["-I", "-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).stdout.trim();
  assert.ok(real, `cannot ask ${python} for its executable`);
  const wrapper = path.join(work, "python-for-the-server");
  writeFileSync(wrapper, `#!/bin/sh\nexec '${real}' "$@"\n`, { mode: 0o755 });
  return wrapper;
}

const FOLDER_SETTINGS = () => path.join(workspace, ".vscode", "settings.json");

/** Sets (or, with undefined, removes) the folder's scriptcontract.interpreter. */
function setFolderInterpreter(command) {
  const file = FOLDER_SETTINGS();
  if (command === undefined) {
    rmSync(path.dirname(file), { recursive: true, force: true });
    return;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ "scriptcontract.interpreter": command }));
}

/** Waits for the server to have started once more with `command`, and to run. */
async function restartedWith(command, before, what) {
  await waitForState(what, (state) => startsWith(command) > before && state.serverState === "running");
}

scenario("a change of scriptcontract.interpreter restarts the server when no debug session runs", async (t) => {
  if (skipUnless(t, true, "")) return;
  const other = otherInterpreter();
  const [otherBefore, usualBefore] = [startsWith(other), startsWith(python)];
  const heldBefore = held();
  try {
    setFolderInterpreter(other);
    await restartedWith(other, otherBefore, "the server restarted with the folder's interpreter");
  } finally {
    setFolderInterpreter(undefined);
  }
  await restartedWith(python, usualBefore, "the server restarted with the usual interpreter");
  assert.equal(held(), heldBefore, "no debug session: no restart was held");
});

scenario("a restart the settings ask for during a debug session waits for its end, and the run's result arrives", async (t) => {
  const commands = serverCommands(capabilities);
  if (skipUnless(t, commands.has("scriptcontract.debugConfiguration") && commands.has("scriptcontract.debugRun"), "the server has no debug runs yet")) return;
  const other = otherInterpreter();
  await breakpointOnHelloReturn();
  const lens = page.locator(VISIBLE_LENS, { hasText: "Debug with inputs" });
  await lens.first().waitFor({ timeout: WAIT_MS });
  await lens.first().click();
  await runPrompt();
  await page.locator(".quick-input-widget input").fill('{"name": "Held"}');
  await page.keyboard.press("Enter");
  const variable = page.locator(".debug-pane .monaco-list-row", { hasText: /^\s*name\s*[=:]\s*'Held'\s*$/ });
  await variable.first().waitFor({ timeout: WAIT_MS });
  // Stopped at the breakpoint: the setting changes. The log says the restart waits (what a
  // session's start may have logged is counted before), and the server was not restarted.
  const heldBefore = held();
  const [otherBefore, usualBefore] = [startsWith(other), startsWith(python)];
  try {
    setFolderInterpreter(other);
    // Either: a restart during the session would end its run.
    await waitForState("the restart held (or done)", () => held() > heldBefore || startsWith(other) > otherBefore);
    assert.equal(startsWith(other), otherBefore, "the server restarted during the debug session");
    assert.ok(held() > heldBefore);
    assert.equal(readState().serverState, "running");
    await screenshot("debug-restart-held");
    await page.keyboard.press("F5"); // continue
    const result = await waitForState("the debug run's result", (state) => state.lastRun?.inputs?.name === "Held" && state.lastRun.result);
    assert.equal(result.success, true, JSON.stringify(result));
    assert.deepEqual(result.output, { success: true, message: "Hello, Held!" });
    // The session over, the restart that waited is done.
    await restartedWith(other, otherBefore, "the server restarted after the session");
  } finally {
    setFolderInterpreter(undefined);
  }
  await restartedWith(python, usualBefore, "the server restarted with the usual interpreter");
  await paletteCommand("View: Hide Panel");
  await paletteCommand("View: Show Explorer");
});

const IMPORTS_FANCYLIB = `import json
import sys

import fancylib

print(json.dumps({"success": True, "greeting": fancylib.shout(json.load(sys.stdin)["name"])}))
`;

scenario("a run missing a module the project's .venv has offers Use .venv/bin/python for runs, which sets it and runs again", async (t) => {
  const commands = serverCommands(capabilities);
  if (skipUnless(t, commands.has("scriptcontract.usePython"), "the server offers no interpreter for runs yet")) return;
  const venv = path.join(workspace, ".venv");
  const made = spawnSync(python, ["-m", "venv", "--without-pip", venv], { encoding: "utf8" });
  assert.equal(made.status, 0, made.stderr);
  const lib = path.join(venv, "lib");
  const site = path.join(lib, readdirSync(lib).find((name) => name.startsWith("python3")), "site-packages");
  writeFileSync(path.join(site, "fancylib.py"), "def shout(text):\n    return text.upper()\n");
  const script = path.join(workspace, "scripts", "uses_fancylib.py");
  writeFileSync(script, IMPORTS_FANCYLIB);
  try {
    await openNewFile(script);
    await paletteCommand("scriptcontract: Run with Inputs…");
    await runPrompt();
    await page.locator(".quick-input-widget input").fill('{"name": "ada"}');
    await page.keyboard.press("Enter");
    const missing = await waitForState("the missing module's run diagnostic", (state) => {
      const found = diagnosticsOf(state, "uses_fancylib.py", "scriptcontract-run");
      return state.lastRun?.script === "uses_fancylib.py" && found.length > 0 && found[0];
    });
    assert.match(missing.message, /^ModuleNotFoundError: No module named 'fancylib' — .*the project's \.venv\/ has it/);
    await goToPosition(missing.range.start.line, missing.range.start.character);
    await page.keyboard.press("Control+.");
    const rows = page.locator(".action-widget .monaco-list-row.action");
    await rows.first().waitFor();
    const titles = await rows.allInnerTexts();
    const index = titles.findIndex((title) => title.trim() === "Use .venv/bin/python for runs");
    assert.ok(index >= 0, `no "Use .venv/bin/python for runs" in ${JSON.stringify(titles)}`);
    await screenshot("use-python-menu");
    for (let step = 0; step < index; step += 1) await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    // The folder's setting is written, and the message offers to run again once the server has it.
    const toast = page.locator(".notifications-toasts .notification-toast", { hasText: "now use .venv/bin/python" });
    await toast.first().waitFor({ timeout: WAIT_MS });
    assert.equal(JSON.parse(readFileSync(FOLDER_SETTINGS(), "utf8"))["scriptcontract.run.python"], ".venv/bin/python");
    await screenshot("use-python-set");
    await toast.first().locator(".monaco-button", { hasText: "Run Again" }).click();
    // Again with the same inputs, now with the environment's interpreter: the module is there.
    const result = await waitForState("the run again with .venv/bin/python", (state) =>
      state.lastRun?.script === "uses_fancylib.py" && state.lastRun.result?.success && state.lastRun.result,
    );
    assert.deepEqual(result.output, { success: true, greeting: "ADA" });
    await waitForState("the run diagnostic gone", (state) => diagnosticsOf(state, "uses_fancylib.py", "scriptcontract-run").length === 0);
  } finally {
    rmSync(path.dirname(FOLDER_SETTINGS()), { recursive: true, force: true });
    rmSync(venv, { recursive: true, force: true });
  }
});
