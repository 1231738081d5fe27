"""The seed's `validate_script_contract()` answer, from the analyser."""

from __future__ import annotations

from scriptcontract.contract.analyze import analyse
from scriptcontract.contract.finding import Severity
from scriptcontract.contract.settings import LintSettings


def script_follows_contract(source: str, path: str, settings: LintSettings | None = None) -> bool:
    """True when the analyser finds no error-level contract violation in `source`, under
    `settings` (the project's: severity overrides, target version, error keys; None: the
    defaults). Pure: the caller reads the configuration, and decides which one counts."""
    findings = analyse(source, path=path, settings=settings)
    return not any(f.severity is Severity.ERROR for f in findings)
