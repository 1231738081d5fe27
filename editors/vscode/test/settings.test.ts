/** Tests of the settings mapping: only what the user set reaches the server, in its shape. */

import assert from "node:assert/strict";
import { test } from "node:test";

import { type SettingInspection, explicitValue, needsRestart, serverSettings } from "../src/settings";

function inspector(values: Record<string, SettingInspection>) {
  return (key: string): SettingInspection | undefined => values[key];
}

test("settings left at their defaults are not sent, so the project's file keeps them", () => {
  const settings = serverSettings(
    inspector({
      "lint.run": { defaultValue: "onType" },
      "run.timeoutMs": { defaultValue: 30000 },
    }),
  );
  assert.deepEqual(settings, {});
});

test("set values are nested in the server's camelCase shape", () => {
  const settings = serverSettings(
    inspector({
      "lint.enabled": { defaultValue: true, globalValue: false },
      "lint.run": { defaultValue: "onType", workspaceValue: "onSave" },
      "run.timeoutMs": { defaultValue: 30000, workspaceFolderValue: 5000 },
      "run.python": { defaultValue: "", globalValue: "/usr/bin/python3.12" },
      "run.mode": { defaultValue: "auto", globalValue: "cold" },
      severity: { defaultValue: {}, workspaceValue: { SCR1: "warning", SCR101: "error" } },
      logLevel: { defaultValue: "info", globalValue: "debug" },
      "docs.baseUrl": { defaultValue: "", globalValue: "https://docs.example.org/rules" },
    }),
  );
  assert.deepEqual(settings, {
    lint: { enabled: false, run: "onSave" },
    run: { timeoutMs: 5000, python: "/usr/bin/python3.12", mode: "cold" },
    docs: { baseUrl: "https://docs.example.org/rules" },
    severity: { SCR1: "warning", SCR101: "error" },
    logLevel: "debug",
  });
});

test("an empty docs address is the default: the packaged pages", () => {
  const settings = serverSettings(inspector({ "docs.baseUrl": { defaultValue: "", globalValue: "" } }));
  assert.deepEqual(settings, {});
});

test("the most specific scope wins", () => {
  assert.equal(
    explicitValue({ globalValue: "a", workspaceValue: "b", workspaceFolderValue: "c" }),
    "c",
  );
  assert.equal(explicitValue({ globalValue: "a", workspaceValue: "b" }), "b");
  assert.equal(explicitValue({ globalValue: "a", workspaceLanguageValue: "l" }), "l");
  assert.equal(explicitValue({ defaultValue: "d" }), undefined);
  assert.equal(explicitValue(undefined), undefined);
});

test("an empty run.python means the project's choice, not an empty interpreter", () => {
  assert.deepEqual(serverSettings(inspector({ "run.python": { globalValue: "" } })), {});
});

test("only the interpreter and import strategy need a server restart", () => {
  assert.equal(needsRestart((section) => section === "scriptcontract.interpreter"), true);
  assert.equal(needsRestart((section) => section === "scriptcontract.importStrategy"), true);
  assert.equal(needsRestart((section) => section === "scriptcontract.lint.run"), false);
});
