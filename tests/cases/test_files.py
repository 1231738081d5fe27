"""The cases file on disk: found beside its script, written atomically, never over a change."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scriptcontract.cases.files import (
    CasesFileChanged,
    cases_path,
    read_cases,
    script_path,
    write_cases,
)
from scriptcontract.project_files import ProjectFileError
from tests.conftest import Project


def test_a_scripts_cases_are_beside_it() -> None:
    assert cases_path(Path("scripts/hello.py")) == Path("scripts/hello.cases.json")
    assert script_path(Path("scripts/hello.cases.json")) == Path("scripts/hello.py")


def test_a_write_replaces_the_file_and_keeps_its_mode(project: Project) -> None:
    path = project.write("scripts/a.cases.json", '{"cases": []}\n')
    path.chmod(0o600)
    original, document = read_cases(project.root, path)
    assert document.problems == []
    write_cases(project.root, path, original, '{"cases": [{"name": "x"}]}\n')
    assert path.read_text() == '{"cases": [{"name": "x"}]}\n'
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["a.cases.json"]  # no temp file left


def test_a_file_changed_since_it_was_read_is_not_written(project: Project) -> None:
    path = project.write("scripts/a.cases.json", '{"cases": []}\n')
    original, _ = read_cases(project.root, path)
    path.write_text('{"cases": [] }\n')
    with pytest.raises(CasesFileChanged, match="changed since it was read"):
        write_cases(project.root, path, original, "{}")
    assert path.read_text() == '{"cases": [] }\n'


def test_a_file_swapped_for_a_link_out_of_the_project_is_not_written(
    project: Project, tmp_path: Path
) -> None:
    path = project.write("scripts/a.cases.json", '{"cases": []}\n')
    original, _ = read_cases(project.root, path)
    outside = tmp_path / "outside.json"
    outside.write_text('{"cases": []}\n')
    path.unlink()
    path.symlink_to(outside)
    with pytest.raises(ProjectFileError, match="outside the project"):
        write_cases(project.root, path, original, "{}")
    assert outside.read_text() == '{"cases": []}\n'


def test_a_fifo_in_its_place_is_refused_without_blocking(project: Project) -> None:
    path = project.root / "scripts" / "a.cases.json"
    os.mkfifo(path)
    with pytest.raises(ProjectFileError, match="FIFO"):
        read_cases(project.root, path)


def test_a_new_file_is_created_only_if_still_absent(project: Project) -> None:
    path = project.root / "scripts" / "new.cases.json"
    write_cases(project.root, path, None, '{"cases": []}\n')
    assert path.read_text() == '{"cases": []}\n'
    with pytest.raises(CasesFileChanged, match="created meanwhile"):
        write_cases(project.root, path, None, "{}")
