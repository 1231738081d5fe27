"""Find the interpreter a script runs with, once: its real binary and its version.

A pyenv shim costs ~100 ms per start, so `python3` is resolved to the binary the shim
would start (`sys.executable` of that interpreter) and the answer is cached.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

from scriptcontract.executor.sandbox import SITE_PATHS

MIN_SCRIPT_PYTHON = (3, 8)

# Run with -I -S: nothing of the interpreter's site-packages (`.pth` files, sitecustomize)
# runs outside the sandbox; the bootstrap processes them once the run is confined. It says
# where the interpreter's standard library is (its base prefix) and what site-packages
# would put on sys.path (read as text, never run: see _site_paths.py).
_PROBE = (
    "import json, sys; print(sys.executable); print('%d.%d.%d' % sys.version_info[:3]); "
    "print(sys.base_prefix); namespace = {'__name__': 'site_paths'}; "
    "exec(compile(open(sys.argv[1]).read(), sys.argv[1], 'exec'), namespace); "
    "print(json.dumps(namespace['site_read_paths']()))"
)


@dataclass(frozen=True)
class Interpreter:
    requested: str
    executable: str
    version: tuple[int, int, int]
    venv: str = ""  # the virtual environment it belongs to, if any
    base_prefix: str = ""  # where its standard library lives
    # Folders its site-packages processing reads from (the venv, site-packages, what .pth
    # files add): see `site_is_outside`.
    site_paths: tuple[str, ...] = field(default_factory=tuple)
    # The file the probe started (a shim, a link), which each new process starts again.
    started: str = ""

    @property
    def version_text(self) -> str:
        return ".".join(map(str, self.version))


class InterpreterError(Exception):
    """The interpreter cannot run scripts; the message is for the user."""


_cache: dict[tuple[str, str, tuple[str, ...]], Interpreter] = {}
_locks: dict[tuple[str, str, tuple[str, ...]], asyncio.Lock] = {}


def not_found_message(python_path: str) -> str:
    return f"Python interpreter not found: {python_path}"


def interpreter_path(python_path: str, root: str | os.PathLike[str] | None) -> str:
    """`python_path` as the file it names: a relative path with a folder in it
    (`.venv/bin/python`) lies below `root`, the project root, where the configuration that
    names it is, whatever folder the caller started in; `~` is the user's home. A bare name
    (`python3`) is looked for on PATH (`find_on_path`)."""
    path = os.path.expanduser(python_path) if python_path.startswith("~") else python_path
    if root is not None and os.path.dirname(path) and not os.path.isabs(path):
        return os.path.join(os.fspath(root), path)
    return path


async def resolve_interpreter(
    python_path: str,
    *,
    writable: Sequence[str | os.PathLike[str]] = (),
    root: str | os.PathLike[str] | None = None,
) -> Interpreter:
    """Resolve `python_path` (a name on PATH or a path) to a usable interpreter, or raise.

    `writable`: the folders runs may write (the project, `write-paths`): a name is never
    found in them (see `find_on_path`). `root`: the project root, which a relative path is
    relative to (`interpreter_path`); without it, the current folder."""
    python_path = interpreter_path(python_path, root)
    key = (python_path, os.environ.get("PATH", ""), tuple(str(folder) for folder in writable))
    cached = _cache.get(key)
    if cached is not None and os.access(cached.executable, os.X_OK):
        return cached
    lock = _locks.setdefault(key, asyncio.Lock())
    async with lock:
        cached = _cache.get(key)
        if cached is not None and os.access(cached.executable, os.X_OK):
            return cached
        interpreter = await _probe(python_path, writable)
        _cache[key] = interpreter
        return interpreter


class PlantablePath(Exception):
    """The interpreter a name finds first on PATH lies where runs may write."""


def find_on_path(name: str, writable: Sequence[str | os.PathLike[str]]) -> str | None:
    """`shutil.which(name)`, refusing what it finds in a PATH folder runs may write.

    The probe runs the interpreter outside the sandbox, before any confinement: with the
    project's `bin` on PATH (direnv's `PATH_add bin`, `./node_modules/.bin`), a run left a
    `bin/python3` there, and the next run started it unconfined. So the first match in a
    relative PATH entry or a folder of `writable` raises `PlantablePath` (not silently
    passed over for another interpreter), but for the folder of the environment
    scriptcontract itself runs from (an activated project `.venv`): the sandbox keeps it
    read-only wherever it lies. A name with a folder in it is the user's choice (a flag, an
    editor setting, a trusted configuration) and is used as given.
    """
    if os.path.dirname(name):
        return shutil.which(name)
    avoided = [os.path.realpath(folder) for folder in writable]
    own = {os.path.realpath(os.path.dirname(sys.executable))}
    for entry in os.environ.get("PATH", os.defpath).split(os.pathsep):
        found = shutil.which(name, path=entry or os.curdir)
        if found is None:
            continue
        real = os.path.realpath(entry or os.curdir)
        inside = any(real == top or real.startswith(top.rstrip(os.sep) + os.sep) for top in avoided)
        if real not in own and (not os.path.isabs(entry) or inside):
            raise PlantablePath(found)
        return found
    return None


async def _probe(python_path: str, writable: Sequence[str | os.PathLike[str]]) -> Interpreter:
    try:
        found = find_on_path(python_path, writable)
    except PlantablePath as exc:
        raise InterpreterError(
            f"{python_path} is found on PATH as {exc}, in a folder runs of this project may "
            "write (or through a relative PATH entry): a run could have put it there, and it "
            "would start outside the sandbox, so it is not started. Name the interpreter "
            "(--python, the editor's run.python, or executor.python)"
        ) from None
    if found is None:
        raise InterpreterError(not_found_message(python_path))
    # What `which` found from this process's folder, started from the root's below.
    found = os.path.abspath(found)
    # Started in the project root, not in the caller's folder: a version manager's shim
    # (pyenv's `python3`) starts the interpreter a `.python-version` in the folder it runs
    # in (or above) names, and below the root that is a file runs may write (planted in
    # `scripts/`, it chose the interpreter of the user's runs started from there). The
    # root's own is a protected path, and its parents lie outside the project.
    top = str(writable[0]) if writable else None
    if top is not None and not os.path.isdir(top):
        top = None  # a root that is not there is reported by the run, not as no interpreter
    try:
        proc = await asyncio.create_subprocess_exec(
            found,
            "-I",
            "-S",
            "-c",
            _PROBE,
            str(SITE_PATHS),
            cwd=top,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    except (OSError, asyncio.TimeoutError) as exc:
        raise InterpreterError(f"{not_found_message(python_path)} ({exc})") from exc
    lines = out.decode("utf-8", "replace").splitlines()
    if proc.returncode != 0 or len(lines) < 2:
        detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise InterpreterError(
            f"{not_found_message(python_path)} (it did not run as Python 3: {detail[0]})"
        )
    try:
        version = tuple(int(part) for part in lines[1].split("."))
    except ValueError as exc:
        raise InterpreterError(f"{python_path} reported an odd version: {lines[1]!r}") from exc
    if len(version) != 3:
        raise InterpreterError(f"{python_path} reported an odd version: {lines[1]!r}")
    major_minor = (version[0], version[1])
    if major_minor < MIN_SCRIPT_PYTHON:
        raise InterpreterError(
            f"{python_path} is Python {lines[1]}; workflow scripts need Python "
            f"{MIN_SCRIPT_PYTHON[0]}.{MIN_SCRIPT_PYTHON[1]} or newer"
        )
    executable = lines[0] or found
    try:
        site_paths = tuple(str(p) for p in json.loads(lines[3])) if len(lines) > 3 else ()
    except ValueError:
        site_paths = ()
    return Interpreter(
        python_path,
        executable,
        (version[0], version[1], version[2]),
        _venv_of(executable),
        lines[2] if len(lines) > 2 else "",
        site_paths,
        found,
    )


def _venv_of(executable: str) -> str:
    """The virtual environment `executable` belongs to, found as `site` finds it (a
    `pyvenv.cfg` beside the binary or one folder up), or "" outside one. Under -S the
    interpreter itself does not look, so the probe cannot tell."""
    folder = os.path.dirname(os.path.abspath(executable))
    for candidate in (folder, os.path.dirname(folder)):
        if os.path.isfile(os.path.join(candidate, "pyvenv.cfg")):
            return candidate
    return ""
