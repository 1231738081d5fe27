"""`check --fix` never breaks a script: over the whole corpus, run before and after the fixes.

Every file still parses, a file without findings is left byte for byte, and every script that
wrote exactly one JSON object (run through the executor with its inputs) still does, with
the same exit code.
"""

from __future__ import annotations

import ast
import asyncio
import json
import re
import shutil
from pathlib import Path
from typing import Any

from scriptcontract.executor import PythonExecutor
from tests.cli.runner import run_check, stage_in_git
from tests.contract.test_corpus import CORPUS, PROJECTS, expected

CONFIG = 'include = ["**/*.py"]\ntarget-version = "3.11"\n'
INPUTS = re.compile(r"^# corpus-inputs: (?P<json>\{.*\})$", re.MULTILINE)
# Generous: a corpus script may start an interpreter of its own (pytest, git), and a loaded
# CI machine must not turn a slow run into a "broken by the fix" report.
RUN_TIMEOUT_MS = 15000
# Scripts that never end by design (lint examples): run, each held the test for the whole
# timeout (30 s of its 60 s limit, idle) and gave nothing to compare, so a loaded machine
# pushed the rest past the limit. They still go through the fix and its syntax check.
NEVER_END = {
    "sleeps.py": "sleeps 45 s (SCR406)",
    "loop_with_comprehension.py": "a `while True:` without a way out (SCR404)",
}


def inputs_of(source: str) -> dict[str, Any]:
    match = INPUTS.search(source)
    return dict(json.loads(match["json"])) if match else {}


def one_object(stdout: str) -> dict[str, Any] | None:
    """The JSON object stdout holds, when it holds exactly one."""
    try:
        value = json.loads(stdout)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def copy_corpus(root: Path) -> list[tuple[Path, Path]]:
    """The corpus laid out as projects: (project root, script) for every file."""
    flat = root / "flat"
    shutil.copytree(CORPUS, flat, ignore=shutil.ignore_patterns("projects", "README.md"))
    (flat / "scriptcontract.toml").write_text(CONFIG)
    files = [(flat, path) for path in sorted(flat.glob("*.py"))]
    for project in sorted(PROJECTS.iterdir()):
        copy = root / "projects" / project.name
        shutil.copytree(project, copy)
        (copy / "scriptcontract.toml").write_text(CONFIG)
        files.extend((copy, path) for path in sorted(copy.rglob("*.py")))
    return files


async def run_all(files: list[tuple[Path, Path]]) -> dict[Path, tuple[int | None, Any]]:
    results: dict[Path, tuple[int | None, Any]] = {}
    executors: dict[Path, PythonExecutor] = {}
    # A few at once: one after the other, the corpus's cold runs took 35-41 s of the
    # test's 60 on an idle machine, and a loaded one pushed it past.
    at_once = asyncio.Semaphore(4)

    async def run_one(root: Path, script: Path) -> None:
        executor = executors.setdefault(
            root, PythonExecutor(root, default_timeout_ms=RUN_TIMEOUT_MS, mode="cold")
        )
        source = script.read_text(encoding="utf-8")
        async with at_once:
            result = await executor.execute_script(script, inputs_of(source))
        results[script] = (result.exit_code, one_object(result.stdout))

    await asyncio.gather(*(run_one(root, script) for root, script in files))
    return results


async def test_check_fix_keeps_every_corpus_script_working(tmp_path: Path) -> None:
    files = copy_corpus(tmp_path)
    before_text = {script: script.read_bytes() for _, script in files}
    assert {path.name for _, path in files} >= NEVER_END.keys(), "NEVER_END names a gone script"
    before = await run_all([(root, s) for root, s in files if s.name not in NEVER_END])
    ran_well = [script for script, (_, output) in before.items() if output is not None]
    assert len(ran_well) >= 30, "the corpus must give the fixes working scripts to break"

    # Started above the projects: theirs are configurations below where `check` started,
    # used as the user's once git holds them (with no git, a run could have planted them).
    configs = [
        str(root.relative_to(tmp_path) / "scriptcontract.toml") for root in {r for r, _ in files}
    ]
    stage_in_git(tmp_path, *configs)
    fixed = run_check(tmp_path, "--fix", "--exit-zero", "flat", "projects")
    assert fixed.returncode == 0, fixed.stderr
    assert "fixed" in fixed.stderr, "the fixes must have changed some scripts"

    changed = [s for _, s in files if s.read_bytes() != before_text[s]]
    assert changed, "no file was fixed"
    for _, script in files:
        source = script.read_text(encoding="utf-8")
        ast.parse(source, filename=str(script))  # raises if a fix broke the syntax
        if not expected(before_text[script].decode("utf-8")):
            assert script.read_bytes() == before_text[script], f"{script} had no finding"
    # Only the scripts a fix changed are run again: the others are the same bytes, and
    # running them twice held the test past its limit on a loaded machine.
    compared = [script for script in ran_well if script in changed]
    assert compared, "no fix touched a script that ran well: nothing would be compared"
    after = await run_all([(root, s) for root, s in files if s in compared])
    broken = [
        f"{script.name}: exit {before[script][0]} -> {after[script][0]}, "
        f"output {before[script][1]} -> {after[script][1]}"
        for script in compared
        if after[script][0] != before[script][0] or after[script][1] is None
    ]
    assert broken == []
