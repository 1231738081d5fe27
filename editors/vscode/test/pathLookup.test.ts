/** Tests of the PATH look-up of the language server's interpreter: a planted one is refused. */

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";

import { lookUpProgram, refusedMessage } from "../src/pathLookup";

/** A workspace folder with `bin/python3` planted (as a run could), and the same outside it. */
function layout(): { workspace: string; outside: string } {
  const top = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "sc-path-")));
  const workspace = path.join(top, "project");
  const outside = path.join(top, "tools");
  for (const folder of [path.join(workspace, "bin"), outside]) {
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, "python3"), "#!/bin/sh\necho started\n", { mode: 0o755 });
  }
  return { workspace, outside };
}

test("python3 planted in a workspace folder on PATH is refused, naming the setting", () => {
  const { workspace, outside } = layout();
  const pathVariable = [path.join(workspace, "bin"), outside].join(path.delimiter);
  const found = lookUpProgram("python3", pathVariable, [workspace]);
  assert.equal(found.kind, "refused");
  assert.ok(found.kind === "refused");
  assert.equal(found.found, path.join(workspace, "bin", "python3"));
  const message = refusedMessage("python3", found, "Set scriptcontract.interpreter to the Python to use.");
  assert.match(message, /inside the workspace folder/);
  assert.match(message, /scriptcontract\.interpreter/);
});

test("python3 found through a relative PATH entry is refused", () => {
  const { workspace } = layout();
  const cwd = process.cwd();
  process.chdir(workspace);
  try {
    const found = lookUpProgram("python3", ["bin", "/usr/bin"].join(path.delimiter), []);
    assert.equal(found.kind, "refused");
    assert.ok(found.kind === "refused");
    assert.match(found.reason, /relative PATH entry "bin"/);
  } finally {
    process.chdir(cwd);
  }
});

test("the control: the same program outside the workspace folder is found and started", () => {
  const { workspace, outside } = layout();
  const pathVariable = [outside, path.join(workspace, "bin")].join(path.delimiter);
  const found = lookUpProgram("python3", pathVariable, [workspace]);
  assert.deepEqual(found, { kind: "found", command: path.join(outside, "python3") });
  assert.ok(found.kind === "found");
  assert.equal(execFileSync(found.command, { encoding: "utf-8" }).trim(), "started");
});

test("an interpreter named with its folder is used as given, even in the workspace", () => {
  const { workspace } = layout();
  const named = path.join(workspace, "bin", "python3");
  assert.deepEqual(lookUpProgram(named, path.join(workspace, "bin"), [workspace]), {
    kind: "given",
    command: named,
  });
});

test("a workspace folder that is the home folder does not refuse what lies below it", () => {
  const home = fs.realpathSync(os.homedir());
  const bin = fs.mkdtempSync(path.join(home, ".sc-path-"));
  try {
    fs.writeFileSync(path.join(bin, "python3"), "#!/bin/sh\necho started\n", { mode: 0o755 });
    assert.deepEqual(lookUpProgram("python3", bin, [home]), {
      kind: "found",
      command: path.join(bin, "python3"),
    });
    // The control: the same folder opened as the workspace refuses it.
    assert.equal(lookUpProgram("python3", bin, [bin]).kind, "refused");
  } finally {
    fs.rmSync(bin, { recursive: true, force: true });
  }
});
