/** Tests of the interpreter choice, the probe's parsing and the messages for unusable interpreters. */

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  chooseInterpreter,
  installCommands,
  parseProbe,
  probeFailure,
  startProblem,
} from "../src/interpreter";

test("the setting wins over the Python extension, which wins over python3", () => {
  assert.deepEqual(chooseInterpreter({ setting: "/opt/py/bin/python", pythonExtension: "/venv/bin/python" }), {
    command: "/opt/py/bin/python",
    source: "setting",
  });
  assert.deepEqual(chooseInterpreter({ setting: "  ", pythonExtension: "/venv/bin/python" }), {
    command: "/venv/bin/python",
    source: "python extension",
  });
  assert.deepEqual(chooseInterpreter({}), { command: "python3", source: "default" });
});

test("${workspaceFolder} in the setting is the folder's path", () => {
  const choice = chooseInterpreter({
    setting: "${workspaceFolder}/.venv/bin/python",
    workspaceFolder: "/home/me/project",
  });
  assert.equal(choice.command, "/home/me/project/.venv/bin/python");
});

test("the probe's JSON line is read, noise before it ignored", () => {
  assert.deepEqual(parseProbe('warning: something\n{"version": [3, 11, 7], "executable": "/usr/bin/python3"}\n'), {
    version: [3, 11, 7],
    executable: "/usr/bin/python3",
  });
  assert.deepEqual(
    parseProbe('{"version": [3, 12, 1], "executable": "/p", "problem": "no module named pydantic"}'),
    { version: [3, 12, 1], executable: "/p", problem: "no module named pydantic" },
  );
  assert.equal(parseProbe("Python 3.11.7"), undefined);
  assert.equal(parseProbe('{"version": "3.11"}'), undefined);
  assert.equal(parseProbe(""), undefined);
});

test("Python older than 3.10 gets a message naming the interpreter, its version and the fix", () => {
  const message = startProblem(
    { command: "python3", source: "default" },
    { version: [3, 8, 18], executable: "/usr/bin/python3.8" },
    "useBundled",
    "0.1.0",
  );
  assert.ok(message);
  assert.match(message, /needs Python 3\.10 or newer/);
  assert.match(message, /\/usr\/bin\/python3\.8/);
  assert.match(message, /is Python 3\.8\.18/);
  assert.match(message, /scriptcontract\.interpreter/);
});

test("3.10 and newer pass", () => {
  for (const version of [
    [3, 10, 0],
    [3, 13, 1],
    [4, 0, 0],
  ] as [number, number, number][]) {
    assert.equal(startProblem({ command: "p", source: "setting" }, { version, executable: "p" }, "useBundled", "0.1.0"), undefined);
  }
});

test("an import problem says what to do for each import strategy", () => {
  const probed = { version: [3, 12, 1] as [number, number, number], executable: "/p", problem: "no pydantic_core for cp312" };
  const bundled = startProblem({ command: "/p", source: "setting" }, probed, "useBundled", "0.1.0");
  assert.match(bundled ?? "", /bundled with this extension cannot run/);
  assert.match(bundled ?? "", /fromEnvironment/);
  const environment = startProblem({ command: "/p", source: "setting" }, probed, "fromEnvironment", "0.1.0");
  assert.match(environment ?? "", /useBundled/);
  for (const message of [bundled ?? "", environment ?? ""]) {
    // The commands to copy: this interpreter's pip, from a clone or the wheel of this version
    // (not on a package index yet, so never by name alone).
    assert.match(message, /: \/p -m pip install \.\/scriptcontract \(/);
    assert.match(message, /: \/p -m pip install scriptcontract-0\.1\.0-py3-none-any\.whl;/);
    assert.doesNotMatch(message, /pip install scriptcontract[\s)]/);
  }
});

test("the install commands quote an interpreter path with a space", () => {
  const commands = installCommands("/opt/my tools/python", "1.2.3");
  assert.match(commands, /"\/opt\/my tools\/python" -m pip install \.\/scriptcontract /);
  assert.match(commands, /"\/opt\/my tools\/python" -m pip install scriptcontract-1\.2\.3-py3-none-any\.whl/);
  assert.match(installCommands("C:\\Python312\\python.exe", "1.2.3"), /^from a clone of scriptcontract: C:\\Python312\\python\.exe -m pip/);
});

test("a missing interpreter uses the message users already search for", () => {
  const message = probeFailure({ command: "python3", source: "default" }, { code: "ENOENT" });
  assert.match(message, /^Python interpreter not found: python3/);
});

test("an interpreter that fails to answer is named with the end of what it printed", () => {
  const message = probeFailure(
    { command: "/bad/python", source: "python extension" },
    { code: 1, stderr: "Traceback\n  ...\nImportError: broken site" },
  );
  assert.match(message, /\/bad\/python \(selected in the Python extension\)/);
  assert.match(message, /ImportError: broken site/);
});
