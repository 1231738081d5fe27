/**
 * Finds a program named without a folder on PATH, as the system would start it, refusing a
 * match a workflow script could have planted.
 *
 * A run may write anywhere below its project's top level. With a folder of the project on
 * PATH (direnv's `PATH_add bin`, `./node_modules/.bin`, a relative entry), a run could leave
 * `bin/python3` there, and the editor would start it as the language server, outside every
 * sandbox. So the first match inside a workspace folder, or through a relative PATH entry,
 * is refused (not passed over for the next: which one the system would start is the one in
 * question). A command with a folder in it is the user's choice, used as given.
 */

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export type PathLookup =
  | { kind: "given"; command: string }
  | { kind: "found"; command: string }
  | { kind: "refused"; found: string; reason: string }
  | { kind: "not found" };

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

function isInside(child: string, folder: string): boolean {
  const relative = path.relative(folder, child);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

/** Where `name` is started from: `pathVariable` is PATH, `workspaceFolders` the open folders. */
export function lookUpProgram(
  name: string,
  pathVariable: string | undefined,
  workspaceFolders: readonly string[],
): PathLookup {
  if (name.includes("/") || name.includes(path.sep)) {
    return { kind: "given", command: name };
  }
  // A workspace folder that is the home folder (or above it) is no project: runs write only
  // below their project's top level, and refusing it would refuse ~/.local/bin or pyenv's shims.
  const home = realPath(os.homedir());
  const folders = workspaceFolders.map(realPath).filter((folder) => !isInside(home, folder));
  for (const entry of (pathVariable ?? "").split(path.delimiter)) {
    const candidate = path.join(entry || ".", name);
    if (!isExecutableFile(candidate)) {
      continue;
    }
    if (!path.isAbsolute(entry)) {
      return { kind: "refused", found: candidate, reason: `through the relative PATH entry "${entry}"` };
    }
    const real = realPath(entry);
    const inside = folders.find((folder) => isInside(real, folder));
    if (inside !== undefined) {
      return { kind: "refused", found: candidate, reason: `inside the workspace folder ${inside}` };
    }
    return { kind: "found", command: candidate };
  }
  return { kind: "not found" };
}

/** The message for a refused look-up; `how` says how to name the program explicitly. */
export function refusedMessage(name: string, refused: { found: string; reason: string }, how: string): string {
  return (
    `${name} is found on PATH as ${refused.found}, ${refused.reason}: a workflow script's run ` +
    "could have put it there, and the editor would start it outside the sandbox, so it is not " +
    `started. ${how}`
  );
}
