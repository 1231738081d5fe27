"""The results of `check` kept between runs, as ruff keeps its own.

A file is not analysed again while its content, the project modules it imports (and the
files it would import were they there), its project's configuration (the raw
`[tool.scriptcontract]` table and the command line's rule options), scriptcontract's
version and code (`code_stamp`) and the Python version are unchanged. One cache file per project and
configuration, `.scriptcontract_cache/<version>/<fingerprint>.json` at the project root
(at the working directory for files of no project), holds the entries of that project's
files. A cache file is only written after its configuration validated, so finding one also
says that the configuration is valid: an unchanged project needs neither the validation of
its configuration nor the analyser to be checked again.

Writes are atomic (a temporary file renamed over the old one); two checks at once lose at
most each other's new entries, never a whole file. Anything unreadable is a miss.

The cache lies where runs may write, and `check` runs outside the sandbox: a run rewrote it
so that `check` found nothing wrong (exit 0), swapped `<version>` for a symbolic link out of
the project (the next `check` wrote its file there), or for a link to `/dev/zero` (read until
memory ran out). So each file carries a keyed digest of its fingerprint and content, with a
key kept in the user's state folder, which no run may read: a file the key did not sign is a
miss. Below the cache folder nothing is followed through a symbolic link, only regular files
are read, and at most `MAX_CACHE_BYTES`.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

from scriptcontract import __version__
from scriptcontract.check.records import Record
from scriptcontract.digests import digest, keyed_digest
from scriptcontract.state_folder import state_folder

CACHE_DIR_NAME = ".scriptcontract_cache"
FORMAT = 2
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by scriptcontract.\n"
)


def fingerprint(table: dict[str, Any], options: list[str]) -> str:
    """What, beside a file's content, decides its findings."""
    data = [FORMAT, __version__, code_stamp(), list(sys.version_info[:2]), table, options]
    text = json.dumps(data, sort_keys=True, default=str)
    return digest(text.encode("utf-8"))


@functools.cache
def code_stamp() -> list[list[Any]]:
    """The analyser's and check's own modules, by name, size and time of change. The version
    alone kept serving what the old rules found in a working copy installed editable, where
    the code changes and the version does not (seen in an accuracy survey). About 70 stats."""
    package = Path(__file__).resolve().parent.parent
    stamp: list[list[Any]] = []
    for folder in ("contract", "contract/rules", "check"):
        try:
            with os.scandir(package / folder) as entries:
                for entry in entries:
                    if entry.name.endswith(".py"):
                        info = entry.stat()
                        stamp.append([folder, entry.name, info.st_size, info.st_mtime_ns])
        except OSError:
            stamp.append([folder, None])  # (then the version alone tells)
    return sorted(stamp, key=str)


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
    def __init__(self, directory: Path, print_: str, *, named: bool = False) -> None:
        """`named`: the user named `directory` (`--cache-dir`), which may be a symbolic
        link; the default one at a project root or the working directory may not."""
        self.path = directory / __version__ / f"{print_}.json"
        self.directory = directory
        self.named = named
        self.print = print_
        self.entries: dict[str, list[Any]] = {}
        self.exists = False
        self.changed = False
        try:
            key = signing_key()
            top = _open_top(directory, named)
            try:
                raw = _read(top, __version__, self.path.name)
            finally:
                os.close(top)
            loaded = json.loads(_verified(raw, key, print_))
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
        try:
            key = signing_key()
            data = json.dumps(self.entries, separators=(",", ":")).encode("utf-8")
            self.directory.mkdir(parents=True, exist_ok=True)
            top = _open_top(self.directory, self.named)
            try:
                _prepare(top)
                with contextlib.suppress(FileExistsError):
                    os.mkdir(__version__, dir_fd=top)
                folder = os.open(__version__, _DIR_FLAGS | _O_NOFOLLOW, dir_fd=top)
                try:
                    _replace(folder, self.path.name, _signed(data, key, self.print))
                finally:
                    os.close(folder)
            finally:
                os.close(top)
        except OSError as exc:
            return f"cannot write the cache in {self.directory}: {exc.strerror or exc}"
        return None


_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_READ_FLAGS = os.O_RDONLY | _O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
# Far above the cache of a project of thousands of scripts.
MAX_CACHE_BYTES = 256 * 1024 * 1024
KEY_FILE = "check-cache.key"
_KEY_BYTES = 32


def signing_key() -> bytes:
    """The user's key for the cache's digests, made on first use (in the state folder,
    outside every project: no run can read it, so none can sign a cache file)."""
    folder = state_folder()
    path = folder / KEY_FILE
    try:
        parent = os.open(folder, _DIR_FLAGS)
        try:
            key = _read(parent, None, KEY_FILE, max_bytes=_KEY_BYTES)
        finally:
            os.close(parent)
    except FileNotFoundError:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        made = os.urandom(_KEY_BYTES)
        try:
            fd = os.open(path, _NEW_FILE, 0o600)
        except FileExistsError:  # another check made it meanwhile
            return signing_key()
        with os.fdopen(fd, "wb") as handle:
            handle.write(made)
        return made
    if len(key) != _KEY_BYTES:
        raise OSError(f"{path} is not a key of scriptcontract's")
    return key


def _signed(data: bytes, key: bytes, print_: str) -> bytes:
    return _mac(data, key, print_).encode("ascii") + b"\n" + data


def _verified(raw: bytes, key: bytes, print_: str) -> bytes:
    """The content of a signed cache file; ValueError when the key did not sign it, or did
    for another fingerprint (a file moved from a looser configuration's name)."""
    mac, _, data = raw.partition(b"\n")
    # Not `hmac.compare_digest`: importing hmac loads OpenSSL (~17 ms of every check), and a
    # run, long over, cannot time this comparison to guess a digest byte by byte.
    if mac != _mac(data, key, print_).encode("ascii"):
        raise ValueError("not signed")
    return data


def _mac(data: bytes, key: bytes, print_: str) -> str:
    return keyed_digest(key, print_.encode("utf-8") + b"\n", data)


def _open_top(directory: Path, named: bool) -> int:
    return os.open(directory, _DIR_FLAGS | (0 if named else _O_NOFOLLOW))


def _read(top: int, folder: str | None, name: str, max_bytes: int = MAX_CACHE_BYTES) -> bytes:
    """The regular file `folder/name` below the folder open at `top`, opened without
    following a link, without blocking, at most `max_bytes` (OSError or ValueError)."""
    parent = top if folder is None else os.open(folder, _DIR_FLAGS | _O_NOFOLLOW, dir_fd=top)
    try:
        fd = os.open(name, _READ_FLAGS, dir_fd=parent)
    finally:
        if parent != top:
            os.close(parent)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise ValueError("not a regular file")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValueError("too large")
    return data


def _replace(folder: int, name: str, data: bytes) -> None:
    """Write `name` in the folder open at `folder` atomically, never through a link."""
    temporary = f".tmp-{os.urandom(8).hex()}"
    fd = os.open(temporary, _NEW_FILE, 0o644, dir_fd=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder)
        raise


def _prepare(top: int) -> None:
    """A new cache directory says what it is to git and to backup tools."""
    for name, text in ((".gitignore", "# Created by scriptcontract.\n*\n"), ("CACHEDIR.TAG", _TAG)):
        with contextlib.suppress(FileExistsError):
            fd = os.open(name, _NEW_FILE, 0o644, dir_fd=top)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
