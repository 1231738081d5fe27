"""The seed's `validate_script_contract()` answer, from the analyser."""

from __future__ import annotations

from scriptcontract.contract.analyze import analyse
from scriptcontract.contract.finding import Severity


def script_follows_contract(source: str, path: str) -> bool:
    """True when the analyser finds no error-level contract violation in `source`."""
    return not any(f.severity is Severity.ERROR for f in analyse(source, path=path))
