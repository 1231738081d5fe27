"""The embedded executor: run a workflow script safely and get a structured result.

executor = PythonExecutor("/path/to/project")
result = await executor.execute_script("scripts/hello.py", {"name": "Lighthouse"})
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scriptcontract.executor.policy import PROTECTIONS, SandboxPolicy
    from scriptcontract.executor.python_executor import PythonExecutor, PythonInfo
    from scriptcontract.executor.result import ExecutionResult, SandboxReport
    from scriptcontract.executor.settings import ExecutorSettings

# Loaded on first use: `check` validates a project's `[executor]` and `[sandbox]` tables
# with `executor.settings` and `executor.policy`, and must not pay for the runner (asyncio,
# the sandbox, cgroups) that importing the package eagerly would bring.
_EXPORTS = {
    "PROTECTIONS": "policy",
    "SandboxPolicy": "policy",
    "PythonExecutor": "python_executor",
    "PythonInfo": "python_executor",
    "ExecutionResult": "result",
    "SandboxReport": "result",
    "ExecutorSettings": "settings",
}

__all__ = [
    "PROTECTIONS",
    "ExecutionResult",
    "ExecutorSettings",
    "PythonExecutor",
    "PythonInfo",
    "SandboxPolicy",
    "SandboxReport",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
