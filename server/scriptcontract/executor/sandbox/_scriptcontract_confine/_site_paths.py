"""What `site.main()` will read once the run is confined, found without running any of it.

The interpreter starts with -S, so the virtual environment and its site-packages are
processed by the bootstrap after the confinement (see boot.py). Landlock must let them be
read then: the environment's prefix, its site-packages folders, and the folders their
`.pth` files add to sys.path. The `.pth` files are read as text here and never executed:
a path line names a folder; an import line runs code, of which only setuptools' editable
finders matter (they map packages to source folders, in a `MAPPING` dict literal).
"""

from __future__ import annotations

import os
import re
import sys

PTH_LIMIT = 64 * 1024
_FINDER_IMPORT = re.compile(r"import (__editable__[\w.]*finder)\b")
_MAPPING_VALUE = re.compile(r"""['"]\s*:\s*['"]([^'"\\]+)['"]""")


def venv_prefix() -> str | None:
    """The virtual environment this interpreter belongs to, found as `site.venv()` does."""
    exe_dir = os.path.dirname(os.path.abspath(sys.executable))
    for folder in (exe_dir, os.path.dirname(exe_dir)):
        if os.path.isfile(os.path.join(folder, "pyvenv.cfg")):
            return folder
    return None


def site_read_paths() -> list[str]:
    import site  # under -S, importing it runs nothing

    venv = venv_prefix()
    prefixes = [p for p in (venv, sys.prefix, sys.exec_prefix) if p]
    paths = list(prefixes)
    for folder in site.getsitepackages(prefixes):
        if not os.path.isdir(folder):
            continue
        paths.append(folder)
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            if name.endswith(".pth"):
                paths.extend(_pth_paths(folder, name))
    return paths


def _pth_paths(folder: str, name: str) -> list[str]:
    text = _read_text(os.path.join(folder, name))
    found: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("import ", "import\t")):
            for module in _FINDER_IMPORT.findall(line):
                finder = _read_text(os.path.join(folder, module + ".py"))
                found.extend(_MAPPING_VALUE.findall(finder))
            continue
        found.append(os.path.join(folder, line))
    return found


def _read_text(path: str) -> str:
    """A small regular file's text, or "" (never blocks: a FIFO is not read)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return ""
    try:
        import stat

        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return ""
        return os.read(fd, PTH_LIMIT).decode("utf-8", "replace")
    except OSError:
        return ""
    finally:
        os.close(fd)
