/**
 * Text from files a run could have written, put in markdown as the text it is.
 *
 * A run without network can still write a cases file whose problems the test explorer shows
 * as markdown (an unknown key is quoted in its message): an image there, its address holding
 * what the run read, would be fetched when the message is shown. Every ASCII punctuation
 * character is backslash-escaped (CommonMark reads each so as itself): no link, image, HTML,
 * emphasis or heading can come of the text.
 */

const PUNCTUATION = /[!-/:-@[-`{-~]/g;

/** `text`, to be read by a markdown renderer as exactly these characters. */
export function asMarkdownText(text: string): string {
  return text.replace(PUNCTUATION, (character) => `\\${character}`);
}

/** Problems as a markdown list, each one's message shown as text. */
export function problemList(messages: readonly string[]): string {
  return messages.map((message) => `- ${asMarkdownText(message)}`).join("\n");
}
