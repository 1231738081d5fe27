"""Probe script of `scriptcontract doctor`: tries what the sandbox should refuse.

Runs as a workflow script, through the executor, in the script's interpreter (Python 3.8+,
standard library only). Arguments: `CHECK[=ARG]...`. Prints one JSON object:
`{"success": true, "checks": {CHECK: {"blocked": true|false|null, "detail": "..."}}}`,
where `blocked` is null when the check cannot be tried on this platform.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Optional, Tuple

    Outcome = Tuple[Optional[bool], str]

REFUSED = (errno.EPERM, errno.EACCES)


def _refused(exc: OSError) -> bool:
    return exc.errno in REFUSED


def read_passwd(_arg: str) -> Outcome:
    path = "/etc/" + "passwd"  # built at run time: no static check can see it
    try:
        with open(path, "rb") as handle:
            handle.read(1)
    except FileNotFoundError:
        return None, "no /etc/passwd here"
    except OSError as exc:
        return _refused(exc), f"reading {path}: {exc.strerror}"
    return False, f"read {path}"


def list_dir(arg: str) -> Outcome:
    try:
        names = os.listdir(arg)
    except FileNotFoundError:
        return None, f"{arg} does not exist"
    except OSError as exc:
        return _refused(exc), f"listing {arg}: {exc.strerror}"
    return False, f"listed {arg} ({len(names)} entries)"


def write_file(arg: str) -> Outcome:
    try:
        with open(arg, "w") as handle:
            handle.write("written by the scriptcontract doctor probe\n")
    except OSError as exc:
        return _refused(exc), f"writing {arg}: {exc.strerror}"
    return False, f"wrote {arg}"


def signal_parent(_arg: str) -> Outcome:
    try:
        os.kill(os.getppid(), 0)  # signal 0: permission check only, nothing is delivered
    except OSError as exc:
        return _refused(exc), f"signalling the executor: {exc.strerror}"
    return False, "could signal the executor"


def unix_socket(_arg: str) -> Outcome:
    family = getattr(socket, "AF_UNIX", None)
    if family is None:
        return None, "no unix sockets here"
    try:
        socket.socket(family, socket.SOCK_STREAM).close()
    except OSError as exc:
        return _refused(exc), f"unix socket: {exc.strerror}"
    return False, "opened a unix socket"


def setsid(_arg: str) -> Outcome:
    if not hasattr(os, "setsid"):
        return None, "no setsid here"
    try:
        os.setsid()
    except OSError as exc:
        return _refused(exc), f"setsid: {exc.strerror}"
    return False, "left the process group with setsid"


def ptrace(_arg: str) -> Outcome:
    if not sys.platform.startswith("linux"):
        return None, "ptrace probe is Linux only"
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    pid = os.fork()
    if pid == 0:
        time.sleep(30)
        os._exit(0)
    try:
        attach, detach = 16, 17  # PTRACE_ATTACH, PTRACE_DETACH
        long = ctypes.c_long
        result = libc.ptrace(long(attach), long(pid), None, None)
        if result == 0:
            libc.ptrace(long(detach), long(pid), None, None)
            return False, "attached to a process with ptrace"
        number = ctypes.get_errno()
        return number in REFUSED, f"ptrace: {os.strerror(number)}"
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)


def raise_limit(_arg: str) -> Outcome:
    try:
        import resource
    except ImportError:
        return None, "no resource limits here"
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    if hard == resource.RLIM_INFINITY:
        return False, "no address-space limit is set"
    try:
        resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    except (OSError, ValueError) as exc:
        return True, f"raising the memory limit: {exc}"
    return False, "raised the memory limit"


def memory(arg: str) -> Outcome:
    size = int(arg) * 1024 * 1024
    try:
        block = bytes(size)  # calloc'ed: costs address space, not touched pages
    except MemoryError:
        return True, f"allocating {arg} MiB: MemoryError"
    del block
    return False, f"allocated {arg} MiB"


def tcp_connect(arg: str) -> Outcome:
    host, port = arg.rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=3).close()
    except OSError as exc:
        return _refused(exc), f"TCP connect to {arg}: {exc.strerror or exc}"
    return False, f"connected to {arg} over TCP"


def udp_send(arg: str) -> Outcome:
    host, port = arg.rsplit(":", 1)
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.sendto(b"doctor", (host, int(port)))
    except OSError as exc:
        return _refused(exc), f"UDP send to {arg}: {exc.strerror or exc}"
    return False, f"sent a UDP datagram to {arg}"


def fork_beyond(arg: str) -> Outcome:
    if not hasattr(os, "fork"):
        return None, "no fork here"
    wanted = int(arg)
    started = 0
    try:
        for _ in range(wanted):
            if os.fork() == 0:
                time.sleep(30)
                os._exit(0)
            started += 1
    except OSError as exc:
        return True, f"fork number {started + 1} refused: {exc.strerror}"
    time.sleep(3)  # the executor's watchdog stops the run before this ends
    return False, f"{started} processes ran at once"


CHECKS: dict[str, Callable[[str], Outcome]] = {
    "read_passwd": read_passwd,
    "list_dir": list_dir,
    "write_file": write_file,
    "signal_parent": signal_parent,
    "unix_socket": unix_socket,
    "ptrace": ptrace,
    "raise_limit": raise_limit,
    "memory": memory,
    "tcp_connect": tcp_connect,
    "udp_send": udp_send,
    "fork_beyond": fork_beyond,
    "setsid": setsid,
}


def main(argv: list[str]) -> None:
    results = {}
    for item in argv:
        name, _, arg = item.partition("=")
        try:
            blocked, detail = CHECKS[name](arg)
        except Exception as exc:
            blocked, detail = None, f"probe failed: {type(exc).__name__}: {exc}"
        results[item] = {"blocked": blocked, "detail": detail}
    print(json.dumps({"success": True, "checks": results}))


if __name__ == "__main__":
    main(sys.argv[1:])
