/**
 * "New Script from Template…": the name asked for, checked as it is typed (no vscode import:
 * unit-tested under node).
 */

/** What is wrong with `value` as a new script's path relative to the folder; undefined: fine. */
export function scriptNameProblem(value: string, exists: (relative: string) => boolean): string | undefined {
  const name = value.trim();
  if (!name.endsWith(".py") || name.split("/").pop() === ".py") {
    return "A Python file: its name ends in .py.";
  }
  if (name.startsWith("/") || name.startsWith("~") || name.split("/").some((part) => part === ".." || part === "")) {
    return "A path inside the folder, such as scripts/report.py.";
  }
  if (exists(name)) {
    return `${name} exists already: the template goes into a new file.`;
  }
  return undefined;
}

/** The name offered first: `new_script.py` in `folder` (`scripts`, or the folder's top), not taken yet. */
export function suggestedName(folder: string, exists: (relative: string) => boolean): string {
  const prefix = folder === "" ? "" : `${folder}/`;
  for (let count = 1; ; count += 1) {
    const name = `${prefix}new_script${count === 1 ? "" : `_${count}`}.py`;
    if (!exists(name)) {
      return name;
    }
  }
}
