"""A new workflow script from the template, with its inputs file and its cases file: what
`scriptcontract new` and the editors' "New Workflow Script" write, and the checks first.

The script keeps the contract as written (`check` finds nothing in it), runs with the
inputs file beside it and passes the one case of its cases file (`scriptcontract test`).
Nothing is overwritten: when any of the files exists, none is written. The script must be
one the project's configuration treats as a workflow script, so that the editor and `check`
see it as one; when it is not, the refusal says how to include it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from scriptcontract.cases.files import cases_path
from scriptcontract.config import errors_refusal, find_project_root
from scriptcontract.contract.script_files import (
    COMPANION,
    EXCLUDED,
    NOT_INCLUDED,
    companion_of,
    script_decision,
)
from scriptcontract.contract.script_template import cases_text, inputs_text, script_text
from scriptcontract.contract.settings import LintSettings
from scriptcontract.nested_configs import NEW_STARTED_IN, vouched_config
from scriptcontract.project_files import ProjectFileError
from scriptcontract.project_writes import remove_project_file, write_project_file
from scriptcontract.sidecar import sidecar_path
from scriptcontract.virtual_envs import top_level_environments


class NewScriptRefused(Exception):
    """Why nothing was written (the message says what to do)."""


@dataclass(frozen=True)
class NewFile:
    path: Path
    text: str
    what: str


@dataclass(frozen=True)
class NewScript:
    """What is to be written: the files, in order, and the project root they go under;
    `fresh`: there was no configuration, one is among the files."""

    root: Path
    script: Path
    files: list[NewFile]
    fresh: bool


def planned_files(script: Path, inputs: dict[str, Any]) -> list[NewFile]:
    """Every file `new` writes for `script`, in the order they are written."""
    return [
        NewFile(script, script_text(list(inputs)), "script"),
        NewFile(sidecar_path(script), inputs_text(inputs), "inputs file"),
        NewFile(cases_path(script), cases_text(inputs), "cases file"),
    ]


# Written at the current directory when no configuration is found: without it, `run` and
# `check` would take the script's own folder as the project root (`run` never takes the
# current directory: started from `/` or home, that would make all of it writable), and the
# script's relative paths would mean another folder there than here.
FRESH_CONFIGURATION = """\
# scriptcontract's configuration (docs/configuration.md). Its folder is the project root:
# relative paths in scripts start here, and runs may write only below it.
include = ["scripts/**/*.py"]
"""


def _interpreter_lines(root: Path) -> str:
    """The fresh configuration's lines naming the project's virtual environment, commented
    out: runs use `python3` until the user names it (and trusts it: it loosens the sandbox)."""
    found = top_level_environments(root)
    if not found:
        return ""
    relative = os.path.relpath(found[0], root)
    return (
        "\n[executor]\n"
        f"# Runs use python3, not {relative}/, until this names it (then run "
        "`scriptcontract trust`):\n"
        f'# python = "{relative}/bin/python"\n'
    )


def _project_root(script: Path, cwd: Path) -> tuple[Path, str, bool]:
    """The project root for a new script, how it was chosen (for messages), and whether it
    has no configuration yet (`cwd`, where one is written)."""
    found = find_project_root(script)
    if found is not None:
        return found, f"the project root {found}", False
    here = find_project_root(cwd)
    if here is not None:
        return (
            here,
            f"the project root {here} (the current directory's: there is no "
            "scriptcontract.toml or pyproject.toml above the script)",
            False,
        )
    return (
        cwd,
        f"the current directory {cwd} (no scriptcontract.toml or pyproject.toml at or "
        "above it or the script)",
        True,
    )


def _how_to_include(relative: str, why: str, source: str | None, instead: str | None) -> str:
    where = source or "a new scriptcontract.toml at the project root"
    if why == EXCLUDED:
        return (
            f"{relative} matches an `exclude` glob of {where}: it would not be checked as a "
            "workflow script. Choose another path, or remove that glob from `exclude`"
        )
    put = (
        f"`{instead}` puts it where `include` looks"
        if instead
        else "Put it where `include` looks (such as scripts/)"
    )
    return (
        f"{relative} does not match the `include` globs of "
        f"{source or 'the default configuration (scripts/**/*.py)'}: it would not be checked "
        f"as a workflow script. {put}, or add a glob "
        f'that matches it, such as "{relative}", to `include` in {where}'
    )


def _included_instead(relative: str, settings: LintSettings) -> str | None:
    """A path near `relative` that `include` takes, relative to the root: with `.py` added,
    or the same name in the folder of an `include` glob (`report.py` -> scripts/report.py)."""
    named = relative if relative.endswith(".py") else f"{relative}.py"
    candidates = [named]
    for glob in settings.include:
        # The glob's folders up to its first wildcard: where a new file surely matches it.
        fixed = glob.split("/")[:-1]
        cut = next((i for i, part in enumerate(fixed) if set(part) & set("*?[")), len(fixed))
        folder = "/".join(fixed[:cut])
        candidates.append(f"{folder}/{PurePosixPath(named).name}" if folder else named)
    return next(
        (path for path in candidates if script_decision(path, None, settings) is None), None
    )


def plan_new_script(
    script: Path,
    inputs: dict[str, Any],
    cwd: Path,
    *,
    named: str,
    command_instead: Callable[[Path], str] | None = None,
) -> NewScript:
    """What writing the new script `script` (absolute) means, or NewScriptRefused. `cwd`:
    the folder a command started in (the CLI's current directory, the editor's workspace
    folder), where a configuration is written when none is found; `named`: the script as
    the user gave it; `command_instead`: the command that makes a script at a path (absolute),
    for the refusal of a path `include` does not take."""
    root, chosen, fresh = _project_root(script, cwd)
    # Through the folders as they resolve: a link out of the project stays out.
    real = script.parent.resolve() / script.name
    try:
        relative = real.relative_to(root.resolve()).as_posix()
    except ValueError:
        raise NewScriptRefused(
            f"{named} is outside {chosen}: a new script goes inside its project"
        ) from None
    # As `run` takes it: a nested configuration a run could have written is refused.
    config, unvouched = vouched_config(root, cwd, NEW_STARTED_IN)
    if unvouched is not None:
        raise NewScriptRefused(f"{unvouched}; nothing was written")
    if config.errors:
        raise NewScriptRefused(errors_refusal(config.errors, "nothing was written"))
    why = script_decision(relative, None, config.lint)
    if why == COMPANION:
        what, script_name = companion_of(script.name) or ("JSON file", script.name)
        meant = f" ({command_instead(script.with_name(script_name))})" if command_instead else ""
        raise NewScriptRefused(
            f"{named} would be the {what} of {script_name}, not a script: name the script"
            f"{meant}; it is written with its inputs and cases files"
        )
    if why in (NOT_INCLUDED, EXCLUDED):
        instead = _included_instead(relative, config.lint) if why == NOT_INCLUDED else None
        command = command_instead(root / instead) if instead and command_instead else None
        raise NewScriptRefused(_how_to_include(relative, why, config.source, command))
    files = planned_files(script, inputs)
    if fresh:
        text = FRESH_CONFIGURATION + _interpreter_lines(root)
        files.insert(0, NewFile(root / "scriptcontract.toml", text, "configuration"))
    return NewScript(root, script, files, fresh)


def write_new_script(new: NewScript, shown: Callable[[Path], str]) -> None:
    """Writes every file of `new`, or none (NewScriptRefused says why); `shown`: a path as
    the messages name it."""
    existing = [f for f in new.files if f.path.exists() or f.path.is_symlink()]
    if existing:
        names = ", ".join(shown(f.path) for f in existing)
        raise NewScriptRefused(
            f"{names} already exist{'s' if len(existing) == 1 else ''}: nothing written"
        )
    written: list[NewFile] = []
    try:
        for file in new.files:
            # Created, never replacing what appeared since the check above, in folders
            # walked (and made) from the root without following a link a run swapped in.
            data = file.text.encode("utf-8")
            write_project_file(new.root, file.path, data, expect=None, make_folders=True)
            written.append(file)
    except ProjectFileError as exc:
        for file in written:
            remove_project_file(new.root, file.path)
        raise NewScriptRefused(f"{exc}; nothing was kept") from exc
