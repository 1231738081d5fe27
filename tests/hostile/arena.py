"""The world around a hostile script: canaries, a fake home, secrets, listeners and a victim.

Everything here is built by the test process, outside the project, so that a case can try to
reach it and the checks can see whether it did. Nothing depends on how the script is run:
a language-server test builds the same arena and runs the same cases through the server.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

# The fake secrets the test process holds; a script that sees one of them got out.
SECRET_ENV_NAMES = ("SCRIPTCONTRACT_HOSTILE_SECRET", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN")
# Where the inherited descriptors sit in the test process: numbers no run opens by itself.
# High numbers that the test process does not reach otherwise (checked before each use).
INHERITED_FILE_FD = 900
INHERITED_SOCKET_FD = 901

HOME_FILES = {
    ".ssh/id_ed25519": "-----BEGIN OPENSSH PRIVATE KEY-----\nFAKE KEY FOR A TEST\n",
    ".ssh/authorized_keys": "ssh-ed25519 AAAAFAKE test@example\n",
    ".aws/credentials": "[default]\naws_secret_access_key = FAKE\n",
    ".netrc": "machine example.com login me password FAKE\n",
    ".bash_history": "echo FAKE\n",
}
CANARY_FILES = {
    "secret.txt": "canary secret\n",
    "notes.txt": "canary notes\n",
    "sub/inner.txt": "canary inner\n",
}

# A same-user process with no capabilities: what a normal user's editor or shell looks like
# to a script, even when the tests run as root. It holds a file open so that stealing a
# descriptor has something to steal.
VICTIM_SOURCE = textwrap.dedent(
    """
    import ctypes, os, struct, sys, time
    libc = ctypes.CDLL(None, use_errno=True)
    header = struct.pack("=Ii", 0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    libc.capset(header, bytes(24))
    handle = open(sys.argv[1], "rb")
    print("ready", flush=True)
    time.sleep(600)
    """
)


# What a run could plant for whatever runs next in the project (git, the editor, direnv, the
# next interpreter start, the next run's configuration): laid out in every case's project so
# that a case can aim at it, and checked to be unchanged after every run.
NEXT_RUN_FILES = {
    ".git/config": "[core]\n\trepositoryformatversion = 0\n",
    ".git/hooks/README": "hooks live here\n",
    ".vscode/settings.json": "{}\n",
    ".envrc": "# direnv\n",
    ".venv/pyvenv.cfg": "home = /usr/bin\n",
    ".venv/lib/site-packages/README": "packages live here\n",
}


def lay_out_next_run_files(root: Path) -> None:
    for relative, text in NEXT_RUN_FILES.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@dataclass
class Listeners:
    """Sockets the test listens on; a script that reaches one left a trace here."""

    tcp: socket.socket
    udp: socket.socket
    unix: socket.socket
    unix_path: str
    abstract: socket.socket
    abstract_name: str

    def reached(self) -> list[str]:
        """Which listeners got a connection or a datagram."""
        found = []
        for name, sock in (("tcp", self.tcp), ("unix", self.unix), ("abstract", self.abstract)):
            try:
                conn, _ = sock.accept()
            except BlockingIOError:
                continue
            conn.close()
            found.append(name)
        try:
            self.udp.recv(65536)
        except BlockingIOError:
            pass
        else:
            found.append("udp")
        return found

    def close(self) -> None:
        for sock in (self.tcp, self.udp, self.unix, self.abstract):
            sock.close()


@dataclass
class Arena:
    """One test's project and everything next to it."""

    base: Path
    root: Path
    canary: Path
    home: Path
    runs: Path
    token: str
    secrets: dict[str, str]
    listeners: Listeners | None = None
    victim: subprocess.Popen[bytes] | None = None
    signals_received: list[int] = field(default_factory=list)
    _closers: list[Any] = field(default_factory=list)

    def inputs(self) -> dict[str, Any]:
        """What every case script gets on stdin: where to aim (keys are not path keys)."""
        data: dict[str, Any] = {
            "canary": str(self.canary),
            "home": str(self.home),
            "token": self.token,
            "test_pid": os.getpid(),
            "inherited": [INHERITED_FILE_FD, INHERITED_SOCKET_FD],
            "secret_names": list(self.secrets),
            "victim": self.victim.pid if self.victim else None,
        }
        if self.listeners is not None:
            data.update(
                tcp=self.listeners.tcp.getsockname()[1],
                udp=self.listeners.udp.getsockname()[1],
                unix_socket=self.listeners.unix_path,
                abstract=self.listeners.abstract_name,
            )
        return data

    def close(self) -> None:
        for closer in reversed(self._closers):
            with contextlib.suppress(Exception):
                closer()
        self._closers.clear()


def build_arena(base: Path, *, listeners: bool = False, victim: bool = False) -> Arena:
    """Lay out project, canary, home and run dirs under `base`; the caller closes it."""
    token = secrets.token_hex(8)
    arena = Arena(
        base=base,
        root=base / "project",
        canary=base / "canary",
        home=base / "home",
        runs=base / "runs",
        token=token,
        secrets={name: f"fake-{name.lower()}-{secrets.token_hex(12)}" for name in SECRET_ENV_NAMES},
    )
    (arena.root / "scripts").mkdir(parents=True, exist_ok=True)
    # The project's top level keeps its entries during a run: scripts write in folders.
    (arena.root / "data").mkdir()
    (arena.root / "pyproject.toml").write_text('[project]\nname = "arena"\n')
    lay_out_next_run_files(arena.root)
    arena.runs.mkdir()
    for tree, files in ((arena.canary, CANARY_FILES), (arena.home, HOME_FILES)):
        for relative, text in files.items():
            path = tree / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    (arena.home / ".ssh").chmod(0o700)
    (arena.home / ".ssh" / "id_ed25519").chmod(0o600)
    # A symlink out of the project that exists before the run (made by "someone else").
    (arena.root / "escape").symlink_to(arena.canary)
    _inherit_descriptors(arena)
    _record_signals(arena)
    if listeners:
        arena.listeners = _listen(arena)
        arena._closers.append(arena.listeners.close)
    if victim:
        arena.victim = _start_victim(arena)
    return arena


def _inherit_descriptors(arena: Arena) -> None:
    """Open descriptors without CLOEXEC, as a careless embedding program would."""
    # dup2 would silently close whatever holds these numbers (a warm runner's socket).
    for number in (INHERITED_FILE_FD, INHERITED_SOCKET_FD):
        try:
            os.fstat(number)
        except OSError:
            continue
        raise AssertionError(f"fd {number} is in use: the arena would close it")
    fd = os.open(arena.canary / "secret.txt", os.O_RDONLY)
    os.dup2(fd, INHERITED_FILE_FD, inheritable=True)
    os.close(fd)
    left, right = socket.socketpair()
    os.dup2(left.fileno(), INHERITED_SOCKET_FD, inheritable=True)
    left.close()
    arena._closers.append(right.close)
    arena._closers.append(lambda: os.close(INHERITED_FILE_FD))
    arena._closers.append(lambda: os.close(INHERITED_SOCKET_FD))


def _record_signals(arena: Arena) -> None:
    """SIGUSR2 to the test process is recorded, not fatal: the cases aim it at us."""

    def record(signum: int, _frame: FrameType | None) -> None:
        arena.signals_received.append(signum)

    previous = signal.signal(signal.SIGUSR2, record)
    arena._closers.append(lambda: signal.signal(signal.SIGUSR2, previous))


def _listen(arena: Arena) -> Listeners:
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(8)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    sockets_dir = arena.base / "sockets"
    sockets_dir.mkdir()
    unix_path = str(sockets_dir / "daemon.sock")
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix.bind(unix_path)
    unix.listen(8)
    abstract_name = f"scriptcontract-hostile-{arena.token}"
    abstract = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    abstract.bind("\0" + abstract_name)
    abstract.listen(8)
    for sock in (tcp, udp, unix, abstract):
        sock.setblocking(False)
    return Listeners(tcp, udp, unix, unix_path, abstract, abstract_name)


def _start_victim(arena: Arena) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-I", "-c", VICTIM_SOURCE, str(arena.home / ".netrc")],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
    )
    assert proc.stdout is not None
    if proc.stdout.readline() != b"ready\n":
        proc.kill()
        proc.wait()
        raise RuntimeError("the victim process did not start")

    def stop() -> None:
        proc.kill()
        proc.wait()
        assert proc.stdout is not None
        proc.stdout.close()

    arena._closers.append(stop)
    return proc


@dataclass(frozen=True)
class VictimState:
    """What a script could change about another process without a signal."""

    limits: str
    nice: int
    affinity: frozenset[int]
    scheduler: int
    ioprio: str

    @staticmethod
    def of(pid: int) -> VictimState:
        return VictimState(
            limits=Path(f"/proc/{pid}/limits").read_text(),
            nice=os.getpriority(os.PRIO_PROCESS, pid),
            affinity=frozenset(os.sched_getaffinity(pid)),
            scheduler=os.sched_getscheduler(pid),
            ioprio=_ioprio(pid),
        )


def _ioprio(pid: int) -> str:
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    number = {"x86_64": 252, "aarch64": 31}.get(os.uname().machine)
    if number is None:
        return "unknown"
    return str(libc.syscall(ctypes.c_long(number), ctypes.c_long(1), ctypes.c_long(pid)))
