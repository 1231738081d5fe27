/** Tests of how a run's result is summarised in the status bar and reported in the output. */

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  asExecutionResult,
  casesNotRunMessage,
  cancelledSummary,
  failureSummary,
  formatCancelled,
  formatReport,
  inputsWarningMessage,
  notRunMessage,
  statusSummary,
} from "../src/result";

test("a success shows the script and its time", () => {
  const summary = statusSummary("hello.py", { success: true, execution_time_ms: 35.4 });
  assert.equal(summary.text, "$(check) hello.py 35 ms");
  assert.equal(summary.failed, false);
});

test("a failure is headed by the server's outcome: the exception, not the exit status", () => {
  const result = {
    success: false,
    exit_code: 1,
    error_type: "KeyError",
    error: "Script exited with code 1",
    outcome: "✗ KeyError: 'name'",
  };
  assert.equal(failureSummary(result), "KeyError: 'name'");
  const summary = statusSummary("greet.py", result);
  assert.equal(summary.failed, true);
  assert.equal(summary.text, "$(error) greet.py KeyError: 'name'");
});

test("without the server's outcome, a failure still shows the exit code and the exception", () => {
  const result = { success: false, exit_code: 1, error_type: "KeyError", error: "'name'" };
  assert.equal(failureSummary(result), "exit 1: KeyError: 'name'");
});

test("a cancelled run says so, quietly", () => {
  const summary = cancelledSummary("slow.py");
  assert.equal(summary.text, "$(circle-slash) slow.py cancelled");
  assert.equal(summary.failed, false);
  const report = formatCancelled({ script: "slow.py", inputs: {}, finishedAt: new Date(2026, 0, 2, 3, 4, 5) });
  assert.match(report, /^=== 03:04:05 slow\.py: cancelled/);
});

test("a timeout says so, in seconds", () => {
  assert.equal(
    failureSummary({ success: false, timed_out: true, execution_time_ms: 30000, error: "Script execution timed out after 30000ms" }),
    "timed out after 30.0 s",
  );
});

test("long messages are cut for the status bar, not for the report", () => {
  const error = "x".repeat(300);
  const result = { success: false, exit_code: 1, error };
  assert.ok(statusSummary("s.py", result).text.length < 80);
  assert.ok(formatReport({ script: "s.py", result, finishedAt: new Date(0) }).includes(error));
});

const HELLO_RESULT = {
  success: true,
  outcome: "✓ 12 ms",
  output: { success: true, message: "Hello, Lighthouse!" },
  stderr: "debug: starting\n",
  execution_time_ms: 12,
  mode: "cold",
  sandbox: { enforced: ["landlock", "seccomp"], missing: [] },
};

test("the report leads with the outcome, inputs, output and stderr; no sandbox internals", () => {
  const report = formatReport({
    script: "hello.py",
    inputs: { name: "Lighthouse" },
    result: HELLO_RESULT,
    finishedAt: new Date(2026, 0, 2, 3, 4, 5),
  });
  const lines = report.split("\n");
  assert.equal(lines[0], "=== 03:04:05 hello.py: ✓ succeeded in 12 ms (cold)");
  assert.equal(lines[1], 'inputs: {"name":"Lighthouse"}');
  assert.match(report, /--- output ---\n\{\n {2}"success": true,\n {2}"message": "Hello, Lighthouse!"/);
  assert.match(report, /--- stderr ---\ndebug: starting\n/);
  assert.doesNotMatch(report, /sandbox|full result|landlock/);
  assert.ok(lines.length < 15, report);
});

test("the output is shown as the server wrote it: keys in order, numbers as the script wrote them", () => {
  // What JSON.parse made of {"b": 6.0, "id": 12345678901234567890, "10": 1} on the way in.
  const decoded = { success: true, output: { 10: 1, b: 6, id: 12345678901234567000 } };
  const text = '{\n  "b": 6.0,\n  "id": 12345678901234567890,\n  "10": 1\n}';
  const report = formatReport({ script: "s.py", result: { ...decoded, output_text: text }, finishedAt: new Date(0) });
  assert.ok(report.includes(`--- output ---\n${text}\n`), report);
  // An older server sends no text: the decoded output, as before.
  const older = formatReport({ script: "s.py", result: decoded, finishedAt: new Date(0) });
  assert.match(older, /--- output ---\n\{\n {2}"10": 1,/);
});

test("the sandbox is named when a protection was missing, the whole record on request", () => {
  const missing = { ...HELLO_RESULT, sandbox: { enforced: ["limits"], missing: ["landlock"] } };
  const report = formatReport({ script: "hello.py", result: missing, finishedAt: new Date(0) });
  assert.match(report, /sandbox: not enforced here: landlock/);
  assert.doesNotMatch(report, /full result/);
  const full = formatReport({ script: "hello.py", result: missing, finishedAt: new Date(0), full: true });
  assert.match(full, /--- full result ---\n\{\n {2}"success": true/);
});

test("without parsed output the raw stdout is shown, marked when truncated", () => {
  const report = formatReport({
    script: "bad.py",
    result: { success: false, exit_code: 0, error: "Invalid JSON output from script", stdout: "Starting...\n{}", stdout_truncated: true },
    finishedAt: new Date(0),
  });
  assert.match(report, /--- stdout \(truncated\) ---\nStarting\.\.\.\n\{\}/);
  assert.match(report, /error: Invalid JSON output from script/);
});

test("only objects with a boolean success are taken for results", () => {
  assert.ok(asExecutionResult({ success: false }));
  assert.equal(asExecutionResult({ success: "yes" }), undefined);
  assert.equal(asExecutionResult(null), undefined);
});

test("an exception's report is headed once (no \"Script exited with code 1\")", () => {
  const report = formatReport({
    script: "greet.py",
    result: {
      success: false,
      outcome: "✗ KeyError: 'name'",
      exit_code: 1,
      error_type: "KeyError",
      error: "Script exited with code 1",
      stderr: "Traceback (most recent call last):\n  File \"greet.py\", line 5, in <module>\nKeyError: 'name'\n",
    },
    finishedAt: new Date(0),
  });
  assert.match(report.split("\n")[0], /greet\.py: ✗ KeyError: 'name'$/);
  assert.doesNotMatch(report, /Script exited with code/);
  assert.match(report, /--- stderr ---\nTraceback/);
});

test("paths in the project are shown relative to its folder", () => {
  const report = formatReport({
    script: "greet.py",
    root: "/home/ada/project",
    result: {
      success: false,
      stderr: 'Traceback (most recent call last):\n  File "/home/ada/project/scripts/greet.py", line 5, in <module>\n',
      timeout_stack:
        "Current thread 0x00007fa357460b80 (most recent call first):\n" +
        '  File "/home/ada/project/scripts/greet.py", line 9 in <module>\n' +
        '  File "/opt/scriptcontract/executor/sandbox/boot.py", line 231 in run_script\n',
    },
    finishedAt: new Date(0),
  });
  assert.match(report, /File "scripts\/greet\.py", line 5/);
  assert.match(report, /File "scripts\/greet\.py", line 9/);
  assert.doesNotMatch(report, /home\/ada|boot\.py/); // nor the sandbox's own frames
  // Nor the thread's address: the section says the order.
  assert.match(report, /--- where it was when the time ran out, innermost call first ---\n {2}File "scripts\/greet\.py", line 9/);
  assert.doesNotMatch(report, /0x00007fa357460b80/);
});

test("a run that did not start says why once, without the server's own \"Not run\"", () => {
  const message = notRunMessage("hello.py", {
    success: false,
    error_kind: "setup",
    error: "Not run: the project's configuration has errors: scriptcontract.toml: timeout-ms: …",
  });
  assert.equal(message, "scriptcontract: hello.py did not run: the project's configuration has errors: scriptcontract.toml: timeout-ms: …");
  const unsaved = notRunMessage("hello.py", { success: false, error_kind: "validation", error: "hello.py has unsaved changes" });
  assert.equal(unsaved, "scriptcontract: hello.py did not run: hello.py has unsaved changes");
});

test("a run its declared schema refused says every problem on the message's one line", () => {
  const message = notRunMessage("order.py", {
    success: false,
    error_kind: "validation",
    error:
      'Not run: the inputs do not match the declared schema scripts/order.schema.json; nothing was run ("Run anyway" runs it):\n' +
      '  - mode: expected one of ["fast", "slow"], got "turbo" (string)\n' +
      '  - n: expected integer, got "x" (string)',
    runAnyway: { schemaCheck: false },
  });
  assert.equal(
    message,
    'scriptcontract: order.py did not run: the inputs do not match the declared schema scripts/order.schema.json; nothing was run ("Run anyway" runs it): ' +
      'mode: expected one of ["fast", "slow"], got "turbo" (string); n: expected integer, got "x" (string)',
  );
});

test("a warning on a run's inputs is said by its problems and kept in the report", () => {
  const warning =
    "the inputs may not be what the script reads (schema inferred from the code; `scriptcontract schema hello.py --write` declares one):\n" +
    "  - nam: hello.py never reads this key (did you mean name?)";
  assert.equal(
    inputsWarningMessage("hello.py", warning),
    "scriptcontract: hello.py: check the inputs: nam: hello.py never reads this key (did you mean name?)",
  );
  const report = formatReport({
    script: "hello.py",
    inputs: { nam: "Ada" },
    result: { success: true, output: { message: "Hello, World!" }, warning },
    finishedAt: new Date(0),
  });
  assert.match(report, /inputs: \{"nam":"Ada"\}\n--- warning ---\nthe inputs may not be[^\n]*\n {2}- nam: hello\.py never reads/);
  // The control: no warning, no section.
  const quiet = formatReport({ script: "hello.py", result: { success: true }, finishedAt: new Date(0) });
  assert.doesNotMatch(quiet, /--- warning ---/);
});

test("cases their declared schema refused say which and why on one line", () => {
  const error =
    'Not run: inputs that do not match the declared schema; nothing was run ("Run anyway" runs them):\n' +
    "  order.py::wrong type (against scripts/order.schema.json):\n" +
    '    - n: expected integer, got "x" (string)';
  assert.equal(
    casesNotRunMessage(error),
    'scriptcontract: cases not run: inputs that do not match the declared schema; nothing was run ("Run anyway" runs them): ' +
      'order.py::wrong type (against scripts/order.schema.json): n: expected integer, got "x" (string)',
  );
});

const SCHEMA_REFUSAL = {
  success: false,
  error_kind: "validation",
  error:
    'Not run: the inputs do not match the declared schema scripts/hello.schema.json; nothing was run ("Run anyway" runs it):\n  - name: expected a value (required), got nothing',
  outcome: "✗ not run: the inputs do not match the declared schema scripts/hello.schema.json; nothing…",
  runAnyway: { schemaCheck: false },
};

test("a refused run is a warning in the status bar, not a failure, and a click runs it anyway", () => {
  const summary = statusSummary("hello.py", SCHEMA_REFUSAL);
  assert.equal(summary.failed, false);
  assert.equal(summary.notRun, true);
  assert.match(summary.text, /^\$\(warning\) hello\.py not run: /);
  assert.match(summary.tooltip, /^scriptcontract: hello\.py was not run: the inputs do not match .*Click to run it anyway\.$/);
  // A refusal with no way round (the configuration's) is a warning too, and a click reports.
  const configuration = { success: false, error_kind: "validation", outcome: "✗ not run: the project's configuration has errors" };
  const plain = statusSummary("hello.py", configuration);
  assert.equal(plain.failed, false);
  assert.match(plain.tooltip, /Click for the run's report\.$/);
  // The control: a script that ran and failed is a failure.
  assert.equal(statusSummary("hello.py", { success: false, exit_code: 1, outcome: "✗ exit 1: no" }).failed, true);
});

test("a refused run's report says how to run it anyway, below why; a run that started does not", () => {
  const report = formatReport({ script: "hello.py", inputs: {}, result: SCHEMA_REFUSAL, finishedAt: new Date(0) });
  assert.match(report, /error: Not run: the inputs do not match[^]*got nothing\nTo run it anyway: “Run Anyway” on its message, the status bar item, or “scriptcontract: Run Anyway” in the Command Palette\.\n/);
  const ran = formatReport({ script: "hello.py", result: { success: true, execution_time_ms: 3 }, finishedAt: new Date(0) });
  assert.ok(!ran.includes("run it anyway"), ran);
});
