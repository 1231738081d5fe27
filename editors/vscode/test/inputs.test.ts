/** Tests of the run prompt's JSON validation and pre-filling. */

import assert from "node:assert/strict";
import { test } from "node:test";

import { inputsProblem, parseInputs, prefill, promptFor, templateFrom } from "../src/inputs";

test("a JSON object is accepted as typed", () => {
  assert.equal(inputsProblem('{"name": "Lighthouse"}'), undefined);
  assert.equal(inputsProblem("{}"), undefined);
  assert.deepEqual(parseInputs(' {"numbers": [1, 2]} '), { numbers: [1, 2] });
});

test("text that is not JSON says why", () => {
  assert.match(inputsProblem('{"name": ') ?? "", /^Not valid JSON: /);
});

test("JSON that is not an object names what it is", () => {
  assert.match(inputsProblem("[1, 2]") ?? "", /not an array/);
  assert.match(inputsProblem("null") ?? "", /not null/);
  assert.match(inputsProblem('"text"') ?? "", /not a string/);
  assert.match(inputsProblem("42") ?? "", /not a number/);
  assert.match(inputsProblem("   ") ?? "", /\{\} for no inputs/);
  assert.throws(() => parseInputs("[]"), /JSON object/);
});

test("the prompt starts from the server's template, one line", () => {
  const template = templateFrom({ inputs: { name: "World", count: 3 }, source: "sidecar", sidecarUri: "file:///s.inputs.json" });
  assert.equal(prefill(template), '{"name":"World","count":3}');
  assert.equal(template.sidecarUri, "file:///s.inputs.json");
  assert.match(promptFor("hello.py", template), /hello\.py.*from its inputs file/);
  assert.match(promptFor("hello.py", templateFrom({ inputs: {}, source: "inferred" })), /inferred/);
});

test("an unusable template answer starts from {}", () => {
  for (const answer of [undefined, null, "x", { inputs: [1] }, { source: "sidecar" }]) {
    assert.equal(prefill(templateFrom(answer)), "{}");
  }
});

test("an inputs file the server cannot read is named in the prompt, not taken for {}", () => {
  const problem = "scripts/hello.inputs.json is not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)";
  const prompt = promptFor("hello.py", templateFrom(undefined), problem);
  assert.equal(prompt, `Inputs for hello.py as a JSON object (not pre-filled: ${problem})`);
  assert.doesNotMatch(prompt, /inferred/);
});
