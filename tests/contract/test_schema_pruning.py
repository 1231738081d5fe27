"""The inference reads only the statements that name what it follows: the schema, the
inputs template and the editor's key reads are those of a walk of every statement, on
generated programs, on the corpus, and on the shapes where a statement it leaves out could
have mattered. Its literals are those of `ast.literal_eval`, made without reference
cycles."""

from __future__ import annotations

import ast
from collections.abc import Callable

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from scriptcontract.contract.input_schema import inferred_inputs, input_schema_of
from scriptcontract.contract.inputs_template import (
    _children,
    _Inference,
    _Text,
    converged_inference,
    definitions,
    literal_value,
)
from scriptcontract.contract.key_reads import reads_of
from tests.conftest import EXAMPLES
from tests.contract.test_corpus import CORPUS
from tests.contract.test_fuzz_analyser import SCRIPT_BLOCKS, fuzz_settings
from tests.contract.test_fuzz_schemas import READS

pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")

REAL = sorted([*CORPUS.glob("*.py"), *(EXAMPLES / "scripts").glob("*.py")])


def same_either_way(source: str) -> None:
    tree = ast.parse(source)
    assert input_schema_of(tree, source) == input_schema_of(tree, source, whole=True)
    assert converged_inference(tree, source).run() == _Inference(tree, source).run()
    # The editor's key reads (hover, definition, which keys are surely required).
    pruned = reads_of(inferred_inputs(source))
    assert pruned == reads_of(inferred_inputs(source, whole=True))


@pytest.mark.parametrize("path", REAL, ids=lambda path: path.name)
def test_the_corpus_schemas_are_those_of_the_whole_walk(path: object) -> None:
    same_either_way(path.read_text(encoding="utf-8"))  # type: ignore[attr-defined]


SHAPES = {
    # A name made local by a statement that names nothing else the inference follows.
    "shadowed in a helper": (
        "import json, sys\ndata = json.load(sys.stdin)\n"
        "def f():\n    data = {}\n    return data['x']\n"
        "print(data['y'])\n"
    ),
    # The inputs passed by keyword to a local that is not a parameter.
    "keyword to a local": (
        "import json, sys\ndef run(**kw):\n    cfg = kw\n    return cfg['x']\n"
        "run(cfg=json.load(sys.stdin))\n"
    ),
    # `json` imported under another name inside a function that reads no input.
    "json alias in a helper": (
        "import sys\ndef setup():\n    import json as j\n    return j\n"
        "raw = sys.stdin.read()\npayload = j.loads(raw)\nprint(payload['k'])\n"
    ),
    # A function reached only by a call with the inputs, defined far from them.
    "helper far away": (
        "def helper(d):\n    if 'opt' in d:\n        return d['opt'].lower()\n"
        "    return d['n'] + 1\n"
        "\n" * 5 + "import json, sys\nhelper(json.load(sys.stdin))\n"
    ),
    # An identifier written in another form that normalises to `inputs`.
    "normalised identifier": (
        "import json, sys\n\uff49nputs = json.load(sys.stdin)\nx = inputs['a']\n"
    ),
    # A value bound to a path, rebound in a statement naming nothing else.
    "rebound": (
        "import json, sys\ninputs = json.load(sys.stdin)\nn = inputs['n']\n"
        "if True:\n    n = 3\nprint(n * 2, inputs.get('m', 1) + 1)\n"
    ),
    # A loop counter used as an index, rebound in a statement naming nothing followed.
    "counter rebound": (
        "import json, sys\ninputs = json.load(sys.stdin)\nfor i in range(3):\n"
        "    i = names[i]\n    print(inputs['v'][i], inputs['w'][i])\n"
    ),
    "decorated": (
        "import json, sys\n@register(json.load(sys.stdin))\ndef g(inputs):\n"
        "    return inputs['z']\n"
    ),
}
HEADER = "import json, subprocess, sys\ninputs = json.load(sys.stdin)\n"
# Where an expression that names nothing followed is left out (on ASCII text): the shapes
# where a part of an expression may lie outside its range, or name what it follows unseen.
EXPRESSIONS = {
    "f-string": HEADER + "print(f\"{inputs['a']} and {inputs.get('b', 2) + 1:>{inputs['w']}}\")\n",
    "multi-line f-string": HEADER
    + 'm = f"""\n  {inputs[\'c\'].upper()}\n{ len(inputs[\'l\']) }"""\n',
    "f-string in concatenation": HEADER + "m = ('x' f'{1}'\n  f\"{inputs['d'] * 2}\")\n",
    "nested f-string": HEADER + "m = f\"{f'{inputs[chr(1)]:{inputs}}' + inputs['e']}\"\n",
    "multi-line expression": HEADER
    + "t = (\n    int(\n  inputs['x'])\n    + 1\n)\nv = {\n'k':\n inputs.get(\n'y', 2)}\n",
    "nested function decorators": HEADER
    + (
        "def outer(inputs):\n    @cache(inputs['size'])\n    @trace\n    def inner():\n"
        "        return 1\n    return inner\nouter(inputs)\n"
    ),
    "class decorators and bases": HEADER
    + (
        "@register(inputs['name'])\nclass A(Base, key=inputs.get('k', 1)):\n"
        "    limit = inputs['limit'] + 1\n    def m(self):\n        return inputs['m']\n"
    ),
    "only in a keyword argument": HEADER
    + (
        "subprocess.run(['ls', '-l'], cwd=inputs['dir'], capture_output=True,\n"
        "    timeout=int(inputs.get('t', 3)), env={'A': '1'})\n"
    ),
    "a default": HEADER
    + (
        "def f(x=inputs['d'], *, y=inputs.get('e', 'v')):\n    return x\n"
        "def g(inputs=json.load(sys.stdin)):\n    return inputs['k']\n"
    ),
    "a lambda": HEADER
    + (
        "items = inputs['items']\nkey = lambda row: row[inputs['col']]\n"
        "print(sorted(items, key=lambda i: i['id']), [i['n'] + 1 for i in items])\n"
    ),
    "comprehension target shadowing": HEADER
    + (
        "a = [inputs for inputs in range(3)]\nb = {k: inputs[k] for k in ('a',)}\n"
        "c = [x['q'] for x in inputs['xs'] if x.get('on')]\nprint(inputs['after'])\n"
    ),
    "a walrus": HEADER
    + (
        "if (n := inputs.get('n')) is not None:\n    print(n + 1)\n"
        "print([(m := v) for v in inputs['vs']], m.lower())\n"
    ),
    "non-ASCII on the line": HEADER
    + (
        "données = inputs['é']; print(données.upper(), 'ça', inputs['b'])\n"
        "x = 'ü'; y = inputs.get('z', 'ß') + x\n"
    ),
    "tabs": HEADER + "if True:\n\tx = inputs['t'];\ty = x + 1\n\tz = [\tinputs['u'],\t1]\n",
    "only in strings and comments": HEADER
    + (
        "print(\"inputs['fake']\")  # inputs['comment']\ns = 'path = inputs'\n"
        "path = inputs.get('p')\nopen(path, encoding='utf-8')  # path\n"
    ),
    "guards and handlers": HEADER
    + (
        "if 'a' in inputs and inputs['a'] > 2:\n    print(inputs['a'])\n"
        "try:\n    v = inputs['v']\nexcept KeyError as exc:\n    v = inputs.get('w', exc)\n"
        "print(inputs['x'] if 'x' in inputs else inputs.get('x2'), -inputs['neg'])\n"
        "for i, row in enumerate(inputs['rows']):\n    print(inputs['cols'][i], row['c'])\n"
    ),
    "slices and operators": HEADER
    + (
        "print(inputs['s'][1:], inputs['n'] * 2 > 3, not inputs['b'], inputs['m'] % 'x',\n"
        "      inputs['e'] in ('a', 'b'), isinstance(inputs['i'], (int, str)))\n"
    ),
    "match": HEADER
    + (
        "match inputs['cmd']:\n    case {'go': where} if where == inputs['w']:\n"
        "        print(where)\n    case _:\n        print(inputs.get('other'))\n"
    ),
}


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
@pytest.mark.parametrize(
    "source",
    [*SHAPES.values(), *EXPRESSIONS.values()],
    ids=[*SHAPES, *EXPRESSIONS],
)
def test_shapes_where_a_left_out_node_could_matter(source: str, newline: str) -> None:
    same_either_way(source.replace("\n", newline))


FUNCTIONS = {
    "nested everywhere": (
        "def a():\n    def b():\n        pass\n    class C:\n        def m(self):\n"
        "            def inner(): pass\n    return b\n"
        "try:\n    def t(): pass\nexcept E:\n    def h(): pass\nelse:\n    def e(): pass\n"
        "finally:\n    def f(): pass\n"
        "while x:\n    def w(): pass\nelse:\n    def we(): pass\n"
        "match x:\n    case 1:\n        def m1(): pass\n    case _:\n        def m2(): pass\n"
        "with x:\n    async def aw(): pass\n"
    ),
    "async def across lines": "async \\\n  def f():\n    def g(): pass\n",
    "decorated": "@dec('def')\n@other\ndef f():\n    @dec\n    def g(): pass\n",
    "def in strings only": "x = 'def'\n# def\ndef f(): '''def'''\n",
    "one line": "class A: x = 1; y = 2\nif x: pass\ndef f(): return 1\n",
}


@pytest.mark.parametrize(
    "source",
    [*FUNCTIONS.values(), *(path.read_text(encoding="utf-8") for path in REAL)],
    ids=[*FUNCTIONS, *(path.name for path in REAL)],
)
def test_the_functions_found_by_their_def_lines_are_every_function(source: str) -> None:
    tree = ast.parse(source)
    lines = _Text(source).lines_naming("def")
    assert sorted(definitions(tree, lines), key=_where) == sorted(definitions(tree), key=_where)


def _where(pair: tuple[ast.AST, ast.AST | None]) -> tuple[int, int]:
    return (pair[0].lineno, pair[0].col_offset)  # type: ignore[attr-defined]


SINGLETONS = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)


EVERY_SHAPE = (
    "def f(a, /, b: int = 1, *args: str, c, d=2, **kw: object) -> None:\n"
    "    return\n"
    "lambda a, *, b: a\n"
    "for x, *y in z:\n    x += 1; x -= -y\nelse:\n    pass\n"
    "try:\n    pass\nexcept (E, F) as e:\n    raise X from e\nexcept:\n    pass\n"
    "else:\n    pass\nfinally:\n    pass\n"
    "with a as b, c:\n    pass\n"
    "v = [i for i in x if i if not i]; w = (i for i in x); u = {i: j for i, j in x}\n"
    "t = a if b else c; q = a and b or c; r = a < b <= c; s = f'{a!r:>{b}}{c}'\n"
    "n: int; m: int = 1; (k := 2); print(*a, **b, c=d); x[1:2:3]; x[::]\n"
    "assert a, b\nwhile a:\n    break\nelse:\n    continue\n"
    "d = {**a, 'b': c}; g = {1, 2}; h = ()\n"
)


@pytest.mark.parametrize(
    "source",
    [EVERY_SHAPE, *(path.read_text(encoding="utf-8") for path in REAL)],
    ids=["every shape", *(path.name for path in REAL)],
)
def test_the_children_walked_are_those_of_the_tree(source: str) -> None:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        expected = [c for c in ast.iter_child_nodes(node) if not isinstance(c, SINGLETONS)]
        assert _children(node) == expected, ast.dump(node)


@fuzz_settings(80)
@given(
    SCRIPT_BLOCKS,
    st.lists(st.sampled_from(READS), max_size=4),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_generated_scripts_give_the_whole_walks_schema(
    lines: list[str], reads: list[str], newline: str
) -> None:
    header = ["import json, sys", "inputs = json.load(sys.stdin)", *reads]
    source = newline.join(header + lines) + newline
    assume(_parses(source))  # a block of comments only leaves an `if` without a body
    same_either_way(source)


def _parses(source: str) -> bool:
    try:
        ast.parse(source)
    except SyntaxError:
        return False
    return True


LITERALS = [
    "1", "-1", "+2.5", "1+2j", "-1-2j", "'a'", "(1, 'b')", "[1, [2]]", "{1, 2}", "set()",
    "{'a': 1}", "{**x}", "x", "1+2", "-'a'", "{[1]: 2}", "{1: [2, {3}]}", "None", "...",
    "--1", "1e999", "set(1)", "f'{x}'",
]  # fmt: skip


@pytest.mark.parametrize("text", LITERALS)
def test_literal_values_are_those_of_literal_eval(text: str) -> None:
    node = ast.parse(text, mode="eval").body

    def outcome(evaluate: Callable[[ast.AST], object]) -> tuple[object, ...]:
        try:
            return ("value", evaluate(node))
        except (ValueError, TypeError) as exc:
            return (type(exc).__name__,)

    assert outcome(literal_value) == outcome(ast.literal_eval)
