"""Starts the scriptcontract language server from the libraries bundled with the VS Code extension.

Run as `python -I serve.py [--from-environment] [--probe]`. With `--probe` it only prints, as one
JSON line, the interpreter's version and whether the server can be imported, so the extension can
say precisely what is wrong before it starts anything. The first part must stay importable by any
Python 3, however old: its job is to tell the user that their Python is too old.
"""

import json
import os
import sys
import sysconfig

MINIMUM = (3, 10)
BUNDLED = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def native_tag():
    """The folder name of the compiled libraries that fit this interpreter."""
    return "cp%d%d-%s" % (sys.version_info[0], sys.version_info[1], sysconfig.get_platform())


def use_bundled_libraries():
    """Puts the bundled libraries first on sys.path; returns a problem, or None."""
    sys.path[0:0] = [os.path.join(BUNDLED, "libs")]
    native = os.path.join(BUNDLED, "native", native_tag())
    if os.path.isdir(native):
        sys.path.insert(0, native)
        return None
    native_root = os.path.join(BUNDLED, "native")
    available = sorted(os.listdir(native_root)) if os.path.isdir(native_root) else []
    return "no bundled compiled libraries for %s (bundled: %s)" % (
        native_tag(),
        ", ".join(available) or "none",
    )


def import_problem():
    """None when the server and its dependencies import, else why not."""
    try:
        import pydantic  # noqa: F401  (the compiled pydantic_core is what most often fails)
        import pygls  # noqa: F401

        import scriptcontract.cli  # noqa: F401
    except Exception as exc:  # any failure here is reported to the user, never a traceback
        return "%s: %s" % (type(exc).__name__, exc)
    return None


def missing_library():
    """None when the server's libraries are there (without importing them), else which is not."""
    import importlib.util

    for name in ("pydantic_core", "pygls", "scriptcontract"):
        if importlib.util.find_spec(name) is None:
            return "No module named %r" % name
    return None


def main(argv):
    probe = "--probe" in argv
    from_environment = "--from-environment" in argv
    info = {"version": list(sys.version_info[:3]), "executable": sys.executable}
    problem = None
    if sys.version_info[:2] < MINIMUM:
        problem = "Python %d.%d or newer is needed" % MINIMUM
    else:
        missing_native = None if from_environment else use_bundled_libraries()
        # Serving only looks for the libraries: importing them here would hold back the
        # server's early answer to `initialize`. The extension probes first, and
        # `scriptcontract serve` itself reports an import that still fails.
        problem = import_problem() if probe else missing_library()
        if problem and missing_native:
            problem = missing_native
    if probe:
        if problem:
            info["problem"] = problem
        sys.stdout.write(json.dumps(info) + "\n")
        return 0
    if problem:
        sys.stderr.write("scriptcontract: cannot start the language server: %s\n" % problem)
        return 2
    from scriptcontract.cli import main as cli_main

    return cli_main(["serve"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
