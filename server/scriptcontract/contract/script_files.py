"""Which files are workflow scripts: include/exclude globs and the file-level markers.

A file is a script when its path (relative to the project root, `/`-separated) matches an
`include` glob and no `exclude` glob, or when it carries the opt-in marker
`# scriptcontract: script`. The opt-out marker `# scriptcontract: skip-file` wins over both.
"""

from __future__ import annotations

import functools
import re

from scriptcontract.contract.settings import LintSettings

OPT_IN = re.compile(r"^[ \t]*#[ \t]*scriptcontract:[ \t]*script[ \t]*$", re.MULTILINE)
OPT_OUT = re.compile(r"^[ \t]*#[ \t]*scriptcontract:[ \t]*skip-file[ \t]*$", re.MULTILINE)


@functools.lru_cache(maxsize=256)
def glob_to_regex(pattern: str) -> re.Pattern[str]:
    """`**` spans directories, `*` and `?` stay within one path segment."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def matches_any(relative_path: str, patterns: list[str]) -> bool:
    path = relative_path.replace("\\", "/").lstrip("/")
    if path.startswith("./"):
        path = path[2:]
    return any(glob_to_regex(pattern.lstrip("/")).match(path) for pattern in patterns)


def is_workflow_script(relative_path: str | None, source: str, settings: LintSettings) -> bool:
    """True when the file at `relative_path` (None: not on disk) is a workflow script."""
    if OPT_OUT.search(source):
        return False
    if OPT_IN.search(source):
        return True
    if relative_path is None:
        return False
    return matches_any(relative_path, settings.include) and not matches_any(
        relative_path, settings.exclude
    )
