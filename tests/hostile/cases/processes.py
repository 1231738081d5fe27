"""Other processes: the parent, the test process, and a same-user victim."""

from __future__ import annotations

from tests.hostile.cases.model import Expect, HostileCase

CASES: tuple[HostileCase, ...] = (
    # Other processes
    HostileCase(
        "signals_the_parent",
        "signals its parent (a cold run's keeper, or the warm runner) and the test process "
        "(the executor), by kill, process group, pidfd, tgkill, sigqueue and SIGIO ownership",
        """
        import fcntl
        parent, test_pid = os.getppid(), INPUTS["test_pid"]
        attempt("signal 0 to the parent", lambda: os.kill(parent, 0))
        attempt("signal 0 to the test process", lambda: os.kill(test_pid, 0))
        # Only when the permission check says no, the real signals: they would be fatal.
        if "ok" not in ATTEMPTS.values():
            attempt("SIGKILL the parent", lambda: os.kill(parent, signal.SIGKILL))
            attempt("SIGSTOP the parent", lambda: os.kill(parent, signal.SIGSTOP))
            attempt("SIGUSR2 the test process", lambda: os.kill(test_pid, signal.SIGUSR2))
            # The parent of a cold run is its keeper, in the run's own group: the test's.
            attempt("SIGKILL the test's group", lambda: os.killpg(os.getpgid(test_pid), 9))
            attempt("pidfd_send_signal", lambda: syscall(
                "pidfd_send_signal", os.pidfd_open(test_pid), signal.SIGUSR2, 0, 0))
            attempt("tgkill", lambda: syscall("tgkill", test_pid, test_pid, signal.SIGUSR2))
            info = ctypes.create_string_buffer(128)
            struct.pack_into("=iii", info, 0, signal.SIGUSR2, 0, -1)  # si_code SI_QUEUE
            attempt("rt_sigqueueinfo", lambda: syscall(
                "rt_sigqueueinfo", test_pid, signal.SIGUSR2, info))
            # SIGIO to the owner of a descriptor: the kernel drops it silently, if scoped.
            read_end, write_end = os.pipe()
            fcntl.fcntl(read_end, fcntl.F_SETOWN, test_pid)
            fcntl.fcntl(read_end, 10, signal.SIGUSR2)  # F_SETSIG
            fcntl.fcntl(read_end, fcntl.F_SETFL, os.O_ASYNC)
            os.write(write_end, b"x")
        time.sleep(0.1)
        report()
        """,
        Expect(attempts_at_least=9),
        needs=("landlock:6",),
        # Landlock's signal scope has no switch of its own: the sandbox off. Signal 0 then
        # works, and the script sends no real signal.
        control={"enabled": False},
    ),
    HostileCase(
        "ptrace_the_parent",
        "tries to trace or read the memory of its parent, the test process and itself",
        """
        parent, test_pid = os.getppid(), INPUTS["test_pid"]
        PTRACE_TRACEME, PTRACE_SEIZE = 0, 0x4206
        attempt("PTRACE_SEIZE the parent", lambda: libc("ptrace", PTRACE_SEIZE, parent, 0, 0))
        attempt("PTRACE_SEIZE the test", lambda: libc("ptrace", PTRACE_SEIZE, test_pid, 0, 0))
        attempt("PTRACE_TRACEME", lambda: libc("ptrace", PTRACE_TRACEME, 0, 0, 0))
        buffer = ctypes.create_string_buffer(64)
        local = struct.pack("=QQ", ctypes.addressof(buffer), 64)
        remote = struct.pack("=QQ", 0x400000, 64)
        attempt("process_vm_readv the test", lambda: libc(
            "process_vm_readv", test_pid, local, 1, remote, 1, 0))
        attempt("open the test's memory", lambda: open(f"/proc/{test_pid}/mem", "rb"))
        report()
        """,
        Expect(attempts_at_least=5),
        needs=("seccomp",),
    ),
    HostileCase(
        "signals_another_process",
        "signals a process of the same user that is not part of the run",
        """
        victim = INPUTS["victim"]
        attempt("signal 0", lambda: os.kill(victim, 0))
        if ATTEMPTS["signal 0"] != "ok":
            attempt("SIGKILL", lambda: os.kill(victim, signal.SIGKILL))
            attempt("SIGSTOP", lambda: os.kill(victim, signal.SIGSTOP))
            attempt("SIGKILL its group", lambda: os.killpg(victim, signal.SIGKILL))
            attempt("pidfd_send_signal", lambda: syscall(
                "pidfd_send_signal", os.pidfd_open(victim), signal.SIGKILL, 0, 0))
        report()
        """,
        Expect(attempts_at_least=5),
        needs=("landlock:6",),
        arena=("victim",),
        control={"enabled": False},  # signal 0 works; no real signal is sent then
    ),
    HostileCase(
        "limits_of_another_process",
        "lowers the resource limits of a process of the same user (the editor, say) with "
        "prlimit; its own limits it may still read and set",
        """
        import resource
        victim = INPUTS["victim"]
        attempt("lower its open files", lambda: resource.prlimit(
            victim, resource.RLIMIT_NOFILE, (16, 16)))
        attempt("lower its CPU time", lambda: resource.prlimit(victim, resource.RLIMIT_CPU, (1, 1)))
        attempt("lower its memory", lambda: resource.prlimit(
            victim, resource.RLIMIT_AS, (1 << 24, 1 << 24)))
        attempt("read its limits", lambda: resource.prlimit(victim, resource.RLIMIT_NOFILE))
        attempt("own limits by pid 0", lambda: resource.prlimit(0, resource.RLIMIT_CORE, (0, 0)))
        attempt("own limits by pid", lambda: resource.prlimit(
            os.getpid(), resource.RLIMIT_CORE, (0, 0)))
        report()
        """,
        Expect(attempts_at_least=6, allowed=("own limits by pid 0", "own limits by pid")),
        needs=("seccomp",),
        arena=("victim",),
    ),
    HostileCase(
        "priority_of_another_process",
        "renices another process, its process group and a whole user, and lowers their I/O "
        "priority; renicing itself still works",
        """
        victim = INPUTS["victim"]
        nobody_uid = 4242424  # no process has it: harmless even if it were let through
        attempt("renice it", lambda: os.setpriority(os.PRIO_PROCESS, victim, 19))
        attempt("renice its group", lambda: os.setpriority(os.PRIO_PGRP, victim, 19))
        attempt("renice a user", lambda: os.setpriority(os.PRIO_USER, nobody_uid, 19))
        idle = 3 << 13  # IOPRIO_CLASS_IDLE
        attempt("idle its I/O", lambda: syscall("ioprio_set", 1, victim, idle))
        attempt("idle a user's I/O", lambda: syscall("ioprio_set", 3, nobody_uid, idle))
        # Lower than it is now (a user cannot raise it): whatever nice level the tests run at.
        attempt("renice itself", lambda: os.setpriority(
            os.PRIO_PROCESS, 0, min(os.getpriority(os.PRIO_PROCESS, 0) + 1, 19)))
        attempt("idle its own I/O", lambda: syscall("ioprio_set", 1, 0, idle))
        report()
        """,
        Expect(attempts_at_least=7, allowed=("renice itself", "idle its own I/O")),
        needs=("seccomp",),
        arena=("victim",),
    ),
    HostileCase(
        "scheduling_of_another_process",
        "pins another process to one CPU and makes it SCHED_IDLE; its own affinity it may set",
        """
        victim = INPUTS["victim"]
        attempt("pin it to CPU 0", lambda: os.sched_setaffinity(victim, {0}))
        attempt("make it SCHED_IDLE", lambda: os.sched_setscheduler(
            victim, os.SCHED_IDLE, os.sched_param(0)))
        attempt("set its parameters", lambda: os.sched_setparam(victim, os.sched_param(0)))
        attr = struct.pack("=IIQiIQQQ", 48, 5, 0, 0, 0, 0, 0, 0)  # SCHED_IDLE
        attempt("sched_setattr on it", lambda: syscall("sched_setattr", victim, attr, 0))
        attempt("pin itself", lambda: os.sched_setaffinity(0, os.sched_getaffinity(0)))
        report()
        """,
        Expect(attempts_at_least=5, allowed=("pin itself",)),
        needs=("seccomp",),
        arena=("victim",),
    ),
    HostileCase(
        "steals_from_another_process",
        "tries to copy a descriptor out of another process, compare its files, read its "
        "memory, trace it, or read its /proc entries",
        """
        victim = INPUTS["victim"]
        def getfd(number):
            pidfd = os.pidfd_open(victim)
            try:
                os.close(syscall("pidfd_getfd", pidfd, number, 0))
            finally:
                os.close(pidfd)
        for number in range(3, 6):
            attempt(f"pidfd_getfd {number}", lambda number=number: getfd(number))
        attempt("kcmp", lambda: syscall("kcmp", os.getpid(), victim, 0, 0, 0))
        buffer = ctypes.create_string_buffer(64)
        local = struct.pack("=QQ", ctypes.addressof(buffer), 64)
        remote = struct.pack("=QQ", 0x400000, 64)
        attempt("process_vm_readv", lambda: libc(
            "process_vm_readv", victim, local, 1, remote, 1, 0))
        attempt("PTRACE_ATTACH", lambda: libc("ptrace", 16, victim, 0, 0))
        for entry in ("environ", "mem", "maps", "cmdline"):
            attempt(f"read /proc/victim/{entry}",
                    lambda entry=entry: open(f"/proc/{victim}/{entry}", "rb").read())
        attempt("list its descriptors", lambda: os.listdir(f"/proc/{victim}/fd"))
        report()
        """,
        Expect(attempts_at_least=11),
        needs=("landlock:1",),
        arena=("victim",),
    ),
)
