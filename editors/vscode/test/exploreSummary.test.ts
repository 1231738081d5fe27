/** Tests of what the notification says after "Explore with Generated Inputs". */

import assert from "node:assert/strict";
import { test } from "node:test";

import { exploreSummary } from "../src/exploreSummary";

test("the summary says why the exploration stopped, in the server's words", () => {
  const atTime = { seed: 7, runs: 31, stopped: "stopped at the time budget of 60 s", failures: [] };
  assert.equal(
    exploreSummary("slow.py", atTime),
    "slow.py: no failure in 31 runs (seed 7); stopped at the time budget of 60 s",
  );
  const atRuns = {
    seed: 5,
    runs: 150,
    stopped: "stopped at the run budget of 200 runs, a quarter kept for shrinking",
    failures: [{ kind: "exception", errorType: "ZeroDivisionError" }],
  };
  assert.equal(
    exploreSummary("divides.py", atRuns),
    "divides.py: 1 failure in 150 runs (seed 5); stopped at the run budget of 200 runs, a quarter kept for shrinking",
  );
});

test("an answer without the reason (an older server) is summed up without it", () => {
  const answer = { seed: 1, runs: 40, failures: [{ kind: "timeout" }, { kind: "exception" }] };
  assert.equal(exploreSummary("a.py", answer), "a.py: 2 failures in 40 runs (seed 1)");
});

test("a refusal is said as the server said it", () => {
  const error = "Not explored: a.py has unsaved changes";
  assert.equal(exploreSummary("a.py", { error, stopped: "ignored" }), error);
});
