"""The docs cannot drift from the code: rule pages are generated, config keys all documented."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest

from scriptcontract.contract.docs import main, pages
from scriptcontract.contract.rules import all_rules
from scriptcontract.contract.rules.meta import RuleMeta
from scriptcontract.contract.settings import LintSettings
from scriptcontract.executor.policy import SandboxPolicy
from scriptcontract.executor.settings import ExecutorSettings
from scriptcontract.toml_names import to_kebab
from tests.conftest import REPO

RULE_DOCS = REPO / "docs" / "rules"


def test_rule_pages_are_up_to_date(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["--check", str(RULE_DOCS)])
    stale = capsys.readouterr().err
    assert status == 0, f"run `python -m scriptcontract.contract.docs docs/rules`:\n{stale}"


@pytest.mark.parametrize("meta", all_rules(), ids=lambda meta: meta.code)
def test_every_rule_has_a_page_with_what_why_example_fix_and_suppression(meta: RuleMeta) -> None:
    generated = pages()
    page = generated[f"{meta.code}.md"]
    for heading in ("## Why", "## Example", "## Fix", "## Suppress"):
        assert heading in page
    assert f"ignore[{meta.code}]" in page
    assert f"({meta.code}.md)" in generated["README.md"]


@pytest.mark.parametrize("model", [LintSettings, ExecutorSettings, SandboxPolicy])
def test_every_configuration_key_is_documented(model: type) -> None:
    text = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z][a-z0-9-]*)`", text))
    keys = [to_kebab(field.name) for field in fields(model)]
    missing = [key for key in keys if key not in documented]
    assert missing == []
