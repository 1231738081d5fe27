"""Every hostile case through the public executor API, cold and warm, with the same checks.

For each case: the result is clean and what the case expects, and comes within the timeout
plus a grace; no process of the run is left; nothing outside the project changed (the canary
tree, the fake home, the case's own targets, the private temp dirs); nobody outside the run
was reached (listeners, the victim process, the test process's signal handler); and the
same executor then serves an ordinary run, warm runs from the same warm runner.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Literal

import pytest

from scriptcontract.config import load_project_config
from scriptcontract.executor import ExecutionResult, PythonExecutor, SandboxPolicy
from scriptcontract.executor.run_keeper import run_keeper
from scriptcontract.executor.warm_runner import stop_warm_runners
from tests.executor.test_sandbox_platform import needs_linux
from tests.hostile.arena import Arena, VictimState, build_arena
from tests.hostile.cases import (
    CASES,
    EARLIER_RUN_PREFIX,
    HostileCase,
    check_expectation,
    earlier_run_secrets,
    write_case,
)
from tests.hostile.cases.checks import next_run_changes, next_run_state
from tests.hostile.cases.model import got_through, took_too_long
from tests.hostile.containment import (
    descendants,
    differences,
    left_behind,
    nobody_reached,
    reap_orphan_zombies,
    remove_left_behind,
    snapshot,
    snapshot_paths,
    system_paths_held,
    unlink_links_to,
)
from tests.hostile.needs import case_params, control_params

pytestmark = needs_linux

# The executor's own CPU time for one run, whatever the script does: reading a flood to its
# limit and stopping it, parsing a forged report or a deep document. About 0.02 s here; CPU
# time, not wall time, so that a busy machine does not count and a quadratic read does.
EXECUTOR_CPU_S = 1.0
# Past this the executor hangs, and the test says so instead of hanging too.
HANG_S = 30.0

NEXT_RUN = """
import json, sys
inputs = json.load(sys.stdin)
print(json.dumps({"success": True, "message": "hello " + inputs["name"]}))
"""


def test_the_table_is_big_enough() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))
    assert len(CASES) >= 40


def test_every_case_that_attempts_counts_its_attempts_and_has_a_control() -> None:
    """A case that calls `attempt` but expects none would pass on a script that stopped
    before its first; a control that is the case's own policy would show nothing."""
    uncounted = [c.name for c in CASES if "attempt(" in c.body and not c.expect.attempts_at_least]
    assert uncounted == []
    for case in CASES:
        control = case.control_policy()
        if case.expect.attempts_at_least and control is None:
            assert case.no_control, f"{case.name}: no control, and no word on why"
        if control is not None:
            assert control != dict(case.policy), f"{case.name}: the control changes nothing"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_a_case_policy_reaches_the_server_through_the_project_config(
    case: HostileCase, tmp_path: Path
) -> None:
    # The seam for running the table through the language server, which takes its policy
    # from the project's configuration rather than from the caller.
    (tmp_path / "pyproject.toml").write_text(case.sandbox_toml())
    config = load_project_config(tmp_path)
    assert not config.errors, config.errors
    assert config.sandbox == SandboxPolicy(**case.policy)
    for name, value in case.executor.items():
        assert getattr(config.executor, name) == value


@pytest.mark.parametrize("case", case_params(CASES))
async def test_hostile_script_is_contained(
    case: HostileCase,
    mode: Literal["cold", "warm"],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    arena = build_arena(
        tmp_path, listeners="listeners" in case.arena, victim="victim" in case.arena
    )
    try:
        # The caller's secrets, and a home with keys in it, for the script to go after.
        monkeypatch.setenv("HOME", str(arena.home))
        for name, value in arena.secrets.items():
            monkeypatch.setenv(name, value)
        # The runs' private temp dirs go here, to be seen removed afterwards.
        monkeypatch.setattr(tempfile, "tempdir", str(arena.runs))
        executor = PythonExecutor(
            arena.root,
            mode=mode,
            sandbox=SandboxPolicy(**case.policy),
            default_timeout_ms=5000,
            python_path=sys.executable,
            **case.executor,
        )
        with system_paths_held(case.outside_paths(arena), changes_them=False):
            problems = await _run_and_check(case, arena, executor)
    finally:
        stop_warm_runners()
        arena.close()
    assert not problems, "\n".join([f"{case.name} ({mode}): {case.about}", *problems])


@pytest.mark.parametrize("case", control_params(CASES))
async def test_the_attack_gets_through_with_its_protection_off(
    case: HostileCase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The positive control of every case whose attempts must be refused: the same script in
    the same arena, with only the protection under test switched off, gets through."""
    arena = build_arena(
        tmp_path, listeners="listeners" in case.arena, victim="victim" in case.arena
    )
    policy = case.control_policy()
    assert policy is not None
    try:
        monkeypatch.setenv("HOME", str(arena.home))
        monkeypatch.setattr(tempfile, "tempdir", str(arena.runs))
        before_procs = {p.pid for p in descendants(os.getpid())}
        executor = PythonExecutor(
            arena.root, mode="cold", sandbox=SandboxPolicy(**policy), python_path=sys.executable
        )
        script = write_case(case, arena.root)
        with system_paths_held(case.outside_paths(arena), changes_them=True):
            result = await asyncio.wait_for(
                executor.execute_script(script, case.inputs(arena), timeout_ms=case.timeout_ms),
                case.timeout_ms / 1000 + HANG_S,
            )
            # Its links to the machine's files go before the others watch them again.
            unlink_links_to(arena.root, case.outside_paths(arena))
        data = _as_client_sees_it(result, [])
    finally:
        for path in case.outside_paths(arena):
            if path.startswith(("/tmp/", "/dev/shm/")):
                Path(path).unlink(missing_ok=True)
        remove_left_behind(arena.runs)
        reap_orphan_zombies(before_procs)
        arena.close()
    assert got_through(case, data), (
        f"{case.name} with {policy}: no attempt got through, so a refusal under the policy "
        f"proves nothing: {(data.get('output') or {}).get('attempts')} {data.get('error')!r} "
        f"{str(data.get('stderr'))[-500:]!r}"
    )


async def _run_and_check(case: HostileCase, arena: Arena, executor: PythonExecutor) -> list[str]:
    problems: list[str] = []
    me = os.getpid()
    if case.earlier_run:
        problems += await _earlier_run(executor, arena)
    before_procs = {p.pid for p in descendants(me)}
    before_files = snapshot(arena.base, skip=[arena.root, arena.runs])
    outside = case.outside_paths(arena)
    before_outside = snapshot_paths(outside)
    before_victim = VictimState.of(arena.victim.pid) if arena.victim else None

    before_next_run = next_run_state(arena.root)
    script = write_case(case, arena.root)
    started, cpu_started = time.monotonic(), time.process_time()
    try:
        result = await asyncio.wait_for(
            executor.execute_script(script, case.inputs(arena), timeout_ms=case.timeout_ms),
            case.timeout_ms / 1000 + HANG_S,
        )
    except asyncio.TimeoutError:
        return [*problems, f"the executor hung for {HANG_S}s past the timeout"]
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu_started

    data = _as_client_sees_it(result, problems)
    problems += check_expectation(case, data)
    if case.extra is not None:
        problems += case.extra(data, arena)
    problems += next_run_changes(before_next_run, arena.root)
    problems += took_too_long(case, elapsed)
    if cpu > EXECUTOR_CPU_S:
        problems.append(f"the executor spent {cpu:.2f}s of CPU on the run")
    if result.mode != executor.mode:
        problems.append(f"ran {result.mode}, not {executor.mode}")

    runner = await _runner_pid(executor)
    keeper = run_keeper().pid  # the executor's own, not the run's: it outlives every run
    problems += left_behind(me, before_procs, runner, keeper)
    problems += [f"outside the project: {d}" for d in differences(before_files, _files(arena))]
    leftovers = sorted(p.name for p in arena.runs.iterdir())
    if leftovers:
        problems.append(f"private temp dirs left behind: {leftovers}")
        remove_left_behind(arena.runs)
    for path, state in snapshot_paths(outside).items():
        if state != before_outside[path]:
            problems.append(f"{path} changed: {before_outside[path]} -> {state}")
    problems += nobody_reached(arena, before_victim)

    problems += await _next_run_works(executor, arena, runner)
    problems += left_behind(me, before_procs, runner, keeper)
    reap_orphan_zombies(before_procs | {runner or 0, keeper or 0})
    return problems


def _as_client_sees_it(result: ExecutionResult, problems: list[str]) -> dict[str, Any]:
    """The result as JSON, the way the CLI prints it and the server sends it."""
    try:
        data: dict[str, Any] = json.loads(result.model_dump_json())
    except Exception as exc:
        problems.append(f"the result does not serialise to JSON: {exc}")
        data = result.model_dump(mode="python")
    return data


def _files(arena: Arena) -> dict[str, Any]:
    return snapshot(arena.base, skip=[arena.root, arena.runs])


async def _runner_pid(executor: PythonExecutor) -> int | None:
    if executor.mode != "warm":
        return None
    proc = (await executor.warm_runner())._proc
    return proc.pid if proc is not None and proc.poll() is None else None


async def _earlier_run(executor: PythonExecutor, arena: Arena) -> list[str]:
    """A run with secrets in its environment, arguments and inputs, before the case's."""
    secret = {k: EARLIER_RUN_PREFIX + v for k, v in earlier_run_secrets(arena).items()}
    (arena.root / "scripts" / "earlier.py").write_text(NEXT_RUN)
    # Several copies in a few kilobytes, twice: freed memory that still holds one of them
    # is then found whatever the allocator reused since.
    env = {f"EARLIER_RUN_TOKEN_{i}": f"{'.' * 64 * i} {secret['env']}" for i in range(8)}
    for _ in range(2):
        result = await executor.execute_script(
            "scripts/earlier.py",
            {"name": "earlier", "note": secret["stdin"]},
            env=env,
            args=[secret["arg"]] * 4,
        )
        if not result.success:
            return [f"the earlier run failed: {result.error}"]
    return []


async def _next_run_works(executor: PythonExecutor, arena: Arena, runner: int | None) -> list[str]:
    """The same executor (and, warm, the same runner) serves an ordinary run right after."""
    (arena.root / "scripts" / "next_run.py").write_text(NEXT_RUN)
    result = await executor.execute_script(
        "scripts/next_run.py", {"name": "again"}, timeout_ms=10000
    )
    problems = []
    if not result.success or result.output != {"success": True, "message": "hello again"}:
        problems.append(f"the next run failed: {result.error!r} {result.stderr[-300:]!r}")
    if result.mode != executor.mode:
        problems.append(f"the next run ran {result.mode}, not {executor.mode}")
    if runner is not None and await _runner_pid(executor) != runner:
        problems.append("the warm runner was replaced: the script reached it")
    return problems
