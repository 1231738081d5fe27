"""Run results as diagnostics, on their own: tracebacks, stack dumps, stderr, stray prints.

The pure parts are fed text; `test_real_runs_*` feed them what the executor really returns.
"""

from __future__ import annotations

import asyncio
import re
import sys
import textwrap
from pathlib import Path

import pytest

from scriptcontract.contract.finding import Severity
from scriptcontract.executor import ExecutionResult, PythonExecutor
from scriptcontract.lsp.documents import split_lines
from scriptcontract.lsp.entry_point import entry_line
from scriptcontract.lsp.print_calls import find_writer, stray_stdout_line
from scriptcontract.lsp.run_diagnostics import RunDiagnostic, outcome_text, run_diagnostics
from scriptcontract.tracebacks import last_traceback, located_lines, parse_stack_dump
from tests.conftest import Project
from tests.time_limits import run_bound

CHAINED = """\
Traceback (most recent call last):
  File "/p/scripts/a.py", line 3, in <module>
    int("x")
ValueError: invalid literal for int() with base 10: 'x'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/p/scripts/a.py", line 5, in <module>
    raise RuntimeError("wrapped")
RuntimeError: wrapped
"""


def test_the_last_of_chained_tracebacks_is_the_one_that_ended_the_run() -> None:
    parsed = last_traceback(CHAINED.splitlines())
    assert parsed is not None
    assert parsed.exception == "RuntimeError: wrapped"
    assert [(f.path, f.line, f.function) for f in parsed.frames] == [
        ("/p/scripts/a.py", 5, "<module>")
    ]


def test_a_syntax_error_frame_has_no_function_and_a_dotted_type_is_shortened() -> None:
    lines = [
        "Traceback (most recent call last):",
        '  File "/p/scripts/a.py", line 3',
        "    def f(:",
        "          ^",
        "mod.errors.BadThing: it broke",
        "  and more detail",
    ]
    parsed = last_traceback(lines)
    assert parsed is not None
    assert parsed.frames[0].function is None
    assert parsed.exception_type == "BadThing"
    assert parsed.message == "it broke\n  and more detail"


def test_a_stack_dump_reads_outermost_first_from_the_first_thread() -> None:
    dump = textwrap.dedent(
        """\
        Current thread 0x00007f (most recent call first):
          File "/p/scripts/a.py", line 9 in spin
          File "/p/scripts/a.py", line 12 in <module>

        Thread 0x00007e (most recent call first):
          File "/usr/lib/python3.11/threading.py", line 320 in wait
        """
    )
    frames = parse_stack_dump(dump)
    assert [(f.line, f.function) for f in frames] == [(12, "<module>"), (9, "spin")]


def test_stderr_splits_into_located_lines_and_the_rest() -> None:
    lines = [
        "starting",
        "/p/scripts/a.py:7: UserWarning: careful",
        "  warnings.warn('careful')",
        "scripts/b.py:3: note from a tool",
        "done",
    ]
    located, rest = located_lines(lines)
    assert [(item.path, item.line, item.message) for item in located] == [
        ("/p/scripts/a.py", 7, "UserWarning: careful"),
        ("scripts/b.py", 3, "note from a tool"),
    ]
    assert rest == ["starting", "done"]


def test_the_entry_line_is_the_main_guard_else_main_else_the_first_code() -> None:
    assert entry_line('"""doc."""\nimport os\n\nif __name__ == "__main__":\n    pass\n') == 3
    assert entry_line('"""doc."""\nimport os\n\ndef main():\n    pass\n') == 3
    assert entry_line('"""doc."""\n\nimport os\n') == 2
    assert entry_line("def broken(:\nif __name__ == '__main__':\n") == 1


@pytest.mark.parametrize(
    ("stdout", "stray"),
    [
        ('processing\n{"a": 1}\n', "processing"),
        ('{"a": 1}\ndone\n', "done"),
        ('{"a": 1}\n', None),
        ('{"a": \n', None),
        ("", None),
    ],
)
def test_the_stray_stdout_line(stdout: str, stray: str | None) -> None:
    assert stray_stdout_line(stdout) == stray


def test_the_print_that_wrote_a_stray_line_is_found_by_its_literal_text() -> None:
    source = textwrap.dedent(
        """\
        import json, sys
        n = 3
        print("starting")
        print(f"got {n} items", flush=True)
        print("to stderr", file=sys.stderr)
        sys.stdout.write("raw write\\n")
        print(json.dumps({"n": n}))
        """
    )
    site = find_writer(source, "got 3 items")
    assert site is not None and (site.line, site.start) == (3, 0)
    site = find_writer(source, "raw write")
    assert site is not None and site.line == 5
    assert find_writer(source, "to stderr") is None
    assert find_writer(source, "something else") is None


def diagnose(result: ExecutionResult, root: Path, script: Path) -> list[RunDiagnostic]:
    return run_diagnostics(
        result,
        script=script,
        project_root=root,
        script_source=script.read_text(),
        lines_of=lambda path: split_lines(path.read_text()),
    )


def run(project: Project, script: str, inputs: object = None, **options: int) -> ExecutionResult:
    executor = PythonExecutor(project.root, mode="cold", python_path=sys.executable)
    running = executor.execute_script(script, inputs, **options)  # type: ignore[arg-type]
    return asyncio.run(asyncio.wait_for(running, run_bound(options.get("timeout_ms"))))


def test_real_runs_success_is_one_hint_on_the_entry_line(project: Project) -> None:
    script = project.write(
        "scripts/ok.py",
        """
        import json, sys
        print(json.dumps({"success": True, "value": 42}))
        """,
    )
    result = run(project, "scripts/ok.py")
    (only,) = diagnose(result, project.root, script)
    assert only.finding.severity == Severity.HINT  # a success is not a problem
    assert only.finding.range.start.line == 0  # no main guard: the first line of code
    assert '"value": 42' in only.finding.message
    assert outcome_text(result).startswith("✓ ") and outcome_text(result).endswith(" ms")


def test_real_runs_an_uncaught_exception_in_a_helper(project: Project) -> None:
    project.write("scripts/helper.py", "def pick(inputs):\n    return inputs['name']\n")
    script = project.write(
        "scripts/uses_helper.py",
        """
        import json, sys
        from helper import pick

        print(json.dumps({"name": pick(json.load(sys.stdin))}))
        """,
    )
    result = run(project, "scripts/uses_helper.py", {})
    found = diagnose(result, project.root, script)
    helper = [d for d in found if d.path.name == "helper.py"]
    own = [d for d in found if d.path.name == "uses_helper.py"]
    assert len(helper) == 1 and helper[0].finding.range.start.line == 1
    assert helper[0].finding.message == "KeyError: 'name'"  # the helper reads no input
    assert [r.message for r in helper[0].finding.related] == ["in <module>", "in pick"]
    assert len(own) == 1 and own[0].finding.range.start.line == 3
    assert "raised in scripts/helper.py:2" in own[0].finding.message
    assert outcome_text(result) == "✗ KeyError: 'name'"


@pytest.mark.parametrize(
    ("source", "line", "said"),
    [
        (
            'import json\nprint(json.dumps({"success": True}\n',
            1,
            "SyntaxError: '(' was never closed",
        ),
        ("import json\nif True:\nprint(json.dumps({}))\n", 2, "IndentationError: expected "),
    ],
    ids=["syntax", "indentation"],
)
def test_real_runs_a_script_that_does_not_compile_is_said_at_its_line(
    project: Project, source: str, line: int, said: str
) -> None:
    """Python prints no traceback header for it: the outcome named only the exit code."""
    script = project.write("scripts/broken.py", source)
    result = run(project, "scripts/broken.py", {})
    assert result.exit_code == 1 and "Traceback" not in result.stderr, result.stderr
    assert outcome_text(result).startswith(f"✗ {said}"), outcome_text(result)
    failed = [
        d for d in diagnose(result, project.root, script) if d.finding.severity.name == "ERROR"
    ]
    assert [d.finding.range.start.line for d in failed] == [line], failed
    # Control: the same lines with a header are a traceback; a header-less error that is
    # not a compile error is not taken for one.
    parsed = last_traceback(["Traceback (most recent call last):", *result.stderr.splitlines()])
    assert parsed is not None and parsed.exception.startswith(said)
    assert last_traceback(['  File "x.py", line 2', "    x", "ValueError: no"]) is None


def test_real_runs_a_handled_error_is_summarised_on_the_entry_line(project: Project) -> None:
    script = project.write(
        "scripts/handled.py",
        """
        import json, sys

        if __name__ == "__main__":
            print(json.dumps({"success": False, "error": "no name given"}))
            sys.exit(1)
        """,
    )
    result = run(project, "scripts/handled.py")
    (only,) = diagnose(result, project.root, script)
    assert only.finding.severity == Severity.ERROR
    assert only.finding.range.start.line == 2
    assert "no name given" in only.finding.message


def test_real_runs_a_timeout_points_into_the_loop(project: Project) -> None:
    script = project.write(
        "scripts/slow.py",
        """
        import time

        def wait_forever():
            while True:
                time.sleep(0.01)

        wait_forever()
        """,
    )
    result = run(project, "scripts/slow.py", timeout_ms=300)
    (only,) = diagnose(result, project.root, script)
    assert only.finding.range.start.line == 4
    assert [r.message for r in only.finding.related] == ["in <module>", "in wait_forever"]
    # The time it ran: the 300 ms limit, or more on a loaded machine (then maybe in seconds).
    took = re.fullmatch(r"✗ timed out after (?:(\d+) ms|(\d+\.\d) s)", outcome_text(result))
    assert took is not None, outcome_text(result)
    assert float(took[1] or 0) >= 300 or float(took[2] or 0) >= 1.0, outcome_text(result)


def test_real_runs_a_validation_failure_is_not_run(project: Project) -> None:
    script = project.write("scripts/paths.py", "print('{}')\n")
    result = run(project, "scripts/paths.py", {"input_file": "/etc/passwd"})
    (only,) = diagnose(result, project.root, script)
    assert only.finding.message.startswith("Not run: ")
    assert outcome_text(result).startswith("✗ not run: ")


def test_real_runs_invalid_json_falls_back_to_the_analysers_one_stray_write(
    project: Project,
) -> None:
    from scriptcontract.contract.finding import Range

    script = project.write(
        "scripts/chatty.py",
        """
        import json, sys
        message = "".join(["warming", " up"])
        print(message)
        print(json.dumps({"success": True}))
        """,
    )
    result = run(project, "scripts/chatty.py")
    (alone,) = diagnose(result, project.root, script)  # the literal text tells nothing
    assert alone.finding.range.start.line == 0
    flagged = Range.of(2, 0, 2, 14)  # print(message)
    (pointed,) = run_diagnostics(
        result,
        script=script,
        project_root=project.root,
        script_source=script.read_text(),
        lines_of=lambda path: split_lines(path.read_text()),
        stray_writes=[flagged],
    )
    assert pointed.finding.range == flagged and "warming up" in pointed.finding.message
