"""The language server: pygls 2 handlers around the analyser and the executor.

lsprotocol types appear only in this package. `create_server()` in `server.py` builds it.
"""
