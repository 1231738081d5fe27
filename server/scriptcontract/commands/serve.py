"""`scriptcontract serve`: the language server, over stdio (default) or TCP for debugging.

Over stdio, `initialize` is answered before the server is imported (`lsp/fast_start.py`).
"""

from __future__ import annotations

import argparse
import os
import sys

EXIT_OK, EXIT_NOT_SHUT_DOWN, EXIT_USAGE = 0, 1, 2
LOG_LEVELS = ("error", "warning", "info", "debug")


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stdio", action="store_true", help="talk LSP over stdin/stdout (the default)"
    )
    parser.add_argument(
        "--tcp", metavar="HOST:PORT", help="listen on a TCP port instead (one client, debugging)"
    )
    parser.add_argument(
        "--log-file", metavar="FILE", help="write the server log here (default: stderr)"
    )
    parser.add_argument(
        "--log-level",
        choices=LOG_LEVELS,
        default="warning",
        help="server log level (default: warning)",
    )


def _address(spelled: str) -> tuple[str, int] | None:
    host, _, port = spelled.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        return None
    return host.strip("[]"), int(port)


def run(args: argparse.Namespace) -> int:
    address = None
    if args.tcp is not None:
        address = _address(args.tcp)
        if address is None:
            print(
                f"scriptcontract serve: error: --tcp wants HOST:PORT, got {args.tcp!r}",
                file=sys.stderr,
            )
            return EXIT_USAGE
    if args.log_file:
        try:
            open(args.log_file, "a", encoding="utf-8").close()
        except OSError as exc:
            print(
                f"scriptcontract serve: error: cannot write --log-file {args.log_file}: {exc}",
                file=sys.stderr,
            )
            return EXIT_USAGE

    start = None
    if address is None and sys.stdin is not None and sys.stdout is not None:
        from scriptcontract.lsp import fast_start

        if fast_start.enabled(os.environ):
            start = fast_start.begin(sys.stdin.buffer, sys.stdout.buffer)

    try:
        from scriptcontract.lsp.log import setup_logging
        from scriptcontract.lsp.server import create_server
    except ImportError as exc:  # a broken install: say so, to the client too if it waits
        message = f"scriptcontract serve: error: cannot load the language server: {exc}"
        if start is not None:
            start.show_error(message)
        print(message, file=sys.stderr)
        return EXIT_USAGE

    setup_logging(args.log_file, args.log_level)
    server = create_server()
    # The event loop takes the GIL back from a thread working out a large script's answer
    # within this time (Python's default is 5 ms): it needs it after every read, write and
    # hand-off, and an edit's round trip waited seconds behind one hover at 5 ms.
    sys.setswitchinterval(0.0005)
    if address is not None:
        try:
            server.start_tcp(*address)
        except OSError as exc:
            print(
                f"scriptcontract serve: error: cannot listen on {args.tcp}: {exc}", file=sys.stderr
            )
            return EXIT_USAGE
    elif start is not None:
        start.log_outcome()
        server.start_io(*start.streams())
        if start.refusal is not None:
            return EXIT_NOT_SHUT_DOWN
    else:
        server.start_io()
    # LSP: exit after a `shutdown` request is a clean exit, any other end is not.
    return EXIT_OK if getattr(server.protocol, "_shutdown", False) else EXIT_NOT_SHUT_DOWN
