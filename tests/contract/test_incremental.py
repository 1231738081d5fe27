"""The incremental parser gives, after any edit, the tree a full parse gives.

Each case parses a text, then an edited one, and compares every node and position
(`ast.dump(include_attributes=True)`) with `ast.parse` of the edited text; when the edited text
does not parse, the error must be the full parse's. Edits are chosen where a reparse that
stops at the wrong line would show: chunk boundaries, decorators, `a; b` lines, indentation that
joins or splits statements, strings and brackets left open, other line endings. Random edits of
real scripts follow, and the findings of `analyse` with and without the parser are compared.
"""

from __future__ import annotations

import ast
import random
import sysconfig
import textwrap
from pathlib import Path

import pytest

from scriptcontract.contract.analyze import analyse
from scriptcontract.contract.incremental import IncrementalParser
from scriptcontract.contract.parsing import parse
from scriptcontract.contract.settings import LintSettings
from tests.conftest import EXAMPLES
from tests.contract.test_corpus import CORPUS

SETTINGS = LintSettings()


def outcome(parse_text: object, text: str) -> str:
    """The tree, or the error, as one comparable string."""
    try:
        tree = parse_text(text, None, SETTINGS)  # type: ignore[operator]
    except (SyntaxError, ValueError) as exc:
        where = getattr(exc, "lineno", None), getattr(exc, "offset", None)
        return f"{type(exc).__name__}: {exc} at {where}"
    return ast.dump(tree, include_attributes=True)


def assert_same_after(parser: IncrementalParser, text: str) -> None:
    assert outcome(parser.parse, text) == outcome(parse, text)


def steps(*texts: str) -> list[str]:
    return [textwrap.dedent(t).lstrip("\n") for t in texts]


BASE = """
    # a comment above everything
    import json
    import sys


    @decorator
    def first(x):
        return x + 1


    def second():
        pass


    a = 1; b = (2,
        3); c = 4
    if a:
        print(json.dumps({"a": a}))
    else:
        sys.exit(1)
    last = 5
"""

EDITS: dict[str, list[str]] = {
    "a line typed in a function": [BASE, BASE.replace("return x + 1", "return x + 12")],
    "a blank line above the first statement": [BASE, "\n" + BASE],
    "a statement above the comment": [BASE, "import os\n" + textwrap.dedent(BASE).lstrip("\n")],
    "the first statement deleted": [BASE, BASE.replace("    import json\n", "", 1)],
    "everything above the last line deleted": [BASE, "last = 5\n"],
    "all deleted": [BASE, ""],
    "lines added then removed": [
        BASE,
        BASE.replace("def second", "def inserted():\n        pass\n\n\n    def second"),
        BASE,
    ],
    "a chunk's first line indented into the function above": [
        BASE,
        BASE.replace("    def second", "        def second"),
    ],
    "the last line of a body dedented to the top level": [
        BASE,
        BASE.replace("        return x + 1", "    return_value = 1"),
    ],
    "a def line deleted, its body left": [BASE, BASE.replace("    def second():\n", "")],
    "a decorator's function deleted": [
        BASE,
        BASE.replace("    def first(x):\n        return x + 1\n", ""),
    ],
    "a decorator added": [BASE, BASE.replace("    def second", "    @dec\n    def second")],
    "a statement joined to the line above": [BASE, BASE.replace("\n    last = 5", " ; last = 5")],
    "edits inside `a; b` lines": [BASE, BASE.replace("3); c = 4", "3, 9); c = 44")],
    "a string opened that swallows the rest": [
        BASE,
        BASE.replace("def second():", 'def second():\n        """'),
        BASE.replace("def second():", 'def second():\n        """doc"""'),
    ],
    "a bracket left open": [
        BASE,
        BASE.replace("return x + 1", "return (x + 1"),
        BASE.replace("return x + 1", "return (x +\n            1)"),
    ],
    "a line continuation at the end of a chunk": [
        BASE,
        BASE.replace("return x + 1", "return x + 1 \\"),
        BASE.replace("return x + 1", "return x + \\\n            1"),
    ],
    "a backslash left at the end of the document": [
        "a = 1\nb = 2\nc = d\\\n.e()\n",
        "a = 1\nb = 2\nc = d\\\n",
        "a = 1\nb = 2\nc = d\\",
    ],
    "a line of a lone backslash above a statement": [
        "x = 1\n\\\ny = 2\nz = 3\n",
        "x = 1\n\\\n    y = 2\nz = 3\n",
        "x = 1\n\\\ny = (2\nz = 3\n",
        "x = 11\n\\\ny = 2\nz = 3\n",
    ],
    "an else detached from its if": [
        BASE,
        BASE.replace("    if a:\n", "    if a:\n        pass\n    x = 0\n"),
    ],
    "tabs in the indentation": [BASE, BASE.replace("        return x + 1", "\treturn x + 1")],
    "CRLF line endings": [
        BASE,
        BASE.replace("\n", "\r\n"),
        BASE.replace("\n", "\r\n").replace("return x + 1", "return x + 2"),
    ],
    "lone CR line endings": [BASE.replace("\n", "\r"), BASE.replace("\n", "\r") + "z = 1\r"],
    "a null byte": [BASE, BASE.replace("pass", "pa\x00ss")],
    "no statement at all": ["# only a comment\n", "# only a comment\n\n", "x = 1\n"],
    "same text": [BASE, BASE, BASE],
    "a match statement": [
        BASE,
        BASE.replace(
            "    last = 5", "    match a:\n        case 1:\n            pass\n    case = 2"
        ),
    ],
}


@pytest.mark.parametrize("texts", EDITS.values(), ids=EDITS.keys())
def test_edits_give_the_tree_of_a_full_parse(texts: list[str]) -> None:
    parser = IncrementalParser()
    for text in steps(*texts):
        assert_same_after(parser, text)


def long_script(functions: int = 60) -> str:
    body = "".join(
        f"\n\ndef step_{i}(inputs):\n    value = inputs.get('k{i}', {i})\n    return value * 2\n"
        for i in range(functions)
    )
    return "import json\nimport sys\n" + body + "\nprint(json.dumps({}))\n"


def test_a_small_edit_reparses_only_the_statements_around_it() -> None:
    parser = IncrementalParser()
    text = long_script()
    parser.parse(text, None, SETTINGS)
    assert parser.last_action == "full"
    edited = text.replace("'k30', 30", "'k30', 31")
    assert_same_after(parser, edited)
    assert parser.last_action == f"reparsed 15 of {len(edited.split(chr(10)))} lines"
    moved = edited.replace("def step_5(", "\n\ndef step_5(")
    assert_same_after(parser, moved)
    assert parser.last_action.startswith("reparsed 17 of")


def test_a_syntax_error_is_the_full_parse_error_and_the_tree_before_it_is_kept() -> None:
    parser = IncrementalParser()
    text = long_script()
    parser.parse(text, None, SETTINGS)
    broken = text.replace("return value * 2\n\n\ndef step_7", "return value * (2\n\n\ndef step_7")
    with pytest.raises(SyntaxError) as raised:
        parser.parse(broken, None, SETTINGS)
    with pytest.raises(SyntaxError) as full:
        parse(broken, None, SETTINGS)
    assert (raised.value.msg, raised.value.lineno) == (full.value.msg, full.value.lineno)
    # The bracket closed: compared with the last text that parsed, one function changed.
    assert_same_after(parser, broken.replace("(2\n", "(2)\n"))
    assert parser.last_action.startswith("reparsed 1")


def test_a_new_target_version_parses_in_full() -> None:
    parser = IncrementalParser()
    text = long_script()
    parser.parse(text, None, SETTINGS)
    older = LintSettings(target_version="3.8")
    match = text.replace("return value * 2", "match value:\n        case 1:\n            pass")
    with pytest.raises(SyntaxError):
        parser.parse(match, None, older)
    assert parser.last_action == "full"


SNIPPETS = [
    "\n", "    ", "(", ")", "[", '"""', "'", "\\\n", "@dec\n", "def g():\n    pass\n",
    "x = 1; y = 2\n", "if a:\n", "else:\n", "# c\n", "\r\n", "\r", "\t", ":", "elif b:\n",
    "class C:\n  z = 1\n", "try:\n    pass\n", "except E:\n    pass\n", "lambda: 0", ",", "é",
    "\x0c", "async ", "match x:\n    case 1:\n        pass\n",
]  # fmt: skip


def mutate(rng: random.Random, text: str) -> str:
    at = rng.randrange(len(text) + 1)
    line_start = text.rfind("\n", 0, at) + 1
    kind = rng.random()
    if kind < 0.45:
        return text[:at] + rng.choice(SNIPPETS) + text[at:]
    if kind < 0.75:
        return text[:at] + text[at + rng.choice([1, 1, 2, 5, 20, 200]) :]
    if kind < 0.88:
        return text[:line_start] + "    " + text[line_start:]
    if text.startswith("    ", line_start):
        return text[:line_start] + text[line_start + 4 :]
    return text[:line_start] + text[text.find("\n", line_start) + 1 :]  # a line deleted


def sources() -> list[Path]:
    stdlib = sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py"))
    return [
        *sorted(EXAMPLES.rglob("*.py")),
        *sorted(CORPUS.glob("*.py"))[::4],
        *[p for p in stdlib[::25] if p.stat().st_size < 60_000],
    ]


@pytest.mark.parametrize("path", sources(), ids=lambda p: p.name)
def test_random_edits_give_the_tree_of_a_full_parse(path: Path) -> None:
    original = path.read_text(encoding="utf-8")
    rng = random.Random(path.name)
    parser = IncrementalParser()
    text = original
    for _ in range(40):
        edited = mutate(rng, text)
        expected = outcome(parse, edited)
        assert outcome(parser.parse, edited) == expected, (text, edited)
        parses = not expected.startswith(
            ("SyntaxError", "IndentationError", "TabError", "ValueError")
        )
        # Broken text is kept one time in two, so edits on broken text are tried too.
        text = edited if parses or rng.random() < 0.5 else original


@pytest.mark.parametrize(
    "path",
    sorted(EXAMPLES.rglob("*.py")) + sorted(CORPUS.glob("*.py"))[::3],
    ids=lambda path: path.name,
)
def test_findings_are_the_same_with_the_parser(path: Path) -> None:
    rng = random.Random(path.name)
    settings = LintSettings(select=["ALL"])
    parser = IncrementalParser()
    text = path.read_text(encoding="utf-8")
    for _ in range(6):
        with_parser = analyse(text, settings=settings, parser=parser)
        assert with_parser == analyse(text, settings=settings), text
        text = mutate(rng, text)
