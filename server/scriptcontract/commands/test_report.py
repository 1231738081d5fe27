"""What `scriptcontract test` prints: text, JSON, JUnit XML or GitHub Actions annotations.

Lines and columns are 1-based here, as in `check`'s formats; paths are shown relative to
the working directory when inside it.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any, TextIO

from scriptcontract.case_runner import CaseResult, FileRun
from scriptcontract.cases.locating import case_span, difference_span
from scriptcontract.check.formats import _escape_data, _escape_property, quoteattr
from scriptcontract.sandbox_reasons import run_failure_reason
from scriptcontract.shown_values import (
    printable,
    printable_json,
    printable_name,
    write_commands,
)

PASSED, FAILED, ERROR = "✓", "✗", "!"


def _shown(path: Path, cwd: Path) -> str:
    """A file name a run may have chosen: on one line, its controls written as text."""
    try:
        return printable_name(path.relative_to(cwd).as_posix())
    except ValueError:
        return printable_name(str(path))


class Report:
    def __init__(
        self,
        runs: list[FileRun],
        cwd: Path,
        seconds: float,
        updated: dict[tuple[Path, int], str],
        *,
        quiet: bool = False,
    ) -> None:
        self.runs = runs
        self.cwd = cwd
        self.seconds = seconds
        self.updated = updated
        self.quiet = quiet  # `-q`: the text names what did not pass, and the summary

    # --- counts --------------------------------------------------------------------

    def results(self) -> list[tuple[FileRun, CaseResult]]:
        return [(run, result) for run in self.runs for result in run.results]

    @property
    def cases_run(self) -> int:
        return len(self.results())

    @property
    def has_errors(self) -> bool:
        return any(run.error or run.problems for run in self.runs)

    def update_of(self, run: FileRun, result: CaseResult) -> str | None:
        return self.updated.get((run.path, result.index))

    @property
    def still_failing(self) -> bool:
        return any(
            result.outcome != "passed" and self.update_of(run, result) != "updated"
            for run, result in self.results()
        )

    def counts(self) -> dict[str, int]:
        counts = {"passed": 0, "failed": 0, "error": 0, "updated": 0}
        for run, result in self.results():
            counts[result.outcome] += 1
            counts["updated"] += self.update_of(run, result) == "updated"
        counts["files_with_errors"] = sum(1 for run in self.runs if run.error or run.problems)
        return counts

    def summary(self) -> str:
        counts = self.counts()
        parts = [f"{counts['passed']} passed"]
        if counts["failed"]:
            parts.append(f"{counts['failed']} failed")
        if counts["error"]:
            parts.append(f"{counts['error']} not run")
        if counts["updated"]:
            parts.append(f"{counts['updated']} updated")
        if counts["files_with_errors"]:
            plural = "s" if counts["files_with_errors"] > 1 else ""
            parts.append(f"{counts['files_with_errors']} file{plural} with errors")
        total = self.cases_run
        return f"{total} case{'s' if total != 1 else ''}: {', '.join(parts)} ({self.seconds:.1f} s)"

    # --- locations -----------------------------------------------------------------

    def position(self, run: FileRun, start: int) -> tuple[int, int]:
        assert run.document is not None
        line, column = run.document.lines.position(start)
        return line + 1, column + 1

    def where(self, run: FileRun, result: CaseResult) -> tuple[int, int]:
        """The line and column of the first difference (else of the case)."""
        assert run.document is not None
        if result.verdict is not None and result.verdict.differences:
            span = difference_span(run.document, result.index, result.verdict.differences[0])
        else:
            span = case_span(run.document, result.index)
        return self.position(run, span[0])

    def file_errors(self, run: FileRun) -> list[tuple[int, int, str]]:
        """(line, column, message) of everything that kept a file's cases from running."""
        if run.error:
            return [(1, 1, run.error)]
        return [(*self.position(run, p.start), p.describe()) for p in run.problems]

    # --- formats -------------------------------------------------------------------

    def write(self, fmt: str, out: TextIO, err: TextIO) -> None:
        # The scripts' stderr and output are in the reports: escape sequences in them are
        # shown, not obeyed by a terminal, and leave the XML well-formed.
        if fmt == "json":
            out.write(printable_json(json.dumps(self.as_json(), indent=2, ensure_ascii=False)))
            out.write("\n")
        elif fmt == "junit":
            out.write(printable(self.junit()))
        elif fmt == "github":
            write_commands(out, printable(self.github()))
        else:
            out.write(printable(self.text()))
            return
        if not self.quiet:  # as `check -q`: the report alone
            err.write(printable(self.summary()) + "\n")

    def details(self, run: FileRun, result: CaseResult) -> list[str]:
        """What a failing case's report says below its line: differences, stderr, frame."""
        lines: list[str] = []
        if result.verdict is not None:
            lines += [d.message() for d in result.verdict.differences]
            if result.verdict.more:
                lines.append(f"… and {result.verdict.more} more differences")
        frame = result.last_frame(run.root)
        if frame:
            lines.append(f"traceback ended at {frame}")
        tail = result.stderr_tail()
        if tail:
            lines.append("stderr (last lines):")
            lines += [f"  {line}" for line in tail]
        reason = self.hint(run, result)
        if reason is not None:
            lines.append(f"hint: {reason}")
        return lines

    @staticmethod
    def hint(run: FileRun, result: CaseResult) -> str | None:
        """Why the sandbox made the case's run fail, if it did (as `run` says it)."""
        return run_failure_reason(result.result, run.root) if result.result else None

    def text(self) -> str:
        out: list[str] = []
        said: set[str] = set()  # a project's error is said whole once, not for each file
        for run in self.runs:
            path = _shown(run.path, self.cwd)
            for line, column, message in self.file_errors(run):
                if run.error and message in said:
                    message = "no case was run: the same error as above"
                elif run.error:
                    said.add(message)
                out.append(f"{path}:{line}:{column}: error: {message}")
            shown = [r for r in run.results if not self.quiet or r.outcome != "passed"]
            if not shown:
                continue
            out.append(f"{path} ({printable_name(run.script.name)})")
            for result in shown:
                took = f"{result.duration_ms:.0f} ms"
                update = self.update_of(run, result)
                if result.outcome == "passed":
                    out.append(f"  {PASSED} {printable_name(result.name)}  {took}")
                    continue
                mark = FAILED if result.outcome == "failed" else ERROR
                line, _ = self.where(run, result)
                name = printable_name(result.name)
                out.append(f"  {mark} {name}  {took}: {result.message}  ({path}:{line})")
                out += [f"      {detail}" for detail in self.details(run, result)]
                if update is not None:
                    out.append(f"      ✎ {update}")
        out.append(self.summary())
        if self.only_new_outputs():
            out.append(
                "every failure is a new output: if the new outputs are right, "
                "`scriptcontract test --update` records them as expected"
            )
        return "\n".join(out) + "\n"

    def only_new_outputs(self) -> bool:
        """Whether cases failed, each only by the JSON document its run wrote (a result or
        an error object): then `--update` does nothing but take the new outputs. A crash
        without one, a timeout or a run that did not start is never suggested as what to
        expect (`--update` would record the first)."""
        failing = [
            (run, result)
            for run, result in self.results()
            if result.outcome != "passed" and self.update_of(run, result) is None
        ]
        return (
            bool(failing)
            and not self.has_errors
            and all(
                result.outcome == "failed"
                and result.actual is not None
                and result.actual.output is not None
                and result.verdict is not None
                and result.verdict.differences
                and all(d.field == "output" for d in result.verdict.differences)
                for _, result in failing
            )
        )

    def case_json(self, run: FileRun, result: CaseResult) -> dict[str, Any]:
        line, column = self.where(run, result)
        actual = result.actual
        return {
            "name": result.name,
            "outcome": result.outcome,
            "message": result.message,
            "line": line,
            "column": column,
            "duration_ms": round(result.duration_ms, 3),
            "inputs": result.inputs,
            "differences": [
                {
                    "field": d.field,
                    "path": d.where,
                    "kind": d.kind,
                    "expected": d.expected,
                    "actual": d.actual,
                    "message": d.message(),
                }
                for d in (result.verdict.differences if result.verdict else [])
            ],
            "output": actual.output if actual else None,
            "exit_code": actual.exit_code if actual else None,
            "error": actual.error if actual else None,
            "timed_out": actual.timed_out if actual else False,
            "stderr_tail": result.stderr_tail(),
            "traceback": result.last_frame(run.root),
            "hint": self.hint(run, result),
            "sandbox": result.result.sandbox.enforced if result.result is not None else [],
            "update": self.update_of(run, result),
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "files": [
                {
                    "path": _shown(run.path, self.cwd),
                    "script": _shown(run.script, self.cwd),
                    "errors": [
                        {"line": line, "column": column, "message": message}
                        for line, column, message in self.file_errors(run)
                    ],
                    "cases": [self.case_json(run, result) for result in run.results],
                }
                for run in self.runs
            ],
            "summary": {**self.counts(), "seconds": round(self.seconds, 3)},
        }

    def github(self) -> str:
        lines = []
        for run in self.runs:
            path = _shown(run.path, self.cwd)
            for line, column, message in self.file_errors(run):
                props = f"file={_escape_property(path)},line={line},col={column}"
                lines.append(f"::error {props},title=cases file::{_escape_data(message)}")
            for result in run.results:
                if result.outcome == "passed":
                    continue
                line, column = self.where(run, result)
                title = _escape_property(f"{run.script.name}: {result.name}")
                body = "\n".join([result.message, *self.details(run, result)])
                props = f"file={_escape_property(path)},line={line},col={column},title={title}"
                lines.append(f"::error {props}::{_escape_data(body)}")
        return "".join(line + "\n" for line in lines)

    def junit(self) -> str:
        counts = self.counts()
        total = self.cases_run + counts["files_with_errors"]
        failures = counts["failed"]
        errors = counts["error"] + counts["files_with_errors"]
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<testsuites name="scriptcontract test" tests="{total}" failures="{failures}" '
            f'errors="{errors}" time="{self.seconds:.3f}">',
        ]
        for run in self.runs:
            name = quoteattr(_shown(run.script, self.cwd))
            path = quoteattr(_shown(run.path, self.cwd))
            problems = self.file_errors(run)
            failed = sum(r.outcome == "failed" for r in run.results)
            erred = sum(r.outcome == "error" for r in run.results) + (1 if problems else 0)
            tests = len(run.results) + (1 if problems else 0)
            out.append(
                f'  <testsuite name={name} tests="{tests}" failures="{failed}" errors="{erred}">'
            )
            if problems:
                text = "\n".join(f"{line}:{column}: {text}" for line, column, text in problems)
                out.append(f'    <testcase name="cases file" classname={name} file={path}>')
                out.append(f"      <error message={quoteattr(problems[0][2])}>")
                out.append(f"{escape(text, quote=False)}</error>")
                out.append("    </testcase>")
            for result in run.results:
                line, _ = self.where(run, result)
                head = (
                    f"    <testcase name={quoteattr(result.name)} classname={name} file={path} "
                    f'line="{line}" time="{result.duration_ms / 1000:.3f}"'
                )
                if result.outcome == "passed":
                    out.append(head + "/>")
                    continue
                tag = "failure" if result.outcome == "failed" else "error"
                body = escape("\n".join(self.details(run, result)), quote=False)
                out.append(head + ">")
                out.append(f"      <{tag} message={quoteattr(result.message)}>{body}</{tag}>")
                out.append("    </testcase>")
            out.append("  </testsuite>")
        out.append("</testsuites>")
        return "\n".join(out) + "\n"
