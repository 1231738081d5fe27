"""`scriptcontract check` flags a ruff user types: the fix variants and their exit codes,
`--extend-select`, `-s`, `-o`, the short and `--no-` forms."""

from __future__ import annotations

import pytest

from tests.cli.runner import run_check
from tests.conftest import Project

# SCR105 has a safe fix (print to stderr); SCR201's fix (exit 1, not 2) may change what a
# caller of the script sees, so it is applied only with --unsafe-fixes.
UNSAFE = """\
import json
import sys

if __name__ == "__main__":
    inputs = json.loads(sys.stdin.read() or "{}")
    try:
        print(json.dumps({"success": True, "n": len(inputs)}))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        raise SystemExit(2)
"""
SAFE_AND_UNSAFE = UNSAFE.replace("    try:\n", '    print("starting")\n    try:\n')
STRAY_ONLY = 'import sys\nprint("a")\n'


def test_unsafe_fixes_are_hinted_and_applied_only_on_request(project: Project) -> None:
    script = project.write("scripts/job.py", SAFE_AND_UNSAFE)
    plain = run_check(project.root)
    assert plain.returncode == 1
    assert "SCR105 [*]" in plain.stdout and "SCR201 exit code 2" in plain.stdout
    assert (
        "(1 fixable with --fix; 1 more with --fix --unsafe-fixes, which may change behaviour;"
        in plain.stderr
    )
    unsafe = run_check(project.root, "--unsafe-fixes")
    assert "SCR201 [*]" in unsafe.stdout
    assert "(2 fixable with --fix --unsafe-fixes)" in unsafe.stderr
    safe_fix = run_check(project.root, "--fix")
    assert safe_fix.returncode == 1 and "SCR201" in safe_fix.stdout
    assert "raise SystemExit(2)" in script.read_text()
    both = run_check(project.root, "--fix", "--unsafe-fixes")
    assert both.returncode == 0, both.stdout + both.stderr
    assert "raise SystemExit(1)" in script.read_text()
    assert "fixed 1 finding, 0 remaining" in both.stderr


def test_no_unsafe_fixes_undoes_unsafe_fixes(project: Project) -> None:
    script = project.write("scripts/job.py", UNSAFE)
    done = run_check(project.root, "--fix", "--unsafe-fixes", "--no-unsafe-fixes")
    assert done.returncode == 1 and "SCR201" in done.stdout
    assert script.read_text() == UNSAFE


def test_diff_with_unsafe_fixes_and_exit_zero(project: Project) -> None:
    script = project.write("scripts/job.py", UNSAFE)
    safe_only = run_check(project.root, "--diff")
    assert safe_only.returncode == 0 and safe_only.stdout == ""
    diff = run_check(project.root, "--diff", "--unsafe-fixes")
    assert diff.returncode == 1
    assert "-        raise SystemExit(2)\n+        raise SystemExit(1)\n" in diff.stdout
    zero = run_check(project.root, "--diff", "--unsafe-fixes", "--exit-zero")
    assert zero.returncode == 0 and zero.stdout == diff.stdout
    assert script.read_text() == UNSAFE


def test_fix_only_reports_what_it_fixed_and_exits_0(project: Project) -> None:
    script = project.write("scripts/job.py", SAFE_AND_UNSAFE)
    done = run_check(project.root, "--fix-only")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "", "what is left is not reported"
    assert done.stderr == "scriptcontract: fixed 1 finding in 1 script\n"
    assert 'print("starting", file=sys.stderr)' in script.read_text()
    again = run_check(project.root, "--fix-only", "--exit-non-zero-on-fix")
    assert again.returncode == 0 and again.stderr == "scriptcontract: nothing to fix in 1 script\n"


def test_exit_non_zero_on_fix(project: Project) -> None:
    script = project.write("scripts/job.py", STRAY_ONLY)
    fixed = run_check(project.root, "--fix", "--select", "SCR105", "--exit-non-zero-on-fix")
    assert fixed.returncode == 1, "a fix was applied, though nothing is left"
    assert fixed.stdout == "" and "fixed 1 finding, 0 remaining" in fixed.stderr
    assert script.read_text() == 'import sys\nprint("a", file=sys.stderr)\n'
    clean = run_check(project.root, "--fix", "--select", "SCR105", "--exit-non-zero-on-fix")
    assert clean.returncode == 0
    script.write_text(STRAY_ONLY)
    fix_only = run_check(
        project.root, "--fix-only", "--select", "SCR105", "--exit-non-zero-on-fix", "--show-fixes"
    )
    assert fix_only.returncode == 1
    assert (
        fix_only.stdout
        == "Fixed 1 finding:\n  scripts/job.py:\n    1 x SCR105 (Write it to stderr)\n"
    )
    script.write_text(STRAY_ONLY)
    zero = run_check(project.root, "--fix", "--select", "SCR105", "--exit-non-zero-on-fix", "-e")
    assert zero.returncode == 0


def test_fix_only_on_stdin_prints_the_fixed_text_alone(project: Project) -> None:
    done = run_check(
        project.root, "-", "--fix-only", "--stdin-filename", "scripts/job.py", stdin=STRAY_ONLY
    )
    assert done.returncode == 0
    assert done.stdout == 'import sys\nprint("a", file=sys.stderr)\n'


def test_no_fix_undoes_an_earlier_fix(project: Project) -> None:
    script = project.write("scripts/job.py", STRAY_ONLY)
    done = run_check(project.root, "--fix", "--no-fix")
    assert done.returncode == 1 and "SCR105 [*]" in done.stdout
    assert script.read_text() == STRAY_ONLY


def test_extend_select_adds_to_the_selection(project: Project) -> None:
    project.write("pyproject.toml", '[tool.scriptcontract]\nselect = ["SCR105"]\n')
    project.write("scripts/job.py", SAFE_AND_UNSAFE)

    def codes(*args: str) -> set[str]:
        return {line.split()[1] for line in run_check(project.root, *args).stdout.splitlines()}

    assert codes() == {"SCR105"}
    assert codes("--extend-select", "SCR201") == {"SCR105", "SCR201"}
    assert codes("--select", "SCR201") == {"SCR201"}
    project.write("pyproject.toml", '[tool.scriptcontract]\nignore = ["SCR2"]\n')
    assert "SCR201" not in codes()
    assert "SCR201" in codes("--extend-select", "SCR201"), "the more specific selector wins"
    typo = run_check(project.root, "--extend-select", "SCR2O1")
    assert typo.returncode == 2
    assert typo.stderr == "scriptcontract check: unknown rule code or prefix: SCR2O1\n"


def test_extend_select_in_the_configuration(project: Project) -> None:
    project.write(
        "pyproject.toml",
        '[tool.scriptcontract]\nselect = ["SCR105"]\nextend-select = ["SCR201"]\n',
    )
    project.write("scripts/job.py", SAFE_AND_UNSAFE)
    lines = run_check(project.root).stdout.splitlines()
    assert {line.split()[1] for line in lines} == {"SCR105", "SCR201"}
    # As in ruff, --select on the command line starts over, the configured extension too.
    again = run_check(project.root, "--select", "SCR105").stdout.splitlines()
    assert {line.split()[1] for line in again} == {"SCR105"}


def test_silent_prints_nothing_but_keeps_the_exit_status(project: Project) -> None:
    project.write("scripts/job.py", STRAY_ONLY)
    found = run_check(project.root, "-s")
    assert (found.returncode, found.stdout, found.stderr) == (1, "", "")
    project.write("scripts/job.py", 'import sys\nprint("a", file=sys.stderr)\n')
    clean = run_check(project.root, "--silent", "--select", "SCR105")
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")
    broken = run_check(project.root, "-s", "--select", "SCR1O5")
    assert broken.returncode == 2 and "unknown rule code" in broken.stderr, "errors still show"


def test_output_file_takes_the_report_and_stderr_keeps_the_summary(project: Project) -> None:
    project.write("scripts/job.py", STRAY_ONLY)
    done = run_check(project.root, "-o", "reports/lint.txt", "--output-format", "concise")
    assert done.returncode == 1 and done.stdout == ""
    assert "found 2 findings in 1 script" in done.stderr
    report = (project.root / "reports" / "lint.txt").read_text()
    assert "scripts/job.py:2:1: SCR105 [*] text written to stdout" in report
    env = run_check(
        project.root, "--output-format", "json", env={"SCRIPTCONTRACT_OUTPUT_FILE": "lint.json"}
    )
    assert env.stdout == "" and (project.root / "lint.json").read_text().startswith("[")


def test_output_file_that_cannot_be_written_changes_nothing(project: Project) -> None:
    script = project.write("scripts/job.py", STRAY_ONLY)
    (project.root / "taken").write_text("a file, not a folder")
    done = run_check(project.root, "--fix", "--output-file", "taken/report.txt")
    assert done.returncode == 2
    assert done.stderr.startswith("scriptcontract check: error: cannot write --output-file ")
    assert script.read_text() == STRAY_ONLY, "nothing is fixed when the report cannot be written"


def test_output_format_from_the_environment(project: Project) -> None:
    project.write("scripts/job.py", STRAY_ONLY)
    github = run_check(project.root, env={"SCRIPTCONTRACT_OUTPUT_FORMAT": "github"})
    assert github.stdout.startswith("::")
    flag_wins = run_check(
        project.root, "--output-format", "concise", env={"SCRIPTCONTRACT_OUTPUT_FORMAT": "github"}
    )
    assert flag_wins.stdout.startswith("scripts/job.py:")
    wrong = run_check(project.root, env={"SCRIPTCONTRACT_OUTPUT_FORMAT": "xml"})
    assert wrong.returncode == 2
    assert "SCRIPTCONTRACT_OUTPUT_FORMAT='xml' is not a format" in wrong.stderr


@pytest.mark.parametrize(
    ("short", "long"), [("-e", "--exit-zero"), ("-n", "--no-cache"), ("-s", "--silent")]
)
def test_short_flags_mean_their_long_ones(project: Project, short: str, long: str) -> None:
    project.write("scripts/job.py", STRAY_ONLY)
    as_short = run_check(project.root, short)
    as_long = run_check(project.root, long)
    assert (as_short.returncode, as_short.stdout) == (as_long.returncode, as_long.stdout)
    assert as_short.returncode == (0 if short == "-e" else 1)


def test_respect_gitignore_and_no_force_exclude_forms(project: Project) -> None:
    project.write("pyproject.toml", "[tool.scriptcontract]\n")
    project.write(".gitignore", "scripts/ignored.py\n")
    project.write("scripts/ignored.py", STRAY_ONLY)
    project.write("scripts/job.py", STRAY_ONLY)
    shown = {
        line.split(":")[0]
        for line in run_check(
            project.root, "--no-respect-gitignore", "--respect-gitignore"
        ).stdout.splitlines()
    }
    assert shown == {"scripts/job.py"}
    named = run_check(project.root, "--force-exclude", "--no-force-exclude", "scripts/ignored.py")
    assert named.stdout.startswith("scripts/ignored.py:")


def test_watch_has_its_short_flag(project: Project) -> None:
    done = run_check(project.root, "-w", "-")
    assert done.returncode == 2 and "--watch cannot read stdin" in done.stderr


ADOPTING = '''\
#!/usr/bin/env python3
import json
import sys

HELP = """
print("inside a string")
"""
raw = sys.stdin.read()
print("starting")  # noqa: T201
print("x", int(raw))  # scriptcontract: ignore[SCR207]
'''


def test_add_noqa_silences_each_line_and_says_what_it_could_not(project: Project) -> None:
    script = project.write("scripts/old.py", ADOPTING)
    before = run_check(project.root, "--select", "SCR1,SCR2")
    assert before.returncode == 1
    done = run_check(project.root, "--add-noqa", "--select", "SCR1,SCR2")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    text = script.read_text()
    assert text.splitlines()[7:] == [
        "raw = sys.stdin.read()  # scriptcontract: ignore[SCR207, SCR102]",
        'print("starting")  # noqa: T201  # scriptcontract: ignore[SCR105]',
        'print("x", int(raw))  # scriptcontract: ignore[SCR207, SCR105]',
    ]
    assert text.splitlines()[:7] == ADOPTING.splitlines()[:7], "the #! line and the string stay"
    assert "added suppression comments to 3 lines in 1 script" in done.stderr
    assert "scripts/old.py:1:1: SCR202: no comment could go on its lines" in done.stderr
    after = run_check(project.root, "--select", "SCR1,SCR2")
    assert [line.split()[1] for line in after.stdout.splitlines()] == ["SCR202"]
    again = run_check(project.root, "--add-noqa", "--select", "SCR1,SCR2")
    assert script.read_text() == text
    assert "added suppression comments to 0 lines" in again.stderr


def test_add_noqa_does_not_go_with_fixing_or_stdin(project: Project) -> None:
    script = project.write("scripts/job.py", STRAY_ONLY)
    for extra in (["--fix"], ["--diff"], ["-"]):
        done = run_check(project.root, "--add-noqa", *extra)
        assert done.returncode == 2
        assert f"--add-noqa does not go with {extra[0]}" in done.stderr
    assert script.read_text() == STRAY_ONLY


def test_a_file_that_is_not_utf8_says_where_and_what_to_do(project: Project) -> None:
    (project.root / "scripts" / "latin.py").write_bytes(b'import sys\nname = "\xe9"\n')
    (project.root / "scripts" / "bom.py").write_bytes(
        b"\xef\xbb\xbf# -*- coding: latin-1 -*-\nimport sys\n"
    )
    done = run_check(project.root, "--select", "SCR003")
    assert done.returncode == 1
    advice = (
        "save it as UTF-8, or declare its encoding on its first or second line "
        "(# -*- coding: latin-1 -*-)"
    )
    assert done.stdout.splitlines() == [
        "scripts/bom.py:1:1: SCR003 cannot decode the file: its UTF-8 byte order mark and its "
        f"coding declaration disagree; {advice}",
        "scripts/latin.py:1:1: SCR003 cannot decode the file: not valid UTF-8 (byte 0xe9 at "
        f"offset 19); {advice}",
    ]
