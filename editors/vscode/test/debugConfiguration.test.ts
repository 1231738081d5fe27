/** Tests of how the server's launch configuration becomes a VS Code debug session's. */

import assert from "node:assert/strict";
import { test } from "node:test";

import { DEBUG_TYPE, asLaunchConfiguration, cannotDebug, caseVerdictLine, sessionConfiguration } from "../src/debugConfiguration";

const ANSWER = {
  name: "Debug greet.py with inputs",
  adapter: { command: "/usr/bin/python3", args: ["/site/debugpy/adapter"] },
  configuration: { type: "scriptcontract", request: "attach", name: "x", listen: { host: "127.0.0.1", port: 5678 } },
  run: { uri: "file:///p/greet.py", inputs: { name: "Ada" }, debugger: { host: "127.0.0.1", port: 5678 } },
  sandbox: "scriptcontract: greet.py runs confined",
  inputs: { name: "Ada" },
};

test("the server's answer is taken as it is", () => {
  assert.deepEqual(asLaunchConfiguration(ANSWER), ANSWER);
});

test("an answer without an adapter command, or with arguments that are not strings, is refused", () => {
  assert.equal(asLaunchConfiguration({ ...ANSWER, adapter: { args: [] } }), undefined);
  assert.equal(asLaunchConfiguration({ ...ANSWER, adapter: { command: "python3", args: [1] } }), undefined);
  assert.equal(asLaunchConfiguration(null), undefined);
  assert.equal(asLaunchConfiguration("scriptcontract.debug"), undefined);
});

test("the session is of the extension's debug type and carries the adapter for the factory", () => {
  const launch = asLaunchConfiguration(ANSWER);
  assert.ok(launch);
  const session = sessionConfiguration(launch, "7-1");
  assert.equal(session.type, DEBUG_TYPE);
  assert.equal(session.request, "attach");
  assert.deepEqual(session.listen, { host: "127.0.0.1", port: 5678 });
  assert.deepEqual(session.scriptcontract, { adapter: ANSWER.adapter, id: "7-1" });
  assert.equal(session.name, ANSWER.name);
});

// What the server answers when its environment has no debugpy (executor/debugger.py's hint).
const NO_DEBUGPY =
  "Not debugged: debugging needs debugpy next to scriptcontract: install it with " +
  "`pip install 'scriptcontract[debug]'` in the environment that runs scriptcontract";

test("without debugpy, the pop-up says why and offers the install command the server names", () => {
  const shown = cannotDebug("greet.py", NO_DEBUGPY);
  assert.equal(shown.text, `scriptcontract: cannot debug greet.py: ${NO_DEBUGPY.replace("Not debugged: ", "")}`);
  assert.equal(shown.install, "pip install 'scriptcontract[debug]'");
});

test("a refusal that names no install command offers none", () => {
  const shown = cannotDebug("greet.py", "Not debugged: No case of greet.cases.json is named nope");
  assert.equal(shown.install, undefined);
  assert.equal(shown.text, "scriptcontract: cannot debug greet.py: No case of greet.cases.json is named nope");
});

test("a refusal by the declared schema says not debugged once, its problems on the line", () => {
  const reason =
    "Not debugged: the inputs do not match the declared schema scripts/greet.schema.json; nothing was run " +
    '("Run with inputs" offers "Run anyway"):\n  - name: expected a value (required), got nothing\n' +
    "  - count: expected integer, got \"3\"";
  assert.equal(
    cannotDebug("greet.py", reason).text,
    "scriptcontract: cannot debug greet.py: the inputs do not match the declared schema scripts/greet.schema.json; " +
      'nothing was run ("Run with inputs" offers "Run anyway"): name: expected a value (required), got nothing; ' +
      'count: expected integer, got "3"',
  );
});

test("a debugged case's verdict is one line, marked as the Test Explorer marks it", () => {
  assert.equal(
    caseVerdictLine({ name: "greets Ada", outcome: "failed", message: "output differs" }),
    'scriptcontract: case "greets Ada": ✗ output differs',
  );
  assert.equal(caseVerdictLine({ name: "a", outcome: "passed", message: "passed" }), 'scriptcontract: case "a": ✓ passed');
  assert.equal(caseVerdictLine(null), undefined);
  assert.equal(caseVerdictLine(undefined), undefined);
});
