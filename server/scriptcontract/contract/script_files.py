"""Which files are workflow scripts: include/exclude globs and the file-level markers.

A file is a script when its path (relative to the project root, `/`-separated) matches an
`include` glob and no `exclude` glob, or when it carries the opt-in marker
`# scriptcontract: script`, or when the user named it (`scriptcontract check FILE`). The
opt-out marker `# scriptcontract: skip-file` wins over all of them. The JSON files a script
keeps beside it (`<name>.inputs.json`, `.cases.json`, `.schema.json`) are never scripts.
"""

from __future__ import annotations

import re
from dataclasses import replace

from scriptcontract.contract.globs import matches_any
from scriptcontract.contract.settings import LintSettings

MARKER = "scriptcontract:"
OPT_IN = re.compile(r"^[ \t]*#[ \t]*scriptcontract:[ \t]*script[ \t]*$", re.MULTILINE)
OPT_OUT = re.compile(r"^[ \t]*#[ \t]*scriptcontract:[ \t]*skip-file[ \t]*$", re.MULTILINE)


# Why a file is not a workflow script.
NOT_INCLUDED = "include"  # no `include` glob matches its path
EXCLUDED = "exclude"  # an `exclude` glob matches its path
SKIP_FILE = "skip-file"  # it carries `# scriptcontract: skip-file`
OUTSIDE = "outside"  # it is not under its project root (no relative path)
COMPANION = "companion"  # one of a script's JSON files, named (a dict literal parses)

# Each beside `<name>.py`. Named too, they are not scripts: tab completion offers them with
# the script (`scriptcontract check scripts/price.<TAB>`), and their JSON parses as Python.
COMPANION_FILES = {
    ".inputs.json": "inputs file",
    ".cases.json": "cases file",
    ".schema.json": "schema file",
}


def companion_of(name: str) -> tuple[str, str] | None:
    """What a script's JSON file is and the script's name: `price.inputs.json` gives
    ("inputs file", "price.py"); None for any other file name."""
    for suffix, what in COMPANION_FILES.items():
        if name.endswith(suffix) and len(name) > len(suffix):
            return what, name[: -len(suffix)] + ".py"
    return None


def script_decision(
    relative_path: str | None, source: str | None, settings: LintSettings, *, named: bool = False
) -> str | None:
    """None when the file is a workflow script, else why not (`NOT_INCLUDED`, ...).

    `source` None: the text could not be decoded, only the path decides. `named`: the user
    named the file, which makes it a script whatever `include` and `exclude` say.
    """
    # Both markers name the tool: a plain substring test spares most files the two searches,
    # which try every position of the text (profiled: 7% of `check`'s instructions).
    if source is not None and MARKER in source:
        if OPT_OUT.search(source):
            return SKIP_FILE
        if OPT_IN.search(source):
            return None
    if relative_path is not None and companion_of(relative_path.rpartition("/")[2]):
        return COMPANION
    if named:
        return None
    if relative_path is None:
        return OUTSIDE
    if not matches_any(relative_path, settings.include):
        return NOT_INCLUDED
    if matches_any(relative_path, settings.exclude):
        return EXCLUDED
    return None


def opted_in(source: str | None) -> bool:
    """Whether the text makes its file a script whatever the globs say: it carries
    `# scriptcontract: script`, and not `# scriptcontract: skip-file` (which wins)."""
    return (
        source is not None
        and MARKER in source
        and OPT_IN.search(source) is not None
        and OPT_OUT.search(source) is None
    )


def is_workflow_script(relative_path: str | None, source: str, settings: LintSettings) -> bool:
    """True when the file at `relative_path` (None: not on disk) is a workflow script."""
    return script_decision(relative_path, source, settings) is None


def settings_for_path(settings: LintSettings, relative_path: str | None) -> LintSettings:
    """`settings` with the `per-file-ignores` entries that match the file added to `ignore`.

    A glob with a `/` matches the path relative to the project root, one without matches
    the file's name (`"test_*.py"`), as in ruff.
    """
    if not settings.per_file_ignores or relative_path is None:
        return settings
    name = relative_path.rsplit("/", 1)[-1]
    extra = [
        code
        for pattern, codes in settings.per_file_ignores.items()
        if matches_any(relative_path if "/" in pattern else name, [pattern])
        for code in codes
    ]
    if not extra:
        return settings
    return replace(settings, ignore=[*settings.ignore, *extra])
