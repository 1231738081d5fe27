/** Tests of what "Use .venv/bin/python for runs" takes from the server's quick fix. */

import assert from "node:assert/strict";
import { test } from "node:test";

import { noFolderMessage, pythonOffer, usedMessage } from "../src/pythonOffer";

const SCRIPT = "file:///home/ada/project/scripts/imports.py";

test("the project's environment the quick fix names is taken as it is", () => {
  assert.deepEqual(pythonOffer({ uri: SCRIPT, python: ".venv/bin/python" }), {
    uri: SCRIPT,
    python: ".venv/bin/python",
  });
  assert.deepEqual(pythonOffer({ uri: SCRIPT, python: "env-3.12/bin/python" })?.python, "env-3.12/bin/python");
});

test("an interpreter outside the project, or no interpreter, is refused", () => {
  for (const python of ["/usr/bin/python3", "~/.venv/bin/python", "../other/.venv/bin/python", ".venv/../../x/bin/python", "python3", "", "./.venv/bin/python"]) {
    assert.equal(pythonOffer({ uri: SCRIPT, python }), undefined, python);
  }
  for (const raw of [undefined, null, "x", { python: ".venv/bin/python" }, { uri: SCRIPT }, { uri: 3, python: ".venv/bin/python" }]) {
    assert.equal(pythonOffer(raw), undefined, JSON.stringify(raw));
  }
});

test("the messages name the interpreter, the setting and where it was written", () => {
  assert.equal(
    usedMessage(".venv/bin/python", "project"),
    "scriptcontract: runs in project now use .venv/bin/python (scriptcontract.run.python in the folder's settings).",
  );
  assert.match(noFolderMessage(".venv/bin/python"), /set scriptcontract\.run\.python to \.venv\/bin\/python yourself/);
});
