"""Break the product one line at a time and show which tests notice. Run by hand, not in CI.

Each mutation replaces one line of the source with a breaking version of it, runs the tests
that should catch it (each under a time limit, the whole run under a budget), puts the line
back and records what happened: caught (some test failed), missed (every test passed), or out
of time. First, the same tests run on the unchanged source: they must pass there, or a
"caught" would mean nothing.

    python tools/mutate.py                 # every mutation, then the table
    python tools/mutate.py --list          # the mutations and the tests that should catch them
    python tools/mutate.py timeout-never-fires lint-off-ignored
    python tools/mutate.py --markdown      # the table as docs/testing.md has it

The files it changes must be committed (it checks): if it is killed, `git checkout` puts them
back. A mutation whose line is no longer in its file stops the script before anything runs:
update the mutation with the code.

To add mutations of another part of the product, write a tuple of `Mutation`s like the ones
below and add it to `AREAS`; `SANDBOX` is the place for the sandbox's.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "server" / "scriptcontract"


@dataclass(frozen=True)
class Mutation:
    name: str
    breaks: str
    """What a user would see go wrong."""
    file: str
    """Relative to server/scriptcontract."""
    line: str
    """One line of that file, without its indentation; it must be there exactly once."""
    replacement: str
    """What the line becomes (indented as it was)."""
    tests: tuple[str, ...]
    """pytest node ids that should fail while the line is replaced."""


ANALYSER: tuple[Mutation, ...] = (
    Mutation(
        "stray-print-unreported",
        "text printed to stdout (SCR105) is never reported",
        "contract/rules/stray_stdout.py",
        "if write.kind is WriteKind.TEXT:",
        "if write.kind is None:",
        (
            "tests/contract/test_rules_io.py::test_stray_text_on_stdout_fires_with_every_text_style",
            "tests/cli/test_check.py::test_findings_in_text_format_are_clickable_and_exit_1",
        ),
    ),
    Mutation(
        "every-loop-has-a-way-out",
        "a `while True:` without a way out (SCR404) is never reported",
        "contract/rules/endless_loop.py",
        "if isinstance(stmt, (ast.Return, ast.Raise)):",
        "if True:",
        (
            "tests/contract/test_rules_files_resources.py::test_endless_loops",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "inner-loop-else-leaves-every-loop",
        "a `break` in an `else:` inside an inner loop counts as the outer loop's way out: a"
        " `while True:` it cannot leave is not reported (SCR404)",
        "contract/model.py",
        'work.extend((getattr(stmt, field, []), own) for field in ("orelse", "finalbody"))',
        'work.extend((getattr(stmt, field, []), True) for field in ("orelse", "finalbody"))',
        (
            "tests/contract/test_rules_files_resources.py"
            "::test_a_break_in_an_inner_loop_is_a_way_out_only_when_it_leaves_the_outer_one",
        ),
    ),
    Mutation(
        "suppressions-ignored",
        "`# scriptcontract: ignore[...]` comments suppress nothing",
        "contract/suppression.py",
        "hit = next((d for d in candidates if _covers(d, finding.code)), None)",
        "hit = None",
        ("tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",),
    ),
    Mutation(
        "airflow-task-call-runs",
        "an Airflow DAG file calling its `@task` functions is linted as a script that never "
        "reads its inputs (SCR101, SCR104)",
        "contract/framework_io.py",
        'if name is not None and name.partition(".")[0] in DECLARING_DECORATORS:',
        "if False:",
        ("tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",),
    ),
    Mutation(
        "airflow-wiring-runs",
        "an Airflow DAG file wiring its tasks with `chain(a, b)` at module level is linted as a "
        "script that never reads its inputs (SCR101)",
        "contract/entry.py",
        "if name in SETUP_CALLS or declares_graph(model, call):",
        "if name in SETUP_CALLS:",
        ("tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",),
    ),
    Mutation(
        "empty-stdin-caller-ignored",
        "a parse in `main()` run as `try: main()` / `except Exception: pass` is reported as "
        "an unhandled empty stdin (SCR103)",
        "contract/rules/empty_stdin.py",
        "return all(_catches_decode_error(ctx, caller, depth + 1) for caller in callers)",
        "return False",
        ("tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",),
    ),
    Mutation(
        "failing-helper-in-handler-unseen",
        "a handler that fails through the script's own `error()` helper (exit 1) counts as "
        "recovering, and hides an unhandled empty stdin (SCR103)",
        "contract/rules/_helpers.py",
        "if summary.always_exits and any(_fails(e) for e in summary.exit_calls):",
        "if False:",
        ("tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",),
    ),
    Mutation(
        "fail-open-answer-is-error",
        'a hook\'s fail-open `{"continue": true}` from `except Exception:` is reported as an '
        'error object without "success" and "error" (SCR205)',
        "contract/rules/error_shape.py",
        "return in_handler and not explicit_success and not _plain_answer(node)",
        "return in_handler and not explicit_success",
        ("tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",),
    ),
    Mutation(
        "printed-inputs-unseen",
        "`print(params)` of the parsed inputs (a dict's repr on stdout) is not reported (SCR105)",
        "contract/facts.py",
        'if name in N.JSON_PARSE and name != "pandas.read_json" and self._reads_stdin(expr):',
        "if False:",
        ("tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",),
    ),
    Mutation(
        "home-landmark-reported",
        "`while folder != Path.home():` (the home folder only compared, nothing kept there) is "
        "reported as state under the home directory (SCR304)",
        "contract/rules/home_directory.py",
        "if _only_compared(site.node, site.stmt, root, compared[id(root)]):",
        "if False:",
        ("tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",),
    ),
    Mutation(
        "home-text-landmark-reported",
        '`path.replace(os.path.expanduser("~"), "~")` (the home folder\'s text shortening a '
        "path for display, nothing kept there) is reported as state under the home directory "
        "(SCR304)",
        "contract/rules/home_directory.py",
        "if isinstance(node, ast.Call) and _text_landmark(node):",
        "if False:",
        (
            "tests/contract/test_rules_files_resources.py::"
            "test_the_home_folder_s_text_shortening_a_path_is_not_state",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "path-replace-into-home-hidden",
        "`Path.replace(home)`, moving a file into the home folder, is taken for text shortening "
        "a path, so the state kept there is not reported (SCR304)",
        "contract/rules/home_directory.py",
        "and len(call.args) in TEXT_LANDMARK[func.attr]",
        "and bool(call.args)",
        (
            "tests/contract/test_rules_files_resources.py::"
            "test_the_home_folder_used_as_a_place_beside_text_uses_is_state",
        ),
    ),
    Mutation(
        "child-exit-code-unseen",
        "`sys.exit(result.returncode)` (a child's exit code, any number) is not reported (SCR201)",
        "contract/rules/exit_code.py",
        'return expr.attr == "returncode"',
        "return False",
        ("tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",),
    ),
    Mutation(
        "env-default-path-unseen",
        'an absolute default of `os.environ.get("X", "/etc/...")` reaching `open()` is not '
        "reported (SCR301)",
        "contract/rules/_paths.py",
        "default = env_default(ctx, expr)",
        "default = None",
        ("tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",),
    ),
    Mutation(
        "error-branch-exit-zero-unseen",
        '`result = {"success": False, ...}` on a branch, written once at the end with exit '
        "code 0, is not reported (SCR203)",
        "contract/rules/error_exit_zero.py",
        "yield from _error_branches(ctx)",
        "pass",
        ("tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",),
    ),
    Mutation(
        "poll-loop-unseen",
        "`while proc.poll() is None: time.sleep(1)` (waiting on a child with no time limit) is "
        "not reported (SCR401)",
        "contract/rules/subprocess_timeout.py",
        "yield from _poll_loops(ctx, popens)",
        "pass",
        ("tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",),
    ),
    Mutation(
        "thread-watcher-reported",
        "a polling loop in a function handed to `threading.Thread(target=...)` (it holds no "
        "one) is reported as a wait without a time limit (SCR401)",
        "contract/rules/subprocess_timeout.py",
        "if isinstance(target, ast.Name) and target.id == function.name:",
        "if False:",
        ("tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",),
    ),
    Mutation(
        "heartbeat-clock-is-a-limit",
        "a polling loop whose clock only times a heartbeat line (`if now - last > 60: "
        "print(...)`) counts as waiting with a limit, and is not reported (SCR401)",
        "contract/rules/subprocess_timeout.py",
        "if tested and not all(_only_reports(ctx, stmt) for stmt in node.body):",
        "if tested:",
        (
            "tests/contract/test_rules_files_resources.py::"
            "test_poll_loop_reading_a_clock_for_no_limit_is_reported",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "clock-limit-unseen",
        "a polling loop that stops its child through a helper once a clock says the deadline "
        "has passed is reported as a wait without a limit (SCR401)",
        "contract/rules/subprocess_timeout.py",
        "if _clock_limits(ctx, loop, skip):",
        "if False:",
        (
            "tests/contract/test_rules_files_resources.py::"
            "test_poll_loop_acting_on_a_clock_is_bounded",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "exit-code-through-name-unseen",
        "`code = 2 if failed else 0; sys.exit(code)`, or `rc = run(); sys.exit(rc)` with a "
        "helper returning 3, is not reported (SCR201)",
        "contract/rules/exit_code.py",
        "for value in _plain_values(ctx, expr.id, scope):",
        "for value in ():",
        (
            "tests/contract/test_rules_exit.py::test_exit_code_passed_through_a_name_is_followed",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "error-written-on-branch-unseen",
        '`if not text: print(json.dumps({"success": False, ...})); return` as `main()`\'s '
        "last act (exit code 0) is not reported (SCR203)",
        "contract/rules/error_exit_zero.py",
        "yield from _error_written_on_branch(ctx)",
        "pass",
        (
            "tests/contract/test_rules_exit.py::test_error_object_written_on_a_branch_then_exit_zero",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "named-handler-error-exit-zero-unseen",
        '`except KeyError: print(json.dumps({"success": False, ...})); return` as the '
        "script's last call (exit code 0) is not reported (SCR203)",
        "contract/rules/error_exit_zero.py",
        "if handler is not None and is_broad(ctx.model, handler):",
        "if handler is not None:",
        (
            "tests/contract/test_rules_exit.py::test_error_object_in_a_named_handler_then_exit_zero",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "fail-helper-exit-code-unseen",
        "`return fail(...)` under `raise SystemExit(main())`, where `fail()` writes an error "
        "object and returns 0, is not reported (SCR203)",
        "contract/rules/error_exit_zero.py",
        "write = _error_written_then_zero(ctx, helper)",
        "write = None",
        (
            "tests/contract/test_rules_exit.py::test_exit_code_from_a_helper_returning_0_after_an_error_object",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "returned-error-object-unseen",
        '`return {"error": ...}` of a helper whose answer the script writes, then exit code 0, '
        "is not reported (SCR203)",
        "contract/rules/error_exit_zero.py",
        "and _says_failure(site.node.value)  # type: ignore[attr-defined]",
        "and False",
        (
            "tests/contract/test_rules_exit.py::test_error_object_returned_by_a_helper_then_exit_zero",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "returned-error-then-return-zero-unseen",
        "`print(json.dumps(run(inputs))); return 0` under `raise SystemExit(main())`, with "
        '`run()` returning `{"error": ...}`, is not reported (SCR203)',
        "contract/rules/error_exit_zero.py",
        "or _returns_exit_zero_next(ctx, write.site.stmt)",
        "or False",
        (
            "tests/contract/test_rules_exit.py::test_error_object_returned_by_a_helper_then_exit_zero",
        ),
    ),
    Mutation(
        "tested-result-counts-as-written-error",
        '`result = run(inputs)`, then `if "error" in result: ... sys.exit(1)` before the last '
        'write, still has `run()`\'s `return {"error": ...}` reported as exiting 0 (SCR203)',
        "contract/rules/error_exit_zero.py",
        "if tested(ctx, payload.id, scope):",
        "if False:",
        ("tests/contract/test_rules_exit.py::test_error_object_returned_by_a_helper_silent_cases",),
    ),
    Mutation(
        "optional-limit-is-a-limit",
        "a polling loop that kills its child only `if timeout and ...`, with `timeout` "
        "defaulting to None and left out, counts as waiting with a limit (SCR401)",
        "contract/rules/subprocess_timeout.py",
        "if name in optional and _may_be_left_out(ctx, function, name, optional[name]):",
        "if False:",
        (
            "tests/contract/test_rules_files_resources.py::test_poll_loop_limited_only_by_an_optional_limit_is_reported",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "text-choice-unseen",
        '`print("enabled" if on else "disabled")` (text whichever branch runs) is not '
        "reported as text on stdout (SCR105)",
        "contract/facts.py",
        "return body if body is orelse else WriteKind.UNKNOWN",
        "return WriteKind.UNKNOWN",
        (
            "tests/contract/test_rules_io.py::test_stray_text_on_stdout_fires_with_every_text_style",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "text-sum-unseen",
        '`print("ERROR " + str(code) + ": " + reason)` (a sum of texts) is not reported as '
        "text on stdout (SCR105)",
        "contract/facts.py",
        "return _text_kind(first.value)",
        "return WriteKind.UNKNOWN",
        (
            "tests/contract/test_rules_io.py::test_stray_text_on_stdout_fires_with_every_text_style",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "text-list-join-unseen",
        '`print("; ".join(notes))` of a list only ever appended text is not reported as text '
        "on stdout (SCR105)",
        "contract/facts.py",
        "found = self._items_of_list(items.id, scope)  # type: ignore[attr-defined]",
        "found = None",
        (
            "tests/contract/test_rules_io.py::test_a_list_of_text_joined_on_stdout_is_reported",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "reraising-handler-handles",
        "`except OSError as err: raise err`, a handler that only raises again, counts as "
        "error handling and silences SCR202",
        "contract/rules/no_error_handling.py",
        "if not only_raises_again(ctx, handler):",
        "if True:",
        (
            "tests/contract/test_rules_exit.py::test_a_handler_that_only_raises_again_handles_nothing",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "mistyped-guard-unseen",
        '`if __name__ == "main":` (a guard that never holds, so nothing under it runs) is not '
        "reported at the guard (SCR207)",
        "contract/rules/missing_main_guard.py",
        "for guard, name in _guards_that_never_hold(ctx.tree):",
        "for guard, name in ():",
        (
            "tests/contract/test_rules_exit.py::test_a_mistyped_main_guard_is_reported_at_the_guard",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "interrupt-handler-handles",
        "`except KeyboardInterrupt: sys.exit()`, a handler of no error, counts as error "
        "handling and silences SCR202 (the seventh accuracy survey's status-bar filters)",
        "contract/rules/no_error_handling.py",
        "if caught is not None and set(caught) <= HANDLES_NOTHING:",
        "if caught is not None and set(caught) <= IMPORT_ERRORS:",
        (
            "tests/contract/test_rules_exit.py::test_a_handler_of_interrupts_alone_handles_no_error",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "library-stream-answers-errors",
        "a stream handed to a library outside the project (`nbformat.read(sys.stdin)`) counts "
        "as a delegate that may answer the script's errors and silences SCR202",
        "contract/rules/no_error_handling.py",
        "kept = [h for h in facts.streams_handed if not _answers_nothing(facts, h)]",
        "kept = facts.streams_handed",
        ("tests/contract/test_corpus.py::test_project_file_has_exactly_its_declared_findings",),
    ),
    Mutation(
        "own-function-stream-answers-errors",
        "stdin handed to the script's own function (`totals(sys.stdin)`) counts as a delegate "
        "that may answer the script's errors and silences SCR202",
        "contract/rules/no_error_handling.py",
        "return True  # `totals(sys.stdin)`: the script's own code, its handlers seen above",
        "return False",
        ("tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",),
    ),
    Mutation(
        "module-loop-not-work",
        "a loop at module level that calls the script's own functions (`while True: "
        "collect()`) is not the script's work: the file is taken for a helper module and the "
        "rules about its run (SCR101, SCR202, SCR106...) are silent",
        "contract/entry.py",
        "return _loop_works(facts, stmt)",
        "return False",
        ("tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",),
    ),
    Mutation(
        "passed-json-unseen",
        "a JSON document handed to the script's own writer (`emit(json.dumps(row))`, `def "
        'emit(line): sys.stdout.write(line + "\\n")`) is not a JSON write: its error path '
        "is reported without a JSON error object (SCR204), its loop not reported (SCR106)",
        "contract/facts.py",
        "writes: list[Write] = list(self.passed_json_writes)",
        "writes: list[Write] = []",
        (
            "tests/contract/test_rules_io.py::test_json_documents_through_a_writer_helper_or_behind_a_prefix",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "prefixed-json-unseen",
        "`separator + json.dumps(row)` written on every pass of a loop (an i3bar line), "
        "directly or through the script's own writer, is not reported (SCR106)",
        "contract/rules/multiple_outputs.py",
        "carried = [] if reassigned else _writes_carrying_json(ctx)",
        "carried = []",
        (
            "tests/contract/test_rules_io.py::test_json_documents_through_a_writer_helper_or_behind_a_prefix",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "definition-after-guard-writes",
        "a JSON write inside a function defined below the `__main__` guard counts as a second "
        "document after the guard's (SCR106), though a `def` runs nothing",
        "contract/rules/multiple_outputs.py",
        "if isinstance(later, DEFINITIONS):",
        "if False:",
        ("tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",),
    ),
    Mutation(
        "cortex-framework-unknown",
        "a Cortex analyzer, whose base class reads the job from stdin and prints the report, "
        "is linted as a script that never reads its inputs nor writes a result (SCR101, SCR104)",
        "contract/framework_io.py",
        '"cortexutils.analyzer.Analyzer",',
        '"cortexutils.analyzer.Unknown",',
        ("tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",),
    ),
    Mutation(
        "task-helper-framework-unknown",
        "a Bolt task subclassing python_task_helper's TaskHelper, whose run() reads the "
        "parameters from stdin and prints the result, is linted as a script that never reads "
        "its inputs nor writes a result (SCR101, SCR104)",
        "contract/framework_io.py",
        '"task_helper.TaskHelper": FrameworkIO(',
        '"task_helper.Unknown": FrameworkIO(',
        (
            "tests/contract/test_rules_io.py::"
            "test_a_task_helper_subclass_defining_task_reads_and_writes_through_the_library",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "task-helper-any-subclass",
        "any subclass of a class named TaskHelper, even one without the task() hook the "
        "library calls, silences SCR101 and SCR104",
        "contract/framework_io.py",
        "return not method or any(",
        "return True or any(",
        (
            "tests/contract/test_rules_io.py::test_a_task_helper_used_otherwise_proves_no_io",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "task-helper-call-counts",
        "a plain call of a class named TaskHelper (a utility of the same name) silences "
        "SCR101 and SCR104",
        "contract/framework_io.py",
        "continue  # known only through a subclass, below",
        "pass",
        ("tests/contract/test_rules_io.py::test_a_task_helper_used_otherwise_proves_no_io",),
    ),
    Mutation(
        "setup-fallback-is-work",
        "a script whose module-level `try: import x` exits when the package is missing is told "
        "it does its work at import time (SCR207)",
        "contract/rules/missing_main_guard.py",
        "work = _without_setup_fallbacks(ctx.tree, facts.import_time_work)",
        "work = facts.import_time_work",
        (
            "tests/contract/test_rules_exit.py::test_the_fallback_of_a_module_level_set_up_is_not_work",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "working-try-fallback-hidden",
        "a module-level `try` that reads the inputs outside the guard is taken for set-up with "
        "its fallback, and no longer reported (SCR207)",
        "contract/rules/missing_main_guard.py",
        'for handler in getattr(stmt, "handlers", ()):',
        "for handler in [stmt]:",
        (
            "tests/contract/test_rules_exit.py::test_a_module_level_try_that_reads_the_inputs_is_work",
        ),
    ),
    Mutation(
        "ended-branch-write-counts",
        "an error exit without JSON after an `if` branch that answered and returned "
        "(`if cached: print(json.dumps(...)); return 0`) is taken to have written, and is not "
        "reported (SCR204)",
        "contract/facts.py",
        "if not block_terminates(branch, self.ends_path, loop=False):",
        "if True:",
        (
            "tests/contract/test_rules_exit.py::"
            "test_an_error_exit_after_a_branch_that_wrote_and_ended_is_reported",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "uncalled-writer-writes",
        "a write to stdout in a function nothing calls counts as the script's output, so a "
        "script that answers no one is not reported (SCR104)",
        "contract/rules/no_json_output.py",
        "return function is None or id(function) in run_path",
        "return True",
        (
            "tests/contract/test_rules_io.py::test_no_json_output_counts_only_writes_that_may_run",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "interrupt-try-ends-loop",
        "a `while True:` loop inside `try: ... except KeyboardInterrupt:` counts as having a way "
        "out, though no run is ended by Ctrl-C (SCR404 silent)",
        "contract/rules/endless_loop.py",
        "and all(catches_only_interrupts(model, h) for h in owner.handlers)  "
        "# type: ignore[attr-defined]",
        "and False",
        (
            "tests/contract/test_rules_files_resources.py::"
            "test_a_try_that_catches_only_interrupts_is_no_way_out_of_a_loop",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "helper-document-parts-unseen",
        "a JSON document written in parts by the script's own helpers (`begin()`, `item()`, "
        "`end()`) is reported piece by piece as stray text, and the fix would break it (SCR105)",
        "contract/document_parts.py",
        "openers += [(c.stmt, c.scope) for c in calls.values() if c.opens]",
        "pass",
        (
            "tests/contract/test_rules_io.py::"
            "test_a_document_written_in_parts_by_helpers_is_not_stray_text",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "helper-parts-outside-run-hidden",
        "text written by a helper that is also called outside a document written in parts is "
        "taken for a part of it and not reported (SCR105)",
        "contract/document_parts.py",
        "if count == sum(1 for c in calls.values() if c.helper is helper) == _uses(model, helper):",
        "if True:",
        (
            "tests/contract/test_rules_io.py::"
            "test_a_document_written_in_parts_by_helpers_is_not_stray_text",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "writer-newline-unseen",
        "a helper that writes its parameter with a newline added (`sys.stdout.write(line + "
        '"\\n")`) is not a writer: text handed to it is not stray (SCR105), JSON handed '
        "to it is not a write (SCR106, SCR204)",
        "contract/facts.py",
        'payload = payload.left  # line + "\\n"',
        "pass",
        (
            "tests/contract/test_rules_io.py::test_text_through_a_writer_helper_that_adds_a_newline_is_stray",
            "tests/contract/test_rules_io.py::test_json_documents_through_a_writer_helper_or_behind_a_prefix",
        ),
    ),
    Mutation(
        "input-read-unseen",
        "`json.loads(input())` (input() raises EOFError on an empty stdin) is not reported "
        "(SCR103)",
        "contract/rules/empty_stdin.py",
        "elif _read_by_input(ctx, arg, site):",
        "elif False:",
        (
            "tests/contract/test_rules_io.py::test_text_read_by_input_is_reported_without_a_fix",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "module-printed-unseen",
        "`print(json)` left after the result (the module's repr on stdout) is not reported "
        "(SCR105)",
        "contract/facts.py",
        "if kind is ast.Name and self._names_a_module(expr.id, scope):  "
        "# type: ignore[attr-defined]",
        "if False:",
        (
            "tests/contract/test_rules_io.py::test_stray_text_on_stdout_fires_with_every_text_style",
            "tests/contract/test_corpus.py::test_corpus_script_has_exactly_its_declared_findings",
        ),
    ),
    Mutation(
        "any-error-value-is-a-message",
        "an object on a branch whose `error` value may be None (`inputs.get('error')`) is taken "
        "for an error object, and its exit code 0 reported (SCR203)",
        "contract/rules/error_exit_zero.py",
        "failed = failed or _is_text(value)",
        "failed = True",
        ("tests/contract/test_rules_exit.py::test_error_object_on_a_branch_silent_cases",),
    ),
    Mutation(
        "error-on-branch-reported-twice",
        "an error object on a branch followed by `sys.exit(0)` is reported twice, at the write "
        "and at the exit (SCR203)",
        "contract/rules/error_exit_zero.py",
        "if not _ends_with_exit_zero(ctx, write.site.stmt) or _reported_at_exit(ctx, write):",
        "if not _ends_with_exit_zero(ctx, write.site.stmt):",
        (
            "tests/contract/test_rules_exit.py::"
            "test_error_object_before_an_explicit_exit_zero_is_reported_once",
        ),
    ),
)

SERVER: tuple[Mutation, ...] = (
    Mutation(
        "on-save-lints-unsaved-text",
        'with lint.run = "onSave", diagnostics of unsaved text appear while typing',
        "lsp/linting.py",
        "if on_save and document.uri in self._saved:",
        "if False:",
        ("tests/lsp/test_settings.py::test_on_save_mode_lints_the_saved_text_only",),
    ),
    Mutation(
        "lint-off-ignored",
        "lint.enabled = false still shows lint diagnostics",
        "lsp/linting.py",
        "enabled = settings.client.lint.enabled",
        "enabled = True",
        ("tests/lsp/test_settings.py::test_lint_can_be_turned_off",),
    ),
    Mutation(
        "no-pause-after-typing",
        "every keystroke is linted at once (lint.debounceMs ignored)",
        "lsp/linting.py",
        'if reasons <= {"change", "dependency"} and settings.client.lint.debounce_ms:',
        "if False:",
        (
            "tests/lsp/test_settings.py"
            "::test_changes_in_quick_succession_are_linted_once_after_the_pause",
        ),
    ),
    Mutation(
        "close-keeps-diagnostics",
        "a closed document keeps its diagnostics in the editor",
        "lsp/did_close.py",
        "ls.diagnostics.forget(params.text_document.uri)",
        "pass",
        ("tests/lsp/test_diagnostics.py::test_closing_a_document_clears_its_diagnostics",),
    ),
    Mutation(
        "utf16-columns-counted-in-bytes",
        "columns after an emoji or an accent land in the wrong place in VS Code",
        "lsp/position_encoding.py",
        'if encoding == "utf-16":',
        "if False:",
        (
            "tests/lsp/test_positions.py"
            "::test_a_diagnostic_after_an_emoji_lands_on_the_right_column",
        ),
    ),
    Mutation(
        "change-after-close-warned",
        "VS Code's change of an untitled file after its close is a warning in the user's log",
        "lsp/did_change.py",
        "if ls.documents.was_closed(uri):",
        "if False:",
        (
            "tests/lsp/test_log_levels.py"
            "::test_a_change_sent_after_its_close_is_ignored_without_a_warning",
        ),
    ),
    Mutation(
        "hover-inference-on-the-loop",
        "a hover on a key of a 20,000-line script holds every edit and request for seconds",
        "lsp/hover.py",
        'inputs = await document.derived_off_loop("inputs", infer_inputs)',
        'inputs = document.derived("inputs", infer_inputs)',
        (
            "tests/lsp/test_hover_and_lens.py"
            "::test_other_requests_are_answered_while_a_long_scripts_inputs_are_inferred",
        ),
    ),
    Mutation(
        "stale-hover-shown",
        "a hover worked out before an edit describes the key the user just renamed",
        "lsp/documents.py",
        "if self.text is not text or worked_out is _EDITED:",
        "if worked_out is _EDITED:",
        (
            "tests/lsp/test_hover_and_lens.py"
            "::test_a_hover_worked_out_for_a_text_since_edited_is_not_shown",
        ),
    ),
    Mutation(
        "edited-texts-worked-out",
        "typing on a long script queues seconds of hover work for every text, seen or not",
        "lsp/documents.py",
        "if self.text is not text:",
        "if False:",
        ("tests/lsp/test_derived_work.py::test_a_text_edited_before_its_turn_is_never_worked_out",),
    ),
    Mutation(
        "test-all-runs-ignored-cases",
        "the editor's test all runs a cases file in a .gitignored folder that `test` passes over",
        "cases/finding.py",
        "if not self.ignore.ignored(path, is_dir=is_dir, top=top):",
        "if True:",
        (
            "tests/lsp/test_find_cases_files.py::test_the_server_finds_the_cases_files_the_cli_runs",
            "tests/editors/test_nvim_runs.py"
            "::test_test_all_runs_the_cases_files_the_cli_runs_and_none_it_leaves_out",
        ),
    ),
    Mutation(
        "test-runs-excluded-cases",
        "`test` and the editor's test all run the cases of a script the project's `exclude`"
        " leaves out of `check`",
        "cases/finding.py",
        "why = rules.excluded(path, root)",
        "why = None",
        (
            "tests/cli/test_test_command.py"
            "::test_the_cases_of_a_script_check_excludes_are_run_only_when_named[excluded]",
            "tests/lsp/test_find_cases_files.py"
            "::test_the_server_passes_over_the_cases_of_scripts_check_excludes",
        ),
    ),
    Mutation(
        "test-exclude-flags-ignored",
        "`test --exclude GLOBS` (and --extend-exclude) runs the cases of the scripts `check"
        " --exclude GLOBS` leaves out",
        "cases/finding.py",
        "exclude = [*(settings.exclude if replaced is None else replaced), *self.flags.extended]",
        "exclude = settings.exclude",
        (
            "tests/cli/test_test_command.py::"
            "test_the_exclude_flags_leave_out_the_cases_of_the_scripts_they_leave_out_of_check"
            "[extend-exclude]",
        ),
    ),
    Mutation(
        "test-force-exclude-ignored",
        "`test --force-exclude FILE` runs the cases of a file `check --force-exclude` passes over",
        "cases/finding.py",
        "if not self.flags.force:",
        "if True:",
        (
            "tests/cli/test_test_command.py::"
            "test_the_exclude_flags_leave_out_the_cases_of_the_scripts_they_leave_out_of_check"
            "[named, force-exclude]",
        ),
    ),
    Mutation(
        "force-excluded-missing-cases-listed",
        "`test --force-exclude` of an excluded script without cases says its (missing) cases"
        " file was left out",
        "cases/finding.py",
        "if passed_over is not None and named.is_file():  # a script may have no cases",
        "if passed_over is not None:",
        ("tests/cli/test_test_command.py::test_no_cases_found_says_which_exclude_left_out",),
    ),
    Mutation(
        "test-script-marker-ignored",
        "a script with `# scriptcontract: script` under an excluded glob is checked, but `test`"
        " runs none of its cases",
        "cases/finding.py",
        "relative, _source(base, script), self.settings(root), named=named or relative is None",
        "relative, None, self.settings(root), named=named or relative is None",
        (
            "tests/cli/test_test_command.py::"
            "test_a_script_that_opts_in_has_its_cases_run_whatever_exclude_says[script]",
        ),
    ),
    Mutation(
        "test-exclude-unvouched-used",
        "a run plants scripts/scriptcontract.toml with exclude = ['*.py']: `test` runs none of"
        " the cases there, and CI's test passes",
        "cases/finding.py",
        "settings = EVERY_FILE if unvouched else validate_table(table).lint",
        "settings = validate_table(table).lint",
        (
            "tests/cli/test_planted_nested_config.py"
            "::test_an_exclude_a_run_planted_hides_no_cases_from_test",
        ),
    ),
    Mutation(
        "tracked-cases-ignored",
        "a run appends `scripts/` to .gitignore: `test` and the editor's test all run no case",
        "cases/finding.py",
        "return not self.tracked.tracked(path, is_dir=is_dir, start=top or path.parent)",
        "return True",
        ("tests/lsp/test_find_cases_files.py::test_the_server_finds_the_cases_files_the_cli_runs",),
    ),
    Mutation(
        "editor-uses-unvouched-configuration",
        "a run plants scripts/scriptcontract.toml with ignore = ['ALL']: the editor shows no"
        " finding there, and `[sandbox] enabled = false` runs its scripts unconfined",
        "lsp/projects.py",
        "table, error = read_vouched(root, folder)",
        "table, error = read_vouched(root, folder)[0], None",
        (
            "tests/lsp/test_planted_nested_config.py"
            "::test_a_configuration_a_run_planted_changes_no_diagnostic_until_vouched_for"
            "[ignore ALL]",
            "tests/lsp/test_planted_nested_config.py"
            "::test_a_planted_configuration_cannot_turn_the_sandbox_off_for_the_editors_runs",
        ),
    ),
    Mutation(
        "editor-runs-under-unvouched-configuration",
        "the scripts below a configuration nobody vouched for run with the settings around it",
        "lsp/configuration.py",
        "project = project.with_errors(list(errors))",
        "project = project",
        (
            "tests/lsp/test_planted_nested_config.py"
            "::test_a_planted_configuration_cannot_turn_the_sandbox_off_for_the_editors_runs",
        ),
    ),
    Mutation(
        "editor-vouching-needs-a-restart",
        "`scriptcontract trust FILE` or `git add FILE` counts in the editor only after a restart",
        "lsp/projects.py",
        "return (_stat(default_store()), *(_stat(index) for index in git_indexes(root)))",
        "return ()",
        (
            "tests/lsp/test_planted_nested_config.py::test_a_configuration_staged_in_git_is_used_without_a_restart",
            "tests/lsp/test_planted_nested_config.py"
            "::test_a_configuration_a_run_planted_changes_no_diagnostic_until_vouched_for"
            "[exclude]",
        ),
    ),
    Mutation(
        "editor-folder-without-git-no-top",
        "no configuration and no git: a run plants scripts/scriptcontract.toml with"
        " ignore = ['ALL'] and the editor shows no finding there",
        "nested_configs.py",
        "if workspace is not None and Path(os.path.abspath(workspace)) in here.parents:",
        "if False:",
        (
            "tests/lsp/test_planted_nested_config.py"
            "::test_with_no_configuration_and_no_git_one_planted_below_the_folder_is_not_used",
        ),
    ),
    Mutation(
        "editor-submodule-staging-needs-a-restart",
        "`git add` of a configuration inside a submodule counts in the editor only after a restart",
        "lsp/projects.py",
        "return (_stat(default_store()), *(_stat(index) for index in git_indexes(root)))",
        "return (_stat(default_store()), *(_stat(index) for index in git_indexes(root)[-1:]))",
        (
            "tests/lsp/test_planted_nested_config.py"
            "::test_a_configuration_staged_in_a_submodule_is_used_without_a_restart",
        ),
    ),
    Mutation(
        "submodule-git-file-followed",
        "a run points a submodule's .git at a repository it built: its index vouches for the"
        " configuration it planted, and check passes (exit 0)",
        "nested_configs.py",
        "if staged is None and _indexes_out_of_reach(file, outer):",
        "if staged is None:",
        (
            "tests/cli/test_planted_nested_config.py"
            "::test_a_submodule_whose_git_file_a_run_rewrote_vouches_for_nothing"
            "[a repository the run built]",
        ),
    ),
    Mutation(
        "refusal-logged-as-traceback",
        "a request the server refuses with why (an inputs file that is not JSON) leaves "
        "pygls's traceback on stderr, [error] lines in the editor's log",
        "lsp/log.py",
        "refused = isinstance(error, (JsonRpcInvalidParams, JsonRpcInvalidRequest))",
        "refused = False",
        (
            "tests/lsp/test_log_levels.py"
            "::test_a_refused_request_is_logged_at_info_without_a_traceback",
        ),
    ),
    Mutation(
        "debug-refusal-logged-as-error",
        "a debug session the server refuses with why (inputs the declared schema refuses) is "
        "an error with a traceback in the editor's log",
        "lsp/log.py",
        "return refused or type(error) is JsonRpcException",
        "return refused",
        (
            "tests/lsp/test_log_levels.py"
            "::test_a_refused_request_is_logged_at_info_without_a_traceback",
        ),
    ),
)

TIMEOUT: tuple[Mutation, ...] = (
    Mutation(
        "timeout-never-fires",
        "a script that never ends holds the run (and the editor's request) forever",
        "executor/child_process.py",
        "await asyncio.wait(ends_run, timeout=timeout_s, return_when=asyncio.FIRST_COMPLETED)",
        "await asyncio.wait(ends_run, timeout=None, return_when=asyncio.FIRST_COMPLETED)",
        (
            "tests/cli/test_run.py::test_timeout_exits_1",
            "tests/lsp/test_runs.py::test_a_timeout_points_at_the_line_that_was_running[neovim]",
            "tests/executor/test_lifecycle.py::test_timeout_kills_children_and_grandchildren[cold]",
        ),
    ),
    Mutation(
        "timeout-not-reported",
        "a run killed at its timeout is reported as an ordinary failure",
        "executor/child_process.py",
        "outcome.timed_out = True",
        "outcome.timed_out = False",
        (
            "tests/cli/test_run.py::test_timeout_exits_1",
            "tests/lsp/test_runs.py::test_a_timeout_points_at_the_line_that_was_running[neovim]",
        ),
    ),
)

# The sandbox's mutations: one line that stops a protection each (a Landlock rule, a seccomp
# refusal, a limit, the kill of the process group), with the tests that must catch it.
SANDBOX: tuple[Mutation, ...] = (
    Mutation(
        "landlock-not-applied",
        "the files outside the project are open to the script (Landlock never restricts)",
        "executor/sandbox/_scriptcontract_confine/_landlock.py",
        "libc.syscall(_native.LANDLOCK_RESTRICT_SELF, ruleset, 0)",
        "pass",
        (
            "tests/executor/test_sandbox_filesystem.py"
            "::test_path_to_etc_passwd_built_at_run_time_is_refused[cold]",
        ),
    ),
    Mutation(
        "seccomp-not-installed",
        "every system call is open to the script",
        "executor/sandbox/_scriptcontract_confine/_apply.py",
        "install(_native.libc(), program)",
        "pass",
        (
            "tests/executor/test_syscall_policy.py::test_each_refused_group_is_refused_by_the_filter[cold-shmget]",
            "tests/hostile/test_hostile.py::test_hostile_script_is_contained[cold-ipc_that_outlives_the_run]",
        ),
    ),
    Mutation(
        "project-root-writable",
        "the protected paths (.git, the configuration) can be changed by a run",
        "executor/sandbox/_scriptcontract_confine/_landlock.py",
        "rules.append((root, READ))",
        "rules.append((root, EVERYTHING))",
        (
            "tests/executor/test_protected_paths.py"
            "::test_protected_paths_cannot_be_changed[cold-hook_planted]",
            "tests/hostile/test_hostile.py::test_hostile_script_is_contained[cold-plants_for_the_next_run]",
        ),
    ),
    Mutation(
        "top-level-venv-writable",
        "a .pth file can be planted in the project's virtual environment",
        "executor/project_layout.py",
        "if child == {} or (top and stat.S_ISDIR(mode) and _is_venv(path)):",
        "if child == {}:",
        (
            "tests/executor/test_protected_paths.py"
            "::test_protected_paths_cannot_be_changed[cold-pth_planted_in_the_project_venv]",
        ),
    ),
    Mutation(
        "untrusted-configuration-used",
        "a configuration a run planted turns the sandbox off for the next run",
        "trust.py",
        "return not self.loosened or self.trusted",
        "return True",
        (
            "tests/cli/test_trust.py"
            "::test_a_planted_nested_configuration_cannot_turn_the_sandbox_off",
        ),
    ),
    Mutation(
        "site-before-confinement",
        "the interpreter's .pth files run before the sandbox, in a cold run",
        "executor/launch.py",
        'return [self.python, "-I", "-S", str(BOOTSTRAP), str(spec_fd)]',
        'return [self.python, "-I", str(BOOTSTRAP), str(spec_fd)]',
        (
            "tests/executor/test_start_up_is_confined.py"
            "::test_site_packages_of_the_project_are_processed_only_confined[cold]",
        ),
    ),
    Mutation(
        "environment-at-exec",
        "LD_PRELOAD from the configuration is loaded before the sandbox",
        "executor/launch.py",
        "env=start_env(env),",
        "env=env,",
        ("tests/executor/test_start_up_is_confined.py::test_ld_preload_runs_only_confined[cold]",),
    ),
    Mutation(
        "report-pipe-left-open",
        "a script can forge the sandbox report through /proc/self/fd",
        "executor/sandbox/_scriptcontract_confine/boot.py",
        "os.close(report_fd)",
        "pass",
        (
            "tests/hostile/test_hostile.py"
            "::test_hostile_script_is_contained[cold-report_reopened_through_proc]",
        ),
    ),
    Mutation(
        "undeclared-encoding-runs",
        "a script python refuses (not UTF-8, no coding line) runs under the executor",
        "executor/sandbox/_scriptcontract_confine/boot.py",
        "_refuse_undeclared_encoding(source, script)",
        "pass",
        (
            "tests/executor/test_results.py"
            "::test_a_script_that_is_not_utf8_runs_only_as_python_would_run_it",
        ),
    ),
    Mutation(
        "keeper-kills-nothing",
        "a cold run outlives a killed `scriptcontract run`",
        "executor/keeper_main.py",
        "os.killpg(pgid, signal.SIGKILL)",
        "pass",
        (
            "tests/hostile/test_dies_with_its_executor.py"
            "::test_a_killed_run_command_takes_the_script_with_it",
        ),
    ),
    Mutation(
        "cold-run-starts-before-it-is-kept",
        "a cold run started just before its executor is killed outlives it",
        "executor/launch.py",
        "keeper.keep(proc.pid)",
        # The spec sent first, as it once was: the later send then goes to /dev/null.
        'send_and_close(spec_w, json.dumps(full).encode("utf-8")); keeper.keep(proc.pid); '
        "spec_w = os.open(os.devnull, os.O_WRONLY)",
        (
            "tests/hostile/test_dies_with_its_executor.py"
            "::test_an_executor_killed_before_it_registers_a_cold_run_runs_none_of_the_script",
        ),
    ),
    Mutation(
        "unkept-run-goes-ahead",
        "no keeper could start, and a cold run goes ahead: killed, the executor leaves it running",
        "executor/run_keeper.py",
        'if not self._send(f"+{pgid}\\n"):',
        'if not self._send(f"+{pgid}\\n") and False:',
        (
            "tests/hostile/test_dies_with_its_executor.py::"
            "test_a_cold_run_no_keeper_would_stop_is_refused_and_runs_nothing[no keeper]",
        ),
    ),
    Mutation(
        "warm-runner-keeps-nothing",
        "warm runs outlive a killed embedder",
        "executor/sandbox/zygote.py",
        "os.killpg(pid, signal.SIGKILL)",
        "pass",
        (
            "tests/hostile/test_dies_with_its_executor.py"
            "::test_a_killed_embedder_takes_its_warm_runs_with_it",
        ),
    ),
    Mutation(
        "exited-main-threads-uncounted",
        "a fork bomb hides behind processes whose main thread exited",
        "executor/process_group.py",
        "threads -= 1  # the exited main thread still counts itself",
        "threads = 0",
        ("tests/executor/test_group_usage.py",),
    ),
    Mutation(
        "clone-parent-allowed",
        "a script's children become the executor's, left as zombies",
        "executor/sandbox/_scriptcontract_confine/_syscalls.py",
        "| 0x1000000  # CLONE_CHILD_SETTID",
        "| 0x1000000 | 0x8000  # CLONE_CHILD_SETTID, and CLONE_PARENT",
        (
            "tests/executor/test_syscall_policy.py"
            "::test_each_refused_group_is_refused_by_the_filter[cold-clone with CLONE_PARENT]",
            "tests/hostile/test_hostile.py::test_hostile_script_is_contained[cold-ipc_that_outlives_the_run]",
        ),
    ),
    Mutation(
        "mode-by-path-allowed",
        "a script makes a private key in the home readable by all",
        "executor/sandbox/_scriptcontract_confine/_syscalls.py",
        '"truncate",',
        '"truncate", "chmod", "fchmodat", "fchmodat2", "utime", "utimes", "futimesat",',
        (
            "tests/executor/test_sandbox_modes.py"
            "::test_a_run_cannot_change_the_mode_or_times_of_a_file_outside[cold-libc chmod]",
            "tests/hostile/test_hostile.py::test_hostile_script_is_contained[cold-changes_mode_and_times_outside]",
        ),
    ),
    Mutation(
        "utimensat-with-a-path-allowed",
        "a script changes the times of any file its user owns",
        "executor/sandbox/_scriptcontract_confine/_seccomp.py",
        "program += _null_only(table[name], pointer_index)",
        "program += [_jump(_JEQ_K, table[name], 0, 1), _stmt(_RET_K, RET_ALLOW)]",
        (
            "tests/executor/test_sandbox_modes.py"
            "::test_a_run_cannot_change_the_mode_or_times_of_a_file_outside"
            "[cold-utimensat on O_PATH]",
            "tests/hostile/test_hostile.py::test_hostile_script_is_contained[cold-changes_mode_and_times_outside]",
        ),
    ),
    Mutation(
        "chmod-by-path-in-scripts",
        "shutil.copy, tarfile and chmod +x fail in every sandboxed script",
        "executor/sandbox/_scriptcontract_confine/boot.py",
        "_modes.install()",
        "pass",
        (
            "tests/executor/test_sandbox_modes.py"
            "::test_everyday_changes_of_mode_and_times_work_in_the_project_and_the_temp_dir[warm]",
            # As root the everyday test is skipped: what root's scripts are told stands in.
            "tests/executor/test_sandbox_modes.py"
            "::test_a_run_as_root_is_told_why_it_cannot_change_a_mode_or_times[warm]",
        ),
    ),
    Mutation(
        "modes-by-descriptor-allowed-as-root",
        "a run as root makes the C library mode 000 (or the interpreter writable by all)",
        "executor/sandbox/_scriptcontract_confine/_seccomp.py",
        "as_root = os.geteuid() == 0",
        "as_root = False",
        (
            "tests/executor/test_sandbox_modes.py"
            "::test_a_run_as_root_cannot_change_the_mode_or_times_of_a_file_it_may_only_read"
            "[cold-fchmod]",
            "tests/executor/test_sandbox_modes.py"
            "::test_a_run_as_root_cannot_change_the_mode_or_times_of_a_file_it_may_only_read"
            "[warm-futimens]",
        ),
    ),
    Mutation(
        "fchown-allowed",
        "a script clears the setuid bit of a program it may only read",
        "executor/sandbox/_scriptcontract_confine/_syscalls.py",
        '"flock",',
        '"flock", "fchown",',
        (
            "tests/executor/test_sandbox_read_only_files.py"
            "::test_a_run_cannot_clear_the_setuid_bit_of_a_file_it_may_only_read[cold]",
        ),
    ),
    Mutation(
        "lease-allowed",
        "a script makes the executor, git or every program wait 45 s to open a file",
        "executor/sandbox/_scriptcontract_confine/_syscalls.py",
        "1025,  # F_GETLEASE",
        "1024, 1025,",
        (
            "tests/executor/test_sandbox_read_only_files.py"
            "::test_a_run_cannot_make_others_wait_to_open_a_file_it_may_read[cold]",
        ),
    ),
    Mutation(
        "file-attribute-ioctls-allowed",
        "a script sets the flags of a protected file, or makes it read-only for good",
        "executor/sandbox/_scriptcontract_confine/_syscalls.py",
        "IOCTL_REFUSED_TYPES = (0x6600, 0x5800, 0x7600, 0x9400)",
        "IOCTL_REFUSED_TYPES = ()",
        (
            "tests/executor/test_sandbox_read_only_files.py"
            "::test_a_run_cannot_set_the_flags_of_a_protected_file[cold]",
        ),
    ),
    Mutation(
        "fifos-allowed",
        "a script leaves a FIFO that hangs every git status after it",
        "executor/sandbox/_scriptcontract_confine/_seccomp.py",
        "regular = name in _syscalls.NODE_MAKING",
        "regular = False",
        (
            "tests/hostile/test_hostile.py"
            "::test_hostile_script_is_contained[cold-special_files_left_in_the_project]",
        ),
    ),
    Mutation(
        "cgroup-not-joined",
        "the run's processes together get past its memory limit",
        "executor/sandbox/_scriptcontract_confine/boot.py",
        "_join_groups(spec, report)",
        "pass",
        ("tests/executor/test_run_cgroups.py::test_the_memory_of_a_run_is_limited_in_total[cold]",),
    ),
    Mutation(
        "network-not-denied",
        "with network = false a script still sends datagrams and opens sockets",
        "executor/sandbox/_scriptcontract_confine/_seccomp.py",
        'return [*program, _jump(_JEQ_K, table["socket"], 0, 1), _deny(_native.EPERM)]',
        "pass",
        (
            "tests/executor/test_sandbox_network.py::test_udp_refused_without_network[cold]",
            "tests/hostile/test_hostile.py::test_hostile_script_is_contained[cold-udp_without_network]",
        ),
    ),
    Mutation(
        "signals-unscoped",
        "a script signals the executor, the editor or any process of its user",
        "executor/sandbox/_scriptcontract_confine/_landlock.py",
        "scoped = SCOPE_SIGNAL | SCOPE_ABSTRACT_UNIX_SOCKET if abi >= 6 else 0",
        "scoped = 0",
        (
            "tests/executor/test_sandbox_processes.py::test_signalling_the_executor_is_refused[cold]",
            "tests/hostile/test_hostile.py::test_hostile_script_is_contained[cold-signals_the_parent]",
        ),
    ),
    Mutation(
        "limits-not-set",
        "a script writes files of any size and lifts its own limits",
        "executor/sandbox/_scriptcontract_confine/_limits.py",
        "resource.setrlimit(number, (soft, new_hard))",
        "pass",
        (
            "tests/executor/test_sandbox_limits.py::test_file_size_limit[cold]",
            "tests/executor/test_sandbox_limits.py::test_limits_cannot_be_raised_even_by_root[cold]",
        ),
    ),
    Mutation(
        "own-environment-writable",
        "a run plants a .pth in the environment scriptcontract runs from: it runs unconfined next",
        "executor/python_executor.py",
        "*OWN_ENVIRONMENT,",
        "*(),",
        (
            "tests/cli/test_own_environment.py"
            "::test_a_run_cannot_plant_code_in_the_environment_scriptcontract_runs_from",
        ),
    ),
    Mutation(
        "temp-dir-removed-on-the-loop",
        "a run that fills its temp dir holds the language server for seconds after it ends",
        "executor/python_executor.py",
        "cleanup_error = await _remove_temp_dir(tmp_dir)",
        "cleanup_error = remove_temp_dir(tmp_dir)",
        (
            "tests/executor/test_temp_dir_cleanup.py"
            "::test_the_event_loop_keeps_running_while_a_full_temp_dir_is_removed[cold]",
        ),
    ),
    Mutation(
        "site-first-where-another-projects-runs-write",
        "a run of one project plants sitecustomize.py in a folder a shared environment's .pth "
        "names; another project's warm runner imports it before any sandbox",
        "executor/python_executor.py",
        "return not any(_writable_by_this_user(path) for path in paths if path)",
        "return not any(_is_inside(p, Path(os.path.realpath(a))) "
        "for p in paths if p for a in self._writable())",
        (
            "tests/executor/test_start_up_is_confined.py"
            "::test_what_another_projects_run_planted_never_runs_before_the_sandbox",
        ),
    ),
    Mutation(
        "warm-exit-of-an-earlier-child-taken",
        "a run whose child gets the pid of a cancelled launch's child is reported killed at once",
        "executor/warm_runner.py",
        'self._exits[int(message["pid"])] = asyncio.get_running_loop().create_future()',
        'self._exits.setdefault(int(message["pid"]), asyncio.get_running_loop().create_future())',
        (
            "tests/executor/test_warm_runner.py"
            "::test_a_pid_reused_after_a_cancelled_launch_is_not_taken_for_exited",
        ),
    ),
    Mutation(
        "bytecode-a-run-planted-is-loaded",
        "a run plants a bytecode cache or compiled module in place of a module's source; the "
        "next run of the user's script runs it (with the inputs' secrets)",
        "executor/sandbox/_scriptcontract_confine/boot.py",
        "_imports.install(spec)",
        "pass",
        (
            "tests/executor/test_planted_bytecode.py"
            "::test_what_a_run_planted_in_place_of_a_modules_source_is_not_run_later"
            "[warm-bytecode cache]",
            "tests/executor/test_planted_bytecode.py"
            "::test_what_a_run_planted_in_place_of_a_modules_source_is_not_run_later"
            "[cold-compiled module]",
        ),
    ),
    Mutation(
        "bytecode-of-modules-loaded-by-path",
        "a module the user's script loads by path (spec_from_file_location, as plugin "
        "loaders do) runs the bytecode cache an earlier run planted",
        "executor/sandbox/_scriptcontract_confine/_imports.py",
        "_no_cache_in(areas, external.SourceFileLoader)",
        "pass",
        (
            "tests/executor/test_planted_bytecode.py"
            "::test_what_a_run_planted_in_place_of_a_modules_source_is_not_run_later"
            "[warm-bytecode cache]",
        ),
    ),
    Mutation(
        "python-started-by-a-run-reads-project-bytecode",
        "a Python the user's script starts runs a bytecode cache an earlier run planted",
        "executor/python_executor.py",
        'PYTHONPYCACHEPREFIX=os.path.join(tmp_dir, "pycache"),',
        'PYTHONDONTWRITEBYTECODE="1",',
        (
            "tests/executor/test_planted_bytecode.py"
            "::test_what_a_run_planted_in_place_of_a_modules_source_is_not_run_later"
            "[cold-bytecode cache]",
        ),
    ),
)

# What `check` and `schema` read and write in the project, outside the sandbox: files a run
# could have planted.
PLANTED = "tests/cli/test_planted_check_files.py"
FOR_RUNS = "tests/cli/test_planted_config_for_runs.py"
CHECK: tuple[Mutation, ...] = (
    Mutation(
        "validation-uses-unvouched-configuration",
        "the executor's validate_script_contract takes a broken script for a good one under "
        "a configuration a run planted below its root (ignore = ALL)",
        "executor/python_executor.py",
        "if problem is None:",
        "if True:",
        (
            "tests/contract/test_registry_and_validate.py::test_a_configuration_a_run_planted_"
            "below_the_root_validates_nothing[planted]",
        ),
    ),
    Mutation(
        "unknown-key-without-its-table",
        "a key written in the wrong table is only 'unknown', not said where it belongs",
        "config.py",
        "if name != table and wanted in known:",
        "if False:",
        (
            "tests/cli/test_check.py::test_an_unknown_key_says_where_it_belongs_or_what_it_was_"
            "meant_to_be[top-level-key-in-a-table]",
        ),
    ),
    Mutation(
        "unknown-key-without-a-suggestion",
        "a misspelt key is only 'unknown', without the key it was meant to be",
        "config.py",
        'return f"did you mean {close[0]}?" if close else None',
        "return None",
        (
            "tests/cli/test_check.py::test_an_unknown_key_says_where_it_belongs_or_what_it_was_"
            "meant_to_be[typo-in-a-table]",
        ),
    ),
    Mutation(
        "cache-blind-to-code",
        "in a working copy installed editable, check serves what the rules found before an edit",
        "check/cache.py",
        "data = [FORMAT, __version__, code_stamp(), list(sys.version_info[:2]), table, options]",
        "data = [FORMAT, __version__, list(sys.version_info[:2]), table, options]",
        ("tests/cli/test_check_cache.py::test_a_change_of_the_rules_code_invalidates_the_cache",),
    ),
    Mutation(
        "ignore-files-followed-out",
        "a .gitignore a run linked to /dev/zero takes check's memory; one linked out is read",
        "check/ignore_files.py",
        "text = read_project_text(directory, name, max_bytes=MAX_IGNORE_FILE_BYTES)",
        'text = (directory / name).read_text("utf-8") if (directory / name).exists() else ""',
        (
            f"{PLANTED}::test_an_ignore_file_a_run_linked_to_dev_zero_is_not_read",
            f"{PLANTED}::test_an_ignore_file_linked_out_of_the_project_is_not_read",
        ),
    ),
    Mutation(
        "schema-force-writes-through-link",
        "schema --write --force overwrites the user's file a planted link points to",
        "commands/schema.py",
        'os.path.dirname(path), path, text.encode("utf-8"), expect=ANYTHING if force else None',
        'os.path.dirname(path), path, text.encode("utf-8"), expect=ANYTHING if force else None, '
        "follow_link=True",
        (
            f"{PLANTED}::test_schema_write_force_replaces_a_planted_link_instead_of_writing_through_it",
        ),
    ),
    Mutation(
        "check-cache-unsigned-believed",
        "a run rewrites the check cache and check reports every script clean (exit 0)",
        "check/cache.py",
        'if mac != _mac(data, key, print_).encode("ascii"):',
        "if False:",
        (f"{PLANTED}::test_a_check_cache_a_run_rewrote_is_not_believed",),
    ),
    Mutation(
        "nested-configuration-unvouched-used",
        "a run plants scripts/scriptcontract.toml with ignore = ['SCR']: check passes (exit 0)",
        "nested_configs.py",
        "outer = above(root)",
        "outer = None",
        (
            "tests/cli/test_planted_nested_config.py"
            "::test_a_nested_configuration_a_run_planted_turns_no_finding_off[ignore]",
            "tests/cli/test_planted_nested_config.py"
            "::test_a_nested_configuration_a_run_planted_turns_no_finding_off[a new root]",
        ),
    ),
    Mutation(
        "nested-configuration-read-twice",
        "a script swaps scripts/scriptcontract.toml between vouching and parsing: the staged"
        " file vouches for the planted settings, and check passes (exit 0)",
        "nested_configs.py",
        "data = bytes_as_read(file, read)",
        "data = file_contents(file)",
        (
            "tests/test_nested_config_read_once.py"
            "::test_a_configuration_swapped_between_two_reads_is_used_only_as_vouched_for"
            "[planted, then staged-check]",
            "tests/test_nested_config_read_once.py"
            "::test_a_configuration_swapped_between_two_reads_is_used_only_as_vouched_for"
            "[planted, then staged-language server]",
        ),
    ),
    Mutation(
        "check-folder-without-git-no-top",
        "no configuration and no git: a run plants scripts/scriptcontract.toml with"
        " ignore = ['SCR'] and check passes (exit 0)",
        "nested_configs.py",
        "return None if Path(os.path.abspath(Path.home())).is_relative_to(here) else here",
        "return None",
        (
            "tests/cli/test_planted_nested_config.py"
            "::test_with_no_configuration_and_no_git_one_planted_below_where_check_started_is_not_used",
        ),
    ),
    Mutation(
        "trust-revoke-nested-without-table",
        "`scriptcontract trust --revoke` on a nested pyproject.toml without the table fails",
        "commands/trust.py",
        "if by_content and args.revoke:",
        "if False:",
        (
            "tests/cli/test_trust.py"
            "::test_a_nested_pyproject_without_the_table_can_be_revoked_as_it_was_trusted",
        ),
    ),
    Mutation(
        "interpreter-probed-in-callers-folder",
        "a run plants scripts/.python-version: pyenv's python3, probed from scripts/, starts"
        " the interpreter it names",
        "executor/interpreter.py",
        "top = str(writable[0]) if writable else None",
        "top = None",
        (
            "tests/cli/test_planted_interpreter.py"
            "::test_a_python_version_a_run_planted_below_the_top_chooses_no_interpreter",
        ),
    ),
    Mutation(
        "configuration-below-the-work-tree-top-used",
        "no configuration at the top: a run plants scripts/sub/scriptcontract.toml with"
        " ignore = ['SCR'] and check passes (exit 0)",
        "nested_configs.py",
        "top = work_tree_top(root)",
        "top = None",
        (
            "tests/cli/test_planted_nested_config.py"
            "::test_with_no_configuration_at_the_top_a_planted_one_below_turns_no_finding_off",
        ),
    ),
    Mutation(
        "editor-trust-drops-content-trust",
        "trusting a nested configuration's settings in the editor makes check refuse it again",
        "trust.py",
        "kept = [item for item in trusted.get(_key(source), []) if _kind(item.key) not in given]",
        "kept = []",
        (
            "tests/lsp/test_trust.py"
            "::test_trusting_in_the_editor_keeps_the_content_trust_check_needs",
        ),
    ),
    Mutation(
        "tracked-scripts-ignored",
        "a run appends `scripts/` to .gitignore: check and its pre-commit hook pass (exit 0)",
        "check/discovery.py",
        "return not self.tracked.tracked(path, is_dir=is_dir, start=top or self.cwd)",
        "return True",
        (
            "tests/cli/test_planted_nested_config.py"
            "::test_a_gitignore_a_run_rewrote_leaves_no_tracked_script_out[walked]",
            "tests/cli/test_planted_nested_config.py"
            "::test_a_gitignore_a_run_rewrote_leaves_no_tracked_script_out[named by pre-commit]",
        ),
    ),
    Mutation(
        "report-file-written-through-link",
        "check --output-file overwrites the user's file a run's link in the project points to",
        "check/report_file.py",
        "base = _strict_base(given, cwd)",
        "base = None",
        (
            "tests/cli/test_planted_report_file.py"
            "::test_a_report_file_a_run_linked_out_of_the_project_is_not_written_through"
            "[reports/check.xml-reports/check.xml]",
        ),
    ),
    Mutation(
        "executor-limits-untrusted",
        "a planted stderr-limit of a terabyte lets the next run's output take the editor's memory",
        "trust.py",
        "for name in _EXECUTOR_LIMITS:",
        "for name in ():",
        (
            "tests/cli/test_trust.py"
            "::test_a_planted_nested_configuration_cannot_raise_the_executors_limits"
            "[stderr-limit = 1000000000000]",
        ),
    ),
    Mutation(
        "case-timeout-unbounded",
        "a planted cases file gives the script (and its CPU limit) weeks instead of the "
        "project's timeout",
        "case_runner.py",
        "if timeout is not None and timeout > executor.default_timeout_ms:",
        "if False:",
        (
            "tests/cli/test_planted_cases_file.py"
            "::test_a_cases_file_cannot_give_a_run_more_time_than_the_project[case]",
        ),
    ),
    Mutation(
        "interpreter-found-where-runs-write",
        "a run leaves bin/python3 in a project folder on PATH: the next run starts it unconfined",
        "executor/interpreter.py",
        "if real not in own and (not os.path.isabs(entry) or inside):",
        "if False:",
        (
            "tests/cli/test_planted_interpreter.py"
            "::test_an_interpreter_a_run_left_on_path_is_not_started[absolute]",
        ),
    ),
    Mutation(
        "check-cache-folder-followed",
        "check writes its cache through a link a run left in the cache folder, out of the project",
        "check/cache.py",
        "folder = os.open(__version__, _DIR_FLAGS | _O_NOFOLLOW, dir_fd=top)",
        "folder = os.open(__version__, _DIR_FLAGS, dir_fd=top)",
        (f"{PLANTED}::test_a_check_cache_folder_a_run_linked_out_of_the_project_is_not_followed",),
    ),
    Mutation(
        "test-names-obeyed",
        "a cases file name a run chose adds lines of its choosing to test's report",
        "commands/test_report.py",
        "return printable_name(path.relative_to(cwd).as_posix())",
        "return path.relative_to(cwd).as_posix()",
        (
            "tests/cli/test_terminal_escapes.py"
            "::test_test_shows_file_names_a_run_chose_instead_of_obeying_them",
        ),
    ),
    Mutation(
        "run-root-follows-script-link",
        "a script a run left as a link out of the project runs with the target's folder writable",
        "commands/run.py",
        "named = Path(os.path.abspath(script))",
        "named = script.resolve()",
        (
            "tests/cli/test_planted_script_link.py"
            "::test_a_script_linked_out_of_the_project_is_not_run_with_its_folder_as_root",
        ),
    ),
    Mutation(
        "check-names-obeyed",
        "a file name a run chose writes the user's clipboard and adds lines to check's report",
        "check/discovery.py",
        "return printable_name(shown)",
        "return shown",
        (
            "tests/cli/test_terminal_escapes.py"
            "::test_check_shows_file_names_and_source_lines_a_run_chose_instead_of_obeying_them",
        ),
    ),
    Mutation(
        "run-uses-unvouched-configuration",
        "a run plants scripts/scriptcontract.toml with [executor] env: the user's next"
        " `scriptcontract run` of a script there runs with it",
        "commands/run.py",
        "named_root = args.root is not None",
        "named_root = True",
        (
            f"{FOR_RUNS}::test_a_planted_configuration_changes_no_run_until_vouched_for[env-staged]",
            f"{FOR_RUNS}::test_a_planted_configuration_changes_no_run_until_vouched_for"
            "[input-path-keys-trusted]",
        ),
    ),
    Mutation(
        "run-unvouched-said-twice",
        "`run` refuses a configuration nobody vouched for, then calls it one with errors",
        "commands/run.py",
        'return _fail(f"{unvouched}; nothing was run")',
        'return print(f"scriptcontract run: error: {unvouched}", file=sys.stderr) or _fail('
        '"the project\'s configuration has errors; nothing was run")',
        (f"{FOR_RUNS}::test_a_planted_configuration_changes_no_run_until_vouched_for[env-staged]",),
    ),
    Mutation(
        "test-unvouched-called-erroneous",
        "`test` calls a configuration nobody vouched for one with errors",
        "case_runner.py",
        'f"{unvouched}; no case was run"',
        'f"the project\'s configuration has errors; no case was run: {unvouched}"',
        (
            f"{FOR_RUNS}::test_a_planted_configuration_changes_no_case_until_vouched_for"
            "[env-staged]",
        ),
    ),
    Mutation(
        "test-uses-unvouched-configuration",
        "a run plants scripts/scriptcontract.toml with [executor] env: `scriptcontract test`"
        " runs the cases there with it",
        "case_runner.py",
        "config, unvouched = vouched_config(root, top, TEST_STARTED_IN)",
        "config, unvouched = vouched_config(root, top, TEST_STARTED_IN, chosen=True)",
        (
            f"{FOR_RUNS}::test_a_planted_configuration_changes_no_case_until_vouched_for[env-trusted]",
            f"{FOR_RUNS}::test_a_planted_configuration_changes_no_case_until_vouched_for"
            "[input-path-keys-staged]",
        ),
    ),
    Mutation(
        "new-uses-unvouched-configuration",
        "a run plants scripts/scriptcontract.toml with its own include and exclude: `new`"
        " writes (or refuses) new scripts where it says",
        "new_script.py",
        "if unvouched is not None:",
        "if False:",
        (
            f"{FOR_RUNS}::test_a_planted_configuration_chooses_nothing_for_new_until_vouched_for"
            "[trusted]",
        ),
    ),
    Mutation(
        "doctor-uses-unvouched-configuration",
        "a run plants scripts/scriptcontract.toml naming its own interpreter: `doctor` started"
        " in scripts/ refuses it only as untrusted, not as a file a run may have written",
        "commands/doctor.py",
        "if unvouched is not None:",
        "if False:",
        (f"{FOR_RUNS}::test_doctor_starts_no_planted_interpreter",),
    ),
    Mutation(
        "doctor-starts-untrusted-interpreter",
        "`doctor` starts the interpreter a configuration names, outside the sandbox, untrusted",
        "commands/doctor.py",
        "if not verdict.ok:",
        "if False:",
        (f"{FOR_RUNS}::test_doctor_starts_no_interpreter_nobody_trusted",),
    ),
    Mutation(
        "run-root-without-git-not-the-top",
        "the README's first command, in a copy of the repository without git, is refused",
        "nested_configs.py",
        "if chosen and work_tree_top(root) is None:",
        "if False:",
        (f"{FOR_RUNS}::test_the_readmes_first_command_works_in_a_copy_without_git",),
    ),
    Mutation(
        "test-named-folder-not-the-top",
        "`scriptcontract test examples` from the folder above a project without git is refused",
        "case_runner.py",
        "if here.is_relative_to(folder):",
        "if False:",
        ("tests/cli/test_test_command.py::test_the_examples_pass_but_the_one_meant_to_fail",),
    ),
    Mutation(
        "git-add-advised-without-git",
        "a refused nested configuration where there is no git says to `git add` it",
        "nested_configs.py",
        "if work_tree_top(outer) is not None:",
        "if True:",
        (
            f"{FOR_RUNS}::test_a_planted_configuration_changes_no_run_until_vouched_for[env-trusted]",
            "tests/cli/test_planted_nested_config.py"
            "::test_a_nested_configuration_a_run_planted_turns_no_finding_off[ignore]",
        ),
    ),
)

HOVERS: tuple[Mutation, ...] = (
    Mutation(
        "hover-code-span-left-open",
        "an input key a run wrote leaves its code span: the editor fetches its image on hover",
        "lsp/hover.py",
        'return f"{fence} {flat} {fence}"',
        'return f"`{text}`"',
        ("tests/lsp/test_hover_and_lens.py::test_hover_shows_markdown_from_the_script_as_code",),
    ),
    Mutation(
        "inputs-hover-as-markdown",
        "a declared schema's description a run wrote is rendered: its image fetched on hover",
        "lsp/input_keys.py",
        "shown = as_text if markdown else str",
        "shown = str",
        (
            "tests/lsp/test_inputs_files.py"
            "::test_a_hover_shows_what_a_run_wrote_as_text_never_as_markdown",
        ),
    ),
    Mutation(
        "hover-keeps-an-old-text",
        "a hover on an input key answers from the text before the last edit",
        "lsp/documents.py",
        "self._derived = {}",
        "pass",
        ("tests/lsp/test_hover_and_lens.py::test_hover_on_an_input_key_follows_every_edit",),
    ),
    Mutation(
        "hover-escapes-all-punctuation",
        'an inputs file\'s hover escapes every punctuation mark: Neovim shows \\"name\\"\\:',
        "lsp/markdown_text.py",
        '_INLINE = re.compile(r"[\\\\`*_\\[\\]<>!#|~&@]|:(?=/)|(?<=[wW]{3})\\.")',
        '_INLINE = re.compile(r"[!-/:-@\\[-`{-~]")',
        (
            "tests/lsp/test_markdown_text.py"
            "::test_only_what_can_begin_a_construct_carries_a_backslash",
            "tests/editors/test_nvim.py"
            "::test_an_inputs_file_gets_diagnostics_key_and_value_completion_and_definition",
        ),
    ),
    Mutation(
        "hover-link-brackets-unescaped",
        "a run's words in a hover can make a link or an image (`[` and `]` not escaped)",
        "lsp/markdown_text.py",
        '_INLINE = re.compile(r"[\\\\`*_\\[\\]<>!#|~&@]|:(?=/)|(?<=[wW]{3})\\.")',
        '_INLINE = re.compile(r"[\\\\`*_<>!#|~&@]|:(?=/)|(?<=[wW]{3})\\.")',
        ("tests/lsp/test_markdown_text.py",),
    ),
)

EXPLORE: tuple[Mutation, ...] = (
    Mutation(
        "explore-inputs-unbounded",
        "a planted schema's minLength of 10**11 takes the memory of test --explore or the server",
        "explore/generate.py",
        "self._left -= max(0, size)",
        "return",
        (
            "tests/cli/test_planted_schema_sizes.py"
            "::test_a_schema_asking_for_inputs_of_any_size_is_refused_saying_why",
        ),
    ),
)

CASES: tuple[Mutation, ...] = (
    Mutation(
        "escape-sequences-obeyed",
        "a script's stderr writes the user's clipboard through their terminal",
        "shown_values.py",
        "return _UNPRINTABLE.sub(_escape, text)",
        "return text",
        (
            "tests/cli/test_terminal_escapes.py"
            "::test_run_shows_a_scripts_escape_sequences_instead_of_sending_them",
        ),
    ),
    Mutation(
        "placeholders-compared-as-values",
        "an id or a timestamp declared as a placeholder fails every case it is in",
        "cases/matching.py",
        "placeholder = self.placeholders.at(path) if path else None",
        "placeholder = None",
        (
            "tests/cases/test_matching.py::test_a_placeholder_takes_any_value_of_its_kind",
            "tests/cli/test_test_command.py::test_the_examples_pass_but_the_one_meant_to_fail",
        ),
    ),
    Mutation(
        "extra-output-keys-pass",
        "an output with keys the case does not expect passes an exact `output`",
        "cases/matching.py",
        "if self.exact:",
        "if False:",
        (
            "tests/cases/test_matching.py::test_an_equal_output_passes_and_a_different_one_says_where",
        ),
    ),
    Mutation(
        "update-over-a-change",
        "`test --update` overwrites a cases file that changed since it was read",
        "project_writes.py",
        "if info.st_size != len(expect) or _read(folder, name, info, len(expect)) != expect:",
        "if False:",
        (
            "tests/cases/test_files.py::test_a_file_changed_since_it_was_read_is_not_written",
            "tests/cli/test_test_command.py::test_update_never_writes_a_file_that_changed_meanwhile",
        ),
    ),
    Mutation(
        "cases-run-with-a-broken-configuration",
        "`test` runs the cases of a project whose configuration has errors, with defaults",
        "case_runner.py",
        "if config.errors:",
        "if False:",
        (
            "tests/cli/test_test_command.py::"
            "test_a_project_whose_configuration_has_errors_runs_none_of_its_cases",
        ),
    ),
    Mutation(
        "failing-case-accepts-nothing",
        '"Accept actual output" is never offered on a failing case',
        "lsp/case_actions.py",
        "edits = update_edits(cases, index, result.actual)",
        "edits = []",
        (
            "tests/lsp/test_cases.py::test_accept_actual_output_rewrites_the_failing_expectation",
            "tests/editors/test_nvim.py::test_accept_actual_output_and_add_as_case_in_neovim",
        ),
    ),
    Mutation(
        "add-case-offered-twice",
        'after "Add as case" the same run is offered again (a second click adds it twice)',
        "lsp/runs.py",
        "if self._last.pop(uri, None) is not None:",
        "if False:",
        ("tests/lsp/test_cases.py::test_a_run_with_inputs_becomes_a_case",),
    ),
    Mutation(
        "patterns-unbounded",
        "a pattern planted in a cases file or a declared schema holds the CLI or the server",
        "text_patterns.py",
        "return _MATCHER.matches(pattern, text, whole)",
        "return bool((re.fullmatch if whole else re.search)(pattern, text))",
        (
            "tests/cli/test_planted_cases_file.py"
            "::test_a_pattern_planted_in_a_cases_file_cannot_hold_the_test_command",
            "tests/cli/test_planted_schema_pattern.py"
            "::test_a_planted_pattern_cannot_hold_the_run_command[pattern]",
            "tests/lsp/test_planted_patterns.py"
            "::test_an_inputs_file_is_checked_against_a_planted_pattern_in_bounded_time"
            "[vscode-planted]",
            "tests/lsp/test_planted_patterns.py"
            "::test_a_case_run_from_the_editor_matches_a_planted_pattern_in_bounded_time"
            "[vscode-planted]",
        ),
    ),
)

TEMPLATE: tuple[Mutation, ...] = (
    Mutation(
        "template-error-exits-zero",
        "a new script reports its errors with exit status 0",
        "contract/script_template.py",
        "sys.exit(1)",
        "sys.exit(0)",
        ("tests/cli/test_new.py",),
    ),
    Mutation(
        "snippet-not-escaped",
        "the workflow-script snippet's braces are read as snippet syntax",
        "contract/script_template.py",
        r'return _SNIPPET_SPECIAL.sub(lambda match: "\\" + match.group(0), text)',
        "return text",
        ("tests/lsp/test_script_template.py",),
    ),
    Mutation(
        "snippet-without-snippet-support",
        "a client without snippet support gets the template's tab-stop syntax as text",
        "lsp/script_template.py",
        "snippets = ls.caps.completion_snippets",
        "snippets = True",
        ("tests/lsp/test_script_template.py",),
    ),
    Mutation(
        "template-offered-in-any-script",
        "the template is offered in a script that already has code",
        "lsp/script_template.py",
        "if text.strip():",
        "if False:",
        ("tests/lsp/test_script_template.py",),
    ),
    Mutation(
        "new-existing-files-unchecked",
        "new writes the script when its inputs file exists, and says nothing clear",
        "new_script.py",
        "if existing:",
        "if False:",
        ("tests/cli/test_new.py",),
    ),
)

PATH_KEYS: tuple[Mutation, ...] = (
    Mutation(
        "default-path-keys-replaced",
        'a planted `input-path-keys = \'zzz\'` lets `{"input_file": "/etc/shadow"}` into every run',
        "contract/path_keys.py",
        "patterns = dict.fromkeys((DEFAULT_INPUT_PATH_KEYS, added))",
        "patterns = dict.fromkeys((added,))",
        (
            "tests/cli/test_planted_path_keys.py"
            "::test_a_planted_pattern_that_matches_nothing_leaves_the_default_keys_checked",
            "tests/executor/test_planted_path_keys.py"
            "::test_a_pattern_that_matches_no_default_key_leaves_them_checked",
        ),
    ),
    Mutation(
        "key-patterns-backtrack",
        "a planted `input-path-keys = '^(a+)+$'` holds check, the editor's analysis and run",
        "contract/key_patterns.py",
        "table, first = self._table, self._context(text, 0)",
        "return re.search(self.pattern, text, re.IGNORECASE) is not None",
        (
            "tests/cli/test_planted_path_keys.py::test_a_planted_pattern_cannot_hold_check",
            "tests/cli/test_planted_path_keys.py::test_a_planted_pattern_cannot_hold_run",
            "tests/lsp/test_planted_path_keys.py::test_a_planted_pattern_cannot_hold_the_analysis",
        ),
    ),
    Mutation(
        "key-pattern-not-checked",
        "a key pattern the executor cannot match is no configuration error: check passes",
        "contract/settings.py",
        'default=DEFAULT_INPUT_PATH_KEYS, metadata={"check": key_pattern_problem}',
        "default=DEFAULT_INPUT_PATH_KEYS,",
        (
            "tests/cli/test_planted_path_keys.py"
            "::test_a_pattern_that_cannot_be_matched_in_linear_time_is_a_configuration_error",
        ),
    ),
)

GLOBS: tuple[Mutation, ...] = (
    Mutation(
        "globs-backtrack",
        "a planted `exclude = ['**a**a**a**a**a**a**b.py']` and a long name hold check and the "
        "editor",
        "contract/globs.py",
        'return any(glob_pattern(pattern.lstrip("/")).search(path) for pattern in patterns)',
        'return any(re.match(glob_to_regex(pattern.lstrip("/")), path) for pattern in patterns)',
        (
            "tests/cli/test_planted_globs.py::test_a_planted_glob_cannot_hold_check",
            "tests/lsp/test_planted_globs.py::test_a_planted_glob_cannot_hold_the_analysis",
            "tests/contract/test_globs.py::test_a_glob_that_holds_re_is_matched_at_once",
        ),
    ),
    Mutation(
        "glob-size-not-checked",
        "a glob too large to match is no configuration error: check dies with a traceback",
        "contract/settings.py",
        'exclude: list[str] = field(default_factory=list, metadata={"check": globs_problem})',
        "exclude: list[str] = field(default_factory=list)",
        (
            "tests/cli/test_planted_globs.py"
            "::test_a_glob_too_large_to_match_in_linear_time_is_a_configuration_error",
        ),
    ),
    Mutation(
        "ignore-lines-backtrack",
        "a planted `.gitignore` line `*a*a*a*a*a*a*a*a*b` and a long name hold check",
        "check/ignore_rules.py",
        "if rule.itself is not None and rule.itself.search(path):",
        'if rule.itself is not None and __import__("re").search(rule.itself.pattern, path):',
        (
            "tests/cli/test_planted_globs.py::test_a_planted_ignore_line_cannot_hold_check",
            "tests/test_ignore_rules.py::test_a_line_that_holds_re_is_matched_at_once",
        ),
    ),
    Mutation(
        "ignore-directory-line-wins",
        "a later line matching only a directory above a path beats one matching the path",
        "check/ignore_rules.py",
        "if through_directory is None and rule.above is not None and rule.above.search(path):",
        "if rule.above is not None and rule.above.search(path):\n"
        "                return rule.include",
        (
            "tests/test_ignore_rules.py::test_ignore_lines_decide_as_gitignorespec",
            "tests/test_ignore_rules.py::test_known_decisions",
        ),
    ),
    Mutation(
        "globs-fold-case",
        "`include = ['scripts/**/*.py']` takes `Scripts/job.PY` too, a `.gitignore` line `A.py` "
        "hides `a.py`",
        "contract/key_patterns.py",
        "return _folded(same) if self.ignore_case else same",
        "return _folded(same)",
        (
            "tests/contract/test_globs.py::test_globs_stay_case_sensitive",
            "tests/test_ignore_rules.py::test_known_decisions",
            "tests/contract/test_key_patterns.py"
            "::test_a_case_sensitive_pattern_matches_as_re_does_without_ignorecase",
        ),
    ),
    Mutation(
        "ignore-refused-line-crashes",
        "a planted `.gitignore` line `!` stops check with a traceback",
        "check/ignore_rules.py",
        "except (ValueError, UnsupportedPattern) as exc:",
        "except UnsupportedPattern as exc:",
        (
            "tests/cli/test_planted_globs.py::test_a_line_pathspec_refuses_is_skipped_and_said_once",
            "tests/test_ignore_rules.py::test_a_line_pathspec_refuses_matches_nothing_and_is_said",
        ),
    ),
)

# Why the sandbox made a run fail, as `run`, `test` and the editor say it.
CHOICE = "tests/cli/test_interpreter_choice.py"
HINTS = "tests/cli/test_sandbox_hints.py"
USE_PYTHON = "tests/lsp/test_use_python.py"
RUN_HINTS: tuple[Mutation, ...] = (
    Mutation(
        "sandbox-hint-not-printed",
        "`run` and `test` print a refused write's traceback without saying the sandbox refused it",
        "sandbox_reasons.py",
        "if result.success:",
        "if True:",
        (
            f"{HINTS}::test_a_write_outside_the_project_says_the_sandbox_refused_it",
            f"{HINTS}::test_a_failed_case_says_why_the_sandbox_refused_it",
        ),
    ),
    Mutation(
        "network-hint-without-the-network-off",
        "a script's own `Operation not permitted` is blamed on the sandbox's network setting "
        "where the network is on",
        "sandbox_reasons.py",
        'if "network" in enforced and _NO_SOCKET.search(error) and _NETWORK_WORDS.search(error):',
        "if _NO_SOCKET.search(error) and _NETWORK_WORDS.search(error):",
        (f"{HINTS}::test_a_refused_socket_says_the_network_is_off[same-words-network-on]",),
    ),
    Mutation(
        "timeout-unexplained",
        "a run killed at its timeout says nothing of the settings that set it",
        "sandbox_reasons.py",
        "if result.timed_out:",
        "if False:",
        ("tests/cli/test_run.py::test_timeout_exits_1",),
    ),
    Mutation(
        "private-home-unexplained",
        "a file looked for in the run's own empty home (`~/.gitconfig`) fails without a word "
        "on why it is not the user's",
        "sandbox_reasons.py",
        "if any(part.startswith(RUN_FOLDER_PREFIX) for part in Path(named).parts):",
        "if False:",
        (f"{HINTS}::test_a_limit_or_a_private_folder_that_made_a_run_fail_is_named[home]",),
    ),
    Mutation(
        "memory-limit-unexplained",
        "a MemoryError under the sandbox's address-space limit says nothing of the limit",
        "sandbox_reasons.py",
        "if _OUT_OF_MEMORY.search(error):",
        "if False:",
        (f"{HINTS}::test_a_limit_or_a_private_folder_that_made_a_run_fail_is_named[memory]",),
    ),
    Mutation(
        "socket-frames-not-read",
        "a refused `socket()` (raised in socket.py, in words that do not say so) gets no hint",
        "sandbox_reasons.py",
        "if text and in_socket:",
        "if False:",
        (
            f"{HINTS}::test_a_refused_socket_says_the_network_is_off[socket-refused]",
            "tests/lsp/test_run_messages.py::test_a_refused_socket_says_the_network_is_off",
        ),
    ),
    Mutation(
        "named-interpreter-shim-writable",
        "a run rewrites the project's shim the user named as the interpreter, and the next "
        "command's probe runs the run's code outside the sandbox",
        "executor/python_executor.py",
        "*(started if interpreter.started else ()),",
        "*(),",
        (
            "tests/cli/test_planted_interpreter.py"
            "::test_an_interpreter_shim_the_user_named_in_the_project_cannot_be_rewritten_by_a_run[shim]",
            "tests/cli/test_planted_interpreter.py"
            "::test_an_interpreter_shim_the_user_named_in_the_project_cannot_be_rewritten_by_a_run[link-to-shim]",
        ),
    ),
    Mutation(
        "named-interpreter-link-target-writable",
        "the interpreter named is a link of the project's: the shim it leads to is the run's to "
        "rewrite",
        "executor/python_executor.py",
        "started = [interpreter.started, os.path.realpath(interpreter.started)]",
        "started = [interpreter.started]",
        (
            "tests/cli/test_planted_interpreter.py"
            "::test_an_interpreter_shim_the_user_named_in_the_project_cannot_be_rewritten_by_a_run[link-to-shim]",
        ),
    ),
    Mutation(
        "relative-interpreter-from-the-callers-folder",
        '`[executor] python = ".venv/bin/python"` is looked for below the folder `run` starts '
        "in: from `scripts/` the project's interpreter is not found",
        "executor/interpreter.py",
        "return os.path.join(os.fspath(root), path)",
        "return path",
        (
            f"{CHOICE}::test_a_relative_interpreter_in_the_configuration_is_the_projects[scripts]",
            "tests/executor/test_interpreter.py"
            "::test_a_relative_interpreter_path_is_the_projects_wherever_the_caller_runs",
        ),
    ),
    Mutation(
        "python-flag-from-the-project-root",
        "a relative `--python` is taken from the project root, not from the shell's folder",
        "commands/interpreter_flag.py",
        "return os.path.normpath(path) if path != value else value",
        "return value",
        (f"{CHOICE}::test_a_relative_python_flag_is_from_the_folder_the_command_starts_in",),
    ),
    Mutation(
        "missing-module-environment-not-named",
        "a run that cannot import a package the project's .venv has gets no word of the .venv",
        "missing_module.py",
        "if _has_module(venv, name):",
        "if False:",
        (
            f"{CHOICE}::test_a_missing_module_the_projects_environment_has_is_pointed_to",
            "tests/lsp/test_run_messages.py"
            "::test_a_missing_module_the_projects_environment_has_is_pointed_to",
        ),
    ),
    Mutation(
        "missing-module-environment-without-it",
        "a .venv without the module is named as the one that has it",
        "missing_module.py",
        "if _has_module(venv, name):",
        "if True:",
        (
            f"{CHOICE}::test_a_missing_module_no_environment_has_gets_the_general_hint"
            "[another-module-installed]",
        ),
    ),
    Mutation(
        "missing-module-blames-the-interpreter-for-the-projects-package",
        "a package of the project's own that the script cannot see is called not installed",
        "missing_module.py",
        "return None  # the script's own module, not an installed one: another story",
        "pass",
        (
            f"{CHOICE}::test_a_missing_module_no_environment_has_gets_the_general_hint"
            "[the-projects-own-package]",
        ),
    ),
    Mutation(
        "use-python-not-offered",
        "a run missing a module the project's .venv has offers no quick fix to use its interpreter",
        "lsp/run_diagnostics.py",
        "return found.range, reason, environment_with_module(error, python=python, root=root)",
        "return found.range, reason, None",
        (
            f"{USE_PYTHON}::test_a_run_missing_a_module_the_environment_has_offers_to_use_it"
            "[neovim]",
        ),
    ),
    Mutation(
        "use-python-lost-without-diagnostic-data",
        "a client that keeps no diagnostic data (Emacs) is never offered the interpreter",
        "lsp/use_python.py",
        "return ls.runs.offered_python(uri, diagnostic.message)",
        "return None",
        (f"{USE_PYTHON}::test_a_run_missing_a_module_the_environment_has_offers_to_use_it[emacs]",),
    ),
    Mutation(
        "use-python-offered-without-the-module",
        "an environment that lacks the missing module is offered as the interpreter for runs",
        "missing_module.py",
        "venv = _environment_having(name, root, python) if name is not None else None",
        "venv = (_environments(root, python) or [None])[0] if name is not None else None",
        (f"{USE_PYTHON}::test_no_environment_with_the_module_offers_nothing[neovim]",),
    ),
    Mutation(
        "nvim-use-python-server-not-told",
        'in Neovim, "Use .venv/bin/python for runs" changes the client\'s settings but runs '
        "keep the old interpreter",
        "../../editors/nvim/lua/scriptcontract/use_python.lua",
        'client:notify("workspace/didChangeConfiguration", { settings = client.settings })',
        "local _ = client",
        (
            "tests/editors/test_nvim.py"
            "::test_use_python_sets_run_python_for_the_session_and_the_run_again_succeeds",
        ),
    ),
)

# A run's inputs held to the script's schema, from the command line and the editors.
SCHEMA_CHECKS = "tests/cli/test_schema_check.py"
EDITOR_SCHEMA_CHECKS = "tests/lsp/test_run_schema_check.py"
NVIM_RUNS = "tests/editors/test_nvim_runs.py"
NVIM_PLUGIN = "../../editors/nvim"
RUN_SCHEMAS: tuple[Mutation, ...] = (
    Mutation(
        "configuration-error-said-twice",
        "`run` follows a configuration's one error with a second, generic line",
        "config.py",
        "if len(errors) == 1:",
        "if False:",
        ("tests/cli/test_run.py::test_bad_project_config_is_an_error_and_runs_nothing",),
    ),
    Mutation(
        "project-error-said-for-each-file",
        "`test` repeats a project's configuration error whole for each of its cases files",
        "commands/test_report.py",
        "if run.error and message in said:",
        "if False:",
        (
            "tests/cli/test_test_command.py"
            "::test_a_project_whose_configuration_has_errors_runs_none_of_its_cases",
        ),
    ),
    Mutation(
        "constant-members-no-enum",
        "`mode not in MODES` (a module constant) gives the inferred schema no enum",
        "contract/input_schema.py",
        "return self._constant_members(other.id)",
        "return False, []",
        (
            "tests/contract/test_input_schema.py"
            "::test_enums_from_membership_tests_against_a_module_constant[dict]",
            "tests/contract/test_example_schemas.py"
            "::test_the_example_scripts_schemas_are_as_reviewed",
        ),
    ),
    Mutation(
        "changed-constant-gives-enum",
        "an upper-case list the script appends to is taken for a constant's enum",
        "contract/input_schema.py",
        "if re.search(_CHANGES.format(name=escaped), source):",
        "if False:",
        (
            "tests/contract/test_input_schema.py"
            "::test_no_enum_from_a_name_that_is_not_a_constant[appended]",
        ),
    ),
    Mutation(
        "editor-run-skips-the-declared-schema",
        "the editor runs inputs the script's declared schema refuses, and warns of nothing",
        "lsp/runs.py",
        "if arguments.schema_check:",
        "if False:",
        (
            f"{EDITOR_SCHEMA_CHECKS}::test_inputs_the_declared_schema_refuses_start_nothing_until"
            "_run_anyway[neovim]",
            f"{EDITOR_SCHEMA_CHECKS}::test_a_key_the_script_never_reads_is_a_warning_and_the_run"
            "_goes_on[neovim]",
        ),
    ),
    Mutation(
        "unread-keys-not-warned",
        "a key the script never reads (a typo: `nam` for `name`) runs without a word",
        "schema_check.py",
        "problems = input_problems(inferred.schema, inputs) + unread",
        "problems = input_problems(inferred.schema, inputs)",
        (
            f"{SCHEMA_CHECKS}::test_a_key_the_script_never_reads_is_a_warning_naming_the_one_it_reads",
        ),
    ),
    Mutation(
        "unread-keys-warned-when-inputs-handed-on",
        "a script that hands its inputs on whole (`sorted(inputs)`) is said to read none of them",
        "schema_check.py",
        "if not inferred.every_read_seen or not isinstance(inputs, dict):",
        "if not isinstance(inputs, dict):",
        (
            f"{SCHEMA_CHECKS}::test_a_key_the_script_never_reads_is_a_warning_naming_the_one_it_reads",
        ),
    ),
    Mutation(
        "schema-ref-nowhere-accepted",
        "a declared schema whose `$ref` leads nowhere is used until inputs reach the reference",
        "schema_check.py",
        "if not _points_into(schema, ref):",
        "if False:",
        (f"{SCHEMA_CHECKS}::test_run_refuses_an_unusable_declared_schema[ref-nowhere]",),
    ),
    Mutation(
        "schema-ref-elsewhere-traceback",
        "a declared schema whose `$ref` names another file gives `run` a traceback",
        "schema_check.py",
        "except Unresolvable as exc:",
        "except ZeroDivisionError as exc:",
        (f"{SCHEMA_CHECKS}::test_run_refuses_an_unusable_declared_schema[ref-elsewhere]",),
    ),
    Mutation(
        "schema-check-recursion-traceback",
        "deep inputs under a recursive declared schema give `run` a RecursionError traceback",
        "schema_check.py",
        "except RecursionError:",
        "except ZeroDivisionError:",
        (f"{SCHEMA_CHECKS}::test_inputs_too_deep_for_a_recursive_schema_are_refused_saying_so",),
    ),
    Mutation(
        "input-keys-shown-raw",
        "a key of the inputs holding terminal sequences drives the user's terminal from stderr",
        "schema_check.py",
        'f"{printable_name(item.where)}: {item.problem}"'
        " for item in located_problems(schema, inputs)",
        'f"{item.where}: {item.problem}" for item in located_problems(schema, inputs)',
        (f"{SCHEMA_CHECKS}::test_keys_that_hold_terminal_sequences_are_shown_not_obeyed",),
    ),
    Mutation(
        "debug-skips-the-declared-schema",
        '"Debug with inputs" starts a session on inputs the declared schema refuses',
        "lsp/debug_commands.py",
        "if arguments.schema_check:",
        "if False:",
        (
            "tests/debug/test_debug_server.py"
            "::test_inputs_the_declared_schema_refuses_are_refused_before_a_session_starts",
        ),
    ),
    Mutation(
        "editor-cases-skip-the-declared-schema",
        "the editor runs cases whose inputs the script's declared schema refuses",
        "lsp/case_runs.py",
        "if schema_check:",
        "if False:",
        (
            f"{EDITOR_SCHEMA_CHECKS}::test_cases_whose_inputs_the_declared_schema_refuses_run_only"
            "_anyway[neovim]",
        ),
    ),
    Mutation(
        "nvim-cases-no-run-anyway",
        "Neovim refuses cases the declared schema refuses and offers no way to run them",
        f"{NVIM_PLUGIN}/lua/scriptcontract/cases.lua",
        'if type(answer.runAnyway) == "table" then',
        "if false then",
        (f"{NVIM_RUNS}::test_inputs_the_declared_schema_refuses_run_only_when_run_anyway",),
    ),
    Mutation(
        "nvim-lens-refresh-unanswered",
        "Neovim's lenses keep a run's old outcome until the user enters the buffer again",
        f"{NVIM_PLUGIN}/lsp/scriptcontract.lua",
        "workspace = { codeLens = { refreshSupport = true } },",
        "workspace = {},",
        (
            f"{NVIM_RUNS}::test_code_lenses_come_and_follow_runs_without_an_autocommand_of_the_users",
        ),
    ),
    Mutation(
        "nvim-success-says-its-time-twice",
        "Neovim's entry line says a success's time twice (`· ✓ 12 ms ✓ 12 ms → {...}`)",
        f"{NVIM_PLUGIN}/lua/scriptcontract/inline.lua",
        "local text = without_lens_outcome(label_text(hint.label))",
        "local text = label_text(hint.label)",
        (f"{NVIM_RUNS}::test_a_success_shows_beside_the_entry_line_without_inlay_hints",),
    ),
    Mutation(
        "nvim-no-run-anyway",
        "Neovim refuses inputs the declared schema refuses and offers no way to run them",
        f"{NVIM_PLUGIN}/lua/scriptcontract/run.lua",
        "offer_run_anyway(bufnr, script, args, result.runAnyway)",
        "local _ = offer_run_anyway",
        (f"{NVIM_RUNS}::test_inputs_the_declared_schema_refuses_run_only_when_run_anyway",),
    ),
    Mutation(
        "test-unread-key-unsaid",
        "`test` warns of a case's inputs by the inferred schema but not of a key never read",
        "commands/test.py",
        "problems += unread_keys(file_run.script, inferred, inputs)",
        "pass",
        ("tests/cli/test_schema_check.py::test_test_warns_on_a_case_key_the_script_never_reads",),
    ),
    Mutation(
        "isinstance-refused-type-used",
        "`if isinstance(v, bool) or not isinstance(v, int): raise` gives v the type boolean",
        "contract/input_schema.py",
        "if self._refuses_when_true():",
        "if False:",
        (
            "tests/contract/test_input_schema.py"
            "::test_a_type_the_script_refuses_is_not_a_type_it_uses",
        ),
    ),
    Mutation(
        "enum-from-a-skip",
        "a membership test whose other values are skipped with success still gives an enum",
        "contract/input_schema.py",
        "if value is not None and self._refuses_others(compare):",
        "if value is not None:",
        (
            "tests/contract/test_input_schema.py"
            "::test_an_enum_only_where_the_script_refuses_other_values",
            "tests/cli/test_schema_check.py"
            "::test_a_value_the_script_skips_is_no_warning_one_it_refuses_is",
        ),
    ),
    Mutation(
        "enum-refusal-by-error-object-missed",
        '`return {"success": False, ...}` for a non-member is not seen as refusing it',
        "contract/input_schema.py",
        "return isinstance(last.value, ast.Dict) and _is_error_object(last.value)",
        "return False",
        (
            "tests/contract/test_input_schema.py"
            "::test_an_enum_only_where_the_script_refuses_other_values",
        ),
    ),
    Mutation(
        "model-parsing-stdin-text-missed",
        "`Model.model_validate_json(sys.stdin.read())` is not found as the declared model",
        "contract/declared_model.py",
        "if call.args and inference._mentions_stdin(call.args[0], scope):",
        "if False:",
        ("tests/contract/test_declared_model.py::test_the_ways_inputs_are_read_into_a_model",),
    ),
    Mutation(
        "model-path-field-any",
        "a model's `Path` field is any JSON value, not a string",
        "contract/declared_model.py",
        '"Path": "string",',
        "",
        ("tests/contract/test_declared_model.py::test_paths_dates_and_uuids_are_text_in_json",),
    ),
    Mutation(
        "conditional-binding-unfollowed",
        '`x = inputs["n"] if flag else None` is not followed: x\'s uses give n no type',
        "contract/input_schema.py",
        "if orelse is None and isinstance(node.orelse, ast.Constant):",
        "if False:",
        (
            "tests/contract/test_input_schema.py"
            "::test_a_value_chosen_by_a_conditional_expression_is_followed",
        ),
    ),
    Mutation(
        "cases-refusal-names-no-case",
        "a refusal of cases does not list the refused ones: VS Code's Test Explorer errors "
        "every case of the file, Neovim's quickfix list stays empty",
        "lsp/case_runs.py",
        "None if unusable is not None else self._refused(ready.cases, refused, shown),",
        "None,",
        (
            f"{EDITOR_SCHEMA_CHECKS}"
            "::test_a_refusal_of_cases_names_each_refused_case_with_its_own_problems[vscode]",
            f"{NVIM_RUNS}::test_inputs_the_declared_schema_refuses_run_only_when_run_anyway",
        ),
    ),
    Mutation(
        "debug-refusal-no-way-out",
        "Debug with inputs the declared schema refuses says what is wrong and offers nothing",
        "lsp/debug_commands.py",
        'data = {"runAnyway": {"schemaCheck": False}} if anyway else None',
        "data = None",
        (
            f"{EDITOR_SCHEMA_CHECKS}"
            "::test_debugging_inputs_the_declared_schema_refuses_offers_debug_anyway[vscode]",
            "tests/editors/test_nvim_debug.py"
            "::test_debugging_inputs_the_declared_schema_refuses_offers_debug_anyway",
        ),
    ),
    Mutation(
        "nvim-no-debug-anyway",
        "Neovim refuses to debug inputs the declared schema refuses and offers no way out",
        f"{NVIM_PLUGIN}/lua/scriptcontract/debug.lua",
        "offer_debug_anyway(bufnr, script, args, anyway)",
        "local _ = offer_debug_anyway",
        (
            "tests/editors/test_nvim_debug.py"
            "::test_debugging_inputs_the_declared_schema_refuses_offers_debug_anyway",
        ),
    ),
    Mutation(
        "nvim-debug-refusal-hides-problems",
        "Neovim's one-line refusal of a debug session is cut before it says what is wrong",
        f"{NVIM_PLUGIN}/lua/scriptcontract/debug.lua",
        'return table.concat(problems, "; ") .. " (against " .. schema .. ")"',
        'return (message:gsub("^Not debugged: ", ""))',
        (
            "tests/editors/test_nvim_debug.py"
            "::test_debugging_inputs_the_declared_schema_refuses_offers_debug_anyway",
        ),
    ),
    Mutation(
        "nvim-refused-cases-not-listed",
        "Neovim's refusal of cases is one cut line: the refused cases and their problems are "
        "nowhere",
        f"{NVIM_PLUGIN}/lua/scriptcontract/cases.lua",
        "local refused = M.refused_items(answer)",
        "local refused = {}",
        (f"{NVIM_RUNS}::test_inputs_the_declared_schema_refuses_run_only_when_run_anyway",),
    ),
    Mutation(
        "nvim-test-all-refusal-one-line",
        ":ScriptContractTestAll lists a refusal of cases as one quickfix line holding the whole "
        "multi-line refusal",
        f"{NVIM_PLUGIN}/lua/scriptcontract/test_all.lua",
        'local refused_cases = not err and type(answer) == "table" and cases.refused_items(answer) '
        "or {}",
        "local refused_cases = {}",
        (f"{NVIM_RUNS}::test_inputs_the_declared_schema_refuses_run_only_when_run_anyway",),
    ),
)

CLI: tuple[Mutation, ...] = (
    Mutation(
        "run-folder-taken-for-a-script",
        "`run scripts` says stdin is empty, or refuses the folder above as the project root",
        "commands/run.py",
        "if script_file.is_dir():",
        "if False:",
        ("tests/cli/test_run.py::test_a_folder_named_as_the_script_is_said_to_be_one",),
    ),
    Mutation(
        "run-root-note-before-not-found",
        "a mistyped script's `run` first says which folder is the root of the script not there",
        "commands/run.py",
        "note = (",
        "note = print(",
        ("tests/cli/test_run.py::test_a_mistyped_script_is_said_before_anything_about_the_inputs",),
    ),
    Mutation(
        "script-read-as-utf-8-only",
        "`schema` and `test --explore` refuse a script that declares its encoding (latin-1),"
        " which Python runs and `check` checks",
        "check/sources.py",
        "return decode(raw)",
        'return raw.decode("utf-8")',
        (
            "tests/cli/test_schema_command.py"
            "::test_a_script_is_read_in_the_encoding_it_declares[latin-1]",
        ),
    ),
    Mutation(
        "unknown-encoding-called-undeclared",
        "a script declaring an encoding Python does not know is told it declares none",
        "check/sources.py",
        'elif isinstance(exc, SyntaxError) and str(exc.msg).startswith("unknown encoding"):',
        "elif False:",
        (
            "tests/cli/test_schema_command.py"
            "::test_a_script_is_read_in_the_encoding_it_declares[unknown]",
        ),
    ),
    Mutation(
        "command-typo-unexplained",
        "`scriptcontract chek` lists the commands without naming the one meant",
        "cli.py",
        "close = difflib.get_close_matches(given, SUBCOMMANDS, n=1, cutoff=0.6)",
        "close = []",
        ("tests/cli/test_cli_usage.py::test_a_mistyped_command_is_refused_with_the_one_meant",),
    ),
    Mutation(
        "run-word-after-script-unexplained",
        "`run SCRIPT verbose` is refused without saying the script's arguments go after `--`",
        "cli.py",
        'if command == "run" and not unknown[0].startswith("-"):',
        "if False:",
        (
            "tests/cli/test_cli_usage.py"
            "::test_a_word_after_the_script_says_where_the_scripts_arguments_go",
        ),
    ),
    Mutation(
        "test-quiet-lists-passing",
        "`test -q` lists every case that passed, as without it",
        "commands/test_report.py",
        'shown = [r for r in run.results if not self.quiet or r.outcome != "passed"]',
        "shown = run.results",
        ("tests/cli/test_test_command.py::test_quiet_shows_only_the_cases_that_did_not_pass",),
    ),
    Mutation(
        "test-quiet-summary-on-stderr",
        "`test -q --format json` still writes the summary on stderr, unlike `check -q`",
        "commands/test_report.py",
        "if not self.quiet:  # as `check -q`: the report alone",
        "if True:",
        ("tests/cli/test_test_command.py::test_quiet_shows_only_the_cases_that_did_not_pass",),
    ),
    Mutation(
        "trust-records-mistaken-content",
        "`trust` of a nested configuration with a typo says it is trusted, records it, then"
        " says it has errors",
        "commands/trust.py",
        "if config.errors and not args.show and not args.revoke:",
        "if False:",
        ("tests/cli/test_trust.py::test_a_configuration_with_a_mistake_is_trusted_for_nothing",),
    ),
    Mutation(
        "run-quiet-says-success",
        "`run -q` still prints the success line",
        "commands/run.py",
        "if not quiet:",
        "if True:",
        ("tests/cli/test_run.py::test_quiet_leaves_what_went_wrong_alone_on_stderr",),
    ),
    Mutation(
        "run-quiet-keeps-notes",
        "`run -q` still prints its notes (the root chosen, the inputs file used)",
        "commands/run.py",
        "if not args.quiet:",
        "if True:",
        ("tests/cli/test_run.py::test_quiet_leaves_what_went_wrong_alone_on_stderr",),
    ),
    Mutation(
        "new-fresh-folder-left-without-configuration",
        "`new scripts/x.py` in a fresh folder takes it as the project, but `run scripts/x.py` "
        "then roots the script at scripts/: its relative paths mean another folder",
        "new_script.py",
        'files.insert(0, NewFile(root / "scriptcontract.toml", text, "configuration"))',
        "pass",
        (
            "tests/cli/test_new.py"
            "::test_a_fresh_folder_gets_a_configuration_so_run_takes_the_same_root",
        ),
    ),
    Mutation(
        "test-include-ignored",
        "`test` runs the cases of scripts no `include` glob matches, which `check` passes over",
        "cases/finding.py",
        "relative, _source(base, script), self.settings(root), named=named or relative is None",
        'relative, _source(base, script), replace(self.settings(root), include=["**"]), '
        "named=named or relative is None",
        (
            "tests/cli/test_test_command.py"
            "::test_include_and_skip_file_leave_out_the_cases_of_the_scripts_check_leaves_out"
            "[not included]",
        ),
    ),
    Mutation(
        "test-skip-file-ignored",
        "`test` runs the cases of a script marked `# scriptcontract: skip-file`",
        "cases/finding.py",
        "why = rules.excluded(path, root)",
        'why = (lambda w: None if w == "skip-file" else w)(rules.excluded(path, root))',
        (
            "tests/cli/test_test_command.py"
            "::test_include_and_skip_file_leave_out_the_cases_of_the_scripts_check_leaves_out"
            "[skip-file]",
        ),
    ),
    Mutation(
        "doctor-default-policy-called-the-projects",
        "with no configuration, doctor says the project's policy leaves the network off",
        "commands/doctor.py",
        'return "the project\'s policy" if report.get("config") else "the default policy"',
        'return "the project\'s policy"',
        ("tests/executor/test_doctor.py::test_readable_output",),
    ),
    Mutation(
        "doctor-quiet-ignored",
        "`doctor -q` prints every protection's probes",
        "commands/doctor.py",
        "elif args.quiet:",
        "elif False:",
        ("tests/executor/test_doctor.py::test_readable_output",),
    ),
    Mutation(
        "trust-show-outermost-said-to-need-trust",
        "`trust --show` says the outermost configuration's content needs trust",
        "commands/trust.py",
        "if needed is not None:",
        "if True:",
        ("tests/cli/test_trust.py::test_show_says_whether_the_content_needs_trust_where_it_is",),
    ),
    Mutation(
        "run-usage-lowercase-script",
        "`run`'s usage names a lowercase `script`, where every other command says SCRIPT",
        "commands/run.py",
        '"script", metavar="SCRIPT", help="the script, relative to the project root or absolute"',
        '"script", help="the script, relative to the project root or absolute"',
        (
            "tests/cli/test_cli_usage.py::test_runs_usage_names_the_script_as_every_other_command_does",
        ),
    ),
    Mutation(
        "new-quiet-ignored",
        "`new -q` lists the files it wrote",
        "commands/new.py",
        "if args.quiet:",
        "if False:",
        (
            "tests/cli/test_cli_usage.py::test_quiet_on_new_schema_and_trust_prints_nothing_but_what_was_asked",
        ),
    ),
    Mutation(
        "schema-quiet-ignored",
        "`schema -q` still says where the schema comes from",
        "commands/schema.py",
        "if not args.quiet:",
        "if True:",
        (
            "tests/cli/test_cli_usage.py::test_quiet_on_new_schema_and_trust_prints_nothing_but_what_was_asked",
        ),
    ),
    Mutation(
        "trust-quiet-ignored",
        "`trust -q` still prints what it trusted",
        "commands/trust.py",
        "if args.quiet and not args.show:",
        "if False:",
        (
            "tests/cli/test_cli_usage.py::test_quiet_on_new_schema_and_trust_prints_nothing_but_what_was_asked",
        ),
    ),
    Mutation(
        "run-verbose-ignored",
        "`run -v` says nothing of the root, configuration and interpreter",
        "commands/run.py",
        "if args.verbose:",
        "if False:",
        (
            "tests/cli/test_cli_usage.py::test_verbose_run_says_which_root_configuration_and_interpreter",
        ),
    ),
    Mutation(
        "test-verbose-ignored",
        "`test -v` does not say which cases files were left out",
        "commands/test.py",
        "if args.verbose:",
        "if False:",
        (
            "tests/cli/test_test_command.py"
            "::test_include_and_skip_file_leave_out_the_cases_of_the_scripts_check_leaves_out"
            "[skip-file]",
        ),
    ),
    Mutation(
        "check-skip-file-advice-name-it",
        "`check` tells the user of a file marked skip-file to name it, which the marker beats",
        "commands/check_report.py",
        'if set(skipped) - {"skip-file", "companion"} or ignored or not results:',
        "if True:",
        (
            "tests/cli/test_check.py::test_a_file_named_on_the_command_line_is_always_checked",
            "tests/cli/test_companion_files.py::test_check_passes_over_them_named_and_says_so",
        ),
    ),
    Mutation(
        "test-named-skip-file-runs",
        "`test` runs the cases of a script marked skip-file when it is named",
        "cases/finding.py",
        "return SKIP_FILE if self.excluded(cases, root, named=True) == SKIP_FILE else None",
        "return None",
        (
            "tests/cli/test_test_command.py"
            "::test_a_script_marked_skip_file_has_no_case_run_even_named",
        ),
    ),
    Mutation(
        "test-left-out-reason-unsaid",
        "`test` says a cases file was left out without saying what left it out",
        "commands/test.py",
        'f"{shown(path, cwd)} ({_LEFT_OUT.get(why, why)})" for path, why in passed_over[:5]',
        'f"{shown(path, cwd)}" for path, why in passed_over[:5]',
        ("tests/cli/test_test_command.py::test_no_cases_found_says_which_exclude_left_out",),
    ),
    Mutation(
        "new-no-command-instead",
        "`new report.py` in a fresh folder says where `include` looks, not the command that works",
        "new_script.py",
        "instead = _included_instead(relative, config.lint) if why == NOT_INCLUDED else None",
        "instead = None",
        (
            "tests/cli/test_new.py"
            "::test_a_path_include_does_not_take_gets_the_command_that_puts_it_there",
        ),
    ),
    Mutation(
        "doctor-silent-on-the-unused-venv",
        "`doctor` names the interpreter runs use but not the project's .venv they ignore",
        "commands/doctor.py",
        'for venv in python.get("unused_environments", [])',
        "for venv in []",
        (
            "tests/cli/test_doctor_usage.py"
            "::test_a_virtual_environment_runs_do_not_use_is_named[python3]",
        ),
    ),
    Mutation(
        "update-never-suggested",
        "`test` fails on new outputs alone and says nothing of `--update`",
        "commands/test_report.py",
        "if self.only_new_outputs():",
        "if False:",
        (
            "tests/cli/test_test_command.py"
            "::test_update_is_suggested_only_where_it_would_record_new_outputs_alone[new-outputs]",
        ),
    ),
    Mutation(
        "update-suggested-over-a-crash",
        "`test` suggests `--update` where it would record a crash as what a case expects",
        "commands/test_report.py",
        "and result.actual.output is not None",
        "and True",
        (
            "tests/cli/test_test_command.py"
            "::test_update_is_suggested_only_where_it_would_record_new_outputs_alone[and-a-crash]",
        ),
    ),
    Mutation(
        "new-configuration-without-the-venv",
        "`new` in a fresh folder with a virtual environment says nothing of it: runs use "
        "python3 and the user learns why only from a failed import",
        "new_script.py",
        "found = top_level_environments(root)",
        "found: list[str] = []",
        (
            "tests/cli/test_new.py"
            "::test_a_fresh_folders_virtual_environment_is_named_in_its_configuration[with-a-venv]",
        ),
    ),
    Mutation(
        "run-answer-without-output-text",
        "a run's answer carries the output decoded only: the editors show 6.0 as 6, a "
        "20-digit id with its last digits lost, and (Neovim) the keys in no order",
        "lsp/runs.py",
        'answered["output_text"] = output_json(result.output)',
        "pass",
        (
            "tests/lsp/test_runs.py::test_the_output_comes_as_text_too_with_its_keys_order_"
            "and_numbers_as_written[neovim]",
            "tests/editors/test_nvim.py::test_the_result_shows_the_output_as_the_script_wrote_it",
        ),
    ),
    Mutation(
        "companion-files-checked-when-named",
        "`check scripts/*` lints a script's inputs, cases and schema files as Python "
        "scripts (their JSON parses) and counts them as checked",
        "contract/script_files.py",
        'if relative_path is not None and companion_of(relative_path.rpartition("/")[2]):',
        "if False:",
        ("tests/cli/test_companion_files.py::test_check_passes_over_them_named_and_says_so",),
    ),
    Mutation(
        "run-runs-a-companion-file",
        "`run scripts/greet.inputs.json` runs the JSON file as a script (it prints nothing)",
        "commands/run.py",
        "if companion is not None:",
        "if False:",
        (
            "tests/cli/test_companion_files.py::test_run_names_the_command_that_was_meant_and_it_works"
            "[scripts/greet.inputs.json-meant0]",
        ),
    ),
    Mutation(
        "schema-of-a-companion-file",
        "`schema greet.inputs.json` prints a schema inferred from the JSON file as code",
        "commands/schema.py",
        "if companion is not None:",
        "if False:",
        ("tests/cli/test_companion_files.py::test_schema_names_the_script",),
    ),
    Mutation(
        "case-summary-without-the-error-type",
        "a case whose script failed with a KeyError says `failed: 'items'`, the key alone",
        "cases/matching.py",
        "if actual.error_type and actual.error_type not in error:",
        "if False:",
        (
            "tests/cases/test_matching.py::test_the_outcome_in_a_few_words"
            "[expected2-actual2-failed: KeyError: 'items']",
        ),
    ),
    Mutation(
        "compile-error-not-read",
        "a run of a script that does not compile (no traceback header) says only `exit 1: "
        "Script exited with code 1`, not the SyntaxError and its line",
        "tracebacks.py",
        "return _compile_error(lines)",
        "return None",
        (
            "tests/lsp/test_run_diagnostics.py"
            "::test_real_runs_a_script_that_does_not_compile_is_said_at_its_line[syntax]",
        ),
    ),
    Mutation(
        "unknown-setting-unsaid",
        "a misspelt editor setting (`run.pyton`) does nothing, and nothing says so",
        "lsp/settings.py",
        'unknown = _unknown_keys(raw, ClientSettings, "", where) if section else []',
        "unknown = []",
        (
            "tests/lsp/test_settings.py"
            "::test_invalid_settings_give_one_message_and_the_defaults[neovim]",
            "tests/lsp/test_settings_model.py"
            "::test_an_unknown_setting_is_reported_with_the_one_meant",
        ),
    ),
    Mutation(
        "grouped-format-is-concise",
        "`check --output-format grouped` (ruff's) prints the concise lines",
        "check/formats.py",
        'if fmt == "grouped":',
        "if False:",
        ("tests/cli/test_check_ci_formats.py::test_grouped_names_each_file_once_as_ruff_does",),
    ),
    Mutation(
        "explore-generator-without-end",
        '`test --explore` on a schema each object of which requires another (`"a": '
        '{"$ref": "#"}`) ends in a RecursionError traceback',
        "explore/generate.py",
        'if depth >= _MAX_DEPTH and kind in ("object", "array"):',
        "if False:",
        (
            "tests/cli/test_planted_schema_explore.py::test_explore_ends_cleanly_on_a_planted_schema[requires-itself]",
        ),
    ),
    Mutation(
        "explore-nothing-checked-reads-as-sound",
        "`test --explore` that could make no input its schema accepts says `no failure in 0 "
        "runs` and exits 0",
        "explore/session.py",
        "if not self.runs and self.invalid:",
        "if False:",
        (
            "tests/cli/test_planted_schema_explore.py::test_explore_ends_cleanly_on_a_planted_schema[refers-to-itself]",
        ),
    ),
    Mutation(
        "new-writes-a-template-into-a-json-file",
        "`new scripts/report.inputs.json` writes the Python template into the JSON file",
        "new_script.py",
        "if why == COMPANION:",
        "if False:",
        (
            "tests/cli/test_new.py"
            "::test_a_scripts_json_file_named_gets_the_command_for_the_script[.inputs.json]",
        ),
    ),
    Mutation(
        "unknown-severity-code-unsaid",
        "an editor severity for a code no rule has (`SCR1055`) does nothing, and nothing says so",
        "lsp/settings.py",
        'elif not prefix and key == "severity" and isinstance(value, dict):',
        "elif False:",
        (
            "tests/lsp/test_settings_model.py::test_an_unknown_setting_is_reported_with_the_one_meant",
        ),
    ),
    Mutation(
        "inferred-warning-names-the-file-alone",
        "the inferred schema's warning names `scriptcontract schema NAME --write` with the "
        "script's file name: copied from the project's top, the command finds no script",
        "schema_check.py",
        'f"`scriptcontract schema {shown} --write` declares one):\\n{listed}"',
        'f"`scriptcontract schema {Path(shown).name} --write` declares one):\\n{listed}"',
        (
            "tests/cli/test_schema_check.py"
            "::test_the_command_an_inferred_warning_names_works_where_it_was_said[.]",
        ),
    ),
)

# The sandbox's core protections, one mutation each (the tenth red team's audit, in
# docs/security.md): each seccomp group and argument check, Landlock's rights, each rlimit,
# the capabilities and no_new_privs, the environment's scrubbing, a protected path.
_CONFINE = "executor/sandbox/_scriptcontract_confine/"
_SYSTEM_GROUP = '"system": ("uname", "sysinfo", "getcpu", "getrandom"),'
_POLICY_PROBE = (
    "tests/executor/test_syscall_policy.py::test_each_refused_group_is_refused_by_the_filter"
)
_HOSTILE_CASE = "tests/hostile/test_hostile.py::test_hostile_script_is_contained"


def _allowed_too(*names: str) -> str:
    """The system group of the allow-list with `names` added: their refusal is gone."""
    return _SYSTEM_GROUP[:-2] + "".join(f', "{name}"' for name in names) + "),"


SANDBOX_CORE: tuple[Mutation, ...] = (
    Mutation(
        "seccomp-other-processes-allowed",
        "a script reads or traces another process (ptrace, process_vm_readv)",
        _CONFINE + "_syscalls.py",
        _SYSTEM_GROUP,
        _allowed_too("ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd"),
        (
            _POLICY_PROBE + "[cold-process_vm_readv]",
            "tests/executor/test_sandbox_processes.py::test_ptrace_refused[cold]",
        ),
    ),
    Mutation(
        "seccomp-process-group-leavable",
        "a script leaves its process group (setsid) and escapes the kill",
        _CONFINE + "_syscalls.py",
        _SYSTEM_GROUP,
        _allowed_too("setsid", "setpgid"),
        (
            _POLICY_PROBE + "[cold-setsid]",
            "tests/executor/test_sandbox_processes.py"
            "::test_leaving_the_process_group_is_refused[cold-os.setpgid(0, 0)]",
        ),
    ),
    Mutation(
        "seccomp-kernel-calls-allowed",
        "a script reaches the kernel's keyrings, userfaultfd, bpf",
        _CONFINE + "_syscalls.py",
        _SYSTEM_GROUP,
        _allowed_too("keyctl", "userfaultfd", "bpf", "perf_event_open"),
        (
            _POLICY_PROBE + "[cold-keyctl]",
            _POLICY_PROBE + "[cold-userfaultfd]",
        ),
    ),
    Mutation(
        "seccomp-io-uring-allowed",
        "a script does file and socket operations past the filter (io_uring)",
        _CONFINE + "_syscalls.py",
        _SYSTEM_GROUP,
        _allowed_too("io_uring_setup", "io_uring_enter", "io_uring_register"),
        (_POLICY_PROBE + "[cold-io_uring_setup]",),
    ),
    Mutation(
        "seccomp-namespaces-allowed",
        "a script makes namespaces and mounts (unshare, setns, mount)",
        _CONFINE + "_syscalls.py",
        _SYSTEM_GROUP,
        _allowed_too("unshare", "setns", "mount", "chroot", "pivot_root"),
        (
            _POLICY_PROBE + "[cold-unshare]",
            "tests/executor/test_sandbox_processes.py::test_new_namespaces_refused[cold]",
        ),
    ),
    Mutation(
        "seccomp-file-handles-allowed",
        "a script opens files by handle, with no path for Landlock to check",
        _CONFINE + "_syscalls.py",
        _SYSTEM_GROUP,
        _allowed_too("name_to_handle_at", "open_by_handle_at"),
        (_POLICY_PROBE + "[cold-name_to_handle_at]",),
    ),
    Mutation(
        "seccomp-ipc-allowed",
        "a script leaves IPC objects, memory files and inotify watches",
        _CONFINE + "_syscalls.py",
        _SYSTEM_GROUP,
        _allowed_too(
            "shmget",
            "shmctl",
            "semget",
            "semctl",
            "msgget",
            "msgctl",
            "mq_open",
            "mq_unlink",
            "memfd_create",
            "inotify_init1",
        ),
        (
            _POLICY_PROBE + "[cold-shmget]",
            _POLICY_PROBE + "[cold-mq_open]",
            _POLICY_PROBE + "[cold-memfd_create]",
            _POLICY_PROBE + "[cold-inotify_init1]",
        ),
    ),
    Mutation(
        "seccomp-identity-allowed",
        "a script changes its ids and capability sets",
        _CONFINE + "_syscalls.py",
        _SYSTEM_GROUP,
        _allowed_too("setuid", "setgid", "setreuid", "setresuid", "capset"),
        (_POLICY_PROBE + "[cold-setuid]",),
    ),
    Mutation(
        "seccomp-metadata-allowed",
        "a script changes owners and extended attributes of files anywhere",
        _CONFINE + "_syscalls.py",
        _SYSTEM_GROUP,
        _allowed_too("chown", "lchown", "fchownat", "setxattr", "lsetxattr", "fsetxattr"),
        (
            _POLICY_PROBE + "[cold-chown]",
            _POLICY_PROBE + "[cold-setxattr]",
        ),
    ),
    Mutation(
        "seccomp-unknown-calls-allowed",
        "no default deny: every call the policy does not name goes through",
        _CONFINE + "_seccomp.py",
        "program.append(_deny(_native.ENOSYS))",
        "program.append(_stmt(_RET_K, RET_ALLOW))",
        (_POLICY_PROBE + "[cold-io_setup]",),
    ),
    Mutation(
        "seccomp-other-abis-allowed",
        "32-bit int 0x80 calls, past the filter's numbers, go through",
        _CONFINE + "_seccomp.py",
        "_stmt(_RET_K, RET_KILL_PROCESS),",
        "_stmt(_RET_K, RET_ALLOW),",
        (_HOSTILE_CASE + "[cold-int80_32bit_syscall]",),
    ),
    Mutation(
        "seccomp-other-processes-by-pid-allowed",
        "a script lowers the editor's limits, renices it or pins it",
        _CONFINE + "_seccomp.py",
        "program += _only_own_process(table[name], pid_rule)",
        "program += [_jump(_JEQ_K, table[name], 0, 1), _stmt(_RET_K, RET_ALLOW)]",
        (
            _POLICY_PROBE + "[cold-prlimit64 of another process]",
            _HOSTILE_CASE + "[cold-limits_of_another_process]",
        ),
    ),
    Mutation(
        "seccomp-terminal-typing-allowed",
        "a script types into the user's terminal (TIOCSTI)",
        _CONFINE + "_syscalls.py",
        "IOCTL_REFUSED = (0x5412, 0x541C)  # TIOCSTI, TIOCLINUX",
        "IOCTL_REFUSED = ()",
        (_POLICY_PROBE + "[cold-ioctl TIOCSTI]",),
    ),
    Mutation(
        "seccomp-any-prctl-allowed",
        "every prctl option, not only those that act on the caller",
        _CONFINE + "_seccomp.py",
        'program += _one_of(table["prctl"], 0, _syscalls.PRCTL_ALLOWED, allow=True)',
        'program += [_jump(_JEQ_K, table["prctl"], 0, 1), _stmt(_RET_K, RET_ALLOW)]',
        (_POLICY_PROBE + "[cold-prctl PR_SET_KEEPCAPS]",),
    ),
    Mutation(
        "seccomp-other-socket-families-allowed",
        "with the network on, a script makes unix, packet or AF_ALG sockets",
        _CONFINE + "_seccomp.py",
        "_jump(_JEQ_K, s.AF_NETLINK, 9, 12),",
        "_jump(_JEQ_K, s.AF_NETLINK, 9, 11),",
        (
            _POLICY_PROBE + "[cold-socket AF_UNIX]",
            "tests/executor/test_sandbox_network.py"
            "::test_unix_socket_refused_even_with_network[cold-True]",
        ),
    ),
    Mutation(
        "seccomp-setuid-bits-allowed",
        "a script leaves a setuid or setgid file",
        _CONFINE + "_seccomp.py",
        "_jump(_JSET_K, S_ISUID_ISGID, 0, 1),",
        "_jump(_JSET_K, 0, 0, 1),",
        (_HOSTILE_CASE + "[cold-setuid_bits]",),
    ),
    Mutation(
        "seccomp-clone-namespace-flags-allowed",
        "a script clones itself into a new user namespace",
        _CONFINE + "_syscalls.py",
        "| 0x10000  # CLONE_THREAD",
        "| 0x10000 | 0x10000000  # CLONE_THREAD, and CLONE_NEWUSER",
        (_HOSTILE_CASE + "[cold-namespaces]",),
    ),
    Mutation(
        "landlock-all-of-proc-readable",
        "a script reads other processes' /proc entries (the executor's environment)",
        _CONFINE + "_landlock.py",
        'rules.append((f"/proc/{os.getpid()}", FS_READ_FILE | FS_READ_DIR))',
        'rules.append(("/proc", FS_READ_FILE | FS_READ_DIR))',
        (
            "tests/executor/test_sandbox_filesystem.py"
            "::test_proc_leads_nowhere_else[cold-embedder-cmdline]",
            "tests/executor/test_sandbox_filesystem.py"
            "::test_proc_leads_nowhere_else[cold-parent-environ]",
            "tests/executor/test_sandbox_filesystem.py"
            "::test_proc_leads_nowhere_else[cold-embedder-environ]",
        ),
    ),
    Mutation(
        "network-filter-off-with-the-syscall-policy",
        "with syscalls = false, network = false lets UDP out",
        _CONFINE + "_seccomp.py",
        'program += [_jump(_JEQ_K, table["socket"], 0, 1), _deny(_native.EPERM)]',
        "pass",
        (
            "tests/executor/test_sandbox_network.py"
            "::test_the_network_stays_denied_with_the_filter_policy_off[cold]",
        ),
    ),
    Mutation(
        "landlock-truncate-not-handled",
        "a script truncates files outside the project",
        _CONFINE + "_landlock.py",
        "return (1 << 16) - 1",
        "return (1 << 14) - 1",
        (_HOSTILE_CASE + "[cold-truncates_outside]",),
    ),
    Mutation(
        "rlimit-memory-not-set",
        "a script takes all the machine's memory",
        _CONFINE + "_limits.py",
        '("RLIMIT_AS", policy.number("memory_mb", 2048) * MIB),',
        '("RLIMIT_AS", resource.RLIM_INFINITY),',
        ("tests/executor/test_sandbox_limits.py::test_memory_bomb_is_contained[cold]",),
    ),
    Mutation(
        "rlimit-cpu-not-set",
        "a script's threads use CPU time past its timeout",
        _CONFINE + "_limits.py",
        '("RLIMIT_CPU", max(cpu_seconds, 1)),',
        '("RLIMIT_CPU", 1 << 30),',
        (
            _HOSTILE_CASE + "[cold-cpu_loop]",
            "tests/executor/test_sandbox_limits.py"
            "::test_limits_cannot_be_raised_even_by_root[cold]",
        ),
    ),
    Mutation(
        "rlimit-file-size-not-set",
        "a script writes a file as large as the disk",
        _CONFINE + "_limits.py",
        '("RLIMIT_FSIZE", policy.number("file_size_mb", 1024) * MIB),',
        '("RLIMIT_FSIZE", resource.RLIM_INFINITY),',
        ("tests/executor/test_sandbox_limits.py::test_file_size_limit[cold]",),
    ),
    Mutation(
        "rlimit-open-files-not-set",
        "a script holds as many descriptors as the system allows",
        _CONFINE + "_limits.py",
        '("RLIMIT_NOFILE", policy.number("open_files", 1024)),',
        '("RLIMIT_NOFILE", 1 << 20),',
        ("tests/executor/test_sandbox_limits.py::test_open_files_limit[cold]",),
    ),
    Mutation(
        "rlimit-core-dumps-allowed",
        "a crashing script leaves a core dump of its memory (its secrets)",
        _CONFINE + "_limits.py",
        '("RLIMIT_CORE", 0),',
        '("RLIMIT_CORE", resource.RLIM_INFINITY),',
        ("tests/executor/test_sandbox_limits.py::test_no_core_dumps[cold]",),
    ),
    Mutation(
        "capabilities-kept",
        "a run as root keeps its capabilities and lifts its limits",
        _CONFINE + "_limits.py",
        '_native.libc().syscall(arch.syscalls["capset"], header, data)',
        "pass",
        (
            "tests/executor/test_sandbox_limits.py"
            "::test_limits_cannot_be_raised_even_by_root[cold]",
            "tests/executor/test_sandbox_limits.py"
            "::test_no_capabilities_left_in_the_script_or_what_it_executes[cold]",
        ),
    ),
    Mutation(
        "no-new-privs-not-set",
        "a program the script executes gains privileges (setuid, file caps)",
        _CONFINE + "_apply.py",
        "_native.libc().prctl(_native.PR_SET_NO_NEW_PRIVS, 1)",
        "pass",
        (
            "tests/executor/test_sandbox_limits.py"
            "::test_no_capabilities_left_in_the_script_or_what_it_executes[cold]",
        ),
    ),
    Mutation(
        "caller-environment-passed",
        "a script reads the caller's tokens in its environment",
        "executor/python_executor.py",
        "env = {name: os.environ[name] for name in allowed if name in os.environ}",
        "env = dict(os.environ)",
        (
            "tests/executor/test_paths_and_env.py::test_parent_secrets_do_not_leak[cold]",
            _HOSTILE_CASE + "[cold-parent_env_secrets]",
        ),
    ),
    Mutation(
        "warm-runner-gets-the-callers-environment",
        "a warm run finds the caller's tokens in what it inherits from the runner",
        "executor/warm_runner.py",
        'env={"LANG": "C.UTF-8", "PATH": os.defpath},',
        "env=dict(os.environ),",
        (
            _HOSTILE_CASE + "[warm-parent_env_secrets]",
            _HOSTILE_CASE + "[warm-warm_memory_of_earlier_runs]",
        ),
    ),
    Mutation(
        "warm-child-keeps-the-runners-descriptors",
        "a warm run holds the runner's control socket (later runs' pipes)",
        "executor/sandbox/zygote.py",
        "os.closerange(keep + 1, _max_fd())",
        "pass",
        (_HOSTILE_CASE + "[warm-inherited_descriptors]",),
    ),
    Mutation(
        "git-not-protected",
        "a run plants a git hook that runs at the user's next git command",
        "executor/project_layout.py",
        '".git",',
        '".not-git",',
        (
            "tests/executor/test_protected_paths.py"
            "::test_protected_paths_cannot_be_changed[cold-hook_planted]",
        ),
    ),
)

_GATE_TEST = (
    "tests/cli/test_terminal_escapes.py"
    "::test_every_message_naming_a_folder_a_run_chose_shows_its_sequences_as_text"
)
# A cases file parsed where the mutation stands, on the event loop (what `parsed` avoids).
_ON_LOOP = '__import__("scriptcontract.cases.loading").cases.loading.load_cases'
REDTEAM_11: tuple[Mutation, ...] = (
    Mutation(
        "cli-output-not-gated",
        "a folder a run named `scripts/<ESC>]52;...` writes the user's clipboard when `check`, "
        "`run`, `test` or `trust` names it in a message",
        "cli.py",
        "_gate_output(args_list)",
        "pass",
        (_GATE_TEST + "[check]", _GATE_TEST + "[trust --show FOLDER]"),
    ),
    Mutation(
        "inputs-file-read-on-the-event-loop",
        "an inputs file a run filled with a megabyte of values stops the whole server for "
        "seconds at each hover, completion or definition in it",
        "lsp/input_keys.py",
        "outline = await document.derived_off_loop(OUTLINE, read_outline)",
        "outline = read_outline(document.text)",
        (
            "tests/lsp/test_inputs_files.py::test_other_requests_are_answered_while_a_big_"
            "inputs_file_is_read[vscode-hover]",
        ),
    ),
    Mutation(
        "inputs-schema-inferred-on-the-event-loop",
        "the first hover or completion in the inputs file of a long script stops the whole "
        "server while the script's inputs are inferred",
        "lsp/input_files.py",
        "return known or await self.schema_async(script)",
        "return known or self._keep(script, texts, _schema(script, texts, None))",
        (
            "tests/lsp/test_inputs_files.py::test_other_requests_are_answered_while_a_long_"
            "scripts_schema_is_inferred_for_its_inputs[vscode]",
        ),
    ),
    Mutation(
        "script-cases-read-on-the-event-loop",
        "a cases file a run filled with megabytes stops the whole server for seconds at each "
        "lens and code action request on its script",
        "lsp/case_runs.py",
        "return await self.parsed(text) if text is not None else None",
        "return _ON_LOOP(text) if text is not None else None".replace("_ON_LOOP", _ON_LOOP),
        (
            "tests/lsp/test_cases.py::test_other_requests_are_answered_while_a_scripts_big_"
            "cases_file_is_read[vscode-lenses]",
            "tests/lsp/test_cases.py::test_other_requests_are_answered_while_a_scripts_big_"
            "cases_file_is_read[vscode-actions]",
        ),
    ),
)

_PORT_RACE = "tests/debug/test_debug_port_race.py::"
_BIG_CASES = "tests/lsp/test_cases.py::test_other_requests_are_answered_while_"
REDTEAM_12: tuple[Mutation, ...] = (
    Mutation(
        "cases-file-checked-on-the-event-loop",
        "opening a cases file a run filled with megabytes, then each keystroke in it, stops the "
        "whole server for seconds",
        "lsp/case_runs.py",
        "cases = await self.parsed(text)",
        f"cases = {_ON_LOOP}(text)",
        (
            _BIG_CASES + "a_big_cases_file_is_checked[vscode-opened]",
            _BIG_CASES + "a_big_cases_file_is_checked[neovim-edited]",
        ),
    ),
    Mutation(
        "cases-listed-on-the-event-loop",
        "a run writing megabytes into a cases file stops the whole server when VS Code lists "
        "its cases again (at each change on disk)",
        "lsp/case_commands.py",
        "cases = await ls.case_runs.load(files)",
        f"cases = (lambda text: text and {_ON_LOOP}(text))(ls.case_runs.cases_text(files))",
        (_BIG_CASES + "a_big_cases_file_is_listed[vscode]",),
    ),
    Mutation(
        "accept-actions-parse-on-the-event-loop",
        "each move of the cursor in a big cases file whose cases ran stops the whole server "
        "for seconds while Accept actual output is worked out",
        "lsp/case_actions.py",
        "cases = await ls.case_runs.parsed(text)",
        f"cases = {_ON_LOOP}(text)",
        (_BIG_CASES + "accept_actions_read_a_big_cases_file[vscode]",),
    ),
    Mutation(
        "debug-adapter-takes-any-debuggee",
        "a run with the network that connects first to the debug adapter's port is taken for "
        "the debuggee: it is sent the session's breakpoints and what the user types",
        "executor/debug_adapter/__main__.py",
        'setattr(servers.Connection, "authenticate", authenticate)  # noqa: B010 (a method)',
        "pass",
        (
            _PORT_RACE + "test_a_run_connecting_first_to_the_adapter_is_not_taken_for_the_"
            "debuggee[token-checked]",
        ),
    ),
    Mutation(
        "debug-adapter-waits-forever-for-a-token",
        "a run that connects to the debug adapter's port and says nothing keeps the debug run "
        "from being accepted for as long as it likes",
        "executor/debug_adapter/__main__.py",
        "timer.start()",
        "pass",
        (
            _PORT_RACE + "test_a_run_holding_a_silent_connection_to_the_adapter_delays_the_"
            "session_seconds",
        ),
    ),
    Mutation(
        "debug-adapter-runs-with-any-debugpy",
        "with a debugpy whose adapter has no check of a connection to replace, the session "
        "takes any debuggee without a word",
        "executor/debug_adapter/__main__.py",
        'if not callable(getattr(servers.Connection, "authenticate", None)):',
        "if False:",
        (_PORT_RACE + "test_a_debugpy_whose_adapter_has_no_check_to_replace_is_refused[refused]",),
    ),
    Mutation(
        "debuggee-answers-any-adapter",
        "a run listening first on the debug port plays the adapter to the debug run, and reads "
        "its inputs (or runs code in it)",
        "executor/sandbox/_scriptcontract_confine/_debuggee.py",
        'kwargs["access_token"] = server_token',
        "pass",
        (
            _PORT_RACE + "test_a_run_listening_first_on_the_debug_port_cannot_read_the_debug_"
            "runs_inputs[none]",
        ),
    ),
)

_WRITES = "tests/test_project_writes.py::"
_PLANTED_WRITES = (
    "tests/cli/test_planted_write_targets.py::test_check_never_writes_through_a_link_a_run_left_"
    "out_of_the_project"
)
_SWAPPED = _WRITES + "test_a_link_swapped_in_while_writing_never_leads_the_write_out"
REDTEAM_13: tuple[Mutation, ...] = (
    Mutation(
        "project-write-follows-a-link-out",
        "check --fix (or --add-noqa) of a script a run left as a link to a file of the user's "
        "outside the project rewrites that file",
        "project_writes.py",
        "if relative == os.pardir or relative.startswith(os.pardir + os.sep):",
        "if False:",
        (
            _PLANTED_WRITES + "[--fix-not written]",
            _PLANTED_WRITES + "[--add-noqa-no comment added]",
            _WRITES + "test_a_link_out_of_the_project_is_refused_and_its_target_left_alone",
        ),
    ),
    Mutation(
        "project-write-through-a-link-into-a-configured-protected-path",
        "a run links a script to a file of a folder the project's configuration protects, and "
        "`check --fix` rewrites it",
        "project_writes.py",
        "configured = _configured_protected(real_root)",
        "configured: frozenset[str] = frozenset()",
        (
            "tests/cli/test_planted_write_targets.py"
            "::test_check_fix_never_writes_through_a_link_a_run_left_into_a_protected_path"
            "[deploy/hooks/run.py]",
        ),
    ),
    Mutation(
        "project-write-through-a-link-into-a-protected-path",
        "check --fix of a scripts folder where a run left a link to a git hook (or a virtual "
        "environment's module) rewrites the hook",
        "project_writes.py",
        "if kept is not None:",
        "if False:",
        (
            "tests/cli/test_planted_write_targets.py::test_check_fix_never_writes_through_a_link_"
            "a_run_left_into_a_protected_path[.git/hooks/post-merge]",
            "tests/cli/test_planted_write_targets.py::test_check_fix_never_writes_through_a_link_"
            "a_run_left_into_a_protected_path[tools/env/lib/sitecustomize.py]",
        ),
    ),
    Mutation(
        "project-write-folder-walk-follows-links",
        "a run swapping a folder of the project for a link out while the user accepts a case "
        "or fixes a script has the file outside replaced",
        "project_writes.py",
        "inner = os.open(part, _DIR_FLAGS, dir_fd=directory)",
        "inner = os.open(part, _DIR_FLAGS & ~_O_NOFOLLOW, dir_fd=directory)",
        (
            _SWAPPED + "[cases file (accept, save a case, test --update)-folder]",
            _SWAPPED + "[check --fix, --add-noqa-folder]",
        ),
    ),
    Mutation(
        "project-write-opens-what-is-not-a-file",
        "a FIFO a run left where a cases file or a script is written is opened and replaced",
        "project_writes.py",
        "if not stat.S_ISREG(info.st_mode):  # not opened: a FIFO blocks, a device acts",
        "if False:",
        (_WRITES + "test_what_is_not_a_regular_file_is_never_opened_nor_replaced[fifo]",),
    ),
    Mutation(
        "add-noqa-refusal-exits-clean",
        "check --add-noqa exits 0 though a script got no comment (a link out, changed meanwhile)",
        "commands/check.py",
        "return EXIT_FINDINGS if failed else EXIT_CLEAN",
        "return EXIT_CLEAN",
        (_PLANTED_WRITES + "[--add-noqa-no comment added]",),
    ),
)

_CI = "tests/cli/test_ci_commands.py::"
_CI_CHECK = (
    _CI + "test_check_shows_input_keys_a_project_wrote_for_ci_runners_instead_of_sending_them"
)
_CI_GATE = _CI + "test_the_gate_finds_markers_split_across_writes_and_passes_only_its_own_commands"
REDTEAM_14: tuple[Mutation, ...] = (
    Mutation(
        "ci-commands-printed-as-they-are",
        "a confined run's stderr (`test`) or an input key a pull request wrote (`check`) "
        "holding `##vso[task.prependpath]...` reaches Azure Pipelines' agent, which changes "
        "what the pipeline's later steps run; `::stop-commands::` reaches GitHub's runner",
        "shown_values.py",
        "if any(half.search(probe) is not None for half in _CI_HALVES):",
        "if False:",
        (
            _CI + "test_test_reports_show_what_a_run_printed_for_ci_runners_instead_of_sending_it",
            _CI_CHECK + "[concise]",
            _CI_CHECK + "[json]",
            _CI_GATE,
        ),
    ),
    Mutation(
        "ci-commands-split-across-writes",
        "a marker written in two pieces (`print('  ', end='')`, then `::error::x`) reaches "
        "the runner whole",
        "shown_values.py",
        "tail = self._tail",
        'tail = ""',
        (_CI_GATE,),
    ),
    Mutation(
        "own-ci-commands-pass-mid-line",
        "a command scriptcontract's format writes after text already on the line passes as "
        "the runner's command, with what the line holds before it",
        "shown_values.py",
        'own = _OWN_COMMAND.match(line) if self._tail == "\\n" else None',
        "own = _OWN_COMMAND.match(line)",
        (_CI_GATE,),
    ),
    Mutation(
        "schema-validator-retrieves-references",
        "a declared schema's `$ref` to `file:///...` has `run` read a file outside the project "
        "and show its values; one to an address has it fetched, with no time limit",
        "schema_check.py",
        "return validators.validator_for(schema)(schema, registry=REGISTRY)",
        "return validators.validator_for(schema)(schema)",
        (
            "tests/cli/test_planted_schema_refs.py::test_a_declared_schema_never_retrieves_a_"
            "reference_out_of_its_file[file-run]",
            "tests/cli/test_planted_schema_refs.py::test_a_declared_schema_never_retrieves_a_"
            "reference_out_of_its_file[address-test]",
        ),
    ),
    Mutation(
        "explore-validator-unbounded",
        "a declared schema's pattern that backtracks for ever, and the string the script "
        "compares an input with, hold `test --explore` for good (SIGTERM too)",
        "schema_check.py",
        "bound_jsonschema()",
        "pass",
        (
            "tests/cli/test_planted_schema_explore.py::test_explore_ends_cleanly_on_a_planted_"
            "schema[backtracks]",
        ),
    ),
    Mutation(
        "explore-raises-on-a-schema-referring-to-itself",
        '`test --explore` on a declared schema `{"$ref": "#"}` ends in a RecursionError traceback',
        "explore/schema_choice.py",
        "except (Unresolvable, PatternTooSlow, RecursionError):",
        "except Unresolvable:",
        (
            "tests/cli/test_planted_schema_explore.py::test_explore_ends_cleanly_on_a_planted_"
            "schema[refers-to-itself]",
        ),
    ),
    Mutation(
        "finding-message-opens-lines",
        "an input key holding newlines opens lines of its choosing in `check`'s concise "
        "report (a problem matcher takes one for a finding)",
        "check/formats.py",
        'f"{style.code(f.code)}{mark} {printable_name(f.message)}\\n"',
        'f"{style.code(f.code)}{mark} {printable(f.message)}\\n"',
        (_CI_CHECK + "[concise]",),
    ),
    Mutation(
        "check-fix-stdin-gated",
        '`check --fix -` gives back `b"##vso[x]"` as `b"##vso\\u005bx]"`: another program',
        "commands/check_report.py",
        'write_as_is(sys.stdout, stdin_fixed[0].fixed_text or "")',
        'sys.stdout.write(stdin_fixed[0].fixed_text or "")',
        (_CI + "test_check_fix_gives_its_stdin_back_as_it_is",),
    ),
    Mutation(
        "check-annotations-escaped",
        "`check --output-format github` (or `azure`) writes its annotations escaped: the "
        "runner shows none",
        "commands/check_report.py",
        "if fmt in COMMAND_FORMATS:",
        "if False:",
        (_CI_CHECK + "[github]", _CI_CHECK + "[azure]"),
    ),
)

AREAS = {
    "analyser": ANALYSER,
    "server": SERVER,
    "timeout": TIMEOUT,
    "sandbox": SANDBOX,
    "sandbox-core": SANDBOX_CORE,
    "check": CHECK,
    "explore": EXPLORE,
    "hovers": HOVERS,
    "cases": CASES,
    "template": TEMPLATE,
    "path-keys": PATH_KEYS,
    "globs": GLOBS,
    "hints": RUN_HINTS,
    "run-schemas": RUN_SCHEMAS,
    "cli": CLI,
    "redteam-11": REDTEAM_11,
    "redteam-12": REDTEAM_12,
    "redteam-13": REDTEAM_13,
    "redteam-14": REDTEAM_14,
}


@dataclass
class Outcome:
    mutation: Mutation
    area: str
    verdict: str  # "caught", "missed", "out of time", "error"
    caught_by: list[str]
    seconds: float


def _path(mutation: Mutation) -> Path:
    return SOURCE / mutation.file


def check_applies(mutations: Iterable[Mutation]) -> list[str]:
    """Why some of `mutations` cannot be applied (the line moved on), or nothing."""
    problems = []
    for mutation in mutations:
        if not _path(mutation).is_file():
            problems.append(f"{mutation.name}: no file {mutation.file} in server/scriptcontract")
            continue
        lines = _path(mutation).read_text(encoding="utf-8").splitlines()
        count = [line.strip() for line in lines].count(mutation.line)
        if count != 1:
            problems.append(f"{mutation.name}: {mutation.file} has its line {count} times")
    return problems


def uncommitted(files: Iterable[Path]) -> list[str]:
    """The files among `files` with uncommitted changes (they could not be restored by git)."""
    names = sorted({str(path.relative_to(REPO)) for path in files})
    done = subprocess.run(
        ["git", "status", "--porcelain", "--", *names],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return [f"git status failed: {done.stderr.strip()}"]
    return [line[3:] for line in done.stdout.splitlines()]


def _forget_bytecode(path: Path) -> None:
    # A .pyc is trusted by the source's size and mtime in seconds: a same-sized edit within
    # the second would run the old code.
    for cached in (path.parent / "__pycache__").glob(f"{path.stem}.*.pyc"):
        cached.unlink(missing_ok=True)


def run_tests(tests: Iterable[str], test_timeout: int, budget: float) -> tuple[int | None, str]:
    """pytest on `tests`: its exit status (None: out of budget) and its output."""
    # A temporary directory of its own: pytest's shared one is cleaned up at the end of each
    # session, and whatever another run left there could fail this one.
    basetemp = tempfile.mkdtemp(prefix="scriptcontract-mutate-")
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-v",
        "--tb=line",
        "-p",
        "no:cacheprovider",
        f"--basetemp={basetemp}",
        f"--timeout={test_timeout}",
        *tests,
    ]
    # Its own process group, killed past the budget (a script run in a group of its own by
    # the executor can outlive it: the executor's kill is what may be mutated).
    process = subprocess.Popen(
        command,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=budget)
        status: int | None = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        status = None
    finally:
        # rm, not shutil.rmtree: a test's script may leave a tree deeper than Python recurses.
        subprocess.run(["rm", "-rf", basetemp], check=False)
    return status, output or ""


def failed_tests(output: str) -> list[str]:
    """The tests that failed, by function, with how many of their cases failed."""
    found = re.findall(r"^(\S+::.+?) (?:FAILED|ERROR)\b", output, re.MULTILINE)
    cases: dict[str, list[str]] = {}
    for node in dict.fromkeys(found):
        function, _, case = node.split("::")[-1].partition("[")
        cases.setdefault(function, []).append(case.rstrip("]"))
    return [
        f"{function}[{params[0]}]"
        if len(params) == 1 and params[0]
        else function
        if len(params) == 1
        else f"{function} ({len(params)} cases)"
        for function, params in cases.items()
    ]


def apply_and_test(mutation: Mutation, area: str, test_timeout: int, budget: float) -> Outcome:
    path = _path(mutation)
    original = path.read_text(encoding="utf-8")
    lines = original.split("\n")
    at = [line.strip() for line in lines].index(mutation.line)
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    lines[at] = indent + mutation.replacement
    started = time.monotonic()
    try:
        path.write_text("\n".join(lines), encoding="utf-8")
        _forget_bytecode(path)
        status, output = run_tests(mutation.tests, test_timeout, budget)
    finally:
        path.write_text(original, encoding="utf-8")
        _forget_bytecode(path)
    seconds = time.monotonic() - started
    failed = failed_tests(output)
    if status is None:
        # Failures seen before the budget ran out are a catch all the same.
        verdict = "caught, then out of time" if failed else "out of time"
        return Outcome(mutation, area, verdict, failed, seconds)
    if status == 0:
        return Outcome(mutation, area, "missed", [], seconds)
    if status == 1:
        return Outcome(mutation, area, "caught", failed, seconds)
    tail = output.strip().splitlines()[-1:] or ["no output"]
    return Outcome(mutation, area, f"error (pytest exit {status}: {tail[0]})", [], seconds)


def table(outcomes: list[Outcome], markdown: bool) -> str:
    rows = [("mutation", "area", "what breaks", "result", "caught by", "s")]
    for outcome in outcomes:
        caught_by = ", ".join(outcome.caught_by)
        rows.append(
            (
                f"`{outcome.mutation.name}`" if markdown else outcome.mutation.name,
                outcome.area,
                outcome.mutation.breaks,
                outcome.verdict,
                caught_by or "-",
                f"{outcome.seconds:.0f}",
            )
        )
    if markdown:
        lines = ["| " + " | ".join(row) + " |" for row in rows]
        lines.insert(1, "|" + "---|" * len(rows[0]))
        return "\n".join(lines)
    return "\n".join(f"{row[0]:<32} {row[1]:<9} {row[3]:<12} {row[5]:>4}  {row[4]}" for row in rows)


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="mutations to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the mutations and stop")
    parser.add_argument("--markdown", action="store_true", help="print the table in Markdown")
    parser.add_argument(
        "--test-timeout", type=int, default=45, help="seconds per test (default 45)"
    )
    parser.add_argument(
        "--budget", type=float, default=300, help="seconds per mutation's tests (default 300)"
    )
    args = parser.parse_args(argv)

    every = [(area, m) for area, mutations in AREAS.items() for m in mutations]
    known = {m.name for _, m in every}
    unknown = [name for name in args.names if name not in known]
    if unknown:
        parser.error(f"no such mutation: {', '.join(unknown)} (see --list)")
    chosen = [(area, m) for area, m in every if not args.names or m.name in args.names]
    if args.list:
        for area, mutation in chosen:
            print(f"{mutation.name} ({area}): {mutation.breaks}")
            print(f"    {mutation.file}: {mutation.line!r} -> {mutation.replacement!r}")
            for test in mutation.tests:
                print(f"    {test}")
        return 0

    # The tests run under this interpreter: one without the test extras fails every
    # control with pytest's own words ("unrecognized arguments: --timeout"), not ours.
    missing = [name for name in ("pytest", "pytest_timeout", "scriptcontract") if not _has(name)]
    if missing and not args.list:
        parser.error(
            f"{sys.executable} lacks {', '.join(missing)}: run this with the interpreter of "
            "the project's virtual environment (. .venv/bin/activate, or .venv/bin/python)"
        )
    problems = check_applies(m for _, m in chosen)
    problems += [
        f"{name} has uncommitted changes: commit them first (git restores a killed run)"
        for name in uncommitted(_path(m) for _, m in chosen)
    ]
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2

    tests = list(dict.fromkeys(test for _, m in chosen for test in m.tests))
    print(f"control: {len(tests)} tests on the unchanged source ...", file=sys.stderr, flush=True)
    status, output = run_tests(tests, args.test_timeout, args.budget * 2)
    if status != 0:
        print(
            "the tests do not pass on the unchanged source: a mutation they fail on proves "
            f"nothing.\n{output[-3000:]}",
            file=sys.stderr,
        )
        return 2

    outcomes = []
    for area, mutation in chosen:
        print(f"{mutation.name} ...", file=sys.stderr, flush=True)
        outcome = apply_and_test(mutation, area, args.test_timeout, args.budget)
        print(f"    {outcome.verdict} in {outcome.seconds:.0f} s", file=sys.stderr, flush=True)
        outcomes.append(outcome)
    print(table(outcomes, args.markdown))
    return 0 if all(o.verdict.startswith("caught") for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
