"""What a run says and where: one-line outcomes, the line a failure most likely came from and
why, stderr beside a success, and diagnostics that follow the lines typed during the run."""

from __future__ import annotations

import asyncio
import venv
from pathlib import Path

import pytest
from lsprotocol import types

from tests.conftest import REPO
from tests.lsp.conftest import Session, fresh_session, make_project
from tests.lsp.test_hover_and_lens import lenses
from tests.lsp.test_runs import RUN_SOURCE, run_args, wait_for_file

CAUGHT_KEY_ERROR = """
import json
import sys


def main(inputs):
    return {"success": True, "greeting": "Hi " + inputs["name"]}


if __name__ == "__main__":
    try:
        print(json.dumps(main(json.load(sys.stdin))))
    except Exception as exc:
        print(json.dumps({"success": False, "error": f"{type(exc).__name__} {exc}"}))
        sys.exit(1)
"""
NAME_READ = 5  # the line of inputs["name"]

UNCAUGHT_KEY_ERROR = """
import json
import sys

inputs = json.load(sys.stdin)
name = inputs["name"]
print(json.dumps({"success": True, "greeting": "Hi " + name}))
"""

# The example that reads /etc/passwd and reports the refusal as its own error.
OUTSIDE_THE_PROJECT = (REPO / "examples" / "scripts" / "broken_system_file.py").read_text()
OPEN_LINE = OUTSIDE_THE_PROJECT.splitlines().index('    with open("/etc/passwd") as handle:')

NEW_TOP_LEVEL_ENTRY = """
import json
import os
import sys

json.load(sys.stdin)
try:
    os.mkdir("made_by_a_script")
except OSError as exc:
    print(json.dumps({"success": False, "error": str(exc)}))
    sys.exit(1)
print(json.dumps({"success": True}))
"""
MKDIR_LINE = 6

PRINTS_A_TRACEBACK_AND_GOES_ON = """
import json
import sys
import traceback

json.load(sys.stdin)
try:
    count = int("many")
except ValueError:
    traceback.print_exc()
    count = 0
print(json.dumps({"success": True, "count": count}))
"""
INT_LINE = 6

LOGS_WITH_ITS_FILE_NAME = """
import json
import logging
import sys

logging.basicConfig(format="%(filename)s:%(lineno)d: %(message)s")
json.load(sys.stdin)
logging.warning("fell back to the default")
print(json.dumps({"success": True}))
"""
LOGGING_LINE = 6

WAITS_THEN_FAILS = """
import json
import os
import sys
import time

inputs = json.load(sys.stdin)
with open(inputs["pid_file"], "w") as handle:
    handle.write(str(os.getpid()))
while not os.path.exists(inputs["go_file"]):
    time.sleep(0.01)
print(inputs["missing"])
"""
MISSING_READ = 10


def only(found: list[types.Diagnostic]) -> types.Diagnostic:
    (diagnostic,) = found
    return diagnostic


async def test_a_handled_error_points_at_the_input_it_lacked_with_one_mark(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(name, CAUGHT_KEY_ERROR)
    result = await lsp.command("scriptcontract.run", run_args(lsp, name, inputs={}))
    assert result["outcome"] == "✗ exit 1: KeyError 'name'"
    diagnostic = only(await lsp.diagnostics(uri, source=RUN_SOURCE))
    assert diagnostic.range.start.line == NAME_READ  # not `if __name__ == "__main__":`
    assert diagnostic.message == "✗ exit 1: KeyError 'name' — the inputs have no \"name\""
    # Beside it now: "Debug with inputs" and "+ Add as case" (test_cases.py), on the first line.
    lens = (await lenses(lsp, uri))[0]
    assert lens.command is not None
    assert lens.command.title == "▶ Run with inputs · ✗ exit 1: KeyError 'name'"
    assert "  " not in lens.command.title


async def test_an_uncaught_exception_is_headed_by_the_exception_and_says_why(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(name, UNCAUGHT_KEY_ERROR)
    result = await lsp.command("scriptcontract.run", run_args(lsp, name, inputs={}))
    assert result["outcome"] == "✗ KeyError: 'name'"
    diagnostic = only(await lsp.diagnostics(uri, source=RUN_SOURCE))
    assert diagnostic.range.start.line == 4
    assert diagnostic.message == "KeyError: 'name' — the inputs have no \"name\""


async def test_a_refused_read_outside_the_project_points_at_the_open_and_says_why(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(name, OUTSIDE_THE_PROJECT)
    result = await lsp.command("scriptcontract.run", run_args(lsp, name, inputs={}))
    assert result["success"] is False
    diagnostic = only(await lsp.diagnostics(uri, source=RUN_SOURCE))
    assert diagnostic.range.start.line == OPEN_LINE  # not `import json`
    assert "Permission denied: '/etc/passwd'" in diagnostic.message
    assert "the sandbox refused it: /etc/passwd is outside the project" in diagnostic.message


async def test_a_refused_new_top_level_entry_points_at_the_call_and_says_why(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(name, NEW_TOP_LEVEL_ENTRY)
    result = await lsp.command("scriptcontract.run", run_args(lsp, name, inputs={}))
    assert result["success"] is False
    assert not (lsp.root / "made_by_a_script").exists()
    diagnostic = only(await lsp.diagnostics(uri, source=RUN_SOURCE))
    assert diagnostic.range.start.line == MKDIR_LINE
    assert "the sandbox refused it: made_by_a_script would be a new entry" in diagnostic.message
    # Said once: the outcome the lens shows leaves the explanation to the diagnostic.
    assert diagnostic.message.count("would be a new entry") == 1
    assert result["outcome"] == "✗ exit 1: [Errno 13] Permission denied: 'made_by_a_script'"


async def test_stderr_of_a_success_that_names_a_line_of_the_script_goes_there(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(name, LOGS_WITH_ITS_FILE_NAME)
    result = await lsp.command("scriptcontract.run", run_args(lsp, name, inputs={}))
    assert result["success"] is True
    assert result["stderr"].startswith(f"{Path(name).name}:{LOGGING_LINE + 1}: ")
    found = await lsp.diagnostics(uri, lambda found: bool(found), source=RUN_SOURCE)
    note = only([d for d in found if d.message.startswith("stderr")])
    assert note.range.start.line == LOGGING_LINE
    assert note.message == "stderr: fell back to the default"
    assert note.severity == types.DiagnosticSeverity.Hint


async def test_a_traceback_printed_by_a_successful_run_shows_where_it_was_raised(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(name, PRINTS_A_TRACEBACK_AND_GOES_ON)
    result = await lsp.command("scriptcontract.run", run_args(lsp, name, inputs={}))
    assert result["success"] is True and "Traceback" in result["stderr"]
    found = await lsp.diagnostics(uri, lambda found: bool(found), source=RUN_SOURCE)
    (note,) = [d for d in found if d.message.startswith("stderr")]
    assert note.range.start.line == INT_LINE  # not the entry line
    assert note.message.startswith("stderr: ValueError: invalid literal for int()")
    assert note.severity == types.DiagnosticSeverity.Hint


async def test_a_runs_diagnostics_follow_the_lines_typed_while_it_ran(
    lsp: Session, name: str
) -> None:
    uri = lsp.open(name, WAITS_THEN_FAILS)
    pid_file = lsp.root / name.replace(".py", ".pid")
    go_file = lsp.root / name.replace(".py", ".go")
    inputs = {"pid_file": str(pid_file), "go_file": str(go_file)}
    running = asyncio.ensure_future(
        lsp.command("scriptcontract.run", run_args(lsp, name, inputs=inputs))
    )
    await wait_for_file(pid_file)
    # Two lines typed above the failing line (not saved) while the script runs.
    version = lsp.edit(uri, (1, 0), (1, 0), "# first note\n# second note\n")
    # The server has read the edit before the script goes on: on a loaded machine the run
    # could end first, and an edit after a run clears its diagnostics instead (its own test).
    await lsp.round_trip()
    go_file.write_text("go")
    result = await running
    assert result["error_type"] == "KeyError"
    diagnostic = only(await lsp.diagnostics(uri, source=RUN_SOURCE))
    assert diagnostic.range.start.line == MISSING_READ + 2
    if not lsp.pulls:
        assert lsp.client.published[uri][-1].version == version


async def test_progress_says_where_the_inputs_came_from_in_words(lsp: Session, name: str) -> None:
    lsp.open(name, UNCAUGHT_KEY_ERROR)
    lsp.write(name.replace(".py", ".inputs.json"), '{"name": "Ada"}')
    before = set(lsp.client.progress_reports)
    await lsp.command("scriptcontract.run", run_args(lsp, name))
    await lsp.command("scriptcontract.run", run_args(lsp, name, inputs={"name": "Bo"}))
    begins: list[str] = []
    for token in set(lsp.client.progress_reports) - before:
        for report in lsp.client.progress_reports[token]:
            assert not isinstance(report, types.ProgressParams)
            if isinstance(report, types.WorkDoneProgressBegin):
                begins.append(report.message or "")
    assert sorted(begins) == ["with its inputs file", "with the inputs you gave"]


def declares_run_outcomes(capabilities: types.ClientCapabilities) -> None:
    capabilities.experimental = {"scriptcontract": {"runOutcomes": True}}


@pytest.mark.parametrize("ours", [True, False], ids=["our-client", "any-client"])
async def test_a_refused_run_is_a_message_only_for_clients_that_do_not_show_outcomes(
    tmp_path: Path, ours: bool
) -> None:
    root = make_project(tmp_path / "project")
    (root / "scriptcontract.toml").write_text('[executor]\ntimeout-ms = "soon"\n')
    tweak = declares_run_outcomes if ours else None
    async with fresh_session("neovim", [root], tweak=tweak) as lsp:
        lsp.open("scripts/job.py", UNCAUGHT_KEY_ERROR)
        result = await lsp.command("scriptcontract.run", run_args(lsp, "scripts/job.py"))
        assert result["outcome"].startswith("✗ not run: the project's configuration has errors")
        # The file as the project names it, not by a path the user never typed.
        assert "errors: scriptcontract.toml: [executor] timeout-ms" in result["error"]
        assert str(root) not in result["error"]
        assert "\n" not in result["outcome"]
        shown = [m.message for m in lsp.client.messages if "not run" in m.message.lower()]
        assert shown == ([] if ours else [result["error"]])


REFUSED_SOCKET = """
import json
import socket
import sys

json.load(sys.stdin)
socket.create_connection(("127.0.0.1", 9), timeout=2)
print(json.dumps({"success": True}))
"""


async def test_a_refused_socket_says_the_network_is_off(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    with (root / "pyproject.toml").open("a", encoding="utf-8") as config:
        config.write("\n[tool.scriptcontract.sandbox]\nnetwork = false\n")
    async with fresh_session("neovim", [root]) as lsp:
        uri = lsp.open("scripts/connects.py", REFUSED_SOCKET)
        result = await lsp.command("scriptcontract.run", run_args(lsp, "scripts/connects.py"))
        assert result["success"] is False
        diagnostic = only(await lsp.diagnostics(uri, source=RUN_SOURCE))
        assert diagnostic.range.start.line == 5  # the connection, not inside socket.py
        assert diagnostic.message == (
            "PermissionError: [Errno 1] Operation not permitted — the sandbox refused it: "
            "the project's runs have no network (sandbox.network = false)"
        )


IMPORTS_A_PACKAGE = """
import json
import sys

import fancylib

print(json.dumps({"success": True, "greeting": fancylib.shout(json.load(sys.stdin)["name"])}))
"""


async def test_a_missing_module_the_projects_environment_has_is_pointed_to(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path / "project")
    venv.EnvBuilder(symlinks=True, with_pip=False).create(root / ".venv")
    (site,) = (root / ".venv").glob("lib/python3.*/site-packages")
    (site / "fancylib.py").write_text("def shout(text):\n    return text.upper()\n")
    async with fresh_session("neovim", [root]) as lsp:
        uri = lsp.open("scripts/imports.py", IMPORTS_A_PACKAGE)
        result = await lsp.command("scriptcontract.run", run_args(lsp, "scripts/imports.py"))
        assert result["success"] is False
        diagnostic = only(await lsp.diagnostics(uri, source=RUN_SOURCE))
        assert diagnostic.range.start.line == 3  # the import
        assert diagnostic.message.startswith(
            "ModuleNotFoundError: No module named 'fancylib' — `fancylib` is not installed for "
        ), diagnostic.message
        assert diagnostic.message.endswith(
            'but the project\'s .venv/ has it: `python = ".venv/bin/python"` under [executor] '
            "in scriptcontract.toml names it for every run (then `scriptcontract trust`), as "
            "the editor's run.python setting does"
        ), diagnostic.message
