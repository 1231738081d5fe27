"""`python <this folder> --debugpy DIR --client-access-token C --server-access-token S ...`:
debugpy's adapter (from DIR), refusing a debuggee that does not present C; S is what the
adapter presents to the debuggee (debugpy's own switch). Standard library only besides
debugpy; refuses to start without both tokens."""

from __future__ import annotations

import hmac
import os
import sys
import threading
from typing import Any

# How long a connection has to present its token: the adapter accepts one at a time, so a
# connection that says nothing would keep the debuggee waiting behind it.
AUTHORIZE_S = 5.0


def _take(argv: list[str], switch: str) -> str | None:
    """The value after `switch`, removed from argv with it."""
    if switch not in argv:
        return None
    at = argv.index(switch)
    value = argv[at + 1] if at + 1 < len(argv) else None
    del argv[at : at + 2]
    return value


def _value(argv: list[str], switch: str) -> str | None:
    at = argv.index(switch) if switch in argv else -1
    return argv[at + 1] if 0 <= at < len(argv) - 1 else None


def main() -> None:
    del sys.path[0]  # this folder
    argv = sys.argv[1:]
    debugpy = _take(argv, "--debugpy")
    client_token = _take(argv, "--client-access-token")
    server_token = _value(argv, "--server-access-token")
    if not (debugpy and client_token and server_token):
        sys.exit(
            "scriptcontract's debug adapter: --debugpy, --client-access-token and "
            "--server-access-token are required (ask the server for the configuration)"
        )
    sys.path.insert(0, os.path.dirname(debugpy))
    from debugpy.adapter import __main__ as adapter

    # In the order debugpy's own start imports them (`servers` first is a circular import).
    from debugpy.adapter import clients, servers, sessions  # noqa: F401

    if not callable(getattr(servers.Connection, "authenticate", None)):
        # Another debugpy, whose adapter would take any debuggee: refused, not run open.
        sys.exit(
            "scriptcontract's debug adapter: this debugpy's adapter has no check of the "
            "debuggee to replace; install a debugpy that scriptcontract supports"
        )

    def authenticate(connection: Any) -> None:
        timer = threading.Timer(AUTHORIZE_S, connection.channel.close)
        timer.daemon = True
        timer.start()
        try:
            answer = connection.channel.request(
                "pydevdAuthorize", {"debugServerAccessToken": server_token}
            )
            presented = answer["clientAccessToken"]
        finally:
            timer.cancel()
        if not (
            isinstance(presented, str)
            and hmac.compare_digest(presented.encode(), client_token.encode())
        ):
            connection.channel.close()
            raise RuntimeError("a connection without the session's token was refused")

    setattr(servers.Connection, "authenticate", authenticate)  # noqa: B010 (a method)
    sys.argv = [sys.argv[0], *argv]
    adapter.main()  # type: ignore[no-untyped-call]


if __name__ == "__main__":
    main()
