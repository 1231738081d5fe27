"""The warm runner: a pristine interpreter that forks one sandboxed child per run.

Started as `python -I zygote.py CONTROL_FD` with an empty environment, from `/`. It imports
only the bootstrap (and what the bootstrap imports), starts no thread and holds no secret.
Over the control socket (SOCK_SEQPACKET) it receives one request per run, `{"id": N}`, with
five pipe ends attached (SCM_RIGHTS): the run's stdin, stdout, stderr and report, and a pipe
that carries the run itself (spec, working directory, environment). It forks and answers
`{"id": N, "pid": P}`; when a child exits it sends `{"exit": P, "status": S}` (the raw wait
status). Only the child reads the run from its pipe (the caller writes it before the
request): the runner never holds a run's environment or arguments, so no later child (of
another project, perhaps) can find them in the memory it inherits. A child dies with the
runner (PR_SET_PDEATHSIG): a runner that stops answering is killed and replaced, and its
late children must not run next to the cold fallback. In the child the pipes become fds
0, 1, 2 and 3, everything else of the runner is closed, the child starts its own session,
takes the run's working directory and environment, and calls `bootstrap.enter(spec)`: the
very same sandbox and script start-up as a cold run. EOF on the control socket ends the runner.

Standard library only, Python 3.8 syntax: it runs in the script's interpreter.
"""

from __future__ import annotations

import array
import json
import os
import selectors
import signal
import socket
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any

MAX_MESSAGE = 64 * 1024
REPORT_FD = 3
FDS_PER_RUN = 5  # stdin, stdout, stderr, report, and the pipe the run comes through


def _load_bootstrap() -> ModuleType:
    import importlib

    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    try:
        bootstrap = importlib.import_module("bootstrap")
        bootstrap.prepare_for_forks()  # imported and computed now, once for every child
        # What every run's bootstrap imports at its start or its exit, loaded once here.
        for name in ("faulthandler", "atexit", "gc"):
            importlib.import_module(name)
        return bootstrap
    finally:
        sys.path.remove(here)


def _receive(control: socket.socket) -> tuple[dict[str, Any] | None, list[int]]:
    fds = array.array("i")
    message, ancillary, _flags, _addr = control.recvmsg(
        MAX_MESSAGE, socket.CMSG_SPACE(8 * fds.itemsize)
    )
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
    if not message:
        return None, list(fds)
    return json.loads(message.decode("utf-8")), list(fds)


def _send(control: socket.socket, message: dict[str, Any]) -> None:
    control.send(json.dumps(message).encode("utf-8"))


def _read_run(fd: int) -> dict[str, Any]:
    """The run (spec, cwd, env) from its pipe, to EOF; none (the caller gave up): exit."""
    chunks = []
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    if not chunks:
        os._exit(0)
    run: dict[str, Any] = json.loads(b"".join(chunks).decode("utf-8"))
    return run


def _become_run(control: socket.socket, fds: list[int]) -> dict[str, Any]:
    """In the forked child: take the run's pipes, session, directory and environment."""
    # The socket object must not close "its" fd number later: the script may reuse it.
    control.detach()
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.setsid()
    stdin, stdout, stderr, report, run_pipe = fds
    request = _read_run(run_pipe)
    for fd, target in ((stdin, 0), (stdout, 1), (stderr, 2), (report, REPORT_FD)):
        os.dup2(fd, target)
    # Nothing of the runner (control socket, selector, other runs' pipes) reaches the script.
    os.closerange(REPORT_FD + 1, _max_fd())
    os.set_inheritable(REPORT_FD, True)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    spec: dict[str, Any] = request["spec"]
    spec["report_fd"] = REPORT_FD
    return spec


def _max_fd() -> int:
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        return soft if 0 < soft < 1 << 20 else 1 << 16
    except (ImportError, ValueError, OSError):
        return 1 << 16


def serve(control: socket.socket, bootstrap: ModuleType) -> dict[str, Any]:
    """Serve runs until EOF; returns only in a forked child, with that run's spec."""
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda _signum, _frame: None)
    selector = selectors.DefaultSelector()
    selector.register(control, selectors.EVENT_READ)
    # Everything loaded so far lives in the permanent generation: a child's collections then
    # skip it and do not copy the shared pages.
    import gc

    gc.freeze()
    selector.register(wake_r, selectors.EVENT_READ)
    zygote_pid = os.getpid()
    while True:
        for key, _events in selector.select():
            if key.fileobj is control:
                request, fds = _receive(control)
                if request is None:
                    sys.exit(0)
                if len(fds) != FDS_PER_RUN:
                    for fd in fds:
                        os.close(fd)
                    _send(control, {"id": request.get("id"), "error": "expected 5 fds"})
                    continue
                try:
                    pid = os.fork()
                except OSError as exc:
                    for fd in fds:
                        os.close(fd)
                    _send(control, {"id": request.get("id"), "error": str(exc)})
                    continue
                if pid == 0:
                    bootstrap.die_with_parent(zygote_pid)
                    selector.close()
                    return _become_run(control, fds)
                for fd in fds:
                    os.close(fd)
                _send(control, {"id": request.get("id"), "pid": pid})
            else:
                try:
                    while os.read(wake_r, 4096):
                        pass
                except BlockingIOError:
                    pass
                _reap(control)


def _reap(control: socket.socket) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _send(control, {"exit": pid, "status": status})


if __name__ == "__main__":
    _bootstrap = _load_bootstrap()
    _control = socket.socket(fileno=int(sys.argv[1]))
    _spec = serve(_control, _bootstrap)
    _bootstrap.enter(_spec)
