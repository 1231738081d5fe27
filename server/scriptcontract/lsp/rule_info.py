"""What the server can say about a rule code: its name, summary and docs page.

A rule's page is at `docs.baseUrl` when the user set one (`<base>/SCR105.md`, where they
publish or mirror the docs). Otherwise it is the page that ships with the installed package:
rendered from the rule's metadata (as `docs/rules/` is) into the user's cache folder once
per version, and linked as a `file:` URI, so a link always opens the docs of the version
that reported the finding, on- or offline. Only if that folder cannot be written does the
link fall back to the project's repository.

The rule registry (`scriptcontract.contract.rules`) is read defensively: a code it does not
know still gets a link, and the server works before and after the registry changes.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import logging
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from scriptcontract import __version__

logger = logging.getLogger(__name__)

# The analyser's own base (`rules.meta.DOCS_BASE_URL`) when it is there.
_FALLBACK_DOCS_BASE = "https://github.com/scriptcontract/scriptcontract/blob/main/docs/rules/"


@dataclass(frozen=True)
class RuleInfo:
    code: str
    name: str
    summary: str


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
        code=code, name=_text(rule, "name"), summary=_text(rule, "summary", "description")
    )


def docs_url(code: str, base: str | None = None) -> str:
    """Where the page of `code` is: under `base` when set, else the packaged page."""
    if base:
        return f"{base.rstrip('/')}/{code}.md"
    page = _packaged_page(code)
    return page.as_uri() if page is not None else f"{_published_base()}{code}.md"


def pages_folder() -> Path:
    """Where this version's rule pages are rendered: the user's cache folder."""
    if sys.platform == "win32":
        cache = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    else:
        cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "scriptcontract" / f"rules-{__version__}"


@functools.lru_cache(maxsize=512)
def _packaged_page(code: str) -> Path | None:
    """The rule's page rendered from its metadata, written once; None if it cannot be."""
    from scriptcontract.contract.docs import rule_page
    from scriptcontract.contract.rules.meta import RuleMeta

    meta = _registry_rule(code)
    if not isinstance(meta, RuleMeta):
        return None

    page = pages_folder() / f"{code}.md"
    text = rule_page(meta)
    try:
        if page.is_file() and page.read_text(encoding="utf-8") == text:
            return page
        page.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a reader (or a second server) never sees half a page.
        handle, temporary = tempfile.mkstemp(dir=page.parent, prefix=f".{code}.", suffix=".md")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, page)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
    except OSError as exc:
        logger.info("Rule pages link to the repository: cannot write %s: %s", page, exc)
        return None
    return page


@functools.lru_cache(maxsize=1)
def _published_base() -> str:
    try:
        meta = importlib.import_module("scriptcontract.contract.rules.meta")
    except ImportError:
        return _FALLBACK_DOCS_BASE
    base = getattr(meta, "DOCS_BASE_URL", None)
    return base if isinstance(base, str) and base else _FALLBACK_DOCS_BASE
