"""Extra checks of single cases, beyond the generic ones every case gets."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tests.hostile.arena import NEXT_RUN_FILES, Arena
from tests.hostile.cases.model import Check
from tests.procs import process


def file_size_is(relative: str, size: int) -> Check:
    def check(_result: Mapping[str, Any], arena: Arena) -> list[str]:
        path = arena.root / relative
        got = path.stat().st_size if path.exists() else None
        return [] if got == size else [f"{relative} should be {size} bytes, is {got}"]

    return check


def script_is_gone(_result: Mapping[str, Any], arena: Arena) -> list[str]:
    left = arena.root / "scripts" / "case.py"
    return [f"{left} should be gone"] if left.exists() else []


def project_edits_landed(_result: Mapping[str, Any], arena: Arena) -> list[str]:
    problems = []
    final = arena.root / "data" / "final.json"
    if not final.exists() or final.read_text() != '{"n": 1}':
        problems.append("data/final.json should hold what the script wrote")
    if (arena.root / "data" / "out.json").exists():
        problems.append("data/out.json should have been renamed")
    if not (arena.root / "scripts" / "case.py").read_text().endswith("# edited while running\n"):
        problems.append("the script's own edit of itself should have landed")
    return problems


def left_process_is_gone(result: Mapping[str, Any], _arena: Arena) -> list[str]:
    """The process the script left running (and saw alive as it ended) is gone: its pid,
    reported by the script, proves there was one to kill."""
    left = (result.get("output") or {}).get("left")
    if not isinstance(left, int) or left <= 0:
        return [f"the script reported no process it left running: {left!r}"]
    found = process(left)
    return (
        [f"the process the script left is still running: {found}"] if found and found.alive else []
    )


def no_setuid_files(_result: Mapping[str, Any], arena: Arena) -> list[str]:
    found = []
    for path in arena.root.rglob("*"):
        if not path.is_symlink() and path.stat().st_mode & 0o6000:
            found.append(f"{path.relative_to(arena.root)} {oct(path.stat().st_mode)}")
    return [f"setuid/setgid files in the project: {found}"] if found else []


def no_core_file(_result: Mapping[str, Any], arena: Arena) -> list[str]:
    cores = [p.name for p in arena.root.rglob("core*")]
    return [f"core dumps left: {cores}"] if cores else []


def report_not_forged(result: Mapping[str, Any], _arena: Arena) -> list[str]:
    sandbox = result.get("sandbox") or {}
    problems = []
    if sandbox.get("platform") == "forged" or "forged" in (sandbox.get("details") or {}):
        problems.append(f"the script forged the sandbox report: {sandbox}")
    if "landlock_abi" not in (sandbox.get("details") or {}):
        problems.append(f"the real report is gone: {sandbox}")
    return problems


def fd_count_at_most(limit: int) -> Check:
    def check(result: Mapping[str, Any], _arena: Arena) -> list[str]:
        opened = (result.get("output") or {}).get("opened", 0)
        return [] if 0 < opened <= limit else [f"opened {opened} fds, limit {limit}"]

    return check


def threads_started(result: Mapping[str, Any], _arena: Arena) -> list[str]:
    threads = (result.get("output") or {}).get("threads", 0)
    return [] if threads >= 10 else [f"only {threads} threads started"]


def no_secret_seen(result: Mapping[str, Any], arena: Arena) -> list[str]:
    output = result.get("output") or {}
    problems = []
    if output.get("seen") or output.get("in_proc"):
        problems.append(f"the script saw the parent's secrets: {output}")
    digests = set(output.get("digests") or [])
    for name, value in arena.secrets.items():
        if hashlib.sha256(value.encode()).hexdigest() in digests:
            problems.append(f"the value of {name} reached the script")
    return problems


def no_earlier_secret_in_memory(result: Mapping[str, Any], arena: Arena) -> list[str]:
    found = set((result.get("output") or {}).get("found") or [])
    problems = []
    leaked = found & set(earlier_run_secrets(arena).values())
    if leaked:
        problems.append(f"an earlier run's secrets are in this run's memory: {sorted(leaked)}")
    # The positive control: the scan found the run's own secret, so it could see one.
    if hashlib.md5(arena.token.encode()).hexdigest() not in found:
        problems.append(f"the memory scan did not even find the run's own secret: {result}")
    return problems


def descriptors_not_inherited(result: Mapping[str, Any], arena: Arena) -> list[str]:
    targets: list[str] = (result.get("output") or {}).get("fds") or []
    problems = []
    if len(targets) < 3:  # stdio at least: a listing that saw nothing proves nothing
        problems.append(f"the script's listing of its descriptors missed its stdio: {targets}")
    outside = [t for t in targets if t.startswith((str(arena.canary), str(arena.home)))]
    if outside:
        problems.append(f"descriptors of files outside the project reached the script: {outside}")
    sockets = [t for t in targets if t.startswith("socket:")]
    if sockets:
        problems.append(f"sockets reached the script: {sockets}")
    if len(targets) > 6:
        problems.append(f"more descriptors than stdio, the report and the listing: {targets}")
    return problems


def earlier_run_secrets(arena: Arena) -> dict[str, str]:
    """The secrets an earlier run of the same executor gets (env, argument, stdin)."""
    return {
        kind: hashlib.sha256((arena.token + kind).encode()).hexdigest()[:32]
        for kind in ("env", "arg", "stdin")
    }


EARLIER_RUN_PREFIX = "hostile-run-secret-"


def next_run_state(root: Path) -> dict[str, bytes | None]:
    """The project's top level and what the next run starts from, to compare after a run."""
    state: dict[str, bytes | None] = {"<top level>": repr(sorted(os.listdir(root))).encode()}
    tops = {relative.split("/")[0] for relative in NEXT_RUN_FILES} | {"pyproject.toml"}
    for top in sorted(tops):
        path = root / top
        trees = [path] if not path.is_dir() or path.is_symlink() else sorted(path.rglob("*"))
        for item in trees:
            name = str(item.relative_to(root))
            if item.is_symlink():
                state[name] = b"-> " + os.readlink(item).encode()
            elif item.is_file():
                state[name] = item.read_bytes()
            else:
                state[name] = None
    return state


def next_run_changes(before: Mapping[str, bytes | None], root: Path) -> list[str]:
    after = next_run_state(root)
    changed = sorted(
        name
        for name in before.keys() | after.keys()
        if before.get(name, b"<absent>") != after.get(name, b"<absent>")
    )
    return [f"what the next run starts from was changed: {changed}"] if changed else []
