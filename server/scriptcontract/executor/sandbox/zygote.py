"""The warm runner: a pristine interpreter that forks one sandboxed child per run.

Started as `python -I -S zygote.py CONTROL_FD` with an empty environment, from `/`. It imports
only the bootstrap (and what the bootstrap imports), starts no thread and holds no secret.
Over the control socket (SOCK_SEQPACKET) it receives one request per run, `{"id": N}`, with
six pipe ends attached (SCM_RIGHTS): the run's stdin, stdout, stderr, report and stacks, and
a pipe that carries the run itself (spec with the environment, working directory). It hands
them to a child and answers `{"id": N, "pid": P}`; when that child exits it sends
`{"exit": P, "status": S}` (the raw wait status). Only the child reads the run from its pipe
(the caller writes it before the request): the runner never holds a run's environment or
arguments, so no later child (of another project, perhaps) can find them in the memory it
inherits.

The child is forked ahead of its run, while the runner is idle: it leaves the runner (its
own session, none of the runner's fds, dies with the runner through PR_SET_PDEATHSIG) and
waits on a socket of its own for the run's pipes, so that a run does not wait for the fork
and the pages that leaving copies. A request that finds no child waiting (runs at once)
forks one on the spot. A runner that stops answering is killed and replaced, and its late
children must not run next to the cold fallback: they die with it. With its pipes the child
makes them fds 0 to 4, closes everything else, takes the run's working directory, and
calls `bootstrap.enter(spec)`: the very same sandbox and script start-up as a cold run
(the environment is put in place, and site-packages processed, once the run is confined).
EOF on the control socket ends the runner.

Standard library only, Python 3.8 syntax: it runs in the script's interpreter.
"""

from __future__ import annotations

import array
import contextlib
import json
import os
import selectors
import signal
import socket
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any, NoReturn

MAX_MESSAGE = 64 * 1024
REPORT_FD = 3
STACKS_FD = 4
# stdin, stdout, stderr, report, stacks, and the pipe the run comes through
FDS_PER_RUN = 6


def _load_bootstrap() -> ModuleType:
    import importlib

    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    try:
        bootstrap = importlib.import_module("bootstrap")
        bootstrap.prepare_for_forks()  # imported and computed now, once for every child
        # What every run's bootstrap imports at its start or its exit, loaded once here.
        # `site` is only imported (under -S that runs nothing): each run processes the
        # site-packages once it is confined.
        for name in ("faulthandler", "atexit", "gc", "site"):
            importlib.import_module(name)
        return bootstrap
    finally:
        sys.path.remove(here)


def _receive(sock: socket.socket) -> tuple[dict[str, Any] | None, list[int]]:
    """One message and the fds attached to it; (None, fds) at EOF."""
    fds = array.array("i")
    message, ancillary, _flags, _addr = sock.recvmsg(
        MAX_MESSAGE, socket.CMSG_SPACE(8 * fds.itemsize)
    )
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
    if not message:
        return None, list(fds)
    return json.loads(message.decode("utf-8")), list(fds)


def _send(sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    data = [json.dumps(message).encode("utf-8")]
    if fds:
        sock.sendmsg(data, [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))])
    else:
        sock.sendmsg(data)


def _read_run(bootstrap: ModuleType, fd: int) -> dict[str, Any]:
    """The run (spec, cwd, env) from its pipe, to EOF; none (the caller gave up): exit."""
    raw = bootstrap.read_to_end(fd)
    if not raw:
        os._exit(0)
    run: dict[str, Any] = json.loads(raw.decode("utf-8"))
    return run


def _leave_runner(control: socket.socket, waiting: socket.socket) -> socket.socket:
    """In a child forked ahead: its own session, and nothing of the runner but `waiting`,
    which it returns moved to fd 3."""
    # The socket object must not close "its" fd number later: the script may reuse it.
    control.detach()
    signal.set_wakeup_fd(-1)
    # Through the C module: `signal.signal` converts to and from enums, which copies ~70
    # pages of the runner (0.13 ms, measured in forked children).
    c_signal = sys.modules["_signal"]
    c_signal.signal(c_signal.SIGCHLD, c_signal.SIG_DFL)
    # The runner's own handler (end every run) is not the run's.
    c_signal.signal(c_signal.SIGTERM, c_signal.SIG_DFL)
    os.setsid()
    # The control socket, the selector, the wake-up pipe: none of them reaches the script.
    keep = waiting.fileno()
    os.closerange(REPORT_FD, keep)
    os.closerange(keep + 1, _max_fd())
    # Fds 3 and 4 are the run's report and stacks later; until then they hold this socket,
    # so that what the sandbox builds ahead gets fds above the five the run's pipes take.
    for target in (STACKS_FD, REPORT_FD):
        if keep != target:
            os.dup2(keep, target, inheritable=False)
    if keep in (REPORT_FD, STACKS_FD):
        return waiting
    os.close(waiting.detach())
    return socket.socket(fileno=REPORT_FD)


def _rehearse_taking_a_run() -> None:
    """What `_become_run` does, with a stand-in run (see `bootstrap.rehearse()`)."""
    stand_in = {"spec": {"script": "/", "args": [], "policy": {}, "env": {}}, "cwd": "/"}
    json.loads(json.dumps(stand_in))
    os.environ["SCRIPTCONTRACT_REHEARSAL"] = "1"
    del os.environ["SCRIPTCONTRACT_REHEARSAL"]


def _become_run(bootstrap: ModuleType, waiting: socket.socket) -> dict[str, Any]:
    """In a child forked ahead: wait for a run's pipes, then take its directory; the spec
    to enter (with the run's environment, which `enter` puts in place once confined). EOF
    instead of pipes (the runner ended): exit."""
    _message, fds = _receive(waiting)
    waiting.close()
    if len(fds) != FDS_PER_RUN:
        os._exit(0)
    stdin, stdout, stderr, report, stacks, run_pipe = fds
    request = _read_run(bootstrap, run_pipe)
    targets = ((stdin, 0), (stdout, 1), (stderr, 2), (report, REPORT_FD), (stacks, STACKS_FD))
    for fd, target in targets:
        os.dup2(fd, target, inheritable=target < REPORT_FD)
    # Everything of the runner was closed when this child left it; what it built ahead for
    # its sandbox stays open until the sandbox is applied: only the pipes' copies go.
    for fd in {stdin, stdout, stderr, report, stacks} - {0, 1, 2, REPORT_FD, STACKS_FD}:
        os.close(fd)
    os.chdir(request["cwd"])
    spec: dict[str, Any] = request["spec"]
    spec["report_fd"] = REPORT_FD
    spec["stacks_fd"] = STACKS_FD
    return spec


def _max_fd() -> int:
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        return soft if 0 < soft < 1 << 20 else 1 << 16
    except (ImportError, ValueError, OSError):
        return 1 << 16


class Runner:
    """The runner's side: children forked ahead, runs handed to them, exits reported."""

    def __init__(self, control: socket.socket, bootstrap: ModuleType) -> None:
        self.control = control
        self.bootstrap = bootstrap
        self.pid = os.getpid()
        self.executor = os.getppid()
        self.selector = selectors.DefaultSelector()
        self.ready: tuple[int, socket.socket] | None = None  # a child waiting for a run
        self.running: set[int] = set()  # children given a run: their exits are reported
        # Off after a child died waiting (whatever killed it may kill the next one too):
        # forks then wait for a request, until a run has ended.
        self.forking_ahead = True
        self.fork_error = ""

    def serve(self) -> dict[str, Any]:
        """Serve runs until EOF; returns only in a forked child, with that run's spec."""
        wake_r, wake_w = os.pipe()
        os.set_blocking(wake_r, False)
        os.set_blocking(wake_w, False)
        signal.set_wakeup_fd(wake_w)
        signal.signal(signal.SIGCHLD, lambda _signum, _frame: None)
        # The runner is the keeper of its runs: when the executor dies (the death signal,
        # or EOF on the control socket), every process of every run dies with it.
        signal.signal(signal.SIGTERM, lambda _signum, _frame: self.end_runs())
        self.bootstrap.die_with_parent(self.executor, signal.SIGTERM)
        self.selector.register(self.control, selectors.EVENT_READ)
        self.selector.register(wake_r, selectors.EVENT_READ)
        # Everything loaded so far lives in the permanent generation: a child's collections
        # then skip it and do not copy the shared pages.
        import gc

        gc.freeze()
        while True:
            if self.ready is None and not self.running and self.forking_ahead:
                # Idle: fork the next run's child now rather than when its request comes.
                waiting = self._fork_ahead()
                if waiting is not None:
                    return _become_run(self.bootstrap, waiting)
            for key, _events in self.selector.select():
                if key.fileobj is self.control:
                    request, fds = _receive(self.control)
                    if request is None:  # the executor is gone: so are its runs
                        self.end_runs()
                    if self.ready is None:  # runs at once: no child is waiting yet
                        waiting = self._fork_ahead()
                        if waiting is not None:
                            return _become_run(self.bootstrap, waiting)
                    self._start_run(request, fds)
                else:
                    try:
                        while os.read(wake_r, 4096):
                            pass
                    except BlockingIOError:
                        pass
                    self._reap()

    def end_runs(self) -> NoReturn:
        """Kill the process group of every run in flight, then exit."""
        for pid in self.running:
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
        sys.exit(0)

    def _fork_ahead(self) -> socket.socket | None:
        """Fork a child that waits for a run. Here: None (`ready` is set unless the fork
        failed); in the child: the socket its run's pipes will come through."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            pid = os.fork()
        except OSError as exc:
            ours.close()
            theirs.close()
            self.fork_error = str(exc)
            return None
        if pid == 0:
            self.bootstrap.die_with_parent(self.pid, signal.SIGKILL)
            self.selector.close()
            ours.close()
            theirs = _leave_runner(self.control, theirs)
            try:
                _rehearse_taking_a_run()
                self.bootstrap.rehearse()
                self.bootstrap.build_ahead()
            except Exception:
                pass  # only speed is at stake
            return theirs
        theirs.close()
        self.ready = (pid, ours)
        return None

    def _start_run(self, request: dict[str, Any], fds: list[int]) -> None:
        """Hand the run's pipes to the waiting child; answer with its pid or an error."""
        answer: dict[str, Any] = {"id": request.get("id")}
        try:
            if len(fds) != FDS_PER_RUN:
                answer["error"] = f"expected {FDS_PER_RUN} fds, got {len(fds)}"
            elif self.ready is None:
                answer["error"] = f"cannot fork: {self.fork_error}"
            else:
                pid, sock = self.ready
                self.ready = None
                try:
                    # Stopped while it waited (by a script, on kernels whose Landlock cannot
                    # keep signals in a run), it would hang the run: let it go on.
                    os.kill(pid, signal.SIGCONT)
                    _send(sock, {}, fds)
                    self.running.add(pid)
                    answer["pid"] = pid
                except OSError as exc:  # it died waiting (killed by someone)
                    answer["error"] = f"the child forked for the run is gone: {exc}"
                finally:
                    sock.close()
        finally:
            for fd in fds:  # the child has its own copies now (or never will)
                os.close(fd)
        _send(self.control, answer)

    def _reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if pid in self.running:
                self.running.discard(pid)
                self.forking_ahead = True
                _send(self.control, {"exit": pid, "status": status})
            elif self.ready is not None and self.ready[0] == pid:
                self.ready[1].close()
                self.ready = None
                self.forking_ahead = False


if __name__ == "__main__":
    _bootstrap = _load_bootstrap()
    _spec = Runner(socket.socket(fileno=int(sys.argv[1])), _bootstrap).serve()
    _bootstrap.enter(_spec)
