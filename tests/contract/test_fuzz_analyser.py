"""Fuzzing the analyser: generated programs and mangled real scripts never break it.

Three sources of input: Python programs generated from the language's grammar
(hypothesmith), script-shaped programs built from the statements the rules care about, and
the corpus and examples mangled (cut, salted with random or invalid bytes, NULs, form feeds
and Unicode line separators, indented deep, bracketed deep, stretched). For each: no rule
fails (no SCR002), and every finding's range is a real place in the document.

CI runs a few hundred examples in a few seconds. For a long run:

    SCRIPTCONTRACT_FUZZ=long pytest tests/contract/test_fuzz_analyser.py

(about 50 times as many examples; `SCRIPTCONTRACT_FUZZ_EXAMPLES=N` sets the count per test).
"""

from __future__ import annotations

import os
import random
import warnings
from collections.abc import Callable

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scriptcontract.contract.analyze import analyse
from scriptcontract.contract.finding import Finding
from scriptcontract.contract.settings import LintSettings
from tests.conftest import EXAMPLES
from tests.contract.test_corpus import CORPUS
from tests.contract.test_never_raises import assert_ranges_inside

LONG = os.environ.get("SCRIPTCONTRACT_FUZZ") == "long"
ALL_RULES = LintSettings(select=["ALL"])


def examples(brief: int) -> int:
    """How many examples a property gets: `brief` in CI, many more on demand."""
    given_count = os.environ.get("SCRIPTCONTRACT_FUZZ_EXAMPLES")
    if given_count:
        return int(given_count)
    return brief * 50 if LONG else brief


# Generating programs from the grammar is this process's own CPU work, and its time swings
# with what hypothesmith draws (40 programs: 8-20 s on a core shared with the suite's other
# worker); with other suites on the same 2 cores it went past the 60 s default. The limit
# is there for a hang, not for a race with the machine's load.
GRAMMAR_FUZZ_LIMIT_S = 240
grammar_fuzz_limit = pytest.mark.timeout(GRAMMAR_FUZZ_LIMIT_S * (50 if LONG else 1))


def fuzz_settings(brief: int) -> settings:
    return settings(
        max_examples=examples(brief),
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )


def check(source: str) -> list[Finding]:
    """The analyser's promises on one input; the findings, for further checks."""
    found = analyse(source, settings=ALL_RULES)
    failed = [f.message for f in found if f.code == "SCR002"]
    assert not failed, f"a rule failed on {source[:300]!r}: {failed}"
    assert_ranges_inside(source, found)
    return found


# --- generated programs ------------------------------------------------------------------


@pytest.fixture(autouse=True)
def quiet_compiler() -> None:
    # hypothesmith compiles what it generates; the compiler's SyntaxWarnings are noise here.
    warnings.filterwarnings("ignore", category=SyntaxWarning)


@fuzz_settings(60)
@given(hypothesmith.from_grammar())
def test_programs_from_the_grammar(source: str) -> None:
    check(source)


@grammar_fuzz_limit
@fuzz_settings(15)
@given(hypothesmith.from_node())
def test_programs_from_syntax_trees(source: str) -> None:
    check(source)


# Statements the rules reason about: reading stdin, writing stdout, exits, loops, calls out.
SIMPLE = [
    "import json, sys",
    "import os, pickle, requests, subprocess, time",
    "from sys import exit, stdin, stdout",
    "inputs = json.load(sys.stdin)",
    "raw = sys.stdin.read()",
    "inputs = json.loads(raw or '{}')",
    "print(json.dumps({'success': True, 'value': x}))",
    "print(json.dumps(result), file=sys.stderr)",
    "print('progress', x)",
    "sys.stdout.write(json.dumps({}))",
    "json.dump(result, sys.stdout)",
    "sys.stdout = sys.stderr",
    "sys.exit(0)",
    "sys.exit(1)",
    "sys.exit(main(inputs))",
    "exit('bad')",
    "raise SystemExit(2)",
    "os._exit(3)",
    "raise ValueError(inputs['name'])",
    "return {'success': False, 'error': str(exc)}",
    "return main(inputs)",
    "break",
    "continue",
    "pass",
    "yield x",
    "time.sleep(3600)",
    "subprocess.run(inputs['cmd'], shell=True)",
    "subprocess.run(['ls'], capture_output=True)",
    "os.system(inputs['cmd'])",
    "requests.get(inputs['url'])",
    "eval(inputs['expr'])",
    "pickle.loads(raw)",
    "data = open(inputs['path']).read()",
    "handle = open('/etc/passwd')",
    "open('../out.json', 'w').write(raw)",
    "x = inputs['name']",
    "x = inputs.get('count', 3)",
    "result = helper(inputs)",
    "x += 1",
    "global inputs",
    "del inputs",
    "assert inputs, 'no inputs'",
    "handler = lambda: sys.exit(0)",
    "codes = [sys.exit(i) for i in range(3)]",
    "print(x)  # scriptcontract: ignore[SCR105]",
    "print(x)  # scriptcontract: ignore[SCR999, nonsense",
    "# scriptcontract: ignore-file[SCR101]",
    "x = (yield)",
    "x: int = 'é😀\\u2028'",
]
HEADERS = [
    "if inputs.get('x'):",
    "if __name__ == '__main__':",
    "while True:",
    "while x:",
    "for item in inputs:",
    "with open(inputs['path']) as handle:",
    "def main(inputs):",
    "def helper(value, *args, **kwargs):",
    "async def fetch():",
    "class Job:",
]
INDENT = "    "


def _indent(lines: list[str]) -> list[str]:
    return [INDENT + line if line else line for line in lines]


def _compound(children: st.SearchStrategy[list[str]]) -> st.SearchStrategy[list[str]]:
    plain = st.tuples(st.sampled_from(HEADERS), children).map(
        lambda parts: [parts[0], *_indent(parts[1])]
    )
    with_else = st.tuples(st.sampled_from(HEADERS[:5]), children, children).map(
        lambda parts: [parts[0], *_indent(parts[1]), "else:", *_indent(parts[2])]
    )
    with_elif = st.tuples(children, st.lists(children, min_size=1, max_size=4)).map(
        lambda parts: [
            "if x == 0:",
            *_indent(parts[0]),
            *(
                line
                for i, block in enumerate(parts[1])
                for line in [f"elif x == {i + 1}:", *_indent(block)]
            ),
        ]
    )
    trying = st.tuples(children, children, st.booleans(), children).map(
        lambda parts: [
            "try:",
            *_indent(parts[0]),
            "except (ValueError, KeyError) as exc:" if parts[2] else "except:",
            *_indent(parts[1]),
            "finally:",
            *_indent(parts[3]),
        ]
    )
    return st.one_of(plain, with_else, with_elif, trying)


SCRIPT_BLOCKS: st.SearchStrategy[list[str]] = st.recursive(
    st.lists(st.sampled_from(SIMPLE), min_size=1, max_size=3),
    lambda children: st.lists(
        st.one_of(_compound(children), st.lists(st.sampled_from(SIMPLE), min_size=1)),
        min_size=1,
        max_size=4,
    ).map(lambda blocks: [line for block in blocks for line in block]),
    max_leaves=40,
)


@fuzz_settings(120)
@given(SCRIPT_BLOCKS, st.sampled_from(["\n", "\r\n", "\r"]))
def test_script_shaped_programs(lines: list[str], newline: str) -> None:
    check(newline.join(lines) + newline)


# --- mangled real scripts -----------------------------------------------------------------

REAL = sorted([*CORPUS.glob("*.py"), *(EXAMPLES / "scripts").glob("*.py")])
REAL_SOURCES = [path.read_text(encoding="utf-8") for path in REAL]
# Characters that break lines for someone: str.splitlines() breaks at all of these, Python's
# tokenizer and LSP only at \r and \n.
ODD_BREAKS = ["\x0c", "\x0b", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\r", "\x00"]


def _invalid_utf8(chooser: random.Random) -> str:
    """Random bytes read the way the server reads a file it cannot decode."""
    raw = bytes(chooser.randrange(256) for _ in range(chooser.randint(1, 24)))
    return raw.decode("utf-8", "surrogateescape")


def _cut(text: str, chooser: random.Random) -> str:
    return text[: chooser.randint(0, len(text))]


def _salt(text: str, chooser: random.Random) -> str:
    at = chooser.randint(0, len(text))
    piece = chooser.choice(
        [
            _invalid_utf8(chooser),
            chooser.choice(ODD_BREAKS) * chooser.randint(1, 3),
            "".join(chr(chooser.randrange(0x110000)) for _ in range(chooser.randint(1, 8))),
            "'''",
            "\\",
            "#",
            "\t",
        ]
    )
    return text[:at] + piece + text[at:]


def _odd_breaks(text: str, chooser: random.Random) -> str:
    # Inside a string or comment these are ordinary characters to Python.
    lines = text.split("\n")
    for _ in range(chooser.randint(1, 10)):
        index = chooser.randrange(len(lines))
        lines[index] += "  # " + chooser.choice(ODD_BREAKS[:-2]) + "x"
    return "\n".join(lines)


def _indent_deep(text: str, chooser: random.Random) -> str:
    depth = chooser.randint(1, 99)
    header = "".join(INDENT * i + "if True:\n" for i in range(depth))
    return header + "\n".join(INDENT * depth + line for line in text.split("\n"))


def _brackets(text: str, chooser: random.Random) -> str:
    depth = chooser.choice([10, 150, 199, 200, 250, 5000])
    opener = chooser.choice(["(", "[", "{", "f("])
    closer = {"(": ")", "[": "]", "{": "}", "f(": ")"}[opener]
    at = chooser.randint(0, len(text))
    return text[:at] + "x = " + opener * depth + "1" + closer * depth + "\n" + text[at:]


def _stretch(text: str, chooser: random.Random) -> str:
    lines = text.split("\n")
    index = chooser.randrange(len(lines))
    return "\n".join([*lines[:index], *[lines[index]] * chooser.randint(2, 300), *lines[index:]])


def _huge_string(text: str, chooser: random.Random) -> str:
    body = chooser.choice(["a", "é", "😀", "\\n", "\\u2028", "{x}"]) * chooser.randint(1, 200_000)
    prefix = chooser.choice(["", "f", "b", "r", "rb"])
    literal = prefix + "'" + (body if "b" not in prefix else "a" * len(body)) + "'"
    return text + f"\nx = {literal}\nprint(x)\n"


def _shuffle_lines(text: str, chooser: random.Random) -> str:
    lines = text.split("\n")
    chooser.shuffle(lines)
    return "\n".join(lines)


MUTATIONS: list[Callable[[str, random.Random], str]] = [
    _cut,
    _salt,
    _odd_breaks,
    _indent_deep,
    _brackets,
    _stretch,
    _huge_string,
    _shuffle_lines,
]


@fuzz_settings(150)
@given(
    st.sampled_from(range(len(REAL_SOURCES))),
    st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3),
    st.randoms(use_true_random=False),
)
def test_mangled_real_scripts(
    index: int, mutations: list[Callable[[str, random.Random], str]], chooser: random.Random
) -> None:
    source = REAL_SOURCES[index]
    for mutate in mutations:
        source = mutate(source, chooser)
    check(source)


@fuzz_settings(100)
@given(st.binary(max_size=2000))
def test_random_bytes_read_as_the_server_reads_a_file(raw: bytes) -> None:
    # The server and `run` read with errors="replace", the CLI decodes strictly; a fuzzer
    # should also try lone surrogates, which only JSON-delivered text can carry.
    check(raw.decode("utf-8", "replace"))
    check(raw.decode("utf-8", "surrogateescape"))


# --- shapes no example generator reaches ----------------------------------------------------


def _elif_chain(branches: int) -> str:
    return (
        "import json, sys\n\ninputs = json.load(sys.stdin)\nx = inputs['x']\n"
        "if x == 0:\n    print(json.dumps({'success': True}))\n"
        + "".join(f"elif x == {i}:\n    sys.exit({i})\n" for i in range(1, branches))
    )


HOSTILE_SHAPES: dict[str, str] = {
    "a 10,000-line list": "x = [\n" + "    1,\n" * 10_000 + "]\nprint(x)\n",
    "a 10,000-line call": "print(\n" + "    'a',\n" * 10_000 + ")\n",
    "a 10,000-line sum": "x = (\n" + "    1 +\n" * 10_000 + "    1)\n",
    "a 10,000-line string": "x = '''\n" + "line\n" * 10_000 + "'''\n",
    "a 10 MB string": "x = '" + "a" * 10_000_000 + "'\nprint(x)\n",
    "a 10 MB comment": "#" + "é" * 5_000_000 + "\nprint(1)\n",
    "a 1 MB line of code": "import sys\n" + "print('é'); " * 80_000 + "\n",
    "brackets 199 deep": "x = " + "(" * 199 + "1" + ")" * 199 + "\n",
    "brackets 100,000 deep": "x = " + "[" * 100_000 + "\n",
    "closers only": ")]}" * 10_000,
    "indentation 99 deep": "".join(INDENT * i + "if x:\n" for i in range(99))
    + INDENT * 99
    + "pass\n",
    "indentation 101 deep": "".join(INDENT * i + "if x:\n" for i in range(101))
    + INDENT * 101
    + "pass\n",
    "an elif chain of 2,500": _elif_chain(2_500),
    "an elif chain of 5,000": _elif_chain(5_000),
    "2,000 nested lambdas": "f = " + "lambda: " * 2_000 + "1\n",
    "100,000 statements on one line": "x = 1; " * 100_000 + "\n",
    "NUL bytes everywhere": "\x00".join("import sys\nprint('a')\n"),
    "only NUL bytes": "\x00" * 10_000,
    "only form feeds and separators": "\x0c\u2028\u2029\x85\x0b" * 10_000,
    "form feeds between statements": "import sys\n\x0c\nprint('a')\n\x0c  \x0cprint('b')\n",
    "CR-only line ends": "import sys\rprint('a')\rsys.exit(1)\r",
    "lone surrogates in code and strings": "x = '\ud800'\n\udfff = 1\nprint(x)\n",
    "a BOM and a coding cookie": "\ufeff# -*- coding: latin-1 -*-\nprint('é')\n",
    "unterminated triple quote at 1 MB": "x = '''" + "a\n" * 500_000,
    "tabs and spaces mixed": "if x:\n\tif y:\n        pass\n",
}


@pytest.mark.parametrize("source", HOSTILE_SHAPES.values(), ids=HOSTILE_SHAPES.keys())
def test_hostile_shapes(source: str) -> None:
    check(source)


def test_an_elif_chain_is_analysed_to_its_last_branch() -> None:
    # Python compiles elif chains of a few thousand branches; so must the analyser, and it
    # must still see what the last branch does.
    source = _elif_chain(2_500)
    last_exit = source.count("\n") - 1  # sys.exit(2499)
    found = check(source)
    assert "SCR201" in [f.code for f in found if f.range.start.line == last_exit], found[-3:]


def test_suppressions_in_files_with_old_mac_line_ends() -> None:
    source = "import sys\rprint('x')  # scriptcontract: ignore[SCR105]\rprint('y')\r"
    found = check(source)
    assert [(f.code, f.range.start.line) for f in found if f.code in ("SCR105", "SCR901")] == [
        ("SCR105", 2)
    ]


def test_a_suppression_on_a_line_that_does_not_parse_is_seen() -> None:
    # What "Ignore SCR001 on this line" writes; the file does not parse, so the comments are
    # found without Python's tokenizer (quadratic on some broken lines).
    source = "import json\n\ndef main(:  # scriptcontract: ignore[SCR001]\n    pass\n"
    assert [f.code for f in check(source)] == []
    assert [f.code for f in check("x = '# scriptcontract: ignore[SCR001]'\ndef f(:\n")] == [
        "SCR001"
    ]
