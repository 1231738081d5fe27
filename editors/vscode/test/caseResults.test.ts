/** Tests of how the test explorer reads the server's answers about cases. */

import assert from "node:assert/strict";
import { test } from "node:test";

import { caseId, failureText, parseCaseId, plan, refusedCases, summary } from "../src/caseResults";

const FILE = "file:///p/scripts/hello.cases.json";

test("a case's id gives back its file and its name, whatever the name holds", () => {
  for (const name of ["greets Ada", "a#case=b", "ü / ?", ""]) {
    assert.deepEqual(parseCaseId(caseId(FILE, name)), { casesUri: FILE, name });
  }
  assert.equal(parseCaseId(FILE), undefined);
});

test("a file asked for whole runs whole; single cases run by name, each once", () => {
  const other = "file:///p/scripts/other.cases.json";
  const planned = plan([other], [caseId(FILE, "a"), caseId(FILE, "b"), caseId(FILE, "a"), caseId(other, "x")]);
  assert.deepEqual([...planned.entries()], [
    [other, undefined],
    [FILE, ["a", "b"]],
  ]);
});

test("a failure reads as the differences, then the traceback and stderr", () => {
  const text = failureText({
    name: "greets",
    outcome: "failed",
    message: "output differs",
    durationMs: 3,
    range: { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } },
    differences: [{ where: "output.message", kind: "changed", message: 'output.message: expected "a", got "b"' }],
    traceback: "scripts/hello.py:7 in main: KeyError: 'name'",
    stderrTail: ["Traceback (most recent call last):", "KeyError: 'name'"],
  });
  assert.equal(
    text,
    [
      "output differs",
      'output.message: expected "a", got "b"',
      "traceback ended at scripts/hello.py:7 in main: KeyError: 'name'",
      "stderr (last lines):",
      "  Traceback (most recent call last):",
      "  KeyError: 'name'",
    ].join("\n"),
  );
});

test("the summary counts the cases as the command line does", () => {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const passed = { name: "a", outcome: "passed" as const, message: "passed", durationMs: 1, range };
  // In the words of `scriptcontract test` ("12 cases: 11 passed, 1 failed (0.3 s)").
  assert.equal(summary({ cases: [passed] }), "1 case: 1 passed");
  assert.equal(summary({ cases: [passed, passed] }), "2 cases: 2 passed");
  assert.equal(summary({ cases: [passed, { ...passed, outcome: "failed" }] }), "2 cases: 1 passed, 1 failed");
  const notRun = { ...passed, outcome: "error" as const };
  assert.equal(summary({ cases: [notRun, { ...passed, outcome: "failed" }] }), "2 cases: 0 passed, 1 failed, 1 not run");
});

test("of refused cases, those the server names are refused with their own words, the rest may run", () => {
  const answer = {
    error: "Not run: inputs that do not match the declared schema ...",
    cases: [],
    runAnyway: { schemaCheck: false },
    refused: [{ name: "b", message: "Not run: b's problems" }],
  };
  const split = refusedCases(["a", "b", "c"], answer);
  assert.deepEqual([...split.refused.entries()], [["b", "Not run: b's problems"]]);
  assert.deepEqual(split.others, ["a", "c"]);
  // Without the list (a schema that cannot be used), or none of them in it: all are refused alike.
  const whole = refusedCases(["a", "c"], { ...answer, refused: undefined });
  assert.deepEqual([...whole.refused.keys()], ["a", "c"]);
  assert.deepEqual(whole.others, []);
  assert.deepEqual(refusedCases(["a"], answer).others, []);
});
