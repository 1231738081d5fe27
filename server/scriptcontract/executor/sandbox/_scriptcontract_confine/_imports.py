"""What a run imports from the folders runs may write: their source, never a cache of it.

A run may write the project (all but its protected paths), its temp dir and the policy's
write paths, so it may also write what Python takes in place of a module's source there:
its bytecode cache (`__pycache__/m.cpython-311.pyc`, which carries the source's mtime and
size, so a planted one is used while `m.py` stays as the user reviewed it), a bytecode file
without source (`m.pyc`), or a compiled module (`m.cpython-311-x86_64-linux-gnu.so`, which
Python prefers to `m.py`). Such caches and compiled modules are ignored by git, checked by
no one, and the next run of another script (the user's own, with secrets in its inputs)
imported them. In those folders, modules are therefore compiled from their source on every
import (no cache read or written, by any source loader: one a script makes to load a file
by path too), and a compiled module or a bare bytecode file is not
loaded, with an ImportError that says why. Read-only folders (the interpreter's, a
protected virtual environment inside the project) keep every loader and their caches.

Standard library only, Python 3.8 syntax: this runs in the script's interpreter.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds at start-up; only the type checker needs it
    from typing import Any, Callable

REFUSED = (
    "a compiled module ({}) in a folder sandboxed runs may write is not loaded: an earlier "
    "run could have left it there. Install it in the interpreter's environment, or import "
    "it from source"
)


def writable_areas(spec: dict[str, Any]) -> list[str]:
    """The folders and files this run, and so every run of its project, may write."""
    areas = [path for path in spec.get("project_writable") or [] if isinstance(path, str)]
    tmp_dir = spec.get("tmp_dir")
    if isinstance(tmp_dir, str) and tmp_dir:
        areas.append(tmp_dir)
    write_paths = (spec.get("policy") or {}).get("write_paths") or []
    areas.extend(path for path in write_paths if isinstance(path, str))
    return [os.path.realpath(path) for path in areas if path]


def install(spec: dict[str, Any]) -> None:
    """Import from the folders runs may write through their source only (see above)."""
    areas = writable_areas(spec)
    if not areas:
        return
    external: Any = sys.modules["_frozen_importlib_external"]
    _no_cache_in(areas, external.SourceFileLoader)
    hooks = sys.path_hooks
    for index, hook in enumerate(hooks):
        if "FileFinder" in getattr(hook, "__qualname__", ""):
            hooks[index] = _hook(areas, hook, external)
    # A finder made before (the warm runner's, for the interpreter's folders) is kept, but
    # not one for a folder runs may write: it must come from the new hook.
    for entry in list(sys.path_importer_cache):
        if isinstance(entry, str) and _untrusted(entry, areas):
            del sys.path_importer_cache[entry]


def _no_cache_in(areas: list[str], loader: Any) -> None:
    """Every source loader (those of the import system, and those a script makes itself:
    `importlib.util.spec_from_file_location`) skips the bytecode cache of a module in a
    folder runs may write: `get_code()` reads and writes the cache only when `path_stats()`
    answers."""
    original = loader.path_stats

    def path_stats(self: Any, path: str) -> Any:
        if _untrusted(os.path.dirname(path), areas):
            raise OSError("no bytecode cache in a folder runs may write")
        return original(self, path)

    loader.path_stats = path_stats


def _inside(path: str, areas: list[str]) -> bool:
    return any(path == area or path.startswith(area.rstrip(os.sep) + os.sep) for area in areas)


# Each folder's verdict, once per run: every import of a source module asks for its folder.
_verdicts: dict[str, bool] = {}


def _untrusted(path: str, areas: list[str]) -> bool:
    """Whether a run may write the folder `path` or its bytecode cache (a top-level
    `__pycache__` is writable where the project's top level is not)."""
    verdict = _verdicts.get(path)
    if verdict is None:
        folder = os.path.realpath(path or os.getcwd())
        cache = os.path.join(folder, "__pycache__")
        verdict = _inside(folder, areas) or _inside(cache, areas)
        if os.path.isabs(path):  # a relative one ("" on sys.path) follows the current folder
            _verdicts[path] = verdict
    return verdict


def _hook(areas: list[str], original: Callable[[str], Any], external: Any) -> Callable[[str], Any]:
    compiled = tuple(external.EXTENSION_SUFFIXES) + tuple(external.BYTECODE_SUFFIXES)

    class SourceOnlyFinder(external.FileFinder):  # type: ignore[misc]
        def find_spec(self, fullname: str, target: Any = None) -> Any:
            spec = super().find_spec(fullname, target)
            if spec is None:
                name = fullname.rpartition(".")[2]
                # The folder's listing, which find_spec has just read: no call per import.
                listed = getattr(self, "_path_cache", None) or ()
                for suffix in compiled:
                    if name + suffix in listed:
                        candidate = os.path.join(self.path, name + suffix)
                        raise ImportError(REFUSED.format(candidate), name=fullname)
            return spec

    source_only = (external.SourceFileLoader, list(external.SOURCE_SUFFIXES))

    def path_hook_for_source_only(path: str) -> Any:
        if not _untrusted(path, areas):
            return original(path)
        if not os.path.isdir(path or os.getcwd()):
            raise ImportError("only directories are supported", path=path)
        return SourceOnlyFinder(path, source_only)

    return path_hook_for_source_only
