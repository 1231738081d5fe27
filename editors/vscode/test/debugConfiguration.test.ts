/** Tests of how the server's launch configuration becomes a VS Code debug session's. */

import assert from "node:assert/strict";
import { test } from "node:test";

import { DEBUG_TYPE, asLaunchConfiguration, sessionConfiguration } from "../src/debugConfiguration";

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
