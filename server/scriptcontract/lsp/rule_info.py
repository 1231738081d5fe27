"""What the server can say about a rule code: its name, summary and docs page.

The rule registry (`scriptcontract.contract.rules`) is read defensively: a code it does not
know still gets a docs link, and the server works before and after the registry changes.
"""

from __future__ import annotations

import functools
import importlib
import logging
from dataclasses import dataclass

logger = logging.getLogger(__name__)

# The analyser's own base (`rules.meta.DOCS_BASE_URL`) when it is there.
_FALLBACK_DOCS_BASE = "https://github.com/scriptcontract/scriptcontract/blob/main/docs/rules/"


@dataclass(frozen=True)
class RuleInfo:
    code: str
    name: str
    summary: str
    docs_url: str


def _registry_rule(code: str) -> object | None:
    try:
        registry = importlib.import_module("scriptcontract.contract.rules")
    except ImportError:
        return None
    find = getattr(registry, "rule_by_code", None)
    if find is None:
        return None
    try:
        return find(code)  # type: ignore[no-any-return]
    except Exception:  # an unknown code may raise or return None, depending on the registry
        return None


def _text(rule: object, *names: str) -> str:
    for name in names:
        value = getattr(rule, name, None)
        if isinstance(value, str) and value:
            return value
    return ""


@functools.lru_cache(maxsize=512)
def rule_info(code: str) -> RuleInfo | None:
    """The rule behind `code`, or None when no rule has that code."""
    rule = _registry_rule(code)
    if rule is None:
        return None
    return RuleInfo(
        code=code,
        name=_text(rule, "name"),
        summary=_text(rule, "summary", "description", "message"),
        docs_url=_text(rule, "docs_url", "url") or default_docs_url(code),
    )


@functools.lru_cache(maxsize=1)
def _docs_base() -> str:
    try:
        meta = importlib.import_module("scriptcontract.contract.rules.meta")
    except ImportError:
        return _FALLBACK_DOCS_BASE
    base = getattr(meta, "DOCS_BASE_URL", None)
    return base if isinstance(base, str) and base else _FALLBACK_DOCS_BASE


def default_docs_url(code: str) -> str:
    """Where the page of `code` would be (for codes the registry does not know)."""
    return f"{_docs_base()}{code}.md"


def docs_url(code: str) -> str:
    info = rule_info(code)
    return info.docs_url if info is not None else default_docs_url(code)
