"""The seed's `validate_script_contract()` answer, from the analyser."""

from __future__ import annotations

from pathlib import Path

from scriptcontract.contract.analyze import analyse
from scriptcontract.contract.finding import Severity


def script_follows_contract(source: str, path: str) -> bool:
    """True when the analyser finds no error-level contract violation in `source`.

    The script's project configuration applies (severity overrides, target version, error
    keys), as it does for `scriptcontract check`.
    """
    from scriptcontract.config import find_project_root, load_project_config

    root = find_project_root(Path(path).parent)
    settings = load_project_config(root).lint if root is not None else None
    findings = analyse(source, path=path, settings=settings)
    return not any(f.severity is Severity.ERROR for f in findings)
