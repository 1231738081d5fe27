"""`scriptcontract check` as ruff and pre-commit users expect it: files, output, fixes, stdin."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from tests.cli.runner import run_check
from tests.cli.test_check import GOOD
from tests.conftest import Project

FIXABLE = 'import json\nimport sys\n\nraw = sys.stdin.read()\nprint("starting")\n'
CLEAN = GOOD


def run_with_stdin(cwd: Path, text: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_check(cwd, *args, stdin=text)


def shown_paths(result: subprocess.CompletedProcess[str]) -> set[str]:
    return {line.split(":")[0] for line in result.stdout.splitlines()}


# --- which files -----------------------------------------------------------------------


def test_gitignore_and_ignore_files_are_respected(project: Project) -> None:
    project.write("pyproject.toml", "[tool.scriptcontract]\n")
    project.write(".gitignore", "scripts/generated/\nscripts/tmp_*.py\n!scripts/tmp_keep.py\n")
    project.write("scripts/.ignore", "local.py\n")
    for name in ["job", "generated/out", "tmp_scratch", "tmp_keep", "local"]:
        project.write(f"scripts/{name}.py", FIXABLE)
    result = run_check(project.root)
    assert shown_paths(result) == {"scripts/job.py", "scripts/tmp_keep.py"}
    everything = run_check(project.root, "--no-respect-gitignore")
    assert len(shown_paths(everything)) == 5
    named = run_check(project.root, "scripts/local.py")
    assert shown_paths(named) == {"scripts/local.py"}, "a named file is always checked"
    forced = run_check(project.root, "--force-exclude", "scripts/local.py")
    assert forced.stdout == "" and "left out by .gitignore or .ignore" in forced.stderr


def test_exclude_and_extend_exclude_on_the_command_line(project: Project) -> None:
    project.write("pyproject.toml", '[tool.scriptcontract]\nexclude = ["scripts/old/**"]\n')
    for name in ["a", "b", "old/c"]:
        project.write(f"scripts/{name}.py", FIXABLE)
    assert shown_paths(run_check(project.root)) == {"scripts/a.py", "scripts/b.py"}
    extended = run_check(project.root, "--extend-exclude", "scripts/b.py")
    assert shown_paths(extended) == {"scripts/a.py"}
    replaced = run_check(project.root, "--exclude", "scripts/a.py")
    assert shown_paths(replaced) == {"scripts/b.py", "scripts/old/c.py"}
    forced = run_check(project.root, "--force-exclude", "--exclude", "scripts/a.py", "scripts/a.py")
    assert forced.stdout == "" and "1 file matched by exclude" in forced.stderr


def test_per_file_ignores(project: Project) -> None:
    project.write(
        "pyproject.toml",
        '[tool.scriptcontract.per-file-ignores]\n"scripts/legacy/*.py" = ["SCR105"]\n'
        '"smoke_*.py" = ["SCR1"]\n',
    )
    for name in ["new", "legacy/old", "nested/smoke_test"]:
        project.write(f"scripts/{name}.py", FIXABLE)
    result = run_check(project.root)
    codes = {(line.split(":")[0], line.split()[1]) for line in result.stdout.splitlines()}
    assert ("scripts/new.py", "SCR105") in codes
    assert not {c for c in codes if c[0] == "scripts/legacy/old.py" and c[1] == "SCR105"}
    smoke = {code for path, code in codes if path == "scripts/nested/smoke_test.py"}
    assert smoke and not {code for code in smoke if code.startswith("SCR1")}
    project.write("pyproject.toml", '[tool.scriptcontract.per-file-ignores]\n"x.py" = ["SCR1O5"]\n')
    typo = run_check(project.root)
    assert typo.returncode == 2 and "unknown rule code or prefix: SCR1O5" in typo.stderr


def test_an_undecodable_file_that_is_not_a_script_is_not_a_finding(project: Project) -> None:
    (project.root / "lib").mkdir()
    (project.root / "lib" / "latin.py").write_bytes(b"print('caf\xe9')\n")
    (project.root / "scripts" / "latin.py").write_bytes(b"print('caf\xe9')\n")
    result = run_check(project.root, "--output-format", "json")
    assert [(i["path"], i["code"]) for i in json.loads(result.stdout)] == [
        ("scripts/latin.py", "SCR003")
    ]


def test_show_files_lists_what_would_be_checked(project: Project) -> None:
    project.write("scripts/a.py", FIXABLE)
    project.write("scripts/b.py", "# scriptcontract: skip-file\n" + FIXABLE)
    project.write("tools/c.py", "# scriptcontract: script\n" + FIXABLE)
    result = run_check(project.root, "--show-files")
    assert result.returncode == 0
    assert result.stdout == "scripts/a.py\ntools/c.py\n"
    assert "1 file marked `# scriptcontract: skip-file`: scripts/b.py" in result.stderr


# --- output ----------------------------------------------------------------------------


def test_full_output_shows_the_line_a_caret_and_the_fix(project: Project) -> None:
    project.write("scripts/job.py", FIXABLE)
    result = run_check(project.root, "--output-format", "full", "--select", "SCR105")
    assert result.stdout.splitlines()[:5] == [
        "scripts/job.py:5:1: SCR105 [*] text written to stdout breaks the JSON output: "
        "send it to stderr",
        "  |",
        '5 | print("starting")',
        "  | ^^^^^^^^^^^^^^^^^",
        "  = fix: Write it to stderr (applied by --fix)",
    ]
    alias = run_check(project.root, "--format", "text", "--select", "SCR105")
    assert alias.stdout.startswith("scripts/job.py:5:1: SCR105 [*] ")


def test_colours_follow_the_flag_the_terminal_and_no_color(project: Project) -> None:
    project.write("scripts/job.py", FIXABLE)
    assert "\x1b[" not in run_check(project.root).stdout  # a pipe: no colours
    coloured = run_check(project.root, "--color", "always")
    assert "\x1b[1;31mSCR105\x1b[0m" in coloured.stdout
    assert "\x1b[" not in run_check(project.root, "--color", "never").stdout
    forced = run_check(project.root, env={"FORCE_COLOR": "1"})
    assert "\x1b[" in forced.stdout
    no_color = run_check(project.root, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in no_color.stdout


def test_junit_output(project: Project) -> None:
    project.write("scripts/job.py", FIXABLE)
    project.write("scripts/clean.py", CLEAN)
    result = run_check(project.root, "--output-format", "junit")
    assert result.returncode == 1
    root = ElementTree.fromstring(result.stdout)
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert set(suites) == {"scripts/job.py", "scripts/clean.py"}
    failures = suites["scripts/job.py"].findall("testcase/failure")
    assert {f.get("type") for f in failures} >= {"SCR105"}
    assert suites["scripts/clean.py"].find("testcase/failure") is None
    assert root.get("failures") == str(len(failures))


def test_gitlab_output(project: Project) -> None:
    project.write("scripts/job.py", FIXABLE)
    issues = json.loads(run_check(project.root, "--output-format", "gitlab").stdout)
    stray = next(i for i in issues if i["check_name"] == "SCR105")
    assert stray["location"] == {"path": "scripts/job.py", "lines": {"begin": 5, "end": 5}}
    assert stray["severity"] == "major" and stray["description"].startswith("SCR105 ")
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_statistics_as_json(project: Project) -> None:
    project.write("scripts/a.py", FIXABLE)
    project.write("scripts/b.py", FIXABLE)
    rows = json.loads(run_check(project.root, "--statistics", "--format", "json").stdout)
    stray = next(row for row in rows if row["code"] == "SCR105")
    assert stray == {"code": "SCR105", "name": "stray-stdout-output", "count": 2, "fixable": 2}


def test_quiet_and_verbose(project: Project) -> None:
    project.write("pyproject.toml", "[tool.scriptcontract]\n")
    project.write("scripts/job.py", FIXABLE)
    project.write("lib/util.py", FIXABLE)
    quiet = run_check(project.root, "-q")
    assert quiet.returncode == 1 and quiet.stderr == "" and "SCR105" in quiet.stdout
    verbose = run_check(project.root, "--verbose")
    assert f"configuration from {project.root / 'pyproject.toml'}" in verbose.stderr
    assert "skipped lib/util.py: not matched by include" in verbose.stderr


@pytest.mark.parametrize("jobs", ["0", "-2", "many"])
def test_jobs_must_be_a_positive_number(project: Project, jobs: str) -> None:
    result = run_check(project.root, "--jobs", jobs)
    assert result.returncode == 2 and "--jobs" in result.stderr
    assert "Traceback" not in result.stderr


# --- fixes -----------------------------------------------------------------------------


def test_diff_shows_what_fix_would_change_and_writes_nothing(project: Project) -> None:
    script = project.write("scripts/job.py", FIXABLE)
    result = run_check(project.root, "--diff")
    assert result.returncode == 1
    assert "--- a/scripts/job.py\n+++ b/scripts/job.py\n" in result.stdout
    assert '-print("starting")\n+print("starting", file=sys.stderr)\n' in result.stdout
    assert "would fix 1 finding in 1 script" in result.stderr
    assert script.read_text() == FIXABLE
    project.write("scripts/job.py", CLEAN)
    nothing = run_check(project.root, "--diff")
    assert nothing.returncode == 0 and nothing.stdout == ""


def test_fix_reports_fixed_and_remaining_and_show_fixes_lists_them(project: Project) -> None:
    project.write("scripts/job.py", FIXABLE + "while True:\n    pass\n")
    before = run_check(project.root, "--show-fixes")
    assert "Would fix with --fix 1 finding:\n  scripts/job.py:\n    1 x SCR105" in before.stdout
    fixed = run_check(project.root, "--fix", "--show-fixes")
    assert fixed.returncode == 1
    assert "Fixed 1 finding:\n  scripts/job.py:\n    1 x SCR105 (Write it to stderr)" in (
        fixed.stdout
    )
    remaining = len(fixed.stdout.split("\n\nFixed")[0].splitlines())
    assert f"fixed 1 finding, {remaining} remaining, in 1 script" in fixed.stderr


# --- stdin -----------------------------------------------------------------------------


def test_check_stdin_with_a_filename(project: Project) -> None:
    project.write("pyproject.toml", '[tool.scriptcontract]\nignore = ["SCR101"]\n')
    result = run_with_stdin(project.root, FIXABLE, "-", "--stdin-filename", "lib/job.py")
    assert result.returncode == 1
    assert "lib/job.py:5:1: SCR105 [*]" in result.stdout
    assert shown_paths(result) == {"lib/job.py"}
    assert not (project.root / "lib").exists()
    fixed = run_with_stdin(project.root, FIXABLE, "-", "--stdin-filename", "lib/job.py", "--fix")
    assert fixed.stdout == FIXABLE.replace('"starting")', '"starting", file=sys.stderr)')
    assert "SCR105" not in fixed.stderr
    anonymous = run_with_stdin(project.root, FIXABLE, "-", "--select", "SCR105")
    assert anonymous.stdout.startswith("-:5:1: SCR105")
