"""The real server with two handlers that raise, to see it survive its own bugs."""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from scriptcontract.lsp.log import setup_logging
from scriptcontract.lsp.server import create_server


def main() -> None:
    setup_logging(None, "error")
    server = create_server()

    def hover(params: Any) -> None:
        raise RuntimeError("hover exploded")

    def did_save(params: Any) -> None:
        raise RuntimeError("save exploded")

    server.protocol.fm.features[types.TEXT_DOCUMENT_HOVER] = hover
    server.protocol.fm.features[types.TEXT_DOCUMENT_DID_SAVE] = did_save
    server.start_io()


if __name__ == "__main__":
    main()
