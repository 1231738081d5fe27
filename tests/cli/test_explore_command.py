"""`scriptcontract test --explore`: generated inputs find real failures, shrunk, replayable.

Every test runs the real CLI on real scripts in the sandbox.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from tests.cli.runner import scriptcontract
from tests.conftest import Project
from tests.explore import scripts
from tests.time_limits import slowdown


@pytest.fixture
def explored(project: Project) -> Project:
    (project.root / "scriptcontract.toml").write_text("")
    return project


def explore_json(
    project: Project, script: str, source: str, *args: str
) -> tuple[int, dict[str, Any]]:
    project.write(f"scripts/{script}.py", source)
    done = scriptcontract(
        "test", "--explore", f"scripts/{script}.py", "--format", "json", *args, cwd=project.root
    )
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)["scripts"][0]


def failures(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each failure by what failed (the exception type, else the kind)."""
    return {
        (found["error_type"] if found["kind"] == "exception" else found["kind"]): found
        for found in report["failures"]
    }


@pytest.mark.parametrize(
    ("script", "source", "error_type", "line", "smallest"),
    [
        pytest.param(
            "divides",
            scripts.DIVIDES,
            "ZeroDivisionError",
            scripts.DIVIDES_LINE,
            {"total": 0, "count": 0},
            id="divides-by-an-input",
        ),
        pytest.param(
            "indexes",
            scripts.INDEXES,
            "IndexError",
            scripts.INDEXES_LINE,
            {"items": []},
            id="indexes-an-array",
        ),
        pytest.param(
            "shouts",
            scripts.SHOUTS,
            "AttributeError",
            scripts.SHOUTS_LINE,
            {},
            id="method-of-a-missing-value",
        ),
        pytest.param(
            "bound",
            scripts.PAST_A_BOUND,
            "OverflowError",
            scripts.PAST_A_BOUND_LINE,
            {"items": [{"qty": 1001}]},
            id="past-a-bound",
        ),
        pytest.param(
            "long_note",
            scripts.LONG_NOTE,
            "ValueError",
            scripts.LONG_NOTE_LINE,
            {"note": "a" * 21},
            id="long-text",
        ),
    ],
)
def test_a_failure_on_some_inputs_is_found_at_its_line_with_the_smallest_input(
    explored: Project,
    script: str,
    source: str,
    error_type: str,
    line: int,
    smallest: dict[str, Any],
) -> None:
    code, report = explore_json(explored, script, source, "--seed", "11")
    assert code == 1
    found = failures(report)[error_type]
    assert found["kind"] == "exception"
    assert (found["path"], found["line"]) == (f"scripts/{script}.py", line)
    assert found["inputs"] == smallest
    assert report["schema"] == "inferred"
    assert report["seed"] == 11


def test_a_large_failing_input_is_shrunk_step_by_step(explored: Project) -> None:
    # Only a text longer than 20 characters fails, and no literal of the script says so:
    # the generator's long text fails first, and shrinking brings it down to 21.
    code, report = explore_json(explored, "long_note", scripts.LONG_NOTE, "--seed", "3")
    assert code == 1
    found = failures(report)["ValueError"]
    assert found["shrink_steps"] > 0
    assert found["inputs"] == {"note": found["inputs"]["note"]}
    assert len(found["inputs"]["note"]) == 21


def test_each_distinct_failure_is_reported_with_its_own_smallest_input(explored: Project) -> None:
    code, report = explore_json(explored, "two_bugs", scripts.TWO_BUGS, "--seed", "5")
    assert code == 1
    found = failures(report)
    assert set(found) == {"ZeroDivisionError", "IndexError"}
    assert found["ZeroDivisionError"]["inputs"] == {"rows": []}
    assert found["IndexError"]["inputs"] == {"rows": [{"id": ""}]}
    assert found["ZeroDivisionError"]["line"] != found["IndexError"]["line"]


def test_output_that_breaks_the_contract_is_a_failure_without_an_exception(
    explored: Project,
) -> None:
    code, report = explore_json(explored, "contract", scripts.CONTRACT, "--seed", "7")
    assert code == 1
    found = failures(report)
    assert found["no JSON output"]["inputs"] == {"verbose": True}
    assert found["exit code 3"]["inputs"] == {"mode": "strict"}
    assert found["exit code 3"]["exit_code"] == 3


def test_an_error_object_the_script_writes_is_an_answer_not_a_failure(explored: Project) -> None:
    code, report = explore_json(explored, "handles", scripts.HANDLES, "--seed", "2")
    assert report["handled_errors"]["ZeroDivisionError"] > 0  # zero parts were answered
    assert code == 0, report["failures"]
    assert report["failures"] == []


def test_the_same_seed_finds_the_same_failures_with_the_same_inputs(explored: Project) -> None:
    def without_times(report: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in report.items() if key != "seconds"}

    first = explore_json(explored, "two_bugs", scripts.TWO_BUGS, "--seed", "1234")
    second = explore_json(explored, "two_bugs", scripts.TWO_BUGS, "--seed", "1234")
    assert first[0] == second[0] == 1
    assert without_times(first[1]) == without_times(second[1])


def test_without_a_seed_the_one_used_is_printed_to_replay(explored: Project) -> None:
    explored.write("scripts/divides.py", scripts.DIVIDES)
    done = scriptcontract("test", "--explore", "scripts/divides.py", cwd=explored.root)
    assert done.returncode == 1
    last = done.stdout.splitlines()[-1]
    assert "replay: scriptcontract test --explore scripts/divides.py --seed " in last
    seed = last.rsplit(" ", 1)[1]
    assert f"seed {seed}" in done.stdout.splitlines()[0]


def test_a_script_that_never_fails_exits_0_after_every_run_of_the_budget(
    explored: Project,
) -> None:
    # The positive control: the same generator finds the failure of the variant that breaks.
    code, report = explore_json(explored, "shouts", scripts.SHOUTS, "--max-runs", "40")
    assert code == 1 and report["failures"]
    code, report = explore_json(explored, "safe", scripts.SAFE, "--max-runs", "40")
    assert code == 0
    assert report["failures"] == []
    assert report["runs"] == 40
    assert report["stopped_by"] == "runs"
    assert report["stopped"] == "stopped at the run budget of 40 runs"


@pytest.mark.parametrize("budget", [1, 7, 30])
def test_the_run_budget_bounds_every_run_shrinking_included(explored: Project, budget: int) -> None:
    code, report = explore_json(explored, "bound", scripts.PAST_A_BOUND, "--max-runs", str(budget))
    assert report["runs"] <= budget
    assert report["runs"] >= 1
    assert code == (1 if report["failures"] else 0)
    assert report["max_runs"] == budget


def test_the_time_budget_stops_the_exploration_and_says_so(explored: Project) -> None:
    explored.write("scripts/slow.py", scripts.SLOW)
    started = time.monotonic()
    done = scriptcontract(
        "test", "--explore", "scripts/slow.py", "--max-time", "1.5", "--format", "json",
        cwd=explored.root,
    )  # fmt: skip
    took = time.monotonic() - started
    report = json.loads(done.stdout)["scripts"][0]
    assert done.returncode == 0, done.stderr
    assert report["stopped_by"] == "time"
    assert report["stopped"] == "stopped at the time budget of 1.5 s"
    assert report["runs"] < 200
    # The budget, and the start of the CLI and the runner: 10 s on a quiet machine, stretched
    # by the machine's slowdown on a busy one (measured only then).
    assert took < 1.5 + 10 or took < 1.5 + 10 * slowdown(), took


def test_text_report_names_the_failure_its_line_and_its_smallest_input(explored: Project) -> None:
    explored.write("scripts/indexes.py", scripts.INDEXES)
    done = scriptcontract(
        "test", "--explore", "scripts/indexes.py", "--seed", "9", cwd=explored.root
    )
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0].startswith("scripts/indexes.py: ")
    # Generating stopped at three quarters of the budget; the shrinking needed no run.
    assert lines[0].endswith(
        "inputs from its inferred schema, seed 9 "
        "(stopped at the run budget of 200 runs, a quarter kept for shrinking)"
    )
    assert (
        f"  ✗ IndexError at scripts/indexes.py:{scripts.INDEXES_LINE} in <module>: "
        "list index out of range"
    ) in lines
    assert '      smallest input: {"items": []}' in lines
    assert lines[-1].startswith("1 failure in ")


def test_a_declared_schema_wins_and_only_inputs_it_accepts_are_run(explored: Project) -> None:
    # The declared schema says count is at least 1: the division by zero is out of reach.
    schema = {
        "type": "object",
        "properties": {
            "total": {"type": "integer"},
            "count": {"type": "integer", "minimum": 1, "maximum": 50},
        },
        "required": ["total", "count"],
    }
    (explored.root / "scripts" / "divides.schema.json").write_text(json.dumps(schema))
    code, report = explore_json(explored, "divides", scripts.DIVIDES, "--max-runs", "60")
    assert report["schema"] == "declared"
    assert code == 0, report["failures"]
    assert report["runs"] == 60


def test_save_writes_each_failure_as_a_case_that_test_then_runs(explored: Project) -> None:
    code, report = explore_json(explored, "two_bugs", scripts.TWO_BUGS, "--seed", "5", "--save")
    assert code == 1
    saved = sorted(found["saved_as"] for found in report["failures"])
    assert all(saved), report["failures"]
    cases = json.loads((explored.root / "scripts" / "two_bugs.cases.json").read_text())
    assert sorted(case["name"] for case in cases["cases"]) == saved
    assert {json.dumps(case["inputs"]) for case in cases["cases"]} == {
        json.dumps({"rows": []}),
        json.dumps({"rows": [{"id": ""}]}),
    }
    done = scriptcontract("test", "scripts/two_bugs.py", cwd=explored.root)
    assert done.returncode == 0, done.stdout  # the cases record what the runs gave
    # Saving again adds nothing: a case already runs with each input.
    code, again = explore_json(explored, "two_bugs", scripts.TWO_BUGS, "--seed", "5", "--save")
    assert all("already runs with this input" in found["not_saved"] for found in again["failures"])
    after = json.loads((explored.root / "scripts" / "two_bugs.cases.json").read_text())
    assert after == cases


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--seed", "3", "scripts/ok.py"], "--seed only goes with --explore"),
        (["--save", "scripts/ok.py"], "--save only goes with --explore"),
        (["--explore"], "--explore needs the scripts to explore"),
        (["--explore", "scripts"], "--explore takes scripts (`.py` files): scripts is not one"),
        (["--explore", "scripts/ok.py", "--format", "junit"], "reports as text or json"),
        (["--explore", "scripts/ok.py", "-k", "x"], "-k does not go with --explore"),
        (["--explore", "scripts/missing.py"], "missing.py"),
        (["--explore", "scripts/broken.py"], "broken.py does not parse (line 1)"),
        (["--explore", "scripts/ok.py", "--max-runs", "0"], "must be 1 or more"),
        (["--explore", "scripts/ok.py", "--max-time", "-1"], "must be a positive number"),
    ],
)
def test_usage_errors_exit_2_with_a_message(
    explored: Project, args: list[str], message: str
) -> None:
    explored.write("scripts/ok.py", scripts.SAFE)
    explored.write("scripts/broken.py", "def (:\n")
    done = scriptcontract("test", *args, cwd=explored.root)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unusable_declared_schema_is_a_usage_error(explored: Project) -> None:
    explored.write("scripts/ok.py", scripts.SAFE)
    (explored.root / "scripts" / "ok.schema.json").write_text("[1, 2]")
    done = scriptcontract("test", "--explore", "scripts/ok.py", cwd=explored.root)
    assert done.returncode == 2
    assert "ok.schema.json must hold a JSON Schema object" in done.stderr


def test_when_no_run_starts_nothing_was_explored_and_it_says_why(explored: Project) -> None:
    # The declared schema allows one path, outside the project: the executor refuses each run.
    schema = {
        "type": "object",
        "properties": {"file_path": {"const": "/etc/passwd"}},
        "required": ["file_path"],
    }
    (explored.root / "scripts" / "reads.schema.json").write_text(json.dumps(schema))
    explored.write("scripts/reads.py", scripts.SAFE)
    done = scriptcontract("test", "--explore", "scripts/reads.py", cwd=explored.root)
    assert done.returncode == 2, done.stdout
    assert "scripts/reads.py: no run started: Input path validation failed" in done.stderr


def test_a_failure_the_sandbox_caused_says_why(explored: Project, tmp_path: Path) -> None:
    outside = tmp_path / "kept.txt"
    source = (
        "import json, sys\n"
        "inputs = json.load(sys.stdin)\n"
        "if inputs.get('keep'):\n"
        f"    open({str(outside)!r}, 'w').write('x')\n"
        "print(json.dumps({'success': True}))\n"
    )
    code, report = explore_json(explored, "keeps", source, "--seed", "11")
    assert code == 1
    found = failures(report)["PermissionError"]
    assert found["message"].endswith(
        f"— the sandbox refused it: {outside} is outside the project "
        "(sandbox.read-paths and write-paths allow more)"
    )
    assert found["inputs"] == {"keep": True}
