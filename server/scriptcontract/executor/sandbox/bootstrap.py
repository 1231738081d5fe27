"""Runs inside the child: confine this process, report what holds, then run the script.

Started as `python -I bootstrap.py SPEC_JSON` (a cold run), or imported by the warm
runner (zygote.py), whose forked child calls `enter(spec)`. Standard library only and Python 3.8
syntax: it runs in the script's interpreter, not the caller's. The spec names the
script, its arguments, the project root, the private temp dir, the policy and the fd of
the report pipe. The first line written to that pipe is the JSON sandbox report; after
it, on SIGUSR1, the stacks of all threads (the executor asks just before a timeout kill).
"""

from __future__ import annotations

import json
import os
import sys
from types import ModuleType

# `typing` costs ~3 ms to import: only the type checker reads these names.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

REFUSED_EXIT_CODE = 125


def _load_confine() -> ModuleType:
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    try:
        import importlib

        return importlib.import_module("_scriptcontract_confine")
    finally:
        sys.path.remove(here)


def run_script(script: str, args: list[str], *, fast_exit: bool = False) -> None:
    """Run `script` as `__main__`, as `python script.py args...` would.

    With `fast_exit` (a child forked from the warm runner) the exit skips the interpreter's
    full teardown: tearing down the runner's inherited objects would copy every shared page
    (~10 ms). What a script can observe of an exit still happens: non-daemon threads are
    joined, atexit handlers run, the script's own objects are finalised (unclosed files
    flushed), and stdout/stderr are flushed.
    """
    preloaded = set(sys.modules)
    sys.argv = [script, *args]
    sys.path.insert(0, os.path.dirname(script))
    module = ModuleType("__main__")
    module.__file__ = script
    module.__dict__["__builtins__"] = __builtins__
    sys.modules["__main__"] = module
    code = 0
    try:
        with open(script, "rb") as handle:
            source = handle.read()
        exec(compile(source, script, "exec", dont_inherit=True), module.__dict__)
    except SystemExit as exc:
        if not fast_exit:
            raise
        code = _exit_code(exc)
    except BaseException as exc:
        # Print the traceback without this bootstrap's frame, as `python script.py` would.
        import traceback

        tb = exc.__traceback__.tb_next if exc.__traceback__ else None
        sys.stderr.write("".join(traceback.format_exception(type(exc), exc, tb)))
        sys.stderr.flush()
        code = 130 if isinstance(exc, KeyboardInterrupt) else 1
        if not fast_exit:
            sys.exit(code)
    if fast_exit:
        _finish_fast(code, module, preloaded)


def _exit_code(exc: SystemExit) -> int:
    """The status `python script.py` exits with for this SystemExit."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code & 0xFF
    try:  # noqa: SIM105 - contextlib would cost an import per run
        sys.stderr.write(f"{exc.code}\n")
    except Exception:
        pass
    return 1


def _finish_fast(code: int, main_module: ModuleType, preloaded: set[str]) -> None:
    try:
        if "threading" in sys.modules:
            sys.modules["threading"]._shutdown()
        import atexit

        atexit._run_exitfuncs()
        # Finalise what the script created, newest modules first, as the teardown would.
        main_module.__dict__.clear()
        for name in reversed(list(sys.modules)):
            if name not in preloaded:
                module = sys.modules.get(name)
                if module is not None and hasattr(module, "__dict__"):
                    module.__dict__.clear()
        import gc

        gc.collect()
    except BaseException as exc:  # an exit handler failing must not lose the output
        try:  # noqa: SIM105
            sys.stderr.write(f"Exception ignored at exit: {exc!r}\n")
        except Exception:
            pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            code = code or 120  # what CPython exits with when flushing stdout fails
    os._exit(code)


def main(argv: list[str]) -> None:
    enter(json.loads(argv[1]))


def enter(spec: dict[str, Any]) -> None:
    """Confine this process as the spec says, report, and run the script (never returns)."""
    report_fd: int = spec["report_fd"]
    # The executor enforces some protections from outside (the process-count watchdog).
    enforced = list(spec.get("parent_enforced", []))
    report: dict[str, Any] = {
        "platform": sys.platform,
        "enforced": enforced,
        "missing": [],
        "details": {},
    }
    policy = spec.get("policy") or {}
    if policy.get("enabled", True):
        try:
            _load_confine().apply(spec, report)
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
    try:
        import faulthandler
        import signal

        faulthandler.register(signal.SIGUSR1, file=report_file, all_threads=True)
    except (ImportError, AttributeError, ValueError, RuntimeError):
        pass  # no stack on timeout on this platform; the run itself is unaffected
    run_script(spec["script"], spec.get("args", []), fast_exit=bool(spec.get("fast_exit")))


if __name__ == "__main__":
    main(sys.argv)
