"""The seed's `validate_script_contract()` answer, from the analyser."""

from __future__ import annotations

import ast


def script_follows_contract(source: str, path: str) -> bool:
    """True when the analyser finds no error-level contract violation in `source`."""
    # Placeholder until the rules land: a script that parses is given the benefit of the doubt.
    try:
        ast.parse(source, filename=path)
    except (SyntaxError, ValueError):
        return False
    return True
