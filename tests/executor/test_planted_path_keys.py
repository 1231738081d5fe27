"""`input_path_keys` from a configuration a run could have planted, in the executor's check
before a run (outside the sandbox).

Each executor runs in a process of its own, bounded in time: a pattern that backtracked for
ever would hold the interpreter (GIL and all), which no timeout inside the process can stop.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from tests.backtracking import ATTACKS, re_is_held
from tests.conftest import Project
from tests.interpreter import environment
from tests.time_limits import run_bound

ECHO = "import json, sys\nprint(json.dumps({'success': True, 'inputs': json.load(sys.stdin)}))\n"
DRIVER = """
import asyncio, json, sys
from scriptcontract.executor.python_executor import PythonExecutor
root, keys, inputs = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
executor = PythonExecutor(root, input_path_keys=keys)
result = asyncio.run(executor.execute_script("scripts/echo.py", inputs))
print(result.model_dump_json())
"""


def _run(project: Project, keys: str, inputs: dict[str, Any]) -> dict[str, Any]:
    project.write("scripts/echo.py", ECHO)
    try:
        done = subprocess.run(
            [sys.executable, "-c", DRIVER, str(project.root), keys, json.dumps(inputs)],
            capture_output=True,
            text=True,
            timeout=run_bound(),
            env=environment(),
            check=True,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the executor was still checking the inputs after {run_bound()} s")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize(("pattern", "key"), ATTACKS)
def test_a_pattern_that_backtracks_for_ever_does_not_hold_the_check_before_a_run(
    project: Project, pattern: str, key: str
) -> None:
    assert re_is_held(pattern, key)  # the control: the check used to hold on this very pair
    ran = _run(project, pattern, {key: "/etc/shadow"})
    assert ran["success"], ran["error"]  # the key is not one the pattern adds
    # The pattern is honoured: a key it adds is checked.
    refused = _run(project, pattern, {key.replace("!", "a"): "/etc/shadow"})
    assert "Input path validation failed" in refused["error"], refused


@pytest.mark.parametrize("pattern", ["zzz", "^$", "^(?:src|dst)$"])
@pytest.mark.parametrize("value", ["/etc/shadow", "../../secret"])
def test_a_pattern_that_matches_no_default_key_leaves_them_checked(
    project: Project, pattern: str, value: str
) -> None:
    refused = _run(project, pattern, {"input_file": value})
    assert refused["error_kind"] == "validation", refused
    assert f"input_file = {value!r}" in refused["error"], refused
    # The control: a key that is no path key is not checked, so the refusal above is the
    # default keys' check, which a pattern replacing them would have turned off.
    ran = _run(project, pattern, {"note": value})
    assert ran["success"], ran["error"]
