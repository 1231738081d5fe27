"""Raw system calls for the confinement: libc through ctypes, numbers per architecture.

Runs in the script's interpreter (Python 3.8+, standard library only). Only x86_64 and
aarch64 have a syscall table here; elsewhere `ARCH` is None and the callers report the
protections that need it as missing.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds at start-up; only the type checker needs it
    from typing import Any, Sequence

PR_SET_NO_NEW_PRIVS = 38
PR_SET_PDEATHSIG = 1
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2

# errno values the seccomp filter returns: the generic ones, which x86_64 and aarch64 share.
EPERM = 1
ENOSYS = 38

# Landlock's numbers are the same on every architecture that has it.
LANDLOCK_CREATE_RULESET = 444
LANDLOCK_ADD_RULE = 445
LANDLOCK_RESTRICT_SELF = 446


class Arch:
    """One architecture's syscall table and its AUDIT_ARCH_* (seccomp_data.arch)."""

    def __init__(self, name: str, audit: int, syscalls: dict[str, int], x32_bit: int) -> None:
        self.name = name
        self.audit = audit
        self.syscalls = syscalls
        # x86_64 also accepts x32 syscalls (nr | 0x40000000) under the same audit arch.
        self.x32_bit = x32_bit


def _detect_arch() -> Arch | None:
    if not sys.platform.startswith("linux") or sys.byteorder != "little":
        return None
    machine = os.uname().machine
    # A 32-bit interpreter on a 64-bit kernel makes 32-bit syscalls: no table for those.
    if sys.maxsize < 2**32:
        return None
    if machine == "x86_64":
        from ._numbers_x86_64 import NUMBERS  # only this machine's table: a cold run pays it

        return Arch("x86_64", 0xC000003E, NUMBERS, 0x40000000)
    if machine in ("aarch64", "arm64"):
        from ._numbers_aarch64 import NUMBERS

        return Arch("aarch64", 0xC00000B7, NUMBERS, 0)
    return None


ARCH = _detect_arch()


def pack(*fields: tuple[int, int]) -> bytes:
    """A C struct from (value, size in bytes) fields, little-endian as on every architecture
    with a table here: what struct.pack gives, without importing struct (~0.2 ms a cold run).
    """
    return b"".join(value.to_bytes(size, "little") for value, size in fields)


def machine() -> str:
    return os.uname().machine if hasattr(os, "uname") else sys.platform


class Libc:
    """syscall(), prctl() and Py_CompileStringExFlags() of this process; errors become OSError.

    Bound through `_ctypes`, the C half of ctypes: importing the `ctypes` package costs
    ~1.3 ms more (measured), a tenth of a bare interpreter start, on every cold run. The
    names used here are the ones `ctypes/__init__.py` itself has imported since Python
    2.5; should they ever change, the public `ctypes` package is used instead.
    """

    def __init__(self) -> None:
        c: Any
        try:
            import _ctypes as c

            dlopen, cdecl = c.dlopen, c.FUNCFLAG_CDECL
            errno_flag, pythonapi_flag = c.FUNCFLAG_USE_ERRNO, c.FUNCFLAG_PYTHONAPI
        except (ImportError, AttributeError):
            import ctypes as c

            dlopen, cdecl = c._dlopen, c._FUNCFLAG_CDECL
            errno_flag, pythonapi_flag = c._FUNCFLAG_USE_ERRNO, c._FUNCFLAG_PYTHONAPI

        class Long(c._SimpleCData):  # type: ignore[misc]
            _type_ = "l"

        class Char(c._SimpleCData):  # type: ignore[misc]
            _type_ = "c"

        class PyObject(c._SimpleCData):  # type: ignore[misc]
            _type_ = "O"

        class CCall(c.CFuncPtr):  # type: ignore[misc]
            _flags_ = cdecl | errno_flag
            _restype_ = Long

        class PyCall(c.CFuncPtr):  # type: ignore[misc]
            _flags_ = cdecl | pythonapi_flag
            _restype_ = PyObject

        class Library:  # what CFuncPtr((name, library)) looks up symbols in
            _handle = dlopen(None)  # this process: libc and the interpreter itself

        self._c: Any = c
        self._long: Any = Long
        self._char: Any = Char
        self._syscall: Any = CCall(("syscall", Library))
        self._prctl: Any = CCall(("prctl", Library))
        self._py_compile: Any = PyCall(("Py_CompileStringExFlags", Library))

    def syscall(self, number: int, *args: int | bytes | None) -> int:
        """syscall(number, args...): ints go as C longs, bytes as pointers to their data."""
        return self._check(self._syscall(self._long(number), *self._args(args)))

    def prctl(self, option: int, *args: int | bytes | None) -> int:
        padded = list(args) + [0] * (4 - len(args))
        return self._check(self._prctl(self._long(option), *self._args(padded)))

    def address_of(self, data: bytes) -> tuple[int, object]:
        """The address of a copy of `data`, and the object to keep alive while it is used."""
        buffer = (self._char * len(data)).from_buffer_copy(data)
        return int(self._c.addressof(buffer)), buffer

    def compile_file(self, source: bytes, filename: str) -> object:
        """What the builtin compile() gives for a file, without its first-call cost."""
        return self._py_compile(source, os.fsencode(filename), 257, None, -1)  # Py_file_input

    def _args(self, args: Sequence[int | bytes | None]) -> list[object]:
        # A bare Python int would go to these variadic C functions as a 32-bit int.
        return [self._long(a) if isinstance(a, int) else a for a in args]

    def _check(self, result: Any) -> int:
        value = int(getattr(result, "value", result))
        if value == -1:
            number = int(self._c.get_errno())
            raise OSError(number, os.strerror(number))
        return value


_libc: Libc | None = None


def libc() -> Libc:
    """The libc binding, made on first use."""
    global _libc
    if _libc is None:
        _libc = Libc()
    return _libc
