"""Usage as a ruff user types it: a mistyped flag names the command it was given to and
the flag meant; `scriptcontract version` answers like `ruff version`."""

from __future__ import annotations

import json

import pytest

from tests.cli.runner import scriptcontract
from tests.conftest import Project


def test_an_unknown_flag_shows_the_usage_of_its_command_and_the_flag_meant(
    project: Project,
) -> None:
    done = scriptcontract("check", "--exit-zeor", "scripts", cwd=project.root)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("usage: scriptcontract check ")
    assert done.stderr.rstrip().endswith(
        "scriptcontract check: error: unrecognized arguments: --exit-zeor "
        "(did you mean --exit-zero?)"
    )


def test_an_unknown_flag_with_nothing_close_is_refused_plainly(project: Project) -> None:
    done = scriptcontract("run", "scripts/x.py", "--line-length", "88", cwd=project.root)
    assert done.returncode == 2
    assert done.stderr.startswith("usage: scriptcontract run ")
    assert "scriptcontract run: error: unrecognized arguments: --line-length 88\n" in done.stderr


def test_a_word_after_the_script_says_where_the_scripts_arguments_go(project: Project) -> None:
    project.write("scripts/x.py", "import json\nprint(json.dumps({'success': True}))\n")
    done = scriptcontract("run", "scripts/x.py", "verbose", cwd=project.root)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.rstrip().endswith(
        "scriptcontract run: error: unrecognized arguments: verbose (the script's own "
        "arguments go after `--`: run SCRIPT [options] -- ARGS)"
    )
    # The control: after `--`, the script gets it.
    ran = scriptcontract("run", "scripts/x.py", "--", "verbose", cwd=project.root)
    assert ran.returncode == 0, ran.stderr


@pytest.mark.parametrize(
    ("command", "meant"),
    [("chek", " (did you mean check?)"), ("tset", " (did you mean test?)"), ("lint", "")],
)
def test_a_mistyped_command_is_refused_with_the_one_meant(command: str, meant: str) -> None:
    done = scriptcontract(command, "scripts")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("usage: scriptcontract ")
    assert done.stderr.splitlines()[-1] == (
        f"scriptcontract: error: unknown command {command!r}{meant}; the commands: check, run, "
        "new, test, serve, doctor, trust, schema, rule, completion, version"
    )


def test_version_subcommand_as_text_and_json() -> None:
    flag = scriptcontract("--version")
    text = scriptcontract("version")
    as_json = scriptcontract("version", "--output-format", "json")
    assert flag.returncode == text.returncode == as_json.returncode == 0
    assert text.stdout == flag.stdout
    assert text.stdout.startswith("scriptcontract ")
    assert json.loads(as_json.stdout) == {"version": text.stdout.split()[1]}


def test_a_quoted_glob_is_named_as_the_likely_mistake(project: Project) -> None:
    project.write("scripts/job.py", "import sys\n")
    done = scriptcontract("check", "scripts/*.py", "nowhere.py", cwd=project.root)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "scriptcontract check: no such file or directory: scripts/*.py (a quoted glob? the "
        "shell expands globs, check does not)",
        "scriptcontract check: no such file or directory: nowhere.py",
    ]
