"""The executor's public names, as programs that embed it import them."""

from __future__ import annotations

import subprocess
import sys

import pytest

import scriptcontract.executor as executor


@pytest.mark.parametrize("name", executor.__all__)
def test_every_public_name_resolves_from_the_package(name: str) -> None:
    value = getattr(executor, name)
    assert getattr(value, "__module__", "").startswith("scriptcontract.executor.") or (
        name == "PROTECTIONS" and value
    )


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Missing'"):
        executor.Missing  # noqa: B018


def test_importing_the_package_loads_no_runner_until_a_name_is_used() -> None:
    code = (
        "import sys, scriptcontract.executor as e\n"
        "before = 'asyncio' in sys.modules\n"
        "e.PythonExecutor\n"
        "print(before, 'asyncio' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    # The second value is the control: using the name does load the runner.
    assert done.stdout.split() == ["False", "True"]
