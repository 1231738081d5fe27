"""The results of `check` kept between runs, as ruff keeps its own.

A file is not analysed again while its content, the project modules it imports (and the
files it would import were they there), its project's configuration (the raw
`[tool.scriptcontract]` table and the command line's rule options), scriptcontract's
version and the Python version are unchanged. One cache file per project and
configuration, `.scriptcontract_cache/<version>/<fingerprint>.json` at the project root
(at the working directory for files of no project), holds the entries of that project's
files. A cache file is only written after its configuration validated, so finding one also
says that the configuration is valid: an unchanged project needs neither the validation of
its configuration nor the analyser to be checked again.

Writes are atomic (a temporary file renamed over the old one); two checks at once lose at
most each other's new entries, never a whole file. Anything unreadable is a miss.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from scriptcontract import __version__
from scriptcontract.check.records import Record
from scriptcontract.digests import digest

CACHE_DIR_NAME = ".scriptcontract_cache"
FORMAT = 2
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by scriptcontract.\n"
)


def fingerprint(table: dict[str, Any], options: list[str]) -> str:
    """What, beside a file's content, decides its findings."""
    data = [FORMAT, __version__, list(sys.version_info[:2]), table, options]
    text = json.dumps(data, sort_keys=True, default=str)
    return digest(text.encode("utf-8"))


class Entry:
    """One file's result: its content's digest, whether it is a script (why not), findings,
    and the project modules the findings depend on, by path, with their digests (None: the
    file was looked for and not found)."""

    __slots__ = ("checked", "digest", "modules", "records", "skipped")

    def __init__(
        self,
        digest: str,
        checked: bool,
        skipped: str | None,
        records: list[Record],
        modules: dict[str, str | None],
    ) -> None:
        self.digest = digest
        self.checked = checked
        self.skipped = skipped
        self.records = records
        self.modules = modules

    def to_json(self) -> list[Any]:
        records = [r.to_json() for r in self.records]
        return [self.digest, self.checked, self.skipped, records, self.modules]

    @classmethod
    def from_json(cls, data: list[Any]) -> Entry:
        digest, checked, skipped, records, modules = data
        if not isinstance(modules, dict):
            raise TypeError("modules")
        return cls(digest, checked, skipped, [Record.from_json(r) for r in records], modules)


class Cache:
    def __init__(self, directory: Path, print_: str) -> None:
        self.path = directory / __version__ / f"{print_}.json"
        self.directory = directory
        self.entries: dict[str, list[Any]] = {}
        self.exists = False
        self.changed = False
        try:
            with open(self.path, encoding="utf-8") as handle:
                loaded = json.load(handle)
            if isinstance(loaded, dict):
                self.entries = loaded
                self.exists = True
        except (OSError, ValueError):
            pass

    def get(self, key: str, digest: str) -> Entry | None:
        data = self.entries.get(key)
        if not data or data[0] != digest:
            return None
        try:
            return Entry.from_json(data)
        except (TypeError, ValueError):
            return None

    def put(self, key: str, entry: Entry) -> None:
        self.entries[key] = entry.to_json()
        self.changed = True

    def save(self) -> str | None:
        """Write the cache; the reason when it could not be (it is only ever a speed-up)."""
        if not self.changed and self.exists:
            return None
        import tempfile

        try:
            _prepare(self.directory)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(prefix=".tmp-", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(self.entries, handle, separators=(",", ":"))
                os.replace(temporary, self.path)
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError as exc:
            return f"cannot write the cache in {self.directory}: {exc.strerror or exc}"
        return None


def _prepare(directory: Path) -> None:
    """A new cache directory says what it is to git and to backup tools."""
    if (directory / "CACHEDIR.TAG").exists():
        return
    directory.mkdir(parents=True, exist_ok=True)
    (directory / ".gitignore").write_text("# Created by scriptcontract.\n*\n", encoding="utf-8")
    (directory / "CACHEDIR.TAG").write_text(_TAG, encoding="utf-8")
