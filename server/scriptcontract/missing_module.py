"""Why a run could not import a module: the interpreter it ran with does not have it, and
perhaps a virtual environment at the project's top does (the first thing a user with a
`.venv` meets: runs use `executor.python`, `python3` unless the project names another, never
an environment found in the project by itself: see docs/troubleshooting.md).

The error text is the script's own: it can make us print a wrong hint, nothing more. The
folders looked at are the site-packages of the project's top-level virtual environments,
which runs cannot change (protected paths): nothing a run wrote is listed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from scriptcontract.virtual_envs import top_level_environments

# `ModuleNotFoundError: No module named 'yaml'` (or 'google.protobuf': its top-level package).
_NO_MODULE = re.compile(r"^ModuleNotFoundError: No module named '(?P<name>[A-Za-z_]\w*)[.']")
# An environment's site-packages, as `venv` lays it out on POSIX.
_SITE_PACKAGES = re.compile(r"python3\.\d+")


def _missing(error: str, root: Path) -> str | None:
    """The installed module `error` says is missing (not one of the project's own)."""
    match = _NO_MODULE.match(error.strip())
    if match is None or _in_project(match["name"], root):
        return None  # the script's own module, not an installed one: another story
    return match["name"]


def environment_with_module(error: str, *, python: str | None, root: Path) -> str | None:
    """The interpreter of the project's top-level environment that has the module `error`
    says is missing, relative to `root` (`.venv/bin/python`), as `run.python` names it: what
    the editors offer to set when the user asks, never used by a run on its own."""
    name = _missing(error, root)
    venv = _environment_having(name, root, python) if name is not None else None
    return os.path.join(os.path.relpath(venv, root), "bin", "python") if venv else None


def missing_module_reason(
    error: str, *, python: str | None, root: Path, command_line: bool = True
) -> str | None:
    """Advice for a run that ended with `error` (the exception its traceback ended with),
    if a module the interpreter `python` lacks is the cause. `command_line`: the advice
    names `--python` too (not in the editor, which has no such flag)."""
    name = _missing(error, root)
    if name is None:
        return None
    used = f"{python}, the interpreter runs use" if python else "the interpreter runs use"
    venv = _environment_having(name, root, python)
    if venv is not None:
        relative = os.path.relpath(venv, root)
        binary = os.path.abspath(os.path.join(venv, "bin", "python"))
        return (
            f"`{name}` is not installed for {used}, but the project's {relative}/ has it: "
            f'`python = "{relative}/bin/python"` under [executor] in scriptcontract.toml '
            "names it for every run (then `scriptcontract trust`), as the editor's run.python "
            + (f"setting does; `--python {binary}` for one run" if command_line else "setting does")
        )
    return (
        f"`{name}` is not installed for {used}: install it there, or name the interpreter "
        "that has it (`--python`, `[executor] python` in scriptcontract.toml, the editor's "
        "run.python setting)"
    )


def _environment_having(name: str, root: Path, python: str | None) -> str | None:
    for venv in _environments(root, python):
        if _has_module(venv, name):
            return venv
    return None


def _in_project(name: str, root: Path) -> bool:
    return (root / f"{name}.py").exists() or (root / name).is_dir()


def _environments(root: Path, python: str | None) -> list[str]:
    """The project's top-level virtual environments but that of `python`."""
    own = os.path.realpath(os.path.dirname(os.path.dirname(python))) if python else None
    return [venv for venv in top_level_environments(root) if os.path.realpath(venv) != own]


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
