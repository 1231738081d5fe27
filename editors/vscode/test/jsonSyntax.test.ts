/** Tests of the filter that keeps a JSON syntax error from showing twice in VS Code. */

import assert from "node:assert/strict";
import { test } from "node:test";

import { withoutDuplicateSyntaxErrors } from "../src/jsonSyntax";

const syntax = { code: "json-syntax", message: "expected ','" };
const missing = { code: "missing-key", message: "count: expected a value (required)" };
const linked = { code: { value: "json-syntax", target: "https://example.invalid" }, message: "x" };

test("the server's syntax error is dropped where VS Code validates the JSON itself", () => {
  assert.deepEqual(withoutDuplicateSyntaxErrors([syntax, missing, linked], "json", true), [missing]);
  assert.deepEqual(withoutDuplicateSyntaxErrors([syntax], "jsonc", true), []);
});

test("it is kept when VS Code does not validate JSON, or for other languages", () => {
  assert.deepEqual(withoutDuplicateSyntaxErrors([syntax, missing], "json", false), [syntax, missing]);
  assert.deepEqual(withoutDuplicateSyntaxErrors([syntax], "python", true), [syntax]);
});

test("other diagnostics always pass, with any kind of code", () => {
  const plain = [{ code: 3 }, { code: undefined }, missing];
  assert.deepEqual(withoutDuplicateSyntaxErrors(plain, "json", true), plain);
});
