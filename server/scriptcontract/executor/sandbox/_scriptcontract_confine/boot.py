"""The bootstrap's work inside the child: confine, report what holds, run the script.

Lives in a module, not in bootstrap.py, so that its bytecode is cached instead of
compiled on every cold run. A cold run calls `main(argv)`; a child forked by the warm
runner calls `enter(spec)`. Standard library only, Python 3.8 syntax; imports are kept
to what a script loads anyway (json, os, sys): every millisecond here is paid by every
cold run.
"""

from __future__ import annotations

import json
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` and `types` cost ~3 ms; only the type checker reads these names
    from types import ModuleType
    from typing import Any, NoReturn

REFUSED_EXIT_CODE = 125


def load_confine() -> ModuleType:
    """The confinement package, with its steps imported and libc bound.

    The warm runner calls this before it forks, so that a child pays nothing for it.
    """
    from . import _apply, _native

    _native.libc()
    return sys.modules[_apply.__package__]


def die_with_parent(parent: int, signal_number: int) -> None:
    """Have the kernel send `signal_number` to this process when its parent dies: a child of
    the warm runner dies with it (it is replaced when it stops answering, and a child of a
    launch given up on must not run next to the cold fallback); the runner itself ends its
    runs when the executor dies."""
    from . import _native

    try:  # noqa: SIM105 - contextlib would cost an import per cold run
        _native.libc().prctl(_native.PR_SET_PDEATHSIG, signal_number)
    except Exception:
        pass
    if os.getppid() != parent:  # the parent died before the request took hold
        os.kill(os.getpid(), signal_number)


def prepare_for_forks() -> None:
    """In the warm runner, before it forks: compute what every child would compute alike."""
    from . import _imports, _landlock, _modes, _seccomp  # noqa: F401 - imported before a fork

    load_confine()
    _landlock.warm_up()
    _seccomp.warm_up()


def build_ahead() -> None:
    """In a warm child waiting for its run: build what its sandbox needs and no run changes
    (the Landlock rulesets of the usual policies). `enter()` closes what it does not use."""
    from . import _landlock

    load_confine()
    _landlock.build_ahead()


def rehearse() -> None:
    """In a warm child waiting for its run: go once through the pure steps of a run (the
    report, the Landlock rule list, the seccomp program, compiling a script) with
    stand-ins. The pages of the runner they write to are then copied while the child
    waits instead of while the run does (~0.4 ms a run). Nothing here has an effect.
    """
    from . import _apply

    load_confine()
    _apply.rehearse()
    json.dumps({"platform": sys.platform, "enforced": ["limits"], "details": {"a": "b"}})
    {id(module) for module in sys.modules.values()}  # as run_script does
    _compile(b"import json\nprint(json.dumps({'a': [1, 2.5, None]}))\n", "<rehearsal>")


def main(argv: list[str]) -> None:
    """A cold run: `python -I -S bootstrap.py SPEC_FD`; the spec comes through that pipe."""
    enter(json.loads(read_to_end(int(argv[1])).decode("utf-8")))


def read_to_end(fd: int) -> bytes:
    """What the pipe `fd` holds until its writer closes it; then it is closed here too."""
    chunks = []
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)


def enter(spec: dict[str, Any]) -> None:
    """Confine this process as the spec says, report, and run the script (never returns).

    Nothing of the project runs before the confinement: not the interpreter's
    site-packages (the interpreter started with -S), not the run's environment (the
    interpreter started without it). The report pipe is closed before the first line
    that is not ours: its EOF ends the report, and nothing can be added to it.
    """
    report_fd: int = spec["report_fd"]
    # The executor enforces some protections from outside (the process-count watchdog).
    report: dict[str, Any] = {
        "platform": sys.platform,
        "enforced": list(spec.get("parent_enforced", [])),
        "missing": [],
        "details": {},
    }
    policy = spec.get("policy") or {}
    _join_groups(spec, report)
    if policy.get("enabled", True):
        try:
            load_confine().apply(spec, report)
        except Exception as exc:  # the run must still be reported, never crash silently
            report["details"]["error"] = f"{type(exc).__name__}: {exc}"
    else:
        report["details"]["disabled"] = "sandbox disabled by policy"
    if "syscalls" in report["enforced"]:
        # The filter refuses a mode or times change by path: os.chmod and os.utime go
        # through a descriptor instead. Before site-packages load, so that none of them
        # holds the functions that no longer work.
        from . import _modes

        _modes.install()
    landlock = sys.modules.get(__package__ + "._landlock")
    if landlock is not None:  # nothing built ahead (and unused) reaches the script
        landlock.discard_built_ahead()
    required = [name for name in policy.get("require", []) if name not in report["enforced"]]
    if required:
        report["refused"] = required
    _write_all(report_fd, json.dumps(report).encode("utf-8"))
    os.close(report_fd)
    if required:
        os._exit(REFUSED_EXIT_CODE)  # nothing ran, nothing to flush
    os.environ.clear()
    os.environ.update(spec.get("env") or {})
    stacks_fd = spec.get("stacks_fd")
    if isinstance(stacks_fd, int):
        os.set_inheritable(stacks_fd, False)
        _stack_dump_on_sigusr1(stacks_fd)
    # Before site-packages: a `.pth` may add a folder of the project to sys.path.
    from . import _imports

    _imports.install(spec)
    _load_site()
    debug = spec.get("debug")
    if debug:  # a debug run: debugpy connects on the socket the executor opened
        from . import _debuggee

        _debuggee.attach(debug)
    run_script(spec["script"], spec.get("args", []))


def _join_groups(spec: dict[str, Any], report: dict[str, Any]) -> None:
    """Join the run's control groups (the executor made them; see its cgroups.py), before
    this process confines itself and before it starts anything."""
    joined = 0
    for path in spec.get("cgroup_procs") or []:
        try:
            fd = os.open(path, os.O_WRONLY)
            try:
                os.write(fd, b"0")  # "0": the writing process itself
            finally:
                os.close(fd)
            joined += 1
        except OSError as exc:
            report["details"]["cgroup_error"] = f"{path}: {exc.strerror or exc}"
    if joined and "cgroup_error" not in report["details"]:
        report["details"]["cgroup"] = spec.get("cgroup", "")


def _load_site() -> None:
    """What the interpreter would have done at start-up without -S, now that the run is
    confined: the virtual environment, site-packages and their `.pth` files, sitecustomize,
    and the `exit()`/`quit()`/`help()` builtins. Nothing to do in a child of a warm runner
    that did it already (for an interpreter whose site-packages no run can write)."""
    if not sys.flags.no_site:
        return
    try:
        import site

        site.main()
    except Exception as exc:  # as the interpreter's own start-up, it must not stop the run
        _print(f"Error in site start-up: {type(exc).__name__}: {exc}")


def _write_all(fd: int, data: bytes) -> None:
    # A bare fd, not a text file object: one less object graph for a warm child to copy.
    while data:
        data = data[os.write(fd, data) :]


def _stack_dump_on_sigusr1(stacks_fd: int) -> None:
    """The executor sends SIGUSR1 just before a timeout kill: dump every thread's stack."""
    try:
        import faulthandler

        # From the C module, loaded at start-up: `signal` adds enum wrappers (~0.5 ms).
        number = getattr(sys.modules.get("_signal"), "SIGUSR1", None)
        if number is None:
            import signal

            number = signal.SIGUSR1
        faulthandler.register(number, file=stacks_fd, all_threads=True)
    except (ImportError, AttributeError, ValueError, RuntimeError):
        pass  # no stack on timeout on this platform; the run itself is unaffected


def run_script(script: str, args: list[str]) -> NoReturn:
    """Run `script` as `__main__`, as `python script.py args...` would, then exit.

    The exit skips the interpreter's full teardown. In a child of the warm runner, tearing
    down the inherited objects would copy every shared page (~10 ms); in a cold run it
    frees memory the kernel frees anyway (~2 ms, a tenth of the run). What a script can
    observe of an exit still happens: non-daemon threads are joined, atexit handlers run,
    the script's own objects are finalised (unclosed files flushed), and stdout/stderr
    are flushed.
    """
    # By object, not name: a module the script imports may be one loaded before under
    # another name (importlib._bootstrap is _frozen_importlib), and must stay whole.
    preloaded = {id(module) for module in sys.modules.values()}
    sys.argv = [script, *args]
    sys.path.insert(0, os.path.dirname(script))
    module = type(sys)("__main__")
    module.__file__ = script
    module.__dict__["__builtins__"] = __builtins__
    sys.modules["__main__"] = module
    code = 0
    compiled = None
    try:
        with open(script, "rb") as handle:
            source = handle.read()
        _refuse_undeclared_encoding(source, script)
        compiled = _compile(source, script)
    except OSError as exc:
        _print(f"{sys.executable}: can't open file {script!r}: [Errno {exc.errno}] {exc.strerror}")
        code = 2
    except (SyntaxError, ValueError) as exc:
        # As `python script.py` shows it: where and what, without a traceback.
        _print_exception(exc, None)
        code = 1
    if compiled is not None:
        try:
            exec(compiled, module.__dict__)
        except SystemExit as exc:
            code = _exit_code(exc)
        except BaseException as exc:
            debuggee = sys.modules.get(__package__ + "._debuggee")
            if debuggee is not None:  # a debug run: stop where it was raised
                debuggee.uncaught(exc)
            # The traceback without this bootstrap's frame, as `python script.py` prints it.
            _print_exception(exc, exc.__traceback__.tb_next if exc.__traceback__ else None)
            code = 130 if isinstance(exc, KeyboardInterrupt) else 1
    _finish(code, module, preloaded)


def _refuse_undeclared_encoding(source: bytes, filename: str) -> None:
    """Raise the SyntaxError `python script.py` gives a file that is not UTF-8 and declares
    no encoding. Compiling the bytes checks only the tokens it decodes, so a byte that is
    not UTF-8 in a comment would run here and fail where the script is deployed."""
    try:
        source.decode("utf-8")
    except UnicodeDecodeError as exc:
        for line in source.split(b"\n", 2)[:2]:
            text = line.lstrip(b" \t\f")
            if text.startswith(b"#") and (b"coding:" in text or b"coding=" in text):
                return  # declared (PEP 263): compile decodes it as the interpreter does
        line_number = source.count(b"\n", 0, exc.start) + 1
        raise SyntaxError(
            f"Non-UTF-8 code starting with '\\x{source[exc.start]:02x}' in file {filename} "
            f"on line {line_number}, but no encoding declared; see "
            "https://peps.python.org/pep-0263/ for details"
        ) from None


def _compile(source: bytes, filename: str) -> Any:
    """compile(source, filename, "exec", dont_inherit=True), minus a one-off cost.

    The first call of the builtin compile() builds every AST node type (~1 ms, as much
    as the rest of the sandbox set-up); the C function behind `python script.py` does
    not. When the sandbox has already bound libc, call that function instead.
    """
    native = sys.modules.get(__package__ + "._native")
    if native is not None and b"\0" not in source:
        try:
            libc = native.libc()
        except Exception:  # nothing bound: the builtin is as good, only slower
            pass
        else:
            return libc.compile_file(source, filename)
    return compile(source, filename, "exec", dont_inherit=True)


def _print_exception(exc: BaseException, tb: Any) -> None:
    import traceback

    if tb is None:
        lines = traceback.format_exception_only(type(exc), exc)
    else:
        lines = traceback.format_exception(type(exc), exc, tb)
    _print("".join(lines).rstrip("\n"))


def _print(text: str) -> None:
    try:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
    except Exception:  # a closed stderr must not hide the exit status
        pass


def _exit_code(exc: SystemExit) -> int:
    """The status `python script.py` exits with for this SystemExit."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code & 0xFF
    _print(str(exc.code))
    return 1


def _clear_module(namespace: dict[str, Any]) -> None:
    """What the interpreter's teardown does to a module: its names set to None, the private
    ones first, so that a finaliser running meanwhile finds None (which the standard
    library checks for) rather than a missing name."""
    for private in (True, False):
        for name in list(namespace):
            if name.startswith("_") is private and name != "__builtins__":
                namespace[name] = None


def _finish(code: int, main_module: ModuleType, preloaded: set[int]) -> NoReturn:
    try:
        if "threading" in sys.modules:
            sys.modules["threading"]._shutdown()
        import atexit

        atexit._run_exitfuncs()
        # Finalise what the script created, newest modules first, as the teardown would.
        _clear_module(main_module.__dict__)
        for module in reversed(list(sys.modules.values())):
            if id(module) not in preloaded:
                namespace = getattr(module, "__dict__", None)
                if isinstance(namespace, dict):  # not a class posing as a module
                    _clear_module(namespace)
        import gc

        gc.collect()
    except BaseException as exc:  # an exit handler failing must not lose the output
        _print(f"Exception ignored at exit: {exc!r}")
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            code = code or 120  # what CPython exits with when flushing stdout fails
    os._exit(code)
