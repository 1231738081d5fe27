"""Which rules run and how severe their findings are: `select`, `extend-select`, `ignore`
and `severity`.

Selectors are codes (`SCR105`), code prefixes (`SCR1`, `SCR`), rule names
(`stray-stdout-output`) or `ALL`. When both `select` and `ignore` match a rule, the more
specific selector (the longer prefix) wins, and `ignore` wins a tie. `extend-select` adds
rules to those `select` (or, when it is empty, the defaults) runs, judged against `ignore`
the same way.
"""

from __future__ import annotations

import functools

from scriptcontract.contract.finding import Severity
from scriptcontract.contract.rules import RULES
from scriptcontract.contract.settings import LintSettings


def _specificity(selector: str, code: str, name: str) -> int:
    """How closely `selector` names the rule: -1 when it does not match it at all."""
    upper = selector.strip().upper()
    if upper == "ALL":
        return 0
    if selector.strip().lower() == name or upper == code:
        return 10
    if upper and code.startswith(upper):
        return len(upper)
    return -1


def known_selector(selector: str) -> bool:
    return any(_specificity(selector, r.meta.code, r.meta.name) >= 0 for r in RULES)


def unknown_selectors(settings: LintSettings) -> list[str]:
    """Entries of select, ignore and severity that match no rule (likely typos)."""
    per_file = [code for codes in settings.per_file_ignores.values() for code in codes]
    entries = [
        *settings.select,
        *settings.extend_select,
        *settings.ignore,
        *settings.severity,
        *per_file,
    ]
    return [entry for entry in entries if not known_selector(entry)]


def enabled_rules(settings: LintSettings) -> dict[str, Severity]:
    """Code -> severity of every rule that runs under `settings`."""
    return _enabled(
        tuple(settings.select),
        tuple(settings.extend_select),
        tuple(settings.ignore),
        tuple(sorted((k, v.value) for k, v in settings.severity.items())),
    )


@functools.lru_cache(maxsize=64)
def _enabled(
    select: tuple[str, ...],
    extend: tuple[str, ...],
    ignore: tuple[str, ...],
    severity: tuple[tuple[str, str], ...],
) -> dict[str, Severity]:
    enabled: dict[str, Severity] = {}
    for rule in RULES:
        code, name = rule.meta.code, rule.meta.name
        chosen = max((_specificity(s, code, name) for s in select), default=-1)
        dropped = max((_specificity(s, code, name) for s in ignore), default=-1)
        if select:
            on = chosen >= 0 and chosen > dropped
        else:
            on = rule.meta.default_enabled and dropped < 0
        if not on and extend:
            added = max((_specificity(s, code, name) for s in extend), default=-1)
            on = added >= 0 and added > dropped
        if not on:
            continue
        level = rule.meta.severity
        best = -1
        for selector, value in severity:
            score = _specificity(selector, code, name)
            if score > best:
                best, level = score, Severity(value)
        enabled[code] = level
    return enabled
