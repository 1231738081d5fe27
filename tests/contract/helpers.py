"""Small helpers for analyser tests: analyse dedented source, list codes and lines."""

from __future__ import annotations

import textwrap
from typing import Any

from scriptcontract.check.fixer import apply_safe_fixes
from scriptcontract.contract.analyze import analyse
from scriptcontract.contract.finding import Finding
from scriptcontract.contract.project_modules import ProjectModules
from scriptcontract.contract.settings import LintSettings
from scriptcontract.settings_tables import validate

PROJECT_ROOT = "/project"


def _settings(table: dict[str, Any]) -> LintSettings:
    """Settings as the configuration gives them (`{"severity": {"SCR1": "hint"}}` too)."""
    settings, problems = validate(LintSettings, table)
    assert problems == []
    return settings


def findings(source: str, **settings: Any) -> list[Finding]:
    text = textwrap.dedent(source).lstrip("\n")
    found = analyse(text, path="scripts/job.py", settings=_settings(settings))
    # A test source that does not parse would make every "silent" assertion vacuous.
    assert not [f for f in found if f.code in ("SCR001", "SCR002")], found
    return found


def codes(source: str, **settings: Any) -> list[str]:
    return [f.code for f in findings(source, **settings)]


def lines_of(source: str, code: str, **settings: Any) -> list[int]:
    """1-based lines where `code` is reported."""
    return [f.range.start.line + 1 for f in findings(source, **settings) if f.code == code]


def fixed(source: str, code: str, **settings: Any) -> str:
    """The source after applying the safe fixes of `code`'s findings."""
    text = textwrap.dedent(source).lstrip("\n")
    own = [f for f in analyse(text, settings=_settings(settings)) if f.code == code]
    assert own, f"{code} did not fire"
    result, count = apply_safe_fixes(text, own)
    assert count, f"{code} offered no safe fix"
    return result


def project_codes(files: dict[str, str], script: str, **settings: Any) -> list[str]:
    """Codes for `script` (a key of `files`) analysed in a project made of `files`, whose
    own modules the analysis follows; paths are relative to the project root."""

    def read(path: str) -> str | None:
        relative = path[len(PROJECT_ROOT) + 1 :] if path.startswith(PROJECT_ROOT + "/") else None
        return textwrap.dedent(files[relative]).lstrip("\n") if relative in files else None

    source = read(f"{PROJECT_ROOT}/{script}")
    assert source is not None
    modules = ProjectModules(read, PROJECT_ROOT)
    found = analyse(
        source, path=f"{PROJECT_ROOT}/{script}", settings=_settings(settings), modules=modules
    )
    assert not [f for f in found if f.code in ("SCR001", "SCR002")], found
    return [f.code for f in found]
