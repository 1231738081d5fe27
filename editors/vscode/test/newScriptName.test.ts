/** Tests of the name "New Script from Template…" asks for. */

import assert from "node:assert/strict";
import { test } from "node:test";

import { scriptNameProblem, suggestedName } from "../src/newScriptName";

const taken = new Set(["scripts/hello.py", "scripts/new_script.py"]);
const exists = (relative: string): boolean => taken.has(relative);

test("a new Python file inside the folder is fine", () => {
  assert.equal(scriptNameProblem("scripts/report.py", exists), undefined);
  assert.equal(scriptNameProblem("report.py", exists), undefined);
});

test("another kind of file, a path out of the folder or a file that exists is refused, saying why", () => {
  assert.equal(scriptNameProblem("scripts/report", exists), "A Python file: its name ends in .py.");
  assert.equal(scriptNameProblem("scripts/.py", exists), "A Python file: its name ends in .py.");
  for (const outside of ["/etc/report.py", "~/report.py", "../report.py", "scripts//report.py"]) {
    assert.equal(scriptNameProblem(outside, exists), "A path inside the folder, such as scripts/report.py.", outside);
  }
  assert.equal(scriptNameProblem("scripts/hello.py", exists), "scripts/hello.py exists already: the template goes into a new file.");
});

test("the name offered is one not taken yet", () => {
  assert.equal(suggestedName("scripts", exists), "scripts/new_script_2.py");
  assert.equal(suggestedName("", exists), "new_script.py");
});
