"""The system-call policy, group by group, each probe beside its positive control.

Every probe runs twice in the same project: with the policy (`syscalls` on), where the
call must be refused by the filter (EPERM), and with the filter's policy off, where the
very same call must get past the filter (it works, or fails with its own error), so that
a refusal seen here is the filter's doing and not the kernel's, Landlock's or a broken
probe's. The allowed groups are shown working by an everyday script.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from scriptcontract.executor import SandboxPolicy
from scriptcontract.executor.sandbox._scriptcontract_confine import (
    _numbers_aarch64,
    _numbers_x86_64,
    _syscalls,
)
from tests.conftest import Project
from tests.executor.conftest import MakeExecutor
from tests.executor.test_sandbox_platform import call_is_new, needs_seccomp

PRELUDE = r"""
import ctypes, errno, fcntl, json, os, platform, socket, sys
LIBC = ctypes.CDLL(None, use_errno=True)
LIBC.syscall.restype = ctypes.c_long
NR = {"x86_64": %s, "aarch64": %s}[platform.machine()]

def syscall(name, *args):
    result = LIBC.syscall(ctypes.c_long(NR[name]), *[
        ctypes.c_long(a) if isinstance(a, int) else a for a in args])
    if result < 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))
    return result

def outcome(action):
    try:
        action()
    except OSError as exc:
        return errno.errorcode.get(exc.errno, str(exc.errno))
    return "ok"

# The call made in a forked child (not the script: it may lead its session, or should not
# enter a namespace): OSError with the child's errno when it failed.
def in_child(action):
    pid = os.fork()
    if pid == 0:
        try:
            action()
        except OSError as exc:
            os._exit(exc.errno or 1)
        os._exit(0)
    code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    if code:
        raise OSError(code, os.strerror(code))

# A call on a descriptor opened for reading only, as Landlock grants it on files the run
# may only read.
def on_read_only(path, action):
    fd = os.open(path, os.O_RDONLY)
    try:
        action(fd)
    finally:
        os.close(fd)

def same_flags(fd):
    flags = bytearray(8)
    fcntl.ioctl(fd, 0x80086601, flags, True)  # FS_IOC_GETFLAGS
    fcntl.ioctl(fd, 0x40086602, bytes(flags))  # FS_IOC_SETFLAGS, the same flags

def raw_clone(flags):
    pid = syscall("clone", flags, 0, 0, 0, 0)
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0) if flags & 0x8000 == 0 else None
"""


@dataclass(frozen=True)
class Probe:
    name: str
    group: str  # the policy's group it stands for
    code: str  # a Python expression that makes the call
    refused: str = "EPERM"  # what the filter answers
    kernel: tuple[int, int] = (0, 0)  # the first Linux with the call (for the control)


PROBES = [
    Probe("setsid", "process group", "in_child(os.setsid)"),
    Probe(
        "process_vm_readv",
        "other processes",
        "syscall('process_vm_readv', os.getpid(), 0, 0, 0, 0, 0)",
    ),
    Probe("kcmp", "other processes", "syscall('kcmp', os.getpid(), os.getpid(), 0, 0, 0)"),
    Probe("keyctl", "kernel", "syscall('keyctl', 0, -3, 0)"),  # KEYCTL_GET_KEYRING_ID, session
    Probe("userfaultfd", "kernel", "os.close(syscall('userfaultfd', 1))"),  # UFFD_USER_MODE_ONLY
    Probe(
        "io_uring_setup",
        "io_uring",
        "os.close(syscall('io_uring_setup', 1, ctypes.create_string_buffer(120)))",
    ),
    Probe("unshare", "namespaces and mounts", "in_child(lambda: syscall('unshare', 0x10000000))"),
    Probe(
        "name_to_handle_at",
        "file handles",
        "syscall('name_to_handle_at', -100, b'scripts', ctypes.create_string_buffer(136), "
        "ctypes.byref(ctypes.c_int()), 0)",
    ),
    # IPC objects outlive the run: each one made is removed at once.
    Probe("shmget", "ipc", "syscall('shmctl', syscall('shmget', 0, 4096, 0o600), 0, None)"),
    Probe("semget", "ipc", "syscall('semctl', syscall('semget', 0, 1, 0o600), 0, 0, 0)"),
    Probe("msgget", "ipc", "syscall('msgctl', syscall('msgget', 0, 0o600), 0, None)"),
    Probe(
        "mq_open",
        "ipc",
        "(os.close(syscall('mq_open', b'sc-probe', 0o100 | 2, 0o600, None)), "
        "syscall('mq_unlink', b'sc-probe'))",
    ),
    Probe("memfd_create", "ipc", "os.close(os.memfd_create('probe'))"),
    Probe("inotify_init1", "ipc", "os.close(syscall('inotify_init1', 0))"),
    # AIO contexts are counted machine-wide: one run could take every one of them.
    Probe(
        "io_setup",
        "not in the policy",
        "(lambda ctx: (syscall('io_setup', 1, ctypes.byref(ctx)), "
        "syscall('io_destroy', ctx.value)))(ctypes.c_ulong(0))",
        refused="ENOSYS",
    ),
    Probe("setuid", "identity", "os.setuid(os.getuid())"),
    Probe("chown", "metadata", "os.chown('scripts', os.getuid(), os.getgid())"),
    Probe("setxattr", "metadata", "os.setxattr('scripts/probe.py', 'user.probe', b'1')"),
    Probe(
        "fchown",
        "metadata",
        "on_read_only('scripts/probe.py', lambda fd: os.fchown(fd, -1, -1))",
    ),
    # Raw calls, past the bootstrap's os.chmod and os.utime (which go through a descriptor).
    Probe(
        "fchmodat",
        "mode and times by path",
        "syscall('fchmodat', -100, b'scripts/probe.py', 0o644)",
    ),
    Probe(
        "fchmodat2 AT_EMPTY_PATH",
        "mode and times by path",
        "syscall('fchmodat2', os.open('scripts/probe.py', os.O_PATH), b'', 0o644, 0x1000)",
        kernel=(6, 6),
    ),
    # Allowed with some arguments only.
    Probe(
        "utimensat with a path",
        "checked: utimensat",
        "syscall('utimensat', -100, b'scripts/probe.py', None, 0)",
    ),
    Probe(
        "utimensat AT_EMPTY_PATH",
        "checked: utimensat",
        "syscall('utimensat', os.open('scripts/probe.py', os.O_PATH), b'', None, 0x1000)",
    ),
    Probe("clone with CLONE_PARENT", "checked: clone", "raw_clone(0x8000 | 17)"),
    Probe(
        "socketpair datagram",
        "checked: socketpair",
        "[s.close() for s in socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)]",
    ),
    Probe("socket AF_UNIX", "checked: socket", "socket.socket(socket.AF_UNIX).close()"),
    Probe("socket AF_ALG", "checked: socket", "socket.socket(38, socket.SOCK_SEQPACKET).close()"),
    Probe("ioctl TIOCSTI", "checked: ioctl", "syscall('ioctl', 0, 0x5412, b'x')"),
    # A FIFO blocks whoever opens it (git, reading a .gitignore); each one made is removed.
    Probe("mkfifo", "checked: mknod", "(os.mkfifo('scripts/fifo'), os.remove('scripts/fifo'))"),
    Probe(
        "mknod socket",
        "checked: mknod",
        "(os.mknod('scripts/socket', 0o140600), os.remove('scripts/socket'))",
    ),
    Probe(
        "ioctl FS_IOC_SETFLAGS", "checked: ioctl", "on_read_only('scripts/probe.py', same_flags)"
    ),
    Probe(
        "ioctl of btrfs",  # BTRFS_IOC_SYNC: any other file system answers ENOTTY
        "checked: ioctl",
        "on_read_only('scripts', lambda fd: fcntl.ioctl(fd, 0x9408))",
    ),
    Probe(
        "fcntl F_SETLEASE",
        "checked: fcntl",
        "on_read_only('scripts/probe.py', lambda fd: fcntl.fcntl(fd, 1024, fcntl.F_RDLCK))",
    ),
    Probe(
        "fcntl F_NOTIFY",  # DN_DELETE, of which nothing happens there meanwhile
        "checked: fcntl",
        "on_read_only('scripts', lambda fd: fcntl.fcntl(fd, 1026, 0x8))",
    ),
    Probe("prctl PR_SET_KEEPCAPS", "checked: prctl", "syscall('prctl', 8, 1, 0, 0, 0)"),
    Probe("personality", "checked: personality", "syscall('personality', 0x0040000)"),
    Probe(
        "prlimit64 of another process",
        "checked: pid",
        "syscall('prlimit64', os.getppid(), 7, None, ctypes.create_string_buffer(16))",
    ),
]
PROBE_IDS = [
    pytest.param(probe.name, id=probe.name, marks=call_is_new(probe.kernel)) for probe in PROBES
]


def _script(probes: list[Probe]) -> str:
    numbers = {
        "x86_64": dict(_numbers_x86_64.NUMBERS),
        "aarch64": dict(_numbers_aarch64.NUMBERS),
    }
    lines = [PRELUDE % (numbers["x86_64"], numbers["aarch64"]), "results = {}"]
    for probe in probes:
        lines.append(f"results[{probe.name!r}] = outcome(lambda: {probe.code})")
    lines.append("print(json.dumps({'success': True, 'results': results}))")
    return "\n".join(lines) + "\n"


async def _outcomes(
    project: Project, make_executor: MakeExecutor, *, syscalls: bool
) -> dict[str, str]:
    project.write("scripts/probe.py", _script(PROBES))
    executor = make_executor(project.root, sandbox=SandboxPolicy(syscalls=syscalls))
    result = await executor.execute_script("scripts/probe.py")
    assert result.success, (result.error, result.stderr[-2000:])
    assert result.output is not None
    results: dict[str, str] = result.output["results"]
    return results


@pytest.fixture
async def outcomes(
    project: Project, make_executor: MakeExecutor
) -> tuple[dict[str, str], dict[str, str]]:
    """Each probe's outcome with the policy and, the positive control, without it."""
    with_policy = await _outcomes(project, make_executor, syscalls=True)
    without = await _outcomes(project, make_executor, syscalls=False)
    return with_policy, without


@needs_seccomp()
@pytest.mark.parametrize("name", PROBE_IDS)
def test_each_refused_group_is_refused_by_the_filter(
    outcomes: tuple[dict[str, str], dict[str, str]], name: str
) -> None:
    with_policy, without = outcomes
    probe = next(p for p in PROBES if p.name == name)
    assert with_policy[name] == probe.refused, f"{name} ({probe.group}) got {with_policy[name]}"
    # The positive control: without the filter, the call goes through to the kernel.
    assert without[name] not in ("EPERM", "ENOSYS"), f"{name} without the filter: {without[name]}"


EVERYDAY = """
import asyncio, concurrent.futures, csv, gzip, hashlib, json, locale, logging, mmap, fcntl
import os, select, selectors, shutil, signal, socket, sqlite3, ssl, subprocess, sys, tempfile
import threading, time, uuid, zipfile, zoneinfo, datetime, resource
os.makedirs("scripts/work/x", exist_ok=True)
open("scripts/work/x/a.txt", "w").write("hi")
shutil.copy("scripts/work/x/a.txt", "scripts/work/x/plain.txt")
if os.geteuid() != 0:  # a run as root changes no mode or times: test_sandbox_modes
    shutil.copy2("scripts/work/x/a.txt", "scripts/work/x/b.txt")
    shutil.copytree("scripts/work/x", "scripts/work/y", dirs_exist_ok=True)
    shutil.rmtree("scripts/work/y")
    os.chmod("scripts/work/x/a.txt", 0o640); os.utime("scripts/work/x/a.txt")
os.symlink("a.txt", "scripts/work/x/link"); os.link("scripts/work/x/a.txt", "scripts/work/x/hard")
list(os.walk("scripts")); os.statvfs("scripts"); os.access("scripts", os.R_OK)
with tempfile.TemporaryDirectory() as folder:
    open(os.path.join(folder, "t"), "w").write("x")
con = sqlite3.connect("scripts/work/db.sqlite"); con.execute("create table t(x)"); con.commit()
ssl.create_default_context()
subprocess.run(["ls", "-la"], capture_output=True, timeout=5, check=True)
subprocess.run("echo hi | sort", shell=True, capture_output=True, timeout=5, check=True)
subprocess.run([sys.executable, "-c", "print(1)"], capture_output=True, timeout=10, check=True)
with concurrent.futures.ThreadPoolExecutor(4) as pool:
    list(pool.map(lambda x: x * 2, range(10)))
async def main():
    process = await asyncio.create_subprocess_exec("true")
    await process.wait()
    await asyncio.sleep(0.01)
asyncio.run(main())
a, b = socket.socketpair(); a.sendall(b"x"); b.recv(1)
server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen()
client = socket.create_connection(server.getsockname(), timeout=2); server.accept()[0].close()
socket.getaddrinfo("localhost", 80)
hashlib.sha256(b"x").hexdigest(); uuid.uuid4(); os.urandom(8)
zoneinfo.ZoneInfo("UTC"); datetime.datetime.now().astimezone()
gzip.open("scripts/work/a.gz", "wt").write("x")
zipfile.ZipFile("scripts/work/a.zip", "w").writestr("a", "b")
with open("scripts/work/x/a.txt") as handle:
    fcntl.flock(handle, fcntl.LOCK_EX); mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
signal.signal(signal.SIGALRM, lambda *a: None); signal.setitimer(signal.ITIMER_REAL, 0.01)
time.sleep(0.02)
resource.getrlimit(resource.RLIMIT_NOFILE); os.sched_getaffinity(0); os.cpu_count()
os.getpriority(os.PRIO_PROCESS, 0); os.nice(1)
locale.setlocale(locale.LC_ALL, ""); logging.basicConfig(filename="scripts/work/log.txt")
logging.warning("x")
selector = selectors.DefaultSelector(); r, w = os.pipe(); selector.register(r, selectors.EVENT_READ)
os.write(w, b"x"); selector.select(0.1); os.set_inheritable(r, True); os.set_blocking(r, False)
sys.stdout.isatty(); shutil.get_terminal_size(); fcntl.fcntl(r, fcntl.F_SETPIPE_SZ, 65536)
subprocess.run(["cp", "--reflink=auto", "scripts/work/x/a.txt", "scripts/work/c.txt"],
               timeout=5, check=True)
print(json.dumps({"success": True}))
"""


@needs_seccomp()
async def test_an_everyday_script_works_under_the_policy(
    project: Project, make_executor: MakeExecutor
) -> None:
    project.write("scripts/everyday.py", EVERYDAY)
    result = await make_executor(project.root).execute_script("scripts/everyday.py")
    assert result.success, (result.error, result.stderr[-3000:])
    assert "syscalls" in result.sandbox.enforced
    assert result.stderr == ""


def test_the_policy_names_real_calls_once() -> None:
    """A misspelt name would silently allow or refuse nothing."""
    known = set(_numbers_x86_64.NUMBERS) | set(_numbers_aarch64.NUMBERS)
    named: list[str] = [n for names in _syscalls.ALLOWED.values() for n in names]
    named += [n for names in _syscalls.REFUSED.values() for n in names]
    named += list(_syscalls.CHECKED)
    assert sorted(set(named) - known) == []
    assert sorted({n for n in named if named.count(n) > 1}) == []
    checked = set(_syscalls.PID_TARGETED) | set(_syscalls.MODE_SETTING) | set(_syscalls.NULL_ONLY)
    assert checked <= set(_syscalls.CHECKED)
