""" "Use .venv/bin/python for runs": the quick fix of a run that missed a module the project's
environment has, offered on its diagnostic in every client, never applied by the server."""

from __future__ import annotations

import venv
from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.conftest import PROFILES, Session, fresh_session, make_project
from tests.lsp.test_code_actions import actions
from tests.lsp.test_run_messages import IMPORTS_A_PACKAGE
from tests.lsp.test_runs import RUN_SOURCE, run_args

USE_PYTHON = "scriptcontract.usePython"
TITLE = "Use .venv/bin/python for runs"
IMPORTS_A_MISSING_PACKAGE = IMPORTS_A_PACKAGE.replace("fancylib", "nowherelib")


def project_with_fancylib(tmp_path: Path) -> Path:
    """A project whose top-level .venv has `fancylib`, which the interpreter runs use lacks."""
    root = make_project(tmp_path / "project")
    venv.EnvBuilder(symlinks=True, with_pip=False).create(root / ".venv")
    (site,) = (root / ".venv").glob("lib/python3.*/site-packages")
    (site / "fancylib.py").write_text("def shout(text):\n    return text.upper()\n")
    return root


async def failed_run(
    lsp: Session, relative: str, source: str
) -> tuple[str, types.Diagnostic, list[types.CodeAction | types.Command]]:
    """Opens and runs the script, which fails: its uri, its run diagnostic, the actions
    offered on that diagnostic."""
    uri = lsp.open(relative, source)
    result = await lsp.command("scriptcontract.run", run_args(lsp, relative))
    assert result["success"] is False
    (diagnostic,) = await lsp.diagnostics(uri, source=RUN_SOURCE)
    found = await actions(lsp, uri, [diagnostic], line=diagnostic.range.start.line)
    return uri, diagnostic, found


def offered_commands(found: list[types.CodeAction | types.Command]) -> list[types.Command]:
    commands = [item.command if isinstance(item, types.CodeAction) else item for item in found]
    return [command for command in commands if command is not None]


@pytest.mark.parametrize("profile", list(PROFILES))
async def test_a_run_missing_a_module_the_environment_has_offers_to_use_it(
    tmp_path: Path, profile: str
) -> None:
    root = project_with_fancylib(tmp_path)
    async with fresh_session(profile, [root]) as lsp:
        uri, diagnostic, found = await failed_run(lsp, "scripts/imports.py", IMPORTS_A_PACKAGE)
        assert "the project's .venv/ has it" in diagnostic.message
        (action,) = [item for item in found if item.title == TITLE]
        assert isinstance(action, types.CodeAction)
        assert action.kind == types.CodeActionKind.QuickFix
        assert action.edit is None  # nothing changes until the editor sets its setting
        assert action.command is not None and action.command.command == USE_PYTHON
        assert list(action.command.arguments or []) == [{"uri": uri, "python": ".venv/bin/python"}]
        # Sent to the server (no plugin took it over): it says which setting to set, and
        # the next run still uses the interpreter it used.
        answer = await lsp.command(USE_PYTHON, *(action.command.arguments or []))
        assert answer == {"setting": "run.python", "python": ".venv/bin/python", "applied": False}
        await lsp.until(lambda: any("run.python" in m.message for m in lsp.client.messages))
        (message,) = [m.message for m in lsp.client.messages if "run.python" in m.message]
        assert message == (
            "Set the editor's scriptcontract run.python setting to .venv/bin/python, then run "
            "the script again: only the editor can change its settings."
        )
        again = await lsp.command("scriptcontract.run", run_args(lsp, "scripts/imports.py"))
        assert again["success"] is False
        assert "No module named 'fancylib'" in again["stderr"]


@pytest.mark.parametrize("profile", list(PROFILES))
async def test_no_environment_with_the_module_offers_nothing(tmp_path: Path, profile: str) -> None:
    root = project_with_fancylib(tmp_path)
    async with fresh_session(profile, [root]) as lsp:
        # The positive control: the environment has `fancylib`, the action is offered.
        _, _, found = await failed_run(lsp, "scripts/imports.py", IMPORTS_A_PACKAGE)
        assert [c.command for c in offered_commands(found)].count(USE_PYTHON) == 1
        # No environment has `nowherelib`: the run's diagnostic gives the general hint, and
        # its actions, answered, hold no interpreter to use.
        _, diagnostic, found = await failed_run(lsp, "scripts/lacks.py", IMPORTS_A_MISSING_PACKAGE)
        assert "`nowherelib` is not installed for " in diagnostic.message
        assert USE_PYTHON not in [c.command for c in offered_commands(found)]
        assert TITLE not in [item.title for item in found]
