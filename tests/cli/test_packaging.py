"""The package is ready to publish: license, version, URLs, docs that promise what exists."""

from __future__ import annotations

import json
import re
import sys

import pytest

from scriptcontract import __version__
from scriptcontract.contract.rules.meta import PROJECT_URL
from tests.cli.runner import scriptcontract
from tests.conftest import REPO

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_license_file_matches_the_metadata() -> None:
    assert PYPROJECT["project"]["license"] == "MIT"
    assert PYPROJECT["project"]["license-files"] == ["LICENSE"]
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")


def test_the_version_is_written_in_one_place() -> None:
    assert "version" not in PYPROJECT["project"] and "version" in PYPROJECT["project"]["dynamic"]
    dynamic = PYPROJECT["tool"]["setuptools"]["dynamic"]["version"]
    assert dynamic == {"attr": "scriptcontract.__version__"}
    extension = json.loads((REPO / "editors" / "vscode" / "package.json").read_text())
    assert extension["version"] == __version__
    assert scriptcontract("--version").stdout.strip() == f"scriptcontract {__version__}"


def test_project_urls_and_changelog() -> None:
    urls = PYPROJECT["project"]["urls"]
    assert urls["Homepage"] == urls["Repository"] == PROJECT_URL
    assert set(urls) >= {"Documentation", "Issues", "Changelog"}
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog


def _first_commands() -> list[str]:
    block = README.split("```bash\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line and not line.startswith("#")]


def test_the_readme_starts_with_two_commands_that_need_no_system_pip() -> None:
    install, tests = _first_commands()
    for command in (install, tests):
        # A fresh Debian or Ubuntu refuses `pip install` into the system's Python.
        assert command.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install ")
    assert "scriptcontract run examples/scripts/hello.py" in install
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert f"\n{tests}\n" in ci, "CI runs the README's test command word for word"


REGISTRY_INSTALL = re.compile(r"pip install scriptcontract(?![-\w./*])")
TAG_PROMISE = re.compile(r"^\s*rev: ", re.MULTILINE)


@pytest.mark.parametrize(
    "path",
    sorted(
        str(p.relative_to(REPO))
        for p in [REPO / "README.md", REPO / ".pre-commit-hooks.yaml", *REPO.glob("docs/**/*.md")]
        if p.name != "releasing.md"  # it says what may be written once a release exists
    ),
)
def test_docs_promise_no_install_that_does_not_exist(path: str) -> None:
    text = (REPO / path).read_text(encoding="utf-8")
    assert not REGISTRY_INSTALL.search(text), "nothing is on PyPI yet"
    uncommented = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    assert not TAG_PROMISE.search(uncommented), "no release is tagged yet"


def test_the_readme_test_time_is_a_figure() -> None:
    assert re.search(r"the tests \(~\d+ min on 2 cores[;)]", README)
