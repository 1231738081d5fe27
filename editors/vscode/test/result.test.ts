/** Tests of how a run's result is summarised in the status bar and reported in the output. */

import assert from "node:assert/strict";
import { test } from "node:test";

import { asExecutionResult, failureSummary, formatReport, statusSummary } from "../src/result";

test("a success shows the script and its time", () => {
  const summary = statusSummary("hello.py", { success: true, execution_time_ms: 35.4 });
  assert.equal(summary.text, "$(check) hello.py 35 ms");
  assert.equal(summary.failed, false);
});

test("a failure shows the exit code and the exception", () => {
  const result = { success: false, exit_code: 1, error_type: "KeyError", error: "'name'" };
  assert.equal(failureSummary(result), "exit 1: KeyError: 'name'");
  const summary = statusSummary("greet.py", result);
  assert.equal(summary.failed, true);
  assert.match(summary.text, /^\$\(error\) greet\.py exit 1: KeyError/);
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

test("the report carries inputs, output, stderr, the sandbox and the full result", () => {
  const report = formatReport({
    script: "hello.py",
    inputs: { name: "Lighthouse" },
    result: {
      success: true,
      output: { success: true, message: "Hello, Lighthouse!" },
      stderr: "debug: starting\n",
      execution_time_ms: 12,
      mode: "cold",
      sandbox: { enforced: ["landlock", "seccomp"], missing: [] },
    },
    finishedAt: new Date("2026-01-02T03:04:05Z"),
  });
  assert.match(report, /^=== 2026-01-02T03:04:05\.000Z hello\.py: succeeded in 12 ms \[cold\]/);
  assert.match(report, /inputs: \{"name":"Lighthouse"\}/);
  assert.match(report, /--- output ---\n\{\n {2}"success": true,\n {2}"message": "Hello, Lighthouse!"/);
  assert.match(report, /--- stderr ---\ndebug: starting\n/);
  assert.match(report, /sandbox: enforced landlock, seccomp/);
  assert.match(report, /--- full result ---/);
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
