"""The public rule registry, the examples project, and validate_script_contract()."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from scriptcontract.contract.analyze import analyse
from scriptcontract.contract.rules import all_rules, rule_by_code
from scriptcontract.contract.rules.meta import RuleMeta
from scriptcontract.contract.validate import script_follows_contract
from scriptcontract.executor import PythonExecutor
from tests.cli.runner import stage_in_git
from tests.conftest import EXAMPLES, Project

GOOD = ["hello.py", "process_file.py", "transform_data.py", "call_api.py", "create_ticket.py"]


def test_registry_codes_names_and_families() -> None:
    rules = all_rules()
    codes = [r.code for r in rules]
    assert codes == sorted(codes) and len(set(codes)) == len(codes)
    assert len({r.name for r in rules}) == len(rules)
    assert rule_by_code("SCR999") is None
    families = {r.code[3] for r in rules}
    assert {"0", "1", "2", "3", "4", "5", "9"} <= families


@pytest.mark.parametrize("meta", all_rules(), ids=lambda meta: meta.code)
def test_each_rule_is_found_by_code_and_name_and_documented(meta: RuleMeta) -> None:
    assert re.fullmatch(r"SCR\d{3}", meta.code)
    assert rule_by_code(meta.code) is meta
    assert rule_by_code(meta.name) is meta
    assert meta.url.endswith(f"/docs/rules/{meta.code}.md")
    assert meta.summary and meta.explanation and meta.bad_example and meta.good_example


@pytest.mark.parametrize("name", GOOD)
def test_good_examples_are_clean(name: str) -> None:
    source = (EXAMPLES / "scripts" / name).read_text()
    assert analyse(source, path=f"scripts/{name}") == []


@pytest.mark.parametrize(
    "path", sorted((EXAMPLES / "scripts").glob("broken_*.py")), ids=lambda path: path.name
)
def test_broken_examples_show_findings(path: Path) -> None:
    found = analyse(path.read_text(), path=str(path))
    assert [f for f in found if f.severity.value in ("error", "warning")]


def test_script_follows_contract_answers_from_the_analyser(project: Project) -> None:
    good = project.write("scripts/good.py", (EXAMPLES / "scripts" / "hello.py").read_text())
    bad = project.write("scripts/bad.py", "import sys\nprint('hello')\n")
    assert script_follows_contract(good.read_text(), str(good))
    assert not script_follows_contract(bad.read_text(), str(bad))
    assert not script_follows_contract("def broken(:\n", str(bad))


def test_executor_validation_honours_the_project_severities(project: Project) -> None:
    bad = project.write("scripts/bad.py", "import sys\nprint('hello')\n")
    executor = PythonExecutor(project.root)
    assert asyncio.run(executor.validate_script_contract("scripts/bad.py")) is False
    project.write("scriptcontract.toml", '[severity]\nSCR105 = "warning"\n')
    assert asyncio.run(executor.validate_script_contract("scripts/bad.py")) is True
    assert not script_follows_contract(bad.read_text(), str(bad))  # the defaults, given none


@pytest.mark.parametrize("vouched", [False, True], ids=["planted", "control-staged-in-git"])
def test_a_configuration_a_run_planted_below_the_root_validates_nothing(
    project: Project, vouched: bool
) -> None:
    # A run may write in the project: one that plants scripts/scriptcontract.toml ignoring
    # every rule must not make the embedder take a broken script for a good one.
    project.write("scripts/bad.py", "import sys\nprint('hello')\n")
    planted = PythonExecutor(project.root)
    plant = project.write(
        "scripts/plant.py",
        "import json, sys\njson.load(sys.stdin)\n"
        "open('scripts/scriptcontract.toml', 'w').write('ignore = [\"ALL\"]\\n')\n"
        "print(json.dumps({'success': True}))\n",
    )
    assert asyncio.run(planted.execute_script(plant.relative_to(project.root), {})).success
    assert (project.root / "scripts" / "scriptcontract.toml").is_file()
    if vouched:
        stage_in_git(project.root, "scripts/scriptcontract.toml")
    executor = PythonExecutor(project.root)
    assert asyncio.run(executor.validate_script_contract("scripts/bad.py")) is vouched


def test_executor_validate_script_contract(project: Project) -> None:
    project.write("scripts/good.py", (EXAMPLES / "scripts" / "hello.py").read_text())
    project.write("scripts/loop.py", (EXAMPLES / "scripts" / "broken_endless.py").read_text())
    executor = PythonExecutor(project.root)
    assert asyncio.run(executor.validate_script_contract("scripts/good.py")) is True
    assert asyncio.run(executor.validate_script_contract("scripts/loop.py")) is False
    assert asyncio.run(executor.validate_script_contract("../outside.py")) is False
