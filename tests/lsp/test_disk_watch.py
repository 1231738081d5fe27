"""Files changed on disk reach the server whether or not the client watches for it.

The Neovim profile does not register watchers (Neovim turns them off on Linux): the server
watches the workspace folder itself. The VS Code profile does: the server leaves it to the
client, and a change the client does not report is not seen twice (or at all) by the server.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types

from tests.lsp.conftest import Session, codes, fresh_session, make_project
from tests.lsp.test_project_modules import HELPER_READS, HELPER_WITHOUT_STDIN, SCRIPT
from tests.planted_links import plant_link_to_a_big_tree
from tests.procs import inotify_watches

OPTIONS = {"settings": {"lint": {"debounceMs": 0}, "logLevel": "info"}}
# Longer than the server's debounce and the OS's notification by a wide margin: what the
# server's own watch did not deliver by then, it will not (the Neovim case shows it does).
SETTLE_S = 1.5


def logged(lsp: Session, text: str) -> bool:
    return any(text in message.message for message in lsp.client.log_messages)


async def open_script_then_change_its_module_on_disk(lsp: Session) -> str:
    """Opens a script that imports a module of the project (one finding: SCR105), then
    rewrites the module on disk, outside the editor, so that the script no longer reads its
    inputs (SCR101 once the server hears of it). Returns the script's URI."""
    lsp.write("scripts/io_helpers.py", HELPER_READS)
    script = lsp.open("scripts/job.py", SCRIPT)
    assert codes(await lsp.diagnostics(script)) == ["SCR105"]
    lsp.write("scripts/io_helpers.py", HELPER_WITHOUT_STDIN)
    return script


def reads_no_inputs(found: list[types.Diagnostic]) -> bool:
    return sorted(codes(found)) == ["SCR101", "SCR105"]


async def test_without_client_watchers_the_server_follows_modules_and_configuration_on_disk(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path / "project")
    async with fresh_session("neovim", [root], OPTIONS) as lsp:
        await lsp.until(lambda: logged(lsp, "the server watches"))
        # No notification from the client, yet the script that imports it is analysed again.
        script = await open_script_then_change_its_module_on_disk(lsp)
        assert reads_no_inputs(await lsp.diagnostics(script, reads_no_inputs))
        # The project's configuration changed on disk: its new `ignore` applies.
        pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
        lsp.write("pyproject.toml", pyproject + 'ignore = ["SCR105"]\n')
        assert codes(await lsp.diagnostics(script, lambda found: "SCR105" not in codes(found)))
        assert codes(await lsp.shown(script)) == ["SCR101"]


async def test_a_client_that_watches_is_left_to_do_it(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    async with fresh_session("vscode-modern", [root], OPTIONS) as lsp:
        await lsp.until(lambda: logged(lsp, "the client watches them"))
        script = await open_script_then_change_its_module_on_disk(lsp)
        await asyncio.sleep(SETTLE_S)
        await lsp.round_trip()
        assert codes(await lsp.shown(script)) == ["SCR105"]  # the server did not watch
        assert not logged(lsp, "the server watches")
        # The positive control: the client's notification is what makes it follow.
        helper = (root / "scripts/io_helpers.py").as_uri()
        lsp.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=helper, type=types.FileChangeType.Changed)]
            )
        )
        assert reads_no_inputs(await lsp.diagnostics(script, reads_no_inputs))


async def test_a_workspace_folder_that_is_not_there_leaves_the_others_watched(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path / "project")
    gone = tmp_path / "gone"  # a folder the client names but that does not exist
    async with fresh_session("neovim", [root, gone], OPTIONS) as lsp:
        await lsp.until(lambda: logged(lsp, f"the server watches {root} itself"))
        script = await open_script_then_change_its_module_on_disk(lsp)
        assert reads_no_inputs(await lsp.diagnostics(script, reads_no_inputs))


async def test_a_symbolic_link_a_script_planted_in_the_project_is_not_watched_through(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path / "project")
    plant_link_to_a_big_tree(root, tmp_path / "outside")  # with its positive control
    async with fresh_session("neovim", [root], OPTIONS) as lsp:
        await lsp.until(lambda: logged(lsp, "the server watches"))
        # The server's watch works (a module changed on disk is followed)...
        script = await open_script_then_change_its_module_on_disk(lsp)
        assert reads_no_inputs(await lsp.diagnostics(script, reads_no_inputs))
        # ...on the project's own folders only.
        server = lsp.client._server  # the `scriptcontract serve` process
        assert server is not None
        assert 0 < inotify_watches(server.pid) < 20, inotify_watches(server.pid)


async def test_a_folder_made_after_the_start_is_watched_with_what_was_put_in_it(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path / "project")
    async with fresh_session("neovim", [root], OPTIONS) as lsp:
        await lsp.until(lambda: logged(lsp, "the server watches"))
        # The script imports a package that is not there yet: it proves nothing read stdin.
        script = lsp.open("scripts/job.py", SCRIPT.replace("from io_", "from tools.io_"))
        assert reads_no_inputs(await lsp.diagnostics(script, reads_no_inputs))
        # The package comes at once with its module (as a checkout makes them): the module
        # is written before the server can have watched the new folder, and is not missed.
        lsp.write("scripts/tools/io_helpers.py", HELPER_READS)
        found = await lsp.diagnostics(script, lambda found: codes(found) == ["SCR105"])
        assert codes(found) == ["SCR105"]
        # And the new folder is watched from then on.
        lsp.write("scripts/tools/io_helpers.py", HELPER_WITHOUT_STDIN)
        assert reads_no_inputs(await lsp.diagnostics(script, reads_no_inputs))
