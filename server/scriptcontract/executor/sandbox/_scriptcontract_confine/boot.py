"""The bootstrap's work inside the child: confine, report what holds, run the script.

Lives in a module (not in bootstrap.py itself) so that its bytecode is cached instead
of compiled on every run. Standard library only, Python 3.8 syntax; imports are kept to
what a script would load anyway (json, os, sys), since every millisecond here is paid by
every cold run.
"""

from __future__ import annotations

import json
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` costs start-up time; only the type checker needs it
    from typing import Any, NoReturn

REFUSED_EXIT_CODE = 125


def main(argv: list[str]) -> None:
    spec: dict[str, Any] = json.loads(argv[1])
    report_fd: int = spec["report_fd"]
    # The executor enforces some protections from outside (the process-count watchdog).
    report: dict[str, Any] = {
        "platform": sys.platform,
        "enforced": list(spec.get("parent_enforced", [])),
        "missing": [],
        "details": {},
    }
    policy = spec.get("policy") or {}
    if policy.get("enabled", True):
        try:
            from . import apply

            apply(spec, report)
        except Exception as exc:  # the run must still be reported, never crash silently
            report["details"]["error"] = f"{type(exc).__name__}: {exc}"
    else:
        report["details"]["disabled"] = "sandbox disabled by policy"
    required = [name for name in policy.get("require", []) if name not in report["enforced"]]
    if required:
        report["refused"] = required
    report_file = os.fdopen(report_fd, "w", encoding="utf-8", closefd=True)
    report_file.write(json.dumps(report) + "\n")
    report_file.flush()
    if required:
        sys.exit(REFUSED_EXIT_CODE)
    os.set_inheritable(report_fd, False)
    _stack_dump_on_sigusr1(report_file)
    run_script(spec["script"], spec.get("args", []))


def _stack_dump_on_sigusr1(report_file: Any) -> None:
    """The executor sends SIGUSR1 just before a timeout kill: dump every thread's stack."""
    try:
        import faulthandler

        # From the C module, loaded at start-up: `signal` adds enum wrappers (~0.5 ms).
        number = getattr(sys.modules.get("_signal"), "SIGUSR1", None)
        if number is None:
            import signal

            number = signal.SIGUSR1
        faulthandler.register(number, file=report_file, all_threads=True)
    except (ImportError, AttributeError, ValueError, RuntimeError):
        pass  # no stack on timeout on this platform; the run itself is unaffected


def run_script(script: str, args: list[str]) -> None:
    """Run `script` as `__main__`, as `python script.py args...` would."""
    sys.argv = [script, *args]
    sys.path.insert(0, os.path.dirname(script))
    module = type(sys)("__main__")
    module.__file__ = script
    module.__dict__["__builtins__"] = __builtins__
    sys.modules["__main__"] = module
    try:
        with open(script, "rb") as handle:
            code = _compile(handle.read(), script)
    except (SyntaxError, ValueError) as exc:
        # As `python script.py` shows it: where and what, without a traceback.
        _fail(exc, None)
    try:
        exec(code, module.__dict__)
    except SystemExit:
        raise
    except BaseException as exc:
        # The traceback without this bootstrap's frame, as `python script.py` prints it.
        _fail(exc, exc.__traceback__.tb_next if exc.__traceback__ else None)


def _fail(exc: BaseException, tb: Any) -> NoReturn:
    import traceback

    if tb is None:
        lines = traceback.format_exception_only(type(exc), exc)
    else:
        lines = traceback.format_exception(type(exc), exc, tb)
    sys.stderr.write("".join(lines))
    sys.stderr.flush()
    sys.exit(130 if isinstance(exc, KeyboardInterrupt) else 1)


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
