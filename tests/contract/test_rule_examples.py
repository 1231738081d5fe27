"""Every rule fires on the bad example of its docs page and is silent on the good one."""

from __future__ import annotations

import pytest

from scriptcontract.contract.analyze import analyse
from scriptcontract.contract.rules import RULES, Rule
from scriptcontract.contract.settings import LintSettings

# Reported by the check command or the engine on failures, not by any source text.
NO_EXAMPLE = {"SCR002", "SCR003"}
EVERYTHING = LintSettings(select=["ALL"], target_version="3.8")


@pytest.mark.parametrize(
    "rule", [r for r in RULES if r.meta.code not in NO_EXAMPLE], ids=lambda r: r.meta.code
)
def test_bad_example_fires(rule: Rule) -> None:
    found = analyse(rule.meta.bad_example, settings=EVERYTHING)
    assert rule.meta.code in [f.code for f in found]


@pytest.mark.parametrize(
    "rule", [r for r in RULES if r.meta.code not in NO_EXAMPLE], ids=lambda r: r.meta.code
)
def test_good_example_is_silent(rule: Rule) -> None:
    found = analyse(rule.meta.good_example, settings=EVERYTHING)
    assert rule.meta.code not in [f.code for f in found]


@pytest.mark.parametrize("rule", [r for r in RULES if r.meta.fixable], ids=lambda r: r.meta.code)
def test_fixable_rules_offer_a_safe_fix_on_their_bad_example(rule: Rule) -> None:
    found = [f for f in analyse(rule.meta.bad_example, settings=EVERYTHING)]
    own = [f for f in found if f.code == rule.meta.code]
    assert any(fix.safe for f in own for fix in f.fixes)


@pytest.mark.parametrize(
    "rule",
    [r for r in RULES if not r.meta.fixable and r.meta.code not in NO_EXAMPLE],
    ids=lambda r: r.meta.code,
)
def test_rules_not_marked_fixable_offer_no_safe_fix(rule: Rule) -> None:
    # `--fix` and "Fix all" apply safe fixes only: one here would go unannounced in the docs.
    own = [
        f for f in analyse(rule.meta.bad_example, settings=EVERYTHING) if f.code == rule.meta.code
    ]
    assert own and not any(fix.safe for f in own for fix in f.fixes)
