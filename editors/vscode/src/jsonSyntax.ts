/**
 * VS Code's own JSON service already reports where a JSON file stops parsing. The server
 * reports it too (code `json-syntax`), for editors without one: here its copy is dropped
 * while VS Code validates JSON, so a missing comma in an inputs or cases file shows once.
 * No vscode import: the filter is unit-tested under plain node.
 */

export const JSON_SYNTAX = "json-syntax";

type Code = string | number | { value: string | number } | undefined;

/** The diagnostics to show: all of them, less the server's syntax error where VS Code has its own. */
export function withoutDuplicateSyntaxErrors<T extends { code?: Code }>(
  diagnostics: readonly T[],
  languageId: string,
  jsonValidated: boolean,
): T[] {
  if (!jsonValidated || (languageId !== "json" && languageId !== "jsonc")) {
    return [...diagnostics];
  }
  return diagnostics.filter((diagnostic) => codeOf(diagnostic.code) !== JSON_SYNTAX);
}

function codeOf(code: Code): string | undefined {
  if (code === undefined) {
    return undefined;
  }
  return typeof code === "object" ? String(code.value) : String(code);
}
