/** Tests of the server's command line for each import strategy. */

import assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";

import { importStrategy, probeProcess, serverProcess } from "../src/launch";

const extension = path.join("/ext", "scriptcontract");
const launcher = path.join(extension, "bundled", "tool", "serve.py");

test("the bundled server runs isolated from the user's PYTHONPATH", () => {
  assert.deepEqual(serverProcess("/usr/bin/python3", extension, "useBundled"), {
    command: "/usr/bin/python3",
    args: ["-I", launcher],
  });
  assert.deepEqual(probeProcess("python3", extension, "useBundled").args, ["-I", launcher, "--probe"]);
});

test("the environment's server keeps the environment", () => {
  assert.deepEqual(serverProcess("/venv/bin/python", extension, "fromEnvironment").args, [
    launcher,
    "--from-environment",
  ]);
});

test("unknown import strategies fall back to the bundled server", () => {
  assert.equal(importStrategy("fromEnvironment"), "fromEnvironment");
  assert.equal(importStrategy("useBundled"), "useBundled");
  assert.equal(importStrategy(undefined), "useBundled");
  assert.equal(importStrategy("somethingElse"), "useBundled");
});
