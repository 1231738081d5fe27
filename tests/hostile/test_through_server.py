"""Every hostile case through the language server, as an editor runs it.

The real `scriptcontract serve` process, driven by pytest-lsp as Neovim 0.11, runs each
case with `workspace/executeCommand scriptcontract.runNow`; the case's policy comes from
its project's `pyproject.toml`, as a user's would. The server is started the way a careless
editor would start it: holding the caller's secrets in its environment, a fake home, and
two descriptors without close-on-exec. One server serves the whole table, so that what one
case does to it, the next one sees.

For each case: the same expectations and containment checks as the executor-side suite
(`test_hostile.py`), plus what only the server adds: its run diagnostics are sane (on the
script, inside the document, an error exactly when the run failed, bounded messages,
nothing published outside the project), and the server keeps serving right after (a lint
round trip and an ordinary run, from the same warm runner).

All 73 cases run in the server's default mode (warm on Linux), where a script's parent is
the warm runner. The cases that go after their parent or other processes (lifetime and
processes) run cold too, where the parent is the language server itself. The executor-side
suite already runs every case in both modes; `SCRIPTCONTRACT_HOSTILE_SERVER_COLD=all` runs
the whole table cold through the server as well (18 s more).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import re
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from lsprotocol import types

from scriptcontract.config import load_project_config
from scriptcontract.lsp.documents import path_of, split_lines
from scriptcontract.lsp.position_encoding import to_client_column
from scriptcontract.nested_configs import CONTENT_KEY, content_digest
from scriptcontract.trust import Loosening, TrustStore, baseline_for, loosenings
from tests.executor.test_sandbox_platform import needs_linux
from tests.hostile.arena import (
    INHERITED_FILE_FD,
    INHERITED_SOCKET_FD,
    Arena,
    VictimState,
    build_arena,
    lay_out_next_run_files,
)
from tests.hostile.cases import (
    CASES,
    EARLIER_RUN_PREFIX,
    HostileCase,
    check_expectation,
    earlier_run_secrets,
    lifetime,
    processes,
    write_case,
)
from tests.hostile.cases.checks import next_run_changes, next_run_state
from tests.hostile.cases.model import took_too_long
from tests.hostile.containment import (
    descendants,
    differences,
    left_behind,
    live,
    nobody_reached,
    reap_orphan_zombies,
    remove_left_behind,
    snapshot,
    snapshot_paths,
    system_paths_held,
)
from tests.hostile.needs import case_params
from tests.interpreter import environment
from tests.lsp.conftest import BROKEN, Session, TestClient, initialize_params, make_client
from tests.procs import all_processes, command_line

PARENT_CASES = (*lifetime.CASES, *processes.CASES)
COLD_CASES = (
    CASES if os.environ.get("SCRIPTCONTRACT_HOSTILE_SERVER_COLD") == "all" else PARENT_CASES
)
pytestmark = needs_linux

HANG_S = 30.0
RUN_SOURCE = "scriptcontract-run"
# A diagnostic message longer than this is a wall of text in any editor's hover.
MAX_MESSAGE = 4000
HELLO = """import json, sys
inputs = json.load(sys.stdin)
print(json.dumps({"success": True, "message": "hello " + inputs["name"]}))
"""
PROJECT = '[project]\nname = "hostile"\n\n'
LOGGED_ERROR = re.compile(r"^\S+ \S+ (ERROR|CRITICAL) ")


@dataclasses.dataclass
class Served:
    """The server, its client, and the world around it, for the whole module."""

    session: Session
    arena: Arena
    projects: Path
    log: Path
    mode: str
    lint_probe: str = ""
    probes: int = 0
    log_seen: int = 0

    @property
    def client(self) -> TestClient:
        return self.session.client

    @property
    def server_pid(self) -> int:
        server = self.client._server
        assert server is not None
        return server.pid

    def runners(self) -> set[int]:
        """The server's live children between runs: the warm runner, and the keeper of its
        cold runs once it made one (keeper_main.py), nothing else."""
        return {
            p.pid
            for p in live(all_processes())
            if p.ppid == self.server_pid and "keeper_main.py" not in command_line(p.pid)
        }

    def keepers(self) -> set[int]:
        return {
            p.pid
            for p in live(all_processes())
            if p.ppid == self.server_pid and "keeper_main.py" in command_line(p.pid)
        }


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Served]:
    base = tmp_path_factory.mktemp("hostile-server")
    arena = build_arena(base, listeners=True, victim=True)
    # The workspace folder is the arena itself: each case's project is a folder beside the
    # canary and the home, as in the executor-side suite (cases aim at "../canary").
    projects = base
    log = base / "logs" / "server.log"
    log.parent.mkdir()
    # The scripts run under the interpreter under test (first on PATH as `python3`).
    env = environment(
        {
            **os.environ,
            "HOME": str(arena.home),
            "TMPDIR": str(arena.runs),
            "XDG_STATE_HOME": str(_trust_state(base)),
            **arena.secrets,
        }
    )
    client = make_client()
    command = [sys.executable, "-m", "scriptcontract", "serve"]
    await client.start_io(
        *command,
        "--log-file",
        str(log),
        "--log-level",
        "warning",
        env=env,
        pass_fds=(INHERITED_FILE_FD, INHERITED_SOCKET_FD),
    )
    try:
        client.profile = "neovim"
        settings = {"lint": {"debounceMs": 0}, "run": {"mode": request.param}, "logLevel": "error"}
        client.init_result = await client.initialize_session(
            initialize_params("neovim", [projects], {"settings": settings})
        )
        session = Session(client, projects, "utf-16")
        hello_root = _project(projects / "project-_hello", "")
        (hello_root / "scripts" / "hello.py").write_text(HELLO)
        state = Served(session, arena, projects, log, request.param)
        state.lint_probe = session.open("project-_hello/scripts/lint_probe.py", BROKEN)
        problems = await _keeps_serving(state)
        assert not problems, problems
        yield state
    finally:
        try:
            await asyncio.wait_for(client.shutdown_session(), timeout=10)
        finally:
            await client.stop()  # type: ignore[no-untyped-call]
            arena.close()


def _project(root: Path, sandbox_toml: str, env: dict[str, str] | None = None) -> Path:
    (root / "scripts").mkdir(parents=True, exist_ok=True)
    # The project's top level keeps its entries during a run: scripts write in folders.
    (root / "data").mkdir(exist_ok=True)
    lay_out_next_run_files(root)
    text = PROJECT + sandbox_toml
    if env:
        text += "\n[tool.scriptcontract.executor]\nenv = " + _inline_table(env) + "\n"
    (root / "pyproject.toml").write_text(text)
    # The user's own, below a workspace folder without git: vouched for by its content.
    digest = content_digest(root / "pyproject.toml")
    store = TrustStore(_trust_state(root.parent) / "scriptcontract" / "trusted.json")
    store.trust(str(root / "pyproject.toml"), [Loosening(CONTENT_KEY, digest)])
    return root


def _trust_state(base: Path) -> Path:
    """The server's trust record, beside the arena's trees (not in its fake home)."""
    return base / "trust-state"


def _trust(base: Path, root: Path) -> None:
    """What the user does for a case's policy that loosens the sandbox: trust it."""
    config = load_project_config(root)
    assert config.source is not None and not config.errors, config.errors
    store = TrustStore(_trust_state(base) / "scriptcontract" / "trusted.json")
    store.trust(config.source, loosenings(config, baseline_for(root)))


def _inline_table(values: dict[str, str]) -> str:
    return "{" + ", ".join(f"{key} = {json.dumps(value)}" for key, value in values.items()) + "}"


async def _run(served: Served, relative: str, inputs: Any, timeout_ms: int) -> dict[str, Any]:
    result: dict[str, Any] = await asyncio.wait_for(
        served.session.command(
            "scriptcontract.runNow",
            {"uri": served.session.uri(relative), "inputs": inputs, "timeoutMs": timeout_ms},
        ),
        timeout_ms / 1000 + HANG_S,
    )
    return result


async def _keeps_serving(served: Served) -> list[str]:
    """A lint round trip and an ordinary run, right now."""
    problems: list[str] = []
    if served.client._server is None or served.client._server.returncode is not None:
        return ["the server process is gone"]
    served.probes += 1
    session, uri = served.session, served.lint_probe
    # A syntax error on a line that moves with each probe: the diagnostic must follow.
    text = "import json\n" + "\n" * served.probes + "def main(:\n    pass\n"
    version = session.replace_all(uri, text)
    line = 1 + served.probes
    try:
        await session.diagnostics(
            uri,
            lambda found: (
                [(str(d.code), d.range.start.line) for d in found] == [("SCR001", line)]
                and session.client.published[uri][-1].version == version
            ),
        )
    except AssertionError as exc:
        problems.append(f"the server stopped linting: {exc}")
    try:
        result = await _run(served, "project-_hello/scripts/hello.py", {"name": "again"}, 10000)
    except Exception as exc:
        return [*problems, f"the server did not answer an ordinary run: {exc!r}"]
    if result.get("output") != {"success": True, "message": "hello again"}:
        problems.append(f"an ordinary run failed: {result.get('error')!r}")
    if result.get("mode") != served.mode:
        problems.append(f"an ordinary run ran {result.get('mode')}, not {served.mode}")
    return problems


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("served", ["warm"], indirect=True)
@pytest.mark.parametrize("case", case_params(CASES))
async def test_hostile_script_through_the_server(served: Served, case: HostileCase) -> None:
    await _contained(served, case)


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("served", ["cold"], indirect=True)
@pytest.mark.parametrize("case", case_params(COLD_CASES))
async def test_hostile_script_through_the_server_cold(served: Served, case: HostileCase) -> None:
    await _contained(served, case)


async def _contained(served: Served, case: HostileCase) -> None:
    with system_paths_held(case.outside_paths(served.arena), changes_them=False):
        await _contained_held(served, case)


async def _contained_held(served: Served, case: HostileCase) -> None:
    root = _project(served.projects / f"project-{case.name}", case.sandbox_toml())
    _trust(served.arena.base, root)
    (root / "escape").symlink_to(served.arena.canary)
    arena = dataclasses.replace(served.arena, root=root)
    arena.signals_received.clear()
    problems: list[str] = []
    if case.earlier_run:
        problems += await _earlier_run(served, case, root)
    me = os.getpid()
    runners = served.runners()
    before_procs = {p.pid for p in descendants(me)}
    before_files = _files(arena)
    outside = case.outside_paths(arena)
    before_outside = snapshot_paths(outside)
    before_victim = VictimState.of(arena.victim.pid) if arena.victim else None

    relative = f"{root.name}/{write_case(case, root)}"
    source = (root / "scripts" / "case.py").read_text()
    before_next_run = next_run_state(arena.root)
    uri = served.session.open_uri(served.session.uri(relative), source)
    started = time.monotonic()
    try:
        result = await _run(served, relative, case.inputs(arena), case.timeout_ms)
    except asyncio.TimeoutError:
        result = None
        problems.append(f"the server did not answer for {HANG_S}s past the timeout")
    elapsed = time.monotonic() - started

    if result is not None:
        problems += check_expectation(case, result)
        if case.extra is not None:
            problems += case.extra(result, arena)
        problems += next_run_changes(before_next_run, arena.root)
        problems += took_too_long(case, elapsed)
        problems += _run_diagnostics_problems(served, uri, source, result)
        if result.get("success"):
            problems += await _success_hint_problems(served, uri)
    problems += left_behind(me, before_procs, *served.runners(), *served.keepers())
    problems += [f"outside the project: {d}" for d in differences(before_files, _files(arena))]
    leftovers = sorted(p.name for p in arena.runs.iterdir())
    if leftovers:
        problems.append(f"private temp dirs left behind: {leftovers}")
        # Removed now: the next case starts from an empty runs folder (its own baseline).
        remove_left_behind(arena.runs)
        remove_left_behind(arena.runs)
    for path, state in snapshot_paths(outside).items():
        if state != before_outside[path]:
            problems.append(f"{path} changed: {before_outside[path]} -> {state}")
    problems += nobody_reached(arena, before_victim)

    served.session.close(uri)
    problems += await _keeps_serving(served)
    if served.runners() != runners:
        problems.append(f"the warm runner changed: {runners} -> {served.runners()}")
    problems += left_behind(me, before_procs, *served.runners(), *served.keepers())
    problems += _server_log_problems(served)
    reap_orphan_zombies(before_procs | served.runners())
    assert not problems, "\n".join(
        [f"{case.name} (server, {served.mode}): {case.about}", *problems]
    )


def _files(arena: Arena) -> dict[str, Any]:
    """Everything in the arena but the projects, the private temp dirs and the server log."""
    projects = [p for p in arena.base.iterdir() if p.name.startswith("project-")]
    return snapshot(arena.base, skip=[*projects, arena.runs, arena.base / "logs"])


async def _earlier_run(served: Served, case: HostileCase, root: Path) -> list[str]:
    """A run with secrets in its environment (the project's) and inputs, before the case's."""
    secret = {k: EARLIER_RUN_PREFIX + v for k, v in earlier_run_secrets(served.arena).items()}
    env = {f"EARLIER_RUN_TOKEN_{i}": f"{'.' * 64 * i} {secret['env']}" for i in range(8)}
    _project(root, case.sandbox_toml(), env)
    (root / "scripts" / "earlier.py").write_text(HELLO)
    for _ in range(2):
        inputs = {"name": "earlier", "note": secret["stdin"]}
        result = await _run(served, f"{root.name}/scripts/earlier.py", inputs, 10000)
        if not result.get("success"):
            return [f"the earlier run failed: {result.get('error')}"]
    _project(root, case.sandbox_toml())
    return []


def _run_diagnostics_problems(
    served: Served, uri: str, source: str, result: dict[str, Any]
) -> list[str]:
    published = served.client.published.get(uri) or []
    shown = list(published[-1].diagnostics) if published else []
    run = [d for d in shown if d.source == RUN_SOURCE]
    # A success is an inlay hint (checked apart), not a diagnostic: it may leave none.
    if not run and not result.get("success"):
        return [f"no run diagnostic on the script; shown: {shown}"]
    problems = []
    lines = split_lines(source)
    for diagnostic in run:
        for where in (diagnostic.range.start, diagnostic.range.end):
            line = lines[where.line] if 0 <= where.line < len(lines) else None
            if line is None or where.character > to_client_column(line, len(line), "utf-16"):
                problems.append(f"a run diagnostic outside the document: {diagnostic.range}")
        if not diagnostic.message.strip() or len(diagnostic.message) > MAX_MESSAGE:
            problems.append(f"a run diagnostic message of {len(diagnostic.message)} characters")
    errors = [d for d in run if d.severity == types.DiagnosticSeverity.Error]
    if bool(errors) == bool(result.get("success")):
        problems.append(f"run diagnostics say {'failure' if errors else 'success'}: {run}")
    for other, params in served.client.published.items():
        path = path_of(other)
        has_run = any(d.source == RUN_SOURCE for d in params[-1].diagnostics)
        if has_run and not _in_a_project(path, served.projects):
            problems.append(f"run diagnostics published outside the projects: {other}")
    return problems


async def _success_hint_problems(served: Served, uri: str) -> list[str]:
    """A success shows beside the entry line as an inlay hint."""
    hints = await served.client.text_document_inlay_hint_async(
        types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(
                start=types.Position(line=0, character=0),
                end=types.Position(line=100_000, character=0),
            ),
        )
    )
    labels = [hint.label for hint in hints or []]
    if not any(isinstance(label, str) and label.startswith("✓") for label in labels):
        return [f"a success without its inlay hint: {labels}"]
    return []


def _in_a_project(path: Path | None, base: Path) -> bool:
    if path is None:
        return False
    try:
        top = path.relative_to(base).parts[0]
    except (ValueError, IndexError):
        return False
    return top.startswith("project-")


def _server_log_problems(served: Served) -> list[str]:
    """Errors the server logged since the last look (a handler that raised, a lint that
    failed): each means a request or an event went unserved."""
    with served.log.open("rb") as log:
        log.seek(served.log_seen)
        text = log.read().decode("utf-8", "replace")
        served.log_seen = log.tell()
    bad = [line for line in text.splitlines() if LOGGED_ERROR.match(line)]
    return [f"the server logged errors: {bad[:3]}"] if bad else []
