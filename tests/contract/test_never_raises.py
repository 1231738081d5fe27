"""The analyser never raises: broken sources, hostile shapes, failing rules, fuzzed input."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scriptcontract.contract import analyze
from scriptcontract.contract.analyze import analyse
from scriptcontract.contract.finding import Finding, Severity
from scriptcontract.contract.positions import LINE_BREAK
from scriptcontract.contract.rules import RULES, Report, Rule, RuleContext, rule_by_code
from scriptcontract.contract.settings import LintSettings
from tests.conftest import EXAMPLES
from tests.contract.test_corpus import CORPUS


@pytest.mark.parametrize(
    "source",
    [
        "",
        "\x00",
        "print('a')\x00\n",
        "\ufeffprint('bom')\n",
        "(" * 5000,
        "x = " + "[" * 300 + "]" * 300 + "\n",
        "x = 1 + " * 3000 + "1\n",
        "\n".join(f"def f{i}():\n    return f{i + 1}()" for i in range(500)),
        "def f():\n    return f()\nwhile True:\n    f()\n",
        "if True:\n"
        + "".join("    " * i + "if x:\n" for i in range(1, 90))
        + "    " * 90
        + "pass\n",
        "\r\n\r\n\t\x0c  \n",
        "'''unterminated",
        "import sys\nsys.stdout = sys.stdout\nsys.exit(sys.exit)\n",
        "def main():\n    return main()\nimport sys\nsys.exit(main())\n",
    ],
)
def test_hostile_sources_give_findings_not_exceptions(source: str) -> None:
    found = analyse(source)
    assert all(f.code != "SCR002" for f in found), found
    assert_ranges_inside(source, found)


def test_a_failing_rule_becomes_one_finding_and_hides_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def explode(ctx: RuleContext) -> list[Report]:
        raise RuntimeError("boom")

    broken = Rule(rule_by_code("SCR404"), explode)  # type: ignore[arg-type]
    rules = tuple(broken if r.meta.code == "SCR404" else r for r in RULES)
    monkeypatch.setattr(analyze, "RULES", rules)
    found = analyse('import sys\nprint("x")\n')
    internal = [f for f in found if f.code == "SCR002"]
    assert len(internal) == 1 and "SCR404" in internal[0].message and "boom" in internal[0].message
    assert internal[0].severity is Severity.WARNING
    assert "SCR105" in [f.code for f in found], "the other rules still report"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_random_text_never_raises(source: str) -> None:
    assert_ranges_inside(source, analyse(source))


SNIPPETS = [
    "import json, sys\n",
    "from sys import stdin, exit\n",
    "inputs = json.load(sys.stdin)\n",
    "raw = sys.stdin.read()\n",
    "def main(inputs):\n    return {'success': True}\n",
    "print(json.dumps(main(inputs)))\n",
    "print('x')\n",
    "while True:\n    pass\n",
    "try:\n    main({})\nexcept:\n    sys.exit(0)\n",
    "for i in range(3):\n    print(json.dumps(i))\n",
    "if __name__ == '__main__':\n    sys.exit(main())\n",
    "with open('/etc/passwd') as f:\n    f.read()\n",
    "sys.exit('bad')\n",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(SNIPPETS), max_size=12), st.integers(0, 400), st.integers(0, 3))
def test_mutated_scripts_never_raise(parts: list[str], cut: int, mode: int) -> None:
    source = "".join(parts)
    if mode == 1:
        source = source[:cut]
    elif mode == 2:
        source = source[:cut] + "\x00" + source[cut:]
    elif mode == 3:
        source = "\n".join("    " + line for line in source.splitlines())
    found = analyse(source)
    assert all(f.code != "SCR002" for f in found), found
    assert_ranges_inside(source, found)


def assert_ranges_inside(source: str, found: list[Finding]) -> None:
    """Every finding's range is a real place in the document (what an editor needs)."""
    lines = LINE_BREAK.split(source)
    for finding in found:
        start, end = finding.range.start, finding.range.end
        assert (start.line, start.character) <= (end.line, end.character), finding
        for position in (start, end):
            assert 0 <= position.line < len(lines), finding
            assert 0 <= position.character <= len(lines[position.line]), finding


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.py")), ids=lambda p: p.stem)
def test_corpus_ranges_are_inside_the_document(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert_ranges_inside(source, analyse(source, settings=LintSettings(select=["ALL"])))


@pytest.mark.parametrize(
    "path", sorted((EXAMPLES / "scripts").glob("*.py")), ids=lambda path: path.name
)
def test_examples_never_fail_a_rule(path: Path) -> None:
    assert all(f.code != "SCR002" for f in analyse(path.read_text(), path=str(path)))


def test_recursion_limit_is_left_as_it_was() -> None:
    before = sys.getrecursionlimit()
    analyse("(" * 10000)
    assert sys.getrecursionlimit() == before
