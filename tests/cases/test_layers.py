"""The cases package stays pure: no language server, no executor behind its imports."""

from __future__ import annotations

import subprocess
import sys

MODULES = (
    "adding",
    "editing",
    "files",
    "json_tree",
    "loading",
    "locating",
    "matching",
    "model",
    "paths",
    "schema",
)
CHECK = f"""
import sys
for name in {MODULES!r}:
    __import__("scriptcontract.cases." + name)
banned = ("pygls", "lsprotocol", "scriptcontract.executor", "scriptcontract.lsp")
print(sorted(m for m in sys.modules if m.startswith(banned)))
"""


def test_the_cases_package_imports_neither_the_server_nor_the_executor() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout
