"""Where a script's cases live, and reading and writing that file safely.

`scripts/hello.py` has its cases in `scripts/hello.cases.json`, beside its inputs file
`scripts/hello.inputs.json`. The file is read as a project file (a run may have swapped it
for a symlink out of the project or a FIFO), and written atomically, only if it still holds
what was read: an edit made meanwhile, in an editor or by a run, is never overwritten.
"""

from __future__ import annotations

from pathlib import Path

from scriptcontract.cases.loading import CASES_SUFFIX, CasesDocument, load_cases
from scriptcontract.project_files import decode_text, read_project_file
from scriptcontract.project_writes import ProjectFileChanged, write_project_file

MAX_CASES_BYTES = 10 * 1024 * 1024


class CasesFileChanged(Exception):
    """The file no longer holds what was read: it was not written."""


def cases_path(script: Path) -> Path:
    """`scripts/hello.py` -> `scripts/hello.cases.json`."""
    return script.with_name(script.stem + CASES_SUFFIX)


def is_cases_file(path: Path) -> bool:
    return path.name.endswith(CASES_SUFFIX) and len(path.name) > len(CASES_SUFFIX)


def script_path(cases_file: Path) -> Path:
    """`scripts/hello.cases.json` -> `scripts/hello.py`."""
    return cases_file.with_name(cases_file.name[: -len(CASES_SUFFIX)] + ".py")


def read_cases(root: Path, path: Path) -> tuple[bytes, CasesDocument]:
    """The file's bytes and what they hold; `ProjectFileError` when it cannot be read."""
    data = read_project_file(root, path, max_bytes=MAX_CASES_BYTES)
    return data, load_cases(decode_text(data, path))


def write_cases(root: Path, path: Path, original: bytes | None, text: str) -> None:
    """Replace the file with `text`, unless it no longer holds `original` (None: it must not
    exist yet). Raises `CasesFileChanged`, or `ProjectFileError` when it cannot be written."""
    try:
        write_project_file(root, path, text.encode("utf-8"), expect=original, follow_link=True)
    except ProjectFileChanged:
        what = "was created meanwhile" if original is None else "changed since it was read"
        raise CasesFileChanged(f"{path} {what}: not written") from None
