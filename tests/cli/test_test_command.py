"""`scriptcontract test`: every case run in the sandbox, reported, and brought up to date."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest

from scriptcontract.cases.schema import SCHEMA_FILE
from tests.cli.runner import scriptcontract
from tests.conftest import Project

GREET = """
import json, sys
inputs = json.loads(sys.stdin.read() or "{}")
print(json.dumps({"success": True, "message": "Hello, " + inputs.get("name", "World") + "!"}))
"""
MEANT_TO_FAIL = "a missing name is a JSON error (meant to fail: the script does not handle it)"


def cases_file(project: Project, script: str, cases: list[dict[str, Any]], **top: Any) -> Path:
    path = project.root / "scripts" / f"{script}.cases.json"
    path.write_text(json.dumps({**top, "cases": cases}, indent=2) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def greeter(project: Project) -> Project:
    (project.root / "scriptcontract.toml").write_text("")
    project.write("scripts/greet.py", GREET)
    return project


def test_json(project_root: Path, *args: str, **options: Any) -> tuple[int, dict[str, Any]]:
    done = scriptcontract("test", "--format", "json", *args, cwd=project_root, **options)
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


test_json.__test__ = False  # type: ignore[attr-defined]


def outcomes(report: dict[str, Any]) -> dict[str, str]:
    return {case["name"]: case["outcome"] for f in report["files"] for case in f["cases"]}


def test_the_examples_pass_but_the_one_meant_to_fail(examples: Path) -> None:
    code, report = test_json(examples.parent, "examples")
    assert code == 1
    found = outcomes(report)
    assert {name for name, outcome in found.items() if outcome != "passed"} == {MEANT_TO_FAIL}
    assert len(found) >= 10
    # Every case ran in the sandbox as `run` runs a script: the same protections.
    ran = scriptcontract("run", "scripts/hello.py", "--json", cwd=examples)
    protections = json.loads(ran.stdout)["sandbox"]["enforced"]
    assert protections
    for file in report["files"]:
        for case in file["cases"]:
            assert sorted(case["sandbox"]) == sorted(protections), case["name"]


def test_a_failing_case_shows_the_difference_the_stderr_and_the_last_frame(
    examples: Path,
) -> None:
    done = scriptcontract("test", "scripts/broken_no_error_handling.py", cwd=examples)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    failed = next(i for i, line in enumerate(lines) if line.startswith("  ✗"))
    assert MEANT_TO_FAIL in lines[failed]
    assert "no JSON output" in lines[failed]
    assert "(scripts/broken_no_error_handling.cases.json:12)" in lines[failed]
    details = "\n".join(lines[failed + 1 :])
    assert 'output: expected {"success": false, "error_type": "KeyError"}, but it is missing' in (
        details
    )
    assert "traceback ended at scripts/broken_no_error_handling.py:7 in <module>: KeyError: " in (
        details
    )
    assert "stderr (last lines):" in details
    assert lines[-1].startswith("2 cases: 1 passed, 1 failed (")


def test_update_rewrites_the_failing_expectation_only(greeter: Project) -> None:
    path = cases_file(
        greeter,
        "greet",
        [
            {
                "name": "ok",
                "inputs": {"name": "Ada"},
                "expect": {"output": {"success": True, "message": "Hello, Ada!"}},
            },
            {
                "name": "stale",
                "inputs": {"name": "Bo"},
                "expect": {"output": {"success": True, "message": "Hi Bo"}},
            },
        ],
    )
    before = path.read_text()
    done = scriptcontract("test", "--update", cwd=greeter.root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "✎ updated" in done.stdout
    assert path.read_text() == before.replace('"Hi Bo"', '"Hello, Bo!"')
    again = scriptcontract("test", cwd=greeter.root)
    assert again.returncode == 0, again.stdout
    assert "2 cases: 2 passed" in again.stdout


UPDATE_HINT = (
    "every failure is a new output: if the new outputs are right, "
    "`scriptcontract test --update` records them as expected"
)


@pytest.mark.parametrize("with_a_crash", [False, True], ids=["new-outputs", "and-a-crash"])
def test_update_is_suggested_only_where_it_would_record_new_outputs_alone(
    greeter: Project, with_a_crash: bool
) -> None:
    cases = [
        {
            "name": "stale",
            "inputs": {"name": "Bo"},
            "expect": {"output": {"success": True, "message": "Hi Bo"}},
        }
    ]
    if with_a_crash:
        # A name that is no string crashes the script, with no JSON: `--update` would
        # record the crash as what the case expects, so it is not suggested (the case
        # expects a failure: its one difference is the output).
        crash = {"success": False, "output": {"success": False, "error": "not a name"}}
        cases.append({"name": "crash", "inputs": {"name": 7}, "expect": crash})
    cases_file(greeter, "greet", cases)
    done = scriptcontract("test", cwd=greeter.root)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    if with_a_crash:
        assert UPDATE_HINT not in done.stdout
        assert lines[-1].startswith("2 cases: 0 passed, 2 failed (")
        return
    assert lines[-2].startswith("1 case: 0 passed, 1 failed (")
    assert lines[-1] == UPDATE_HINT
    # Followed, the advice does what it says.
    assert scriptcontract("test", "--update", cwd=greeter.root).returncode == 0
    again = scriptcontract("test", cwd=greeter.root)
    assert again.returncode == 0 and UPDATE_HINT not in again.stdout, again.stdout


def test_update_never_writes_a_file_that_changed_meanwhile(greeter: Project) -> None:
    # The script itself edits its cases file while the case runs (runs may write there).
    greeter.write(
        "scripts/edits.py",
        """
        import json
        with open("scripts/edits.cases.json", "a") as handle:
            handle.write(" ")
        print(json.dumps({"success": True, "n": 2}))
        """,
    )
    path = cases_file(greeter, "edits", [{"name": "c", "expect": {"output": {"n": 1}}}])
    done = scriptcontract("test", "--update", cwd=greeter.root)
    assert done.returncode == 1, done.stdout
    assert "not updated" in done.stdout and "changed since it was read" in done.stdout
    assert '"n": 1' in path.read_text()


def test_a_hang_a_crash_and_a_flood_never_stop_the_others(greeter: Project) -> None:
    greeter.write(
        "scripts/moods.py",
        """
        import json, os, sys, time
        mood = json.loads(sys.stdin.read() or "{}").get("mood")
        if mood == "hang":
            time.sleep(60)
        if mood == "crash":
            os._exit(3)
        if mood == "flood":
            sys.stdout.write("x" * (20 * 1024 * 1024))
            sys.exit(0)
        print(json.dumps({"success": True, "mood": mood}))
        """,
    )
    cases_file(
        greeter,
        "moods",
        [
            {"name": "hangs", "inputs": {"mood": "hang"}, "timeout_ms": 1000},
            {"name": "crashes", "inputs": {"mood": "crash"}},
            {"name": "floods", "inputs": {"mood": "flood"}},
            {
                "name": "calm",
                "inputs": {"mood": "calm"},
                "expect": {"output": {"success": True, "mood": "calm"}},
            },
        ],
    )
    code, report = test_json(greeter.root, timeout=60)
    assert code == 1
    cases = {case["name"]: case for case in report["files"][0]["cases"]}
    assert cases["calm"]["outcome"] == "passed"
    assert cases["hangs"]["outcome"] == "failed" and cases["hangs"]["timed_out"]
    assert cases["hangs"]["message"] == "Script execution timed out after 1000ms"
    assert cases["hangs"]["duration_ms"] < 10_000
    assert cases["crashes"]["outcome"] == "failed" and cases["crashes"]["exit_code"] == 3
    assert cases["floods"]["outcome"] == "failed"
    assert "stdout" in cases["floods"]["error"].lower() or "JSON" in cases["floods"]["error"]


def test_a_malformed_file_is_one_clear_error_and_the_others_still_run(greeter: Project) -> None:
    cases_file(greeter, "greet", [{"name": "ok", "expect": {"output_includes": {"success": True}}}])
    greeter.write("scripts/other.py", GREET)
    bad = greeter.root / "scripts" / "other.cases.json"
    bad.write_text('{\n  "cases": [\n    {"name": "typo", "expect": {"exit_cod": 1}}\n  ]\n}\n')
    done = scriptcontract("test", cwd=greeter.root)
    assert done.returncode == 2
    assert (
        'scripts/other.cases.json:3:33: error: case "typo": expect.exit_cod: unknown key (known: '
        in done.stdout
    )
    assert "  ✓ ok" in done.stdout
    assert "1 case: 1 passed, 1 file with errors" in done.stdout


def test_a_project_whose_configuration_has_errors_runs_none_of_its_cases(
    greeter: Project, tmp_path: Path
) -> None:
    greeter.write(
        "scripts/marks.py",
        "import json\nopen('scripts/ran', 'w').close()\nprint(json.dumps({'success': True}))\n",
    )
    cases_file(greeter, "marks", [{"name": "marks"}])
    greeter.write("scripts/also.py", GREET)
    cases_file(greeter, "also", [{"name": "also"}])
    (greeter.root / "scriptcontract.toml").write_text("[sandbox]\nnework = false\n")
    other = Project(tmp_path / "other")
    (other.root / "scripts").mkdir(parents=True)
    (other.root / "scriptcontract.toml").write_text("")
    other.write("scripts/greet.py", GREET)
    cases_file(other, "greet", [{"name": "greets"}])
    done = scriptcontract("test", str(greeter.root), str(other.root), cwd=tmp_path)
    assert done.returncode == 2
    assert "configuration has errors; no case was run" in done.stdout
    assert "nework: unknown key" in done.stdout
    # Said whole once, whatever the number of the project's files: the others point at it.
    assert done.stdout.count("nework: unknown key") == 1
    assert "marks.cases.json:1:1: error: no case was run: the same error as above" in done.stdout
    assert not (greeter.root / "scripts" / "ran").exists()
    assert "  ✓ greets" in done.stdout  # the other project's cases ran
    # The positive control: with the configuration fixed, the case runs (and marks).
    (greeter.root / "scriptcontract.toml").write_text("[sandbox]\nnetwork = false\n")
    assert scriptcontract("test", cwd=greeter.root).returncode == 0
    assert (greeter.root / "scripts" / "ran").exists()


def test_an_untrusted_loosening_is_a_configuration_error(greeter: Project, tmp_path: Path) -> None:
    cases_file(greeter, "greet", [{"name": "greets"}])
    (greeter.root / "scriptcontract.toml").write_text("[sandbox]\nenabled = false\n")
    state = {"XDG_STATE_HOME": str(tmp_path / "state")}
    done = scriptcontract("test", cwd=greeter.root, env=state)
    assert done.returncode == 2
    assert "loosens the sandbox (sandbox.enabled = false)" in done.stdout
    assert "scriptcontract trust" in done.stdout
    # The positive control: once trusted, the case runs.
    assert scriptcontract("trust", cwd=greeter.root, env=state).returncode == 0
    assert scriptcontract("test", cwd=greeter.root, env=state).returncode == 0


@pytest.mark.parametrize(
    ("exclude", "args", "runs_vendor"),
    [
        ("scripts/vendor/**", (), False),
        (None, (), True),  # the control: the same search runs it
        ("scripts/vendor/**", ("scripts/greet.cases.json", "scripts/vendor/greet.py"), True),
    ],
    ids=["excluded", "not excluded", "excluded, named"],
)
def test_the_cases_of_a_script_check_excludes_are_run_only_when_named(
    greeter: Project, exclude: str | None, args: tuple[str, ...], runs_vendor: bool
) -> None:
    if exclude is not None:
        (greeter.root / "scriptcontract.toml").write_text(f"exclude = [{exclude!r}]\n")
    greeter.write("scripts/vendor/greet.py", GREET)
    vendor_cases_run(greeter, args, runs_vendor)


def vendor_cases_run(greeter: Project, args: tuple[str, ...], runs_vendor: bool) -> None:
    """`test` runs the cases of scripts/vendor/greet.py (with `args`) exactly when `check`
    checks the script; scripts/greet.py's run every time (the positive control)."""
    cases_file(greeter, "greet", [{"name": "greets"}])
    cases_file(greeter, "vendor/greet", [{"name": "greets from vendor"}])
    code, report = test_json(greeter.root, *args)
    assert code == 0, report
    # The positive control: the script no glob excludes has its cases run in every case.
    expected = ["scripts/greet.cases.json"] + ["scripts/vendor/greet.cases.json"] * runs_vendor
    assert sorted(file["path"] for file in report["files"]) == expected
    # As `check` judges the script itself: a script it passes over has no cases run.
    checked = scriptcontract("check", "--format", "json", *args, cwd=greeter.root)
    assert ("scripts/vendor/greet.py" in checked.stdout) == runs_vendor, checked.stdout


VENDOR = "scripts/vendor/**"
NAMED = ("scripts/greet.cases.json", "scripts/vendor/greet.py")


@pytest.mark.parametrize(
    ("configured", "args", "runs_vendor"),
    [
        (None, (), True),  # the control: the search runs it
        (None, ("--exclude", VENDOR), False),
        (None, ("--extend-exclude", f"scripts/other.py,{VENDOR}"), False),
        (VENDOR, ("--exclude", "scripts/other/**"), True),  # replaces the configured one
        (VENDOR, ("--extend-exclude", "scripts/other/**"), False),  # adds to it
        (None, ("--exclude", VENDOR, *NAMED), True),  # a file named is run
        (None, ("--exclude", VENDOR, "--force-exclude", *NAMED), False),
        (None, ("--exclude", VENDOR, "--force-exclude", "--no-force-exclude", *NAMED), True),
    ],
    ids=[
        "no flag",
        "exclude",
        "extend-exclude",
        "exclude replaces",
        "extend-exclude adds",
        "named",
        "named, force-exclude",
        "named, no-force-exclude",
    ],
)
def test_the_exclude_flags_leave_out_the_cases_of_the_scripts_they_leave_out_of_check(
    greeter: Project, configured: str | None, args: tuple[str, ...], runs_vendor: bool
) -> None:
    """`test` takes `check`'s `--exclude`, `--extend-exclude` and `--force-exclude`, spelt
    and meaning the same."""
    if configured is not None:
        (greeter.root / "scriptcontract.toml").write_text(f"exclude = [{configured!r}]\n")
    greeter.write("scripts/vendor/greet.py", GREET)
    vendor_cases_run(greeter, args, runs_vendor)


@pytest.mark.parametrize(
    ("markers", "runs_vendor"),
    [
        ("", False),  # the control: excluded, its cases are not run
        ("# scriptcontract: script\n", True),
        ("# scriptcontract: script\n# scriptcontract: skip-file\n", False),
    ],
    ids=["no marker", "script", "script and skip-file"],
)
def test_a_script_that_opts_in_has_its_cases_run_whatever_exclude_says(
    greeter: Project, markers: str, runs_vendor: bool
) -> None:
    """`check` checks a script carrying `# scriptcontract: script` under an excluded glob
    (`skip-file` wins over it): `test` runs its cases likewise."""
    (greeter.root / "scriptcontract.toml").write_text(f"exclude = [{VENDOR!r}]\n")
    greeter.write("scripts/vendor/greet.py", markers + GREET)
    vendor_cases_run(greeter, (), runs_vendor)


@pytest.mark.parametrize(
    ("configuration", "markers", "runs_vendor"),
    [
        ("", "", True),  # the control: included by default, its cases run
        ('include = ["scripts/greet.py"]\n', "", False),
        ('include = ["scripts/greet.py"]\n', "# scriptcontract: script\n", True),
        ("", "# scriptcontract: skip-file\n", False),
    ],
    ids=["default include", "not included", "not included, opts in", "skip-file"],
)
def test_include_and_skip_file_leave_out_the_cases_of_the_scripts_check_leaves_out(
    greeter: Project, configuration: str, markers: str, runs_vendor: bool
) -> None:
    """`test` selects scripts as `check` does: `include` and `# scriptcontract: skip-file`
    too, not only `exclude`."""
    (greeter.root / "scriptcontract.toml").write_text(configuration)
    greeter.write("scripts/vendor/greet.py", markers + GREET)
    vendor_cases_run(greeter, (), runs_vendor)
    # -v says which cases files were left out, and why.
    verbose = scriptcontract("test", "-v", cwd=greeter.root)
    why = (
        "its script is marked `# scriptcontract: skip-file`"
        if markers
        else "`check` passes over its script: not matched by include"
    )
    left_out = f"scriptcontract test: left out scripts/vendor/greet.cases.json: {why}"
    assert (left_out in verbose.stderr) == (not runs_vendor), verbose.stderr


@pytest.mark.parametrize("named", ["scripts/vendor/greet.py", "scripts/vendor/greet.cases.json"])
def test_a_script_marked_skip_file_has_no_case_run_even_named(greeter: Project, named: str) -> None:
    """As `check` checks no file marked `skip-file`, named or not: the message says so,
    and not to name it or opt in (which the marker beats)."""
    greeter.write("scripts/vendor/greet.py", GREET)
    cases_file(greeter, "vendor/greet", [{"name": "greets from vendor"}])
    # The control: named, without the marker, its case runs.
    assert scriptcontract("test", named, cwd=greeter.root).returncode == 0
    greeter.write("scripts/vendor/greet.py", "# scriptcontract: skip-file\n" + GREET)
    done = scriptcontract("test", named, cwd=greeter.root)
    assert done.returncode == 2 and done.stdout == "", done.stdout + done.stderr
    assert (
        "1 cases file left out: scripts/vendor/greet.cases.json (its script is marked "
        "`# scriptcontract: skip-file`). A script marked `# scriptcontract: skip-file` is not a "
        "workflow script, named or not: its cases run once the marker is removed"
    ) in done.stderr
    assert "To run it anyway" not in done.stderr, done.stderr


def test_no_cases_found_says_which_exclude_left_out(greeter: Project) -> None:
    greeter.write("scripts/vendor/greet.py", GREET)
    cases_file(greeter, "vendor/greet", [{"name": "greets from vendor"}])
    # The control: without the flag, the folder's cases run.
    assert scriptcontract("test", "scripts/vendor", cwd=greeter.root).returncode == 0
    done = scriptcontract("test", "scripts/vendor", "--exclude", VENDOR, cwd=greeter.root)
    assert done.returncode == 2 and done.stdout == "", done.stdout + done.stderr
    assert (
        "no cases found in scripts/vendor: 1 cases file left out: scripts/vendor/greet.cases.json"
        " (`check` passes over its script: matched by exclude). To run it anyway: name it "
        "(without --force-exclude), or put `# scriptcontract: script` in the script"
    ) in done.stderr
    assert "skip-file" not in done.stderr  # no script of this run is marked
    # A script named with --force-exclude that has no cases file: nothing said left out.
    greeter.write("scripts/vendor/bare.py", GREET)
    bare = ("scripts/vendor/bare.py", "--force-exclude", "--exclude", VENDOR)
    done = scriptcontract("test", *bare, cwd=greeter.root)
    assert done.returncode == 2 and "no cases found in scripts/vendor/bare.py" in done.stderr
    assert "left out" not in done.stderr and "bare.cases.json" not in done.stderr, done.stderr


@pytest.mark.parametrize("command", ["test", "check"])
def test_an_exclude_glob_too_long_is_a_usage_error(greeter: Project, command: str) -> None:
    cases_file(greeter, "greet", [{"name": "greets"}])
    done = scriptcontract(command, "--extend-exclude", "*a" * 1200, cwd=greeter.root)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "(on the command line)" in done.stderr and "✓" not in done.stdout
    # The control: a glob of a reasonable length is taken.
    assert scriptcontract(command, "--extend-exclude", "*a", cwd=greeter.root).returncode in (0, 1)


def test_quiet_shows_only_the_cases_that_did_not_pass(greeter: Project) -> None:
    cases_file(
        greeter, "greet", [{"name": "greets"}, {"name": "is wrong", "expect": {"success": False}}]
    )
    greeter.write("scripts/other.py", GREET)
    cases_file(greeter, "other", [{"name": "also greets"}])
    loud = scriptcontract("test", cwd=greeter.root)
    quiet = scriptcontract("test", "-q", cwd=greeter.root)
    assert loud.returncode == quiet.returncode == 1, loud.stdout + quiet.stdout
    # The control: without -q, the passing cases and their files are listed.
    assert "✓ greets" in loud.stdout and "scripts/other.cases.json" in loud.stdout
    assert "✗ is wrong" in quiet.stdout and "scripts/greet.cases.json (greet.py)" in quiet.stdout
    assert "✓" not in quiet.stdout and "other" not in quiet.stdout, quiet.stdout
    assert quiet.stdout.splitlines()[-1].startswith("3 cases: 2 passed, 1 failed")
    # Other formats: the report alone, as `check -q` (the summary went to stderr).
    for args, summary in ((), True), (("-q",), False):
        done = scriptcontract("test", "--format", "json", *args, cwd=greeter.root)
        assert json.loads(done.stdout)["files"], done.stderr
        assert ("3 cases: 2 passed, 1 failed" in done.stderr) == summary, done.stderr


def test_k_selects_cases_by_script_and_name(greeter: Project) -> None:
    cases_file(
        greeter, "greet", [{"name": "greets Ada", "inputs": {"name": "Ada"}}, {"name": "greets Bo"}]
    )
    code, report = test_json(greeter.root, "-k", "ADA")
    assert code == 0 and list(outcomes(report)) == ["greets Ada"]
    code, report = test_json(greeter.root, "-k", "greet.py::*bo")
    assert code == 0 and list(outcomes(report)) == ["greets Bo"]
    done = scriptcontract("test", "-k", "nobody", cwd=greeter.root)
    assert done.returncode == 2 and "no case matches -k 'nobody'" in done.stderr


def test_junit_and_github_formats(examples: Path) -> None:
    junit = scriptcontract("test", "--format", "junit", cwd=examples)
    assert junit.returncode == 1
    root = ElementTree.fromstring(junit.stdout)
    failures = [case for case in root.iter("testcase") if case.find("failure") is not None]
    assert [case.get("name") for case in failures] == [MEANT_TO_FAIL]
    assert failures[0].get("file") == "scripts/broken_no_error_handling.cases.json"
    assert int(root.get("tests", "0")) == len(list(root.iter("testcase")))
    github = scriptcontract("test", "--format", "github", cwd=examples)
    (annotation,) = github.stdout.splitlines()
    assert annotation.startswith(
        "::error file=scripts/broken_no_error_handling.cases.json,line=12,col="
    )
    assert "title=broken_no_error_handling.py%3A a missing name" in annotation
    assert "passed, 1 failed" in github.stderr


def test_a_run_saved_as_a_case_passes_as_a_case(greeter: Project) -> None:
    saved = scriptcontract(
        "run",
        "scripts/greet.py",
        "--inputs",
        '{"name": "Ada"}',
        "--save-case",
        "greets Ada",
        cwd=greeter.root,
    )
    assert saved.returncode == 0, saved.stderr
    assert "saved as case 'greets Ada'" in saved.stderr
    again = scriptcontract(
        "run", "scripts/greet.py", "--inputs", "{}", "--save-case", "greets Ada", cwd=greeter.root
    )
    assert "saved as case 'greets Ada (2)'" in again.stderr
    cases = json.loads((greeter.root / "scripts" / "greet.cases.json").read_text())["cases"]
    assert cases[0] == {
        "name": "greets Ada",
        "inputs": {"name": "Ada"},
        "expect": {"success": True, "output": {"success": True, "message": "Hello, Ada!"}},
    }
    assert scriptcontract("test", cwd=greeter.root).returncode == 0


def test_a_run_that_timed_out_is_not_saved(greeter: Project) -> None:
    greeter.write("scripts/slow.py", "import time\ntime.sleep(30)\n")
    done = scriptcontract(
        "run", "scripts/slow.py", "--timeout-ms", "500", "--save-case", "slow", cwd=greeter.root
    )
    assert done.returncode == 2
    assert "not saved as a case: the run timed out" in done.stderr
    assert not (greeter.root / "scripts" / "slow.cases.json").exists()


def test_an_unusable_inputs_file_fails_its_case_only(greeter: Project, tmp_path: Path) -> None:
    # A file of the user's outside the project, or a link to one, is never handed to a script.
    outside = tmp_path / "secret.json"
    outside.write_text('{"token": "s3cret"}')
    (greeter.root / "scripts" / "link.json").symlink_to(outside)
    cases_file(
        greeter,
        "greet",
        [
            {"name": "no file", "inputs_file": "nowhere.json"},
            {"name": "outside", "inputs_file": str(outside)},
            {"name": "linked out", "inputs_file": "link.json"},
            {"name": "fine"},
        ],
    )
    code, report = test_json(greeter.root)
    assert code == 1
    cases = {case["name"]: case for case in report["files"][0]["cases"]}
    assert cases["fine"]["outcome"] == "passed"
    assert {cases[name]["outcome"] for name in ("no file", "outside", "linked out")} == {"error"}
    assert "nowhere.json" in cases["no file"]["message"]
    assert "does not exist" in cases["no file"]["message"]
    assert "is outside the project" in cases["outside"]["message"]
    assert "leads outside the project" in cases["linked out"]["message"]
    assert "s3cret" not in json.dumps(report)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        ((), "no cases found in the current directory"),
        (
            ("scripts/greet.py",),
            "scripts/greet.py has no cases: greet.cases.json does not exist; add one with "
            "`scriptcontract run scripts/greet.py --inputs ... --save-case NAME`",
        ),
        (("nowhere",), "nowhere does not exist"),
    ],
)
def test_nothing_to_test_is_a_usage_error(
    greeter: Project, args: tuple[str, ...], says: str
) -> None:
    done = scriptcontract("test", *args, cwd=greeter.root)
    assert done.returncode == 2
    assert says in done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr  # one mistake, one error


def test_the_schema_is_printed(tmp_path: Path) -> None:
    done = scriptcontract("test", "--schema", cwd=tmp_path)
    assert done.returncode == 0
    assert done.stdout == SCHEMA_FILE.read_text(encoding="utf-8")


RENDEZVOUS = """
import json, os, sys, time
me = json.loads(sys.stdin.read())["me"]
open(f"scripts/here-{me}", "w").close()
while len([n for n in os.listdir("scripts") if n.startswith("here-")]) < 3:
    time.sleep(0.01)
print(json.dumps({"success": True}))
"""


def test_cases_run_side_by_side_up_to_jobs(greeter: Project) -> None:
    # Each run waits until all three have started: only runs side by side can finish.
    greeter.write("scripts/meet.py", RENDEZVOUS)
    cases = [{"name": f"meets {i}", "inputs": {"me": i}} for i in range(3)]
    cases_file(greeter, "meet", cases, timeout_ms=5000)
    code, report = test_json(greeter.root, "--jobs", "3")
    assert code == 0, report
    # The positive control: one at a time, the first two wait in vain and are killed.
    for leftover in (greeter.root / "scripts").glob("here-*"):
        leftover.unlink()
    cases_file(greeter, "meet", cases, timeout_ms=1000)
    code, report = test_json(greeter.root, "--jobs", "1")
    assert code == 1
    assert sum(case["timed_out"] for case in report["files"][0]["cases"]) == 2
