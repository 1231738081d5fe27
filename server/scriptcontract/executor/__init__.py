"""The embedded executor: run a workflow script safely and get a structured result.

executor = PythonExecutor("/path/to/project")
result = await executor.execute_script("scripts/hello.py", {"name": "Lighthouse"})
"""

from scriptcontract.executor.policy import PROTECTIONS, SandboxPolicy
from scriptcontract.executor.python_executor import PythonExecutor, PythonInfo
from scriptcontract.executor.result import ExecutionResult, SandboxReport
from scriptcontract.executor.settings import ExecutorSettings

__all__ = [
    "PROTECTIONS",
    "ExecutionResult",
    "ExecutorSettings",
    "PythonExecutor",
    "PythonInfo",
    "SandboxPolicy",
    "SandboxReport",
]
