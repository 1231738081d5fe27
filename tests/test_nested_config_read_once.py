"""A nested configuration is vouched for and used from one read of its bytes.

Vouching (git tracks the file as it is, or the user trusted its content) digested one read
of the file and the settings came from another: a running script that swapped the file
between the two had its own content used once, vouched for by the user's. `check` and the
language server now go one way (`nested_configs.read_vouched`): the bytes are read once
(bounded, no link followed, a regular file), digested and parsed.

The swap is forced here: every read of the file through the project reader is watched, and
right after the first one the file is replaced, as a script running beside could. Whatever
the order, what is used is what was vouched for: the planted content read first is refused
(not the staged content read after it), and the staged content read first is used.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scriptcontract import project_files
from scriptcontract.check.discovery import Project
from scriptcontract.lsp.projects import Projects
from scriptcontract.nested_configs import read_vouched
from tests.cli.runner import stage_in_git

STAGED = "include = ['*.py']\n"
PLANTED = "include = ['*.py']\nignore = ['SCR']\n"
NESTED = "scripts/scriptcontract.toml"


def _swapping_reader(file: Path, then: str) -> tuple[Callable[..., bytes], list[bytes]]:
    """`read_project_file` that writes `then` into `file` right after its first read of it."""
    real = project_files.read_project_file
    seen: list[bytes] = []

    def read(root: Any, path: Any, *, max_bytes: int) -> bytes:
        data = real(root, path, max_bytes=max_bytes)
        if os.path.join(root, path) == str(file):
            seen.append(data)
            if len(seen) == 1:
                file.write_text(then, encoding="utf-8")
        return data

    return read, seen


def _settings_in_effect(reader: str, root: Path, nested: Path) -> tuple[bool, list[str]]:
    """Whether the nested configuration is used, and the `ignore` in effect for its scripts."""
    if reader == "check":
        project = Project(str(nested), nested)  # refused: `check` fails closed (exit 2)
        return project.unvouched is None, list(project.lint.ignore)
    chosen, _, config, _ = Projects().lookup(nested / "job.py", root)
    return chosen == nested, list(config.lint.ignore)


@pytest.mark.parametrize("reader", ["check", "language server"])
@pytest.mark.parametrize("first", ["planted, then staged", "staged, then planted"])
def test_a_configuration_swapped_between_two_reads_is_used_only_as_vouched_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reader: str, first: str
) -> None:
    root = tmp_path / "project"
    (root / "scripts").mkdir(parents=True)
    (root / "scriptcontract.toml").write_text("include = ['scripts/*.py']\n")
    nested = root / NESTED
    nested.write_text(STAGED)
    (root / "scripts" / "job.py").write_text("print('stray')\n")
    stage_in_git(root, "scriptcontract.toml", NESTED)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    planted_first = first.startswith("planted")
    nested.write_text(PLANTED if planted_first else STAGED)
    read, seen = _swapping_reader(nested, STAGED if planted_first else PLANTED)
    monkeypatch.setattr(project_files, "read_project_file", read)

    used, ignore = _settings_in_effect(reader, root, nested.parent)

    assert seen, "the configuration was never read through the project reader"
    if planted_first:
        # The planted bytes were parsed: they, not the staged ones now on disk, are judged.
        assert not used, (used, ignore)
    else:
        # The staged bytes were read: vouched for and used, the planted ones never seen.
        assert used and "SCR" not in ignore, (used, ignore)
    # The control: the swap happened, and a second read (as before) sees the other content,
    # vouched for when staged: the planted settings would have been used with the staged
    # file's vouching.
    monkeypatch.undo()
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    again, error = read_vouched(nested.parent)
    assert (error is None) == planted_first, error
    assert ("ignore" in again.table) != planted_first, again
