"""Where a script's inputs file lives: `<script>.inputs.json`, beside the script.

Shared by the language server (runs, "Create inputs file") and `scriptcontract new`.
"""

from __future__ import annotations

from pathlib import Path

SIDECAR_SUFFIX = ".inputs.json"


def sidecar_path(script: Path) -> Path:
    """`scripts/hello.py` -> `scripts/hello.inputs.json`."""
    return script.with_name(script.stem + SIDECAR_SUFFIX)
