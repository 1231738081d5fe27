"""Why a run could not import a module: the interpreter it ran with does not have it, and
perhaps a virtual environment at the project's top does (the first thing a user with a
`.venv` meets: runs use `executor.python`, `python3` unless the project names another, never
an environment found in the project by itself: see docs/executor.md).

The error text is the script's own: it can make us print a wrong hint, nothing more. The
folders looked at are the project's top-level virtual environments, which runs cannot
change (protected paths), and only for names that exist: no listing of what a run wrote.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

# `ModuleNotFoundError: No module named 'yaml'` (or 'google.protobuf': its top-level package).
_NO_MODULE = re.compile(r"^ModuleNotFoundError: No module named '(?P<name>[A-Za-z_]\w*)[.']")
# An environment's site-packages, as `venv` lays it out on POSIX.
_SITE_PACKAGES = re.compile(r"python3\.\d+")
# The most entries of the project's top level looked at for environments.
_MOST_ENTRIES = 1000


def missing_module_reason(error: str, *, python: str | None, root: Path) -> str | None:
    """Advice for a run that ended with `error` (the exception its traceback ended with),
    if a module the interpreter `python` lacks is the cause."""
    match = _NO_MODULE.match(error.strip())
    if match is None:
        return None
    name = match["name"]
    if _in_project(name, root):
        return None  # the script's own module, not an installed one: another story
    used = f"{python}, the interpreter runs use" if python else "the interpreter runs use"
    for venv in _environments(root, python):
        if not _has_module(venv, name):
            continue
        relative = os.path.relpath(venv, root)
        binary = os.path.abspath(os.path.join(venv, "bin", "python"))
        return (
            f"`{name}` is not installed for {used}, but the project's {relative}/ has it: "
            f'`python = "{relative}/bin/python"` under [executor] in scriptcontract.toml '
            "names it for every run (then `scriptcontract trust`), as the editor's run.python "
            f"setting does; `--python {binary}` for one run"
        )
    return (
        f"`{name}` is not installed for {used}: install it there, or name the interpreter "
        "that has it (`--python`, `[executor] python` in scriptcontract.toml, the editor's "
        "run.python setting)"
    )


def _in_project(name: str, root: Path) -> bool:
    return (root / f"{name}.py").exists() or (root / name).is_dir()


def _environments(root: Path, python: str | None) -> list[str]:
    """The top-level virtual environments of `root` (a folder with `pyvenv.cfg`) but that of
    `python`, by name; at most `_MOST_ENTRIES` entries of the top level are looked at."""
    own = os.path.realpath(os.path.dirname(os.path.dirname(python))) if python else None
    found: list[str] = []
    try:
        with os.scandir(root) as entries:
            for count, entry in enumerate(entries):
                if count >= _MOST_ENTRIES:
                    break
                if not entry.is_dir(follow_symlinks=False):
                    continue
                if not os.path.isfile(os.path.join(entry.path, "pyvenv.cfg")):
                    continue
                if own is not None and os.path.realpath(entry.path) == own:
                    continue
                found.append(entry.path)
    except OSError:
        return []
    return sorted(found)


def _has_module(venv: str, name: str) -> bool:
    """Whether the environment's site-packages holds `name`: a package, a module, or an
    extension module (`name.cpython-311-x86_64-linux-gnu.so`)."""
    lib = os.path.join(venv, "lib")
    try:
        versions = [entry for entry in os.listdir(lib) if _SITE_PACKAGES.fullmatch(entry)]
    except OSError:
        return False
    for version in versions:
        site = os.path.join(lib, version, "site-packages")
        if os.path.isdir(os.path.join(site, name)) or os.path.isfile(
            os.path.join(site, f"{name}.py")
        ):
            return True
        try:
            if any(
                entry.startswith(f"{name}.") and entry.endswith((".so", ".pyd"))
                for entry in os.listdir(site)
            ):
                return True
        except OSError:
            continue
    return False
