"""A debug run: debugpy in the script's process, on the connection the executor opened.

The executor connects to the debug adapter before the run starts and passes the connected
socket in (`spec["debug"]["fd"]`): the confined process needs no network right of its own,
and none is added. debugpy's server (pydevd) would open its own connection; it is handed
this one instead. Runs after the confinement and after site-packages, before the script's
first line; debugpy is the one installed with scriptcontract, imported from its folder
(the only part of that environment the run may read). Standard library only (besides
debugpy itself), Python 3.8 syntax.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# The exit status of a debug run that could not start debugpy (the script never ran).
NO_DEBUGGER_EXIT_CODE = 126


def attach(debug: dict[str, Any]) -> None:
    """Connect debugpy through the inherited socket and wait until the editor has set its
    breakpoints (the adapter's `configurationDone`); exits the process when it cannot."""
    import socket

    fd = debug["fd"]
    os.set_inheritable(fd, False)  # the script's own children do not get the debugger
    connection = socket.socket(fileno=fd)
    # pydevd would warn on stderr that this interpreter's frozen modules (the standard
    # library's start-up modules) may miss breakpoints: stderr is the script's.
    os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    try:
        debugpy = _import_debugpy(debug["debugpy"])
        importlib.import_module("debugpy.server.api")  # puts its own pydevd on sys.path
        pydevd = importlib.import_module("pydevd")
    except Exception as exc:
        version = "{}.{}".format(*sys.version_info[:2])
        _fail(f"debugpy does not import in {sys.executable} (Python {version}): {exc!r}")

    def start_client(host: str, port: int) -> socket.socket:
        return connection

    server_token, client_token = debug.get("server_token"), debug.get("client_token")
    if not (server_token and client_token):
        _fail(
            "the debug session has no tokens (the editor's configuration is from another version)"
        )
    settrace = pydevd.settrace

    def settrace_with_the_adapters_token(*args: Any, **kwargs: Any) -> Any:
        # The adapter must present the session's server token before pydevd answers it:
        # whoever else holds the port gets "not authenticated" to every request.
        kwargs["access_token"] = server_token
        return settrace(*args, **kwargs)

    # pydevd connects with the function it imported by name: replace that one.
    setattr(pydevd, "start_client", start_client)  # noqa: B010 (a module typed as such)
    setattr(pydevd, "settrace", settrace_with_the_adapters_token)  # noqa: B010
    try:
        # No subprocess patching: a child would connect on its own (a network right).
        debugpy.configure(subProcess=False)
        # The address is unused (start_client above); the token is what pydevd presents
        # to the adapter, which takes no debuggee without it.
        debugpy.connect(("127.0.0.1", 9), access_token=client_token)
        debugpy.wait_for_client()
    except Exception as exc:
        _fail(f"debugpy could not attach: {exc!r}")
    del os.environ["PYDEVD_DISABLE_FILE_VALIDATION"]  # read at import: the script's again


def _import_debugpy(folder: str) -> Any:
    """debugpy from scriptcontract's environment, not found through `sys.path` (its parent,
    a whole site-packages, is not readable in the sandbox; only this folder is)."""
    spec = importlib.util.spec_from_file_location(
        "debugpy", os.path.join(folder, "__init__.py"), submodule_search_locations=[folder]
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"no debugpy in {folder}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["debugpy"] = module
    spec.loader.exec_module(module)
    return module


def uncaught(exc: BaseException) -> None:
    """Stop in the debugger on an exception the script did not catch, where it was raised:
    the bootstrap catches it to print it as `python script.py` would, which would otherwise
    hide it from debugpy's "uncaught" filter."""
    api = sys.modules.get("debugpy")
    trigger = getattr(api, "trigger_exception_handler", None)
    if trigger is None or isinstance(exc, SystemExit):
        return
    # The debugger may have gone away: the run still reports the exception.
    with contextlib.suppress(Exception):
        trigger((type(exc), exc, exc.__traceback__), as_uncaught=True)


def _fail(message: str) -> None:
    try:
        sys.stderr.write(f"scriptcontract: cannot debug: {message}\n")
        sys.stderr.flush()
    finally:
        os._exit(NO_DEBUGGER_EXIT_CODE)
