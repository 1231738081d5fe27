"""The keeper of a cold run: the process the executor started, which the run dies with.

The kernel kills a process when its parent dies only if that process asked
(PR_SET_PDEATHSIG), and only that process: the children a script starts would live on,
sleeping past every timeout, once the executor is gone (killed, crashed, or a terminal
closed under `scriptcontract run`). So a cold run's first process forks before anything
of the run happens: the child goes on to confine itself and run the script, and the
parent stays behind as the keeper. It leads the run's process group, holds none of the
run's descriptors, runs nothing but this, and when the executor dies (its death signal)
it kills the whole group, itself included (setsid and setpgid are refused to the script,
so none of its processes can leave the group). Confined with Landlock's signal scope, the
script cannot signal the keeper, which is outside its domain. When the script's process
exits, the keeper exits the same way, so the executor sees the script's own status; a
stack-dump request (SIGUSR1) is passed on to it.

Warm runs have a keeper already: the warm runner, which kills the groups of its runs when
the executor goes away (zygote.py).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

from . import _native


def keep() -> None:
    """Fork. In the child (the run): return. In the parent: be the keeper (never returns)."""
    executor = os.getppid()
    child = os.fork()
    if child == 0:
        return
    try:
        _keeper(executor, child)
    finally:
        os._exit(70)  # only when the keeper itself failed (EX_SOFTWARE); the group dies next


def _kill_group(_signum: int = 0, _frame: object = None) -> None:
    os.killpg(0, signal.SIGKILL)


def _keeper(executor: int, child: int) -> None:
    # Nothing of the run: no pipe of it stays open here (the report's end above all).
    os.closerange(0, _fd_limit())
    signal.signal(signal.SIGTERM, _kill_group)
    signal.signal(signal.SIGHUP, _kill_group)
    signal.signal(signal.SIGUSR1, lambda _s, _f: _pass_on(child))
    # Without a death signal here, the executor's own kill is all there is.
    with contextlib.suppress(OSError):
        _native.libc().prctl(_native.PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != executor:  # it died before the death signal was set
        _kill_group()
    while True:
        try:
            _pid, status = os.waitpid(child, 0)
            break
        except ChildProcessError:
            os._exit(0)
    if os.WIFSIGNALED(status):
        # Die of the same signal (without a core dump: the keeper is not confined).
        number = os.WTERMSIG(status)
        _no_core()
        with contextlib.suppress(OSError, ValueError):  # SIGKILL has no handler to reset
            signal.signal(number, signal.SIG_DFL)
        os.kill(os.getpid(), number)
    os._exit(
        os.waitstatus_to_exitcode(status)
        if hasattr(os, "waitstatus_to_exitcode")
        else (status >> 8) & 0xFF
    )


def _pass_on(child: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(child, signal.SIGUSR1)


def _no_core() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, OSError, ValueError):
        pass


def _fd_limit() -> int:
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        return soft if 0 < soft < 1 << 20 else 1 << 16
    except (ImportError, OSError, ValueError):
        return 1 << 16


def available() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork")
