"""Usage as a ruff user types it: a mistyped flag names the command it was given to and
the flag meant; `scriptcontract version` answers like `ruff version`."""

from __future__ import annotations

import json
from pathlib import Path

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


GREET = """
import json, sys
inputs = json.load(sys.stdin)
print(json.dumps({"success": True, "message": "Hello, " + inputs.get("name", "World")}))
"""


def test_runs_usage_names_the_script_as_every_other_command_does(project: Project) -> None:
    done = scriptcontract("run", cwd=project.root)
    assert done.returncode == 2
    assert done.stderr.startswith("usage: scriptcontract run [-h] [--root DIR]")
    usage = " ".join(done.stderr.split("scriptcontract run: error")[0].split())
    assert usage.endswith(" [-q | -v] [--save-case NAME] [--no-schema-check] SCRIPT"), usage
    assert "the following arguments are required: SCRIPT" in done.stderr


def test_quiet_on_new_schema_and_trust_prints_nothing_but_what_was_asked(
    project: Project, tmp_path: Path
) -> None:
    state = {"XDG_STATE_HOME": str(tmp_path / "state")}
    (project.root / "pyproject.toml").write_text(
        "[tool.scriptcontract.sandbox]\nmemory-mb = 4096\n", encoding="utf-8"
    )
    # The controls: without -q, each says what it did.
    loud = scriptcontract("new", "scripts/a.py", cwd=project.root)
    assert loud.returncode == 0 and "created script: scripts/a.py" in loud.stdout
    quiet = scriptcontract("new", "-q", "scripts/b.py", cwd=project.root)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout == "" and quiet.stderr == ""
    assert (project.root / "scripts" / "b.py").is_file()

    loud = scriptcontract("schema", "scripts/a.py", cwd=project.root)
    assert "scriptcontract schema: inferred from the code" in loud.stderr
    quiet = scriptcontract("schema", "-q", "scripts/a.py", cwd=project.root)
    assert quiet.returncode == 0 and quiet.stderr == ""
    assert json.loads(quiet.stdout) == json.loads(loud.stdout)

    quiet = scriptcontract("trust", "-q", cwd=project.root, env=state)
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
    shown = scriptcontract("trust", "-q", "--show", cwd=project.root, env=state)
    assert "sandbox.memory-mb = 4096" in shown.stdout  # what --show is for is still shown
    assert "these settings are trusted" in shown.stdout
    loud = scriptcontract("trust", "--revoke", cwd=project.root, env=state)
    assert "revoked: " in loud.stdout


def test_verbose_run_says_which_root_configuration_and_interpreter(project: Project) -> None:
    (project.root / "scriptcontract.toml").write_text("", encoding="utf-8")
    project.write("scripts/greet.py", GREET)
    plain = scriptcontract("run", "scripts/greet.py", cwd=project.root)
    assert plain.returncode == 0, plain.stderr
    assert "project root" not in plain.stderr  # the control: said only when asked
    done = scriptcontract("run", "-v", "scripts/greet.py", cwd=project.root)
    assert done.returncode == 0, done.stderr
    configuration = project.root / "scriptcontract.toml"
    assert (
        f"scriptcontract run: project root {project.root}; configuration: {configuration}"
        in done.stderr
    )
    assert "scriptcontract run: python: " in done.stderr
    both = scriptcontract("run", "-q", "-v", "scripts/greet.py", cwd=project.root)
    assert both.returncode == 2 and "not allowed with argument" in both.stderr
