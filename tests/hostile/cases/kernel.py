"""The kernel's other doors: namespaces, mounts, bpf, /proc/self, ABIs, limits."""

from __future__ import annotations

from tests.hostile.cases.checks import (
    fd_count_at_most,
    report_not_forged,
)
from tests.hostile.cases.model import REFUSED, Expect, HostileCase

CASES: tuple[HostileCase, ...] = (
    # The kernel's other doors
    HostileCase(
        "namespaces",
        "creates user, mount, network and PID namespaces (unshare, clone, clone3) and joins "
        "its own",
        """
        def raw_clone(flags):
            pid = syscall("clone", flags | signal.SIGCHLD, 0, 0, 0, 0)
            if pid == 0:
                os._exit(0)
            os.waitpid(pid, 0)
        for name, flag in (("user", 0x10000000), ("mount", 0x00020000), ("net", 0x40000000),
                           ("pid", 0x20000000)):
            attempt(f"unshare {name}", lambda flag=flag: libc("unshare", flag))
        attempt("clone a user namespace", lambda: raw_clone(0x10000000))
        clone_args = struct.pack("=QQQQQQQQ", 0x10000000, 0, 0, 0, signal.SIGCHLD, 0, 0, 0)
        attempt("clone3", lambda: syscall("clone3", clone_args, len(clone_args)))
        attempt("setns", lambda: libc("setns", os.open("/proc/self/ns/user", os.O_RDONLY), 0))
        report()
        """,
        Expect(attempts_at_least=7, refused_with=REFUSED | {"ENOSYS"}),
        needs=("seccomp",),
    ),
    HostileCase(
        "mount_and_chroot",
        "mounts a tmpfs, bind-mounts /etc, chroots, pivots the root and uses the new mount API",
        """
        os.mkdir("data/mnt")
        attempt("mount tmpfs", lambda: libc("mount", b"none", b"data/mnt", b"tmpfs", 0, None))
        attempt("bind /etc", lambda: libc("mount", b"/etc", b"data/mnt", None, 4096, None))
        attempt("umount", lambda: libc("umount2", b"data/mnt", 0))
        attempt("chroot", lambda: os.chroot("."))
        attempt("pivot_root", lambda: syscall("pivot_root", b".", b"data/mnt"))
        attempt("fsopen", lambda: syscall("fsopen", b"tmpfs", 0))
        attempt("open_tree", lambda: syscall("open_tree", -100, b"/etc", 1))
        report()
        """,
        Expect(attempts_at_least=7),
        needs=("seccomp",),
        no_control="mounts and chroot need capabilities no run has, and unconfined as root they "
        "would change this machine's mounts: the filter's refusal of the group is shown beside "
        "its control by test_each_refused_group_is_refused_by_the_filter[unshare]",
    ),
    HostileCase(
        "kernel_interfaces",
        "reaches for bpf, kernel keyrings, perf events, userfaultfd and file handles",
        """
        attr = ctypes.create_string_buffer(128)
        attempt("bpf", lambda: syscall("bpf", 0, attr, 72))
        attempt("keyctl", lambda: syscall("keyctl", 0, -3, 0))
        attempt("add_key", lambda: syscall("add_key", b"user", b"hostile", b"x", 1, -2))
        attempt("perf_event_open", lambda: syscall("perf_event_open", attr, 0, -1, -1, 0))
        attempt("userfaultfd", lambda: syscall("userfaultfd", 0))
        handle = ctypes.create_string_buffer(136)
        attempt("open_by_handle_at", lambda: syscall("open_by_handle_at", -100, handle, 0))
        report()
        """,
        Expect(attempts_at_least=6),
        needs=("seccomp",),
    ),
    HostileCase(
        "ipc_that_outlives_the_run",
        "makes kernel objects that outlive the run or reach past it: SysV shared memory, "
        "semaphores and message queues, a POSIX message queue, a memfd, a datagram "
        "socketpair, and a child adopted by the executor (CLONE_PARENT); a stream socketpair "
        "works",
        """
        IPC_RMID = 0
        def sysv(make, remove):
            ident = libc(make[0], *make[1:])
            libc(remove, ident, IPC_RMID, None)
        def posix_queue():
            LIBC.mq_open.restype = ctypes.c_int
            fd = LIBC.mq_open(b"/scriptcontract-hostile", 0o100 | 2, 0o600, None)
            if fd < 0:
                code = ctypes.get_errno()
                raise OSError(code, os.strerror(code))
            os.close(fd)
            LIBC.mq_unlink(b"/scriptcontract-hostile")
        def adopted_child():
            pid = syscall("clone", 0x8000 | signal.SIGCHLD, 0, 0, 0, 0)
            if pid == 0:
                os._exit(0)
        def pair(kind):
            for end in socket.socketpair(socket.AF_UNIX, kind):
                end.close()
        attempt("shmget", lambda: sysv(("shmget", 0, 4096, 0o1600), "shmctl"))
        attempt("semget", lambda: sysv(("semget", 0, 1, 0o1600), "semctl"))
        attempt("msgget", lambda: sysv(("msgget", 0, 0o1600), "msgctl"))
        attempt("mq_open", posix_queue)
        attempt("memfd_create", lambda: os.close(os.memfd_create("hostile")))
        attempt("datagram socketpair", lambda: pair(socket.SOCK_DGRAM))
        attempt("clone with CLONE_PARENT", adopted_child)
        attempt("stream socketpair", lambda: pair(socket.SOCK_STREAM))
        report()
        """,
        Expect(attempts_at_least=8, allowed=("stream socketpair",)),
        needs=("seccomp",),
    ),
    HostileCase(
        "proc_self_writes",
        "writes its own memory through /proc/self/mem, lowers its OOM score so the kernel "
        "kills the editor instead, renames itself, and reads its parent's memory",
        """
        attempt("write /proc/self/mem", lambda: open("/proc/self/mem", "r+b"))
        attempt("oom_score_adj", lambda: open("/proc/self/oom_score_adj", "w").write("-1000"))
        attempt("comm", lambda: open("/proc/self/comm", "w").write("zygote"))
        attempt("parent's mem", lambda: open(f"/proc/{os.getppid()}/mem", "rb"))
        attempt("read own status", lambda: open("/proc/self/status").read())
        report()
        """,
        Expect(attempts_at_least=5, allowed=("read own status",)),
        needs=("landlock:1",),
    ),
    HostileCase(
        "x32_and_personality",
        "makes an x32 system call (a second syscall table) and changes its personality (only "
        "queries are allowed) before executing something that reads /etc/passwd",
        """
        import subprocess
        def x32_getpid():
            if LIBC.syscall(ctypes.c_long(39 | 0x40000000)) < 0:
                raise OSError(ctypes.get_errno(), "x32 getpid")
        attempt("x32 getpid", x32_getpid)
        attempt("personality", lambda: libc("personality", 0x0400000))
        def child():
            code = subprocess.run([sys.executable, "-c", "open('/etc/passwd')"],
                                  capture_output=True).returncode
            if code:
                raise PermissionError(errno.EACCES, f"exit {code}")
        attempt("exec under the new personality", child)
        report()
        """,
        Expect(attempts_at_least=3, refused_with=REFUSED | {"ENOSYS"}),
        needs=("seccomp", "x86_64"),
    ),
    HostileCase(
        "int80_32bit_syscall",
        "makes a 32-bit system call through int 0x80, whose numbers the filter does not "
        "check: the kernel kills the process",
        """
        import mmap
        code = b"\\xb8\\x14\\x00\\x00\\x00\\xcd\\x80\\xc3"  # mov eax, 20 (getpid); int 0x80; ret
        page = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
        page.write(code)
        address = ctypes.addressof(ctypes.c_char.from_buffer(page))
        ctypes.CFUNCTYPE(ctypes.c_int)(address)()
        report()
        """,
        Expect(success=False, error_type=("SIGSYS",)),
        needs=("seccomp", "x86_64"),
    ),
    HostileCase(
        "raise_own_limits",
        "raises its own hard limits (setrlimit and prlimit) and then allocates past them",
        """
        import resource
        INF = resource.RLIM_INFINITY
        for name in ("RLIMIT_AS", "RLIMIT_NOFILE", "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_CORE"):
            number = getattr(resource, name)
            attempt(f"setrlimit {name}", lambda number=number: resource.setrlimit(
                number, (INF, INF)))
            attempt(f"prlimit {name}", lambda number=number: resource.prlimit(
                os.getpid(), number, (INF, INF)))
        attempt("allocate 3 GiB", lambda: bytearray(3 * 1024 ** 3))
        report()
        """,
        Expect(attempts_at_least=11, refused_with=REFUSED | {"ValueError", "MemoryError"}),
        no_control="raising a hard limit needs CAP_SYS_RESOURCE, and unconfined the 3 GiB "
        "would be taken from this machine: the limits a run gets are shown set and binding in "
        "tests/executor/test_sandbox_limits.py",
    ),
    HostileCase(
        "fd_exhaustion",
        "opens descriptors until none are left, then still reports",
        """
        fds, error = [], None
        try:
            while True:
                fds.append(os.open("/dev/null", os.O_RDONLY))
        except OSError as exc:
            error = errno.errorcode[exc.errno]
        opened = len(fds)
        for fd in fds:
            os.close(fd)
        report(error=error, opened=opened)
        """,
        Expect(output={"error": "EMFILE"}),
        extra=fd_count_at_most(1024),
    ),
    HostileCase(
        "exec_does_not_escape",
        "executes a shell, cat, ls and the system's Python to do what it may not do itself",
        """
        import subprocess
        def run(argv):
            code = subprocess.run(argv, capture_output=True).returncode
            if code:
                raise PermissionError(errno.EACCES, f"exit {code}")
        c = INPUTS["canary"]
        attempt("cat /etc/passwd", lambda: run(["/bin/sh", "-c", "cat /etc/passwd"]))
        attempt("ls /", lambda: run(["/bin/ls", "/"]))
        attempt("append to the canary", lambda: run(["/bin/sh", "-c", f"echo x >> {c}/secret.txt"]))
        attempt("system python", lambda: run(["/usr/bin/python3", "-c", "open('/etc/passwd')"]))
        attempt("sh true", lambda: run(["/bin/sh", "-c", "true"]))
        report()
        """,
        Expect(attempts_at_least=5, allowed=("sh true",)),
        needs=("landlock:1",),
    ),
    HostileCase(
        "huge_argv_and_env",
        "executes with a 10 MB argument list and a 10 MB environment",
        """
        import subprocess
        big_args = ["y" * 100000] * 100
        attempt("huge argv", lambda: subprocess.run([sys.executable, "-c", "pass", *big_args]))
        attempt("huge env", lambda: subprocess.run([sys.executable, "-c", "pass"],
                                                   env={"BIG": "x" * 10_000_000}))
        attempt("execv huge argv", lambda: os.execv(sys.executable, [sys.executable, *big_args]))
        report()
        """,
        Expect(attempts_at_least=3, refused_with=frozenset({"E2BIG"})),
        no_control="E2BIG is the kernel's own limit, not the sandbox's: the case shows the run "
        "survives it",
    ),
    HostileCase(
        "report_pipe_forgery",
        "finds the sandbox report pipe, writes a forged report and megabytes of junk into it, "
        "then hangs",
        """
        import stat
        for name in os.listdir("/proc/self/fd"):
            fd = int(name)
            try:
                if fd > 2 and stat.S_ISFIFO(os.fstat(fd).st_mode):
                    os.write(fd, b'{"platform": "forged", "enforced": ["filesystem", "network"],'
                                 b' "missing": [], "details": {"forged": "yes"}}\\n')
                    for _ in range(64):
                        os.write(fd, b"forged stack\\n" * 4096)
            except OSError:
                pass
        report()
        sys.stdout.flush()
        time.sleep(60)
        """,
        Expect(success=False, timed_out=True, error_type=("TimeoutError",)),
        timeout_ms=1000,
        needs=("landlock:1",),
        extra=report_not_forged,
    ),
    HostileCase(
        "report_reopened_through_proc",
        "reopens every descriptor it has through /proc/self/fd (which hands out a pipe's "
        "ends anew) and writes a forged report into each, then exits as a success",
        """
        FORGED = (b'{"platform": "forged", "enforced": ["filesystem", "network"],'
                  b' "missing": [], "details": {"forged": "yes"}}')
        pipes = []
        for name in sorted(os.listdir("/proc/self/fd"), key=int):
            fd = int(name)
            if fd <= 2:
                continue
            try:
                again = os.open(f"/proc/self/fd/{fd}", os.O_WRONLY | os.O_NONBLOCK)
                os.write(again, FORGED)
                pipes.append(fd)
            except OSError:
                pass
        # The report's pipe was closed before this line: only the stacks pipe is left.
        report(reopened=len(pipes))
        """,
        Expect(output={"reopened": 1}),
        needs=("landlock:1",),
        extra=report_not_forged,
    ),
)
