"""The launcher the VS Code extension starts its server with: its probe and its refusals."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from tests.conftest import REPO
from tests.time_limits import REQUEST_BOUND_S

LAUNCHER = REPO / "editors" / "vscode" / "bundled" / "tool" / "serve.py"


def probe(launcher: Path, *args: str) -> dict[str, object]:
    completed = subprocess.run(
        [sys.executable, str(launcher), "--probe", *args],
        capture_output=True,
        text=True,
        timeout=REQUEST_BOUND_S,
        check=True,
    )
    answer: dict[str, object] = json.loads(completed.stdout)
    return answer


def test_probe_from_the_environment_reports_this_interpreter_ready() -> None:
    answer = probe(LAUNCHER, "--from-environment")
    assert answer["version"] == list(sys.version_info[:3])
    assert answer["executable"] == sys.executable
    assert "problem" not in answer


def test_a_bundle_without_compiled_libraries_for_this_python_says_which_it_has(
    tmp_path: Path,
) -> None:
    tool = tmp_path / "bundled" / "tool"
    tool.mkdir(parents=True)
    shutil.copy(LAUNCHER, tool)
    (tmp_path / "bundled" / "libs").mkdir()
    (tmp_path / "bundled" / "native" / "cp399-elsewhere").mkdir(parents=True)
    # -S as well as the extension's -I: this venv's site-packages would otherwise supply a
    # pydantic_core (the launcher accepts the environment's when the bundle has none).
    completed = subprocess.run(
        [sys.executable, "-I", "-S", str(tool / "serve.py"), "--probe"],
        capture_output=True,
        text=True,
        timeout=REQUEST_BOUND_S,
        check=True,
    )
    problem = json.loads(completed.stdout)["problem"]
    tag = f"cp{sys.version_info[0]}{sys.version_info[1]}-{sysconfig.get_platform()}"
    assert f"no bundled compiled libraries for {tag}" in problem
    assert "cp399-elsewhere" in problem

    started = subprocess.run(
        [sys.executable, "-I", "-S", str(tool / "serve.py")],
        capture_output=True,
        text=True,
        timeout=REQUEST_BOUND_S,
        stdin=subprocess.DEVNULL,
    )
    assert started.returncode == 2
    assert started.stderr.startswith("scriptcontract: cannot start the language server: ")
    assert "Traceback" not in started.stderr
