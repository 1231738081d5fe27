"""Resources and the lifetime of processes: bombs, loops, daemons, stops."""

from __future__ import annotations

from tests.hostile.cases.checks import left_process_is_gone, threads_started
from tests.hostile.cases.model import Expect, HostileCase

CASES: tuple[HostileCase, ...] = (
    # Resources and lifetime
    HostileCase(
        "memory_bomb",
        "allocates and touches twice its memory limit, then reports; the address-space limit "
        "stops it first",
        # Finite, so that a limit that no longer holds shows at once as a run that succeeds
        # instead of as a timeout, which a loaded machine can also give.
        """
        blocks = []
        for _ in range(2 * 256 // 16):
            blocks.append(bytearray(16 * 1024 * 1024))
        report(allocated_mb=16 * len(blocks))
        """,
        Expect(success=False, error_type=("MemoryError",)),
        policy={"memory_mb": 256},
    ),
    HostileCase(
        "cpu_loop",
        "spins forever; the timeout kills it",
        "while True:\n    pass\n",
        Expect(success=False, timed_out=True, error_type=("TimeoutError",)),
        timeout_ms=1000,
        prelude=False,
    ),
    HostileCase(
        "long_sleep",
        "sleeps for an hour; the timeout kills it",
        "import time\ntime.sleep(3600)\n",
        Expect(success=False, timed_out=True, error_type=("TimeoutError",)),
        timeout_ms=1000,
        prelude=False,
    ),
    HostileCase(
        "ignores_termination_signals",
        "ignores SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1 and friends; SIGKILL still ends it",
        """
        for name in ("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGPIPE",
                     "SIGXCPU", "SIGTSTP", "SIGTTOU", "SIGALRM"):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
        while True:
            time.sleep(0.05)
        """,
        Expect(success=False, timed_out=True, error_type=("TimeoutError",)),
        timeout_ms=1000,
    ),
    HostileCase(
        "fork_bomb",
        "every process forks as fast as it can; the process watchdog kills the whole group",
        """
        while True:
            try:
                os.fork()
            except OSError:
                time.sleep(0.001)
        """,
        Expect(success=False, error_type=("ProcessLimitExceeded",)),
        policy={"max_processes": 16},
    ),
    HostileCase(
        "thread_bomb_small_stacks",
        "starts thousands of threads with tiny stacks (the address-space limit would allow "
        "them): the thread cap stops them",
        """
        import threading
        threading.stack_size(32 * 1024)
        stop = threading.Event()
        for _ in range(8000):
            threading.Thread(target=stop.wait, daemon=True).start()
        time.sleep(10)
        report()
        """,
        # Where a cgroup counts the run's tasks the kernel refuses the 64th thread (the
        # script fails on it); elsewhere the watchdog stops the run.
        Expect(success=False, error_type=("ThreadLimitExceeded", "RuntimeError")),
        policy={"max_threads": 64},
        timeout_ms=15000,
    ),
    HostileCase(
        "fork_bomb_behind_exited_main_threads",
        "each process's main thread exits (it shows as a zombie) while a thread of it goes on "
        "forking: counted by what still runs, the group is over its cap and killed",
        """
        import threading
        EXIT = {"x86_64": 60, "aarch64": 93}[MACHINE]
        def breed():
            for _ in range(4):
                if os.fork() == 0:
                    threading.Thread(target=breed).start()
                    LIBC.syscall(EXIT, 0)  # only the main thread ends
            time.sleep(30)
        threading.Thread(target=breed).start()
        LIBC.syscall(EXIT, 0)
        """,
        Expect(
            success=False,
            error_type=("ProcessLimitExceeded", "ThreadLimitExceeded"),
        ),
        policy={"max_processes": 16},
        timeout_ms=20000,
    ),
    HostileCase(
        "thread_bomb",
        "starts threads until it cannot; the limits say no and the run ends normally",
        """
        import threading
        stop = threading.Event()
        count = 0
        try:
            while count < 5000:
                threading.Thread(target=stop.wait, daemon=True).start()
                count += 1
        except (RuntimeError, MemoryError):
            pass
        stop.set()
        report(threads=count)
        """,
        extra=threads_started,
    ),
    HostileCase(
        "setsid_daemon_outlives_exit",
        "forks, tries setsid, forks again and lets go of the pipes, then exits at once: "
        "the daemon is killed when the run ends",
        """
        read_end, write_end = os.pipe()
        if os.fork() == 0:
            try:
                os.setsid()
            except OSError:
                pass
            daemon = os.fork()
            if daemon == 0:
                for fd in (0, 1, 2):
                    os.close(fd)
                time.sleep(300)
            os.write(write_end, str(daemon).encode())
            os._exit(0)
        daemon = int(os.read(read_end, 32))
        os.kill(daemon, 0)  # alive as the script ends (or the script fails here)
        report(left=daemon)
        """,
        extra=left_process_is_gone,
    ),
    HostileCase(
        "double_fork_holds_stdout",
        "a double-forked grandchild keeps stdout open and sleeps; the run still ends",
        """
        read_end, write_end = os.pipe()
        if os.fork() == 0:
            grandchild = os.fork()
            if grandchild == 0:
                time.sleep(300)
            os.write(write_end, str(grandchild).encode())
            os._exit(0)
        grandchild = int(os.read(read_end, 32))
        os.kill(grandchild, 0)  # alive as the script ends (or the script fails here)
        report(left=grandchild)
        """,
        extra=left_process_is_gone,
    ),
    HostileCase(
        "stops_itself",
        "sends itself SIGSTOP; the timeout still kills it",
        "import os, signal\nos.kill(os.getpid(), signal.SIGSTOP)\n",
        Expect(success=False, timed_out=True, error_type=("TimeoutError",)),
        timeout_ms=1000,
        prelude=False,
    ),
    HostileCase(
        "stopped_child_left_behind",
        "leaves a stopped child behind and exits; the child is killed",
        """
        child = os.fork()
        if child == 0:
            os.kill(os.getpid(), signal.SIGSTOP)
            time.sleep(300)
            os._exit(0)
        os.waitpid(child, os.WUNTRACED)  # stopped, not gone, as the script ends
        report(left=child)
        """,
        extra=left_process_is_gone,
    ),
    HostileCase(
        "zombie_flood",
        "forks 300 children that exit at once and are never reaped",
        """
        for _ in range(300):
            if os.fork() == 0:
                os._exit(0)
        report()
        """,
    ),
)
