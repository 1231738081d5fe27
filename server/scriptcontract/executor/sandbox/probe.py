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


def chmod_outside(arg: str) -> Outcome:
    # The interpreter's own os.chmod: the sandbox's opens the file first, which Landlock
    # would refuse before the question reaches the system-call filter.
    chmod = getattr(os.chmod, "__wrapped__", os.chmod)
    try:
        chmod(arg, 0o644)
    except FileNotFoundError:
        return None, f"{arg} does not exist"
    except OSError as exc:
        return _refused(exc), f"making {arg} readable by all: {exc.strerror}"
    return False, f"made {arg} readable by all"


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


def _in_child(action: Callable[[], object]) -> int:
    """Run `action` in a forked child; its errno (0: it worked). Not in the probe itself: it
    may lead its own session (a warm run's child does), or must not enter a namespace."""
    pid = os.fork()
    if pid == 0:
        try:
            action()
        except OSError as exc:
            os._exit(exc.errno or 1)
        os._exit(0)
    status = os.waitpid(pid, 0)[1]
    return (status >> 8) & 0xFF if os.WIFEXITED(status) else 255


def setsid(_arg: str) -> Outcome:
    if not hasattr(os, "setsid") or not hasattr(os, "fork"):
        return None, "no setsid here"
    number = _in_child(os.setsid)
    if number:
        return number in REFUSED, f"setsid: {os.strerror(number)}"
    return False, "left the process group with setsid"


def _libc_call(name: str, *args: object) -> int:
    """A libc function by name: its result, or OSError with errno when it is -1."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    function = getattr(libc, name)
    result = int(function(*args))
    if result == -1:
        number = ctypes.get_errno()
        raise OSError(number, os.strerror(number))
    return result


def _kernel_object(name: str, make: Callable[[], object]) -> Outcome:
    """Try to make something the sandbox refuses; ENOSYS (the kernel lacks it): no answer."""
    if not sys.platform.startswith("linux"):
        return None, f"{name}: Linux only"
    try:
        make()
    except OSError as exc:
        if exc.errno == errno.ENOSYS:
            return None, f"{name}: not in this kernel"
        return _refused(exc), f"{name}: {exc.strerror}"
    return False, f"made {name}"


def sysv_ipc(_arg: str) -> Outcome:
    def make() -> None:
        segment = _libc_call("shmget", 0, 4096, 0o600)  # IPC_PRIVATE
        _libc_call("shmctl", segment, 0, None)  # IPC_RMID: nothing is left behind

    return _kernel_object("a SysV shared memory segment", make)


def memfd(_arg: str) -> Outcome:
    return _kernel_object("a memory file", lambda: os.close(os.memfd_create("probe")))


def dgram_socketpair(_arg: str) -> Outcome:
    def make() -> None:
        for end in socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM):
            end.close()

    return _kernel_object("a unix datagram socket pair", make)


def user_namespace(_arg: str) -> Outcome:
    if not hasattr(os, "fork"):
        return None, "no fork here"
    number = _in_child(lambda: _libc_call("unshare", 0x10000000))  # CLONE_NEWUSER
    if number == errno.EINVAL:
        return None, "user namespaces: not in this kernel"
    if number:
        return number in REFUSED, f"a user namespace: {os.strerror(number)}"
    return False, "made a user namespace"


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
    "chmod_outside": chmod_outside,
    "signal_parent": signal_parent,
    "unix_socket": unix_socket,
    "ptrace": ptrace,
    "raise_limit": raise_limit,
    "memory": memory,
    "tcp_connect": tcp_connect,
    "udp_send": udp_send,
    "fork_beyond": fork_beyond,
    "setsid": setsid,
    "sysv_ipc": sysv_ipc,
    "memfd": memfd,
    "dgram_socketpair": dgram_socketpair,
    "user_namespace": user_namespace,
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
