"""What one run leaves in place of a module's source is never run by a later run.

A run may write the project (its protected paths apart), so it may write what Python takes
instead of a module's source there: a bytecode cache carrying the source's mtime and size
(`scripts/__pycache__/helpers.cpython-311.pyc`), a bare bytecode file (`local_settings.pyc`,
for a `try: import local_settings`), a compiled module that Python prefers to
`helpers.py`. Git ignores all three, the source stays as the user reviewed it, and the next
run of the user's own script (with a token in its inputs) ran what the first one planted,
in its own process and (bytecode) in a Python it started. The positive control runs the same script
the ordinary way, outside the sandbox, and the planted file is what it runs.
"""

from __future__ import annotations

import importlib.machinery
import json
import os
import subprocess
import sys

import pytest

from scriptcontract.executor import PythonExecutor
from tests.conftest import Project

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the sandbox: Linux")

TOKEN = "tok-4f2c9a"

HELPERS = """
def greet(name):
    return "hello " + name
"""

# The user's script: it imports a sibling module, an optional one, and starts a Python
# that imports the sibling too.
TRUSTED = """
import importlib.util, json, os, subprocess, sys
try:
    import local_settings
except ImportError:
    local_settings = None
import helpers
inputs = json.load(sys.stdin)
# A module loaded by path, as plugin loaders do: its own loader, outside the import system.
here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("plugin", os.path.join(here, "helpers.py"))
plugin = importlib.util.module_from_spec(spec)
spec.loader.exec_module(plugin)
child = subprocess.run(
    [sys.executable, "-c", "import helpers; print(helpers.greet('child'))"],
    cwd=here, capture_output=True, text=True, timeout=60,
)
print(json.dumps({
    "success": True,
    "greeting": helpers.greet("x"),
    "plugin": plugin.greet("plugin"),
    "child": child.stdout.strip() or child.stderr.strip()[-300:],
    "settings": getattr(local_settings, "NAME", None),
}))
"""

# What the planted code does with the later run: send its inputs wherever it likes.
EVIL = (
    "def greet(name):\n"
    "    import json, sys\n"
    "    main = sys.modules['__main__']\n"
    "    return 'PWNED ' + json.dumps(getattr(main, 'inputs', None))\n"
    "NAME = 'PWNED'\n"
)

PLANT = """
import importlib.util, json, marshal, os, sys
here = os.path.dirname(os.path.abspath(__file__))
kind = sys.argv[1]
evil = compile({evil!r}, os.path.join(here, "helpers.py"), "exec")
def bytecode(source):
    # A timestamp-checked .pyc: the source's mtime and size, as Python itself writes them.
    info = os.stat(source) if os.path.exists(source) else None
    header = importlib.util.MAGIC_NUMBER + (0).to_bytes(4, "little")
    header += ((int(info.st_mtime) if info else 0) & 0xFFFFFFFF).to_bytes(4, "little")
    header += ((info.st_size if info else 0) & 0xFFFFFFFF).to_bytes(4, "little")
    return header + marshal.dumps(evil)
if kind == "bytecode cache":
    source = os.path.join(here, "helpers.py")
    target = importlib.util.cache_from_source(source)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    data = bytecode(source)
elif kind == "bare bytecode":
    target, data = os.path.join(here, "local_settings.pyc"), bytecode("")
else:  # a compiled module Python prefers to helpers.py (here not even a valid one)
    target = os.path.join(here, "helpers" + {suffix!r})
    data = b"planted by an earlier run"
with open(target, "wb") as handle:
    handle.write(data)
print(json.dumps({{"success": True}}))
"""

# What each kind looks like to the script that loads it.
SEEN = {
    "bytecode cache": "PWNED",
    "bare bytecode": "PWNED",
    "compiled module": importlib.machinery.EXTENSION_SUFFIXES[0],
}


def _write_project(project: Project) -> None:
    project.write("scripts/helpers.py", HELPERS)
    project.write("scripts/trusted.py", TRUSTED)
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    project.write("scripts/plant.py", PLANT.format(evil=EVIL, suffix=suffix))


def _unconfined(project: Project) -> str:
    """The user's script run the ordinary way: what it prints and what it says on stderr."""
    env = {"PATH": os.environ.get("PATH", os.defpath), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, str(project.root / "scripts" / "trusted.py")],
        input=json.dumps({"api_token": TOKEN}),
        capture_output=True,
        text=True,
        cwd=project.root,
        env=env,
        timeout=60,
    )
    return done.stdout + done.stderr


@pytest.mark.parametrize("kind", list(SEEN))
async def test_what_a_run_planted_in_place_of_a_modules_source_is_not_run_later(
    project: Project, executor: PythonExecutor, kind: str
) -> None:
    _write_project(project)
    before = await executor.execute_script("scripts/trusted.py", {"api_token": TOKEN})
    assert before.success, (before.error, before.stderr[-500:])
    planted = await executor.execute_script("scripts/plant.py", args=[kind])
    assert planted.success, (planted.error, planted.stderr[-500:])
    # The positive control: outside the sandbox, Python takes what the run planted.
    assert SEEN[kind] in _unconfined(project)

    result = await executor.execute_script("scripts/trusted.py", {"api_token": TOKEN})
    assert result.success, (result.error, result.stderr[-1000:])
    seen = json.loads(result.stdout)
    assert seen["greeting"] == "hello x"
    assert seen["plugin"] == "hello plugin"
    assert seen["settings"] is None
    assert "PWNED" not in result.stdout + result.stderr
    assert TOKEN not in result.stdout + result.stderr
    if kind != "compiled module":
        # A Python the script starts reads no bytecode cache of the project either; it does
        # load a compiled module, as any Python (a gap, in docs/security.md).
        assert seen["child"] == "hello child"
        assert before.stdout == result.stdout


async def test_a_compiled_module_alone_in_the_project_is_refused_saying_why(
    project: Project, executor: PythonExecutor
) -> None:
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    (project.root / "scripts").mkdir(parents=True, exist_ok=True)
    (project.root / "scripts" / f"fast{suffix}").write_bytes(b"not a module")
    project.write("scripts/uses.py", "import fast\n")
    result = await executor.execute_script("scripts/uses.py")
    assert not result.success
    assert "a compiled module" in result.stderr
    assert f"fast{suffix}" in result.stderr
    assert "an earlier run could have left it there" in result.stderr
