"""The interpreter under test, first on PATH for the processes the tests start.

Scripts run with the executor's default interpreter, `python3` from PATH. So that the
scripts of the CLI, server and editor tests run under the Python that runs the tests (not
whichever `python3` this machine's PATH holds), those processes are started with a PATH
whose first directory holds a `python3` that is this interpreter.
"""

from __future__ import annotations

import atexit
import functools
import os
import shlex
import shutil
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path


@functools.cache
def _directory() -> Path:
    directory = Path(tempfile.mkdtemp(prefix="scriptcontract-tests-python-"))
    atexit.register(shutil.rmtree, directory, True)
    for name in ("python3", "python"):
        # A wrapper, not a link: a link would start the interpreter outside its venv.
        wrapper = directory / name
        wrapper.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} "$@"\n')
        wrapper.chmod(0o755)
    return directory


def environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """`base` (default: this process's environment) with the interpreter under test first
    on PATH."""
    env = dict(os.environ if base is None else base)
    env["PATH"] = os.pathsep.join(filter(None, [str(_directory()), env.get("PATH")]))
    return env
