"""The inputs' JSON Schema inferred from the code: each pattern, where it fires and where not."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from scriptcontract.contract.input_schema import (
    SCHEMA_DIALECT,
    infer_input_schema,
    undeclared_keys,
)
from tests.conftest import EXAMPLES
from tests.contract.test_corpus import CORPUS

HEADER = "import json, sys\ninputs = json.load(sys.stdin)\n"


def schema(body: str) -> dict[str, Any]:
    return infer_input_schema(HEADER + textwrap.dedent(body))


def prop(body: str, key: str) -> dict[str, Any]:
    found: dict[str, Any] = schema(body)["properties"][key]
    return found


def test_the_schema_is_a_draft_2020_12_object_and_plain_json() -> None:
    found = schema('x = inputs["x"]\n')
    assert found["$schema"] == SCHEMA_DIALECT
    assert found["type"] == "object"
    assert json.loads(json.dumps(found)) == found


def test_a_source_that_does_not_parse_has_an_object_with_no_known_keys() -> None:
    assert infer_input_schema("def (:\n") == {
        "$schema": SCHEMA_DIALECT,
        "type": "object",
        "properties": {},
    }


def test_required_and_optional_keys_follow_the_inputs_template() -> None:
    found = schema(
        """
        a = inputs["a"]
        b = inputs.get("b")
        if "c" in inputs:
            c = inputs["c"]
        try:
            d = inputs["d"]
        except KeyError:
            d = None
        """
    )
    assert list(found["properties"]) == ["a", "b", "c", "d"]
    assert found["required"] == ["a"]


def test_no_required_list_when_every_key_is_optional() -> None:
    assert "required" not in schema('b = inputs.get("b", 1)\n')


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('n = int(inputs["n"])\n', "integer"),
        ('n = float(inputs["n"])\n', "number"),
        ('n = inputs["n"] * 3\n', "number"),
        ('n = inputs["n"] - 1\n', "number"),
        ('n = -inputs["n"]\n', "number"),
        ('n = inputs["n"] + 1\n', "integer"),
        ('n = inputs["n"] + "!"\n', "string"),
        ('n = inputs["n"].lower()\n', "string"),
        ('n = inputs["n"].split(",")\n', "string"),
        ('inputs["n"].append(1)\n', "array"),
        ('n = inputs["n"].items()\n', "object"),
        ("for x in inputs['n']:\n    pass\n", "array"),
        ('n = [x for x in inputs["n"]]\n', "array"),
        ('n = sorted(inputs["n"])\n', "array"),
        ('n = ", ".join(inputs["n"])\n', "array"),
        ('n = inputs["n"] == "on"\n', "string"),
        ('n = inputs["n"] == 3\n', "integer"),
        ('n = inputs["n"] > 3\n', "number"),
        ('n = inputs["n"] is True\n', None),
        ('n = inputs["n"] == True\n', "boolean"),
        ('n = isinstance(inputs["n"], str)\n', "string"),
        ('n = isinstance(inputs["n"], (int, float))\n', "number"),
        ('n = inputs.get("n", 5)\n', "integer"),
        ('n = inputs.get("n") or []\n', "array"),
        ('n = len(inputs["n"])\n', ["array", "string"]),
        ('n = inputs["n"]["m"]\n', "object"),
        ('n = inputs["n"][0]\n', "array"),
        ('n = inputs["n"][-1]\n', "array"),
        ('n = inputs["n"][len(other) - 1]\n', "array"),
        ("for turn in range(3):\n    n = inputs['n'][turn]\n", "array"),
        ("for i, row in enumerate(rows):\n    n = inputs['n'][i]\n", "array"),
        ("n = [inputs['n'][i] for i in range(3)]\n", "array"),
        ('n = inputs["n"][1:]\n', ["array", "string"]),
        ('n = inputs["n"][::2]\n', ["array", "string"]),
        ('n = inputs.get("n").upper()\n', "string"),
        ('n = json.loads(inputs["n"])\n', "string"),
    ],
)
def test_types_from_use(body: str, expected: str | list[str] | None) -> None:
    assert prop(body, "n").get("type") == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('x = inputs["n"] if flag else None\nx.lower()\n', "string"),
        ('x = None if flag else inputs.get("n")\nint(x)\n', "integer"),
        # Another value in the other branch: `x` is not only the input.
        ('x = inputs["n"] if flag else other\nx.lower()\n', None),
        ('x = inputs["n"] if flag else inputs["m"]\nx.lower()\n', None),
    ],
)
def test_a_value_chosen_by_a_conditional_expression_is_followed(
    body: str, expected: str | None
) -> None:
    assert prop(body, "n").get("type") == expected


@pytest.mark.parametrize(
    ("guard", "expected"),
    [
        # The usual guard for an integer: `bool` is a kind of `int`, so it is refused first.
        ("if isinstance(n, bool) or not isinstance(n, int):\n    raise ValueError(n)\n", "integer"),
        ("if not isinstance(n, str):\n    sys.exit('need text')\n", "string"),
        ("if isinstance(n, str):\n    print('no', file=sys.stderr)\n    sys.exit(1)\n", None),
        ("if not (not isinstance(n, list)):\n    raise TypeError(n)\n", None),
        # Not a refusal of the type: the body goes on, exits with success, or the test needs
        # more than the type to be true.
        ("if isinstance(n, str):\n    n2 = [n]\n", "string"),
        ("if isinstance(n, str):\n    sys.exit(0)\n", "string"),
        ("if isinstance(n, str) and not n:\n    raise ValueError(n)\n", "string"),
        ("ok = isinstance(n, str)\n", "string"),
    ],
)
def test_a_type_the_script_refuses_is_not_a_type_it_uses(guard: str, expected: str | None) -> None:
    assert prop('n = inputs["n"]\n' + guard, "n").get("type") == expected


@pytest.mark.parametrize(
    "body",
    [
        'print(inputs["n"])\n',
        'n = str(inputs["n"])\n',
        "n = f\"{inputs['n']}\"\n",
        'if inputs["n"]:\n    pass\n',
        'n = inputs["n"] + other\n',
        'n = "%s" % inputs["n"]\n',
        'n = inputs["n"] * "-"\n',
        'n = inputs["n"] == other\n',
        # An index of unknown type may be a key (`prices[sku]`) as well as a position.
        'n = inputs["n"][key]\n',
        "for key in keys:\n    n = inputs['n'][key]\n",
        "i = 0\nn = inputs['n'][i]\n",
        "for i in range(3):\n    i = names[i]\n    n = inputs['n'][i]\n",
        "for i, row in enumerate(rows):\n    n = inputs['n'][row]\n",
    ],
)
def test_uses_that_say_nothing_of_the_type_leave_it_open(body: str) -> None:
    assert prop(body, "n") == {}


@pytest.mark.parametrize(
    "header",
    [
        HEADER,
        "import json, sys\ninputs = json.loads(sys.stdin.read())\n",
        "import json, sys\nraw = sys.stdin.read()\ninputs = json.loads(raw)\n",
    ],
)
def test_a_json_document_inside_the_inputs_is_a_string_not_more_inputs(header: str) -> None:
    body = 'settings = json.loads(inputs["settings"])\nmode = settings["mode"]\n'
    found = infer_input_schema(header + body)
    assert found["properties"] == {"settings": {"type": "string"}}
    assert found["required"] == ["settings"]


def test_a_value_used_two_ways_gets_both_types() -> None:
    found = prop(
        """
        names = inputs["names"]
        if isinstance(names, str):
            print(names.upper())
        else:
            print(len(names))
            for name in names:
                pass
        """,
        "names",
    )
    assert found["type"] == ["array", "string"]
    both = prop('a = inputs["v"].upper()\nb = sorted(inputs["v"])\n', "v")
    assert both["type"] == ["array", "string"]


def test_a_length_or_a_slice_allows_both_only_when_nothing_says_which() -> None:
    # Whatever the order of the uses: the string method says which.
    for body in (
        'a = len(inputs["v"])\nb = inputs["v"].upper()\n',
        'b = inputs["v"].upper()\na = len(inputs["v"])\n',
        'a = inputs["v"][:3]\nb = inputs["v"].upper()\n',
    ):
        assert prop(body, "v")["type"] == "string"
    assert prop('a = len(inputs["v"])\nb = inputs["v"]["k"]\n', "v")["type"] == "object"


def test_a_get_used_without_a_none_check_stays_optional() -> None:
    # The script fails without the key: a bug in it, for exploration to find, not a key the
    # schema should require (the `.get` says the author meant it optional).
    found = schema('name = inputs.get("name").upper()\n')
    assert found["properties"]["name"] == {"type": "string"}
    assert "required" not in found


def test_integer_and_number_make_number() -> None:
    assert prop('a = int(inputs["n"])\nb = inputs["n"] / 2\n', "n")["type"] == "number"


def test_names_bound_to_a_path_are_followed() -> None:
    found = prop(
        """
        settings = inputs["settings"]
        level = settings["level"] + 1
        name = settings.get("name", "x")
        """,
        "settings",
    )
    assert found == {
        "type": "object",
        "properties": {
            "level": {"type": "integer"},
            "name": {"type": "string", "default": "x"},
        },
        "required": ["level"],
    }


def test_a_name_converted_in_place_is_not_the_raw_input() -> None:
    found = prop('count = inputs["count"]\ncount = int(count)\nx = count.bit_length()\n', "count")
    assert found == {}


def test_arrays_of_objects_from_a_loop() -> None:
    found = prop(
        """
        total = 0
        for item in inputs["items"]:
            total += item["price"] * item.get("qty", 1)
            if "note" in item:
                print(item["note"].strip())
        """,
        "items",
    )
    assert found == {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "price": {"type": "number"},
                "qty": {"type": "number", "default": 1},
                "note": {"type": "string"},
            },
            "required": ["price"],
        },
    }


def test_arrays_of_objects_from_a_comprehension_and_through_main() -> None:
    source = textwrap.dedent(
        """
        import json, sys

        def main(payload):
            ids = [row["id"] for row in payload["rows"]]
            return {"ids": ids}

        print(json.dumps(main(json.load(sys.stdin))))
        """
    )
    rows = infer_input_schema(source)["properties"]["rows"]
    assert rows["items"]["required"] == ["id"]


def test_nested_keys_under_a_guard_or_try_are_optional() -> None:
    found = prop(
        """
        opts = inputs["opts"]
        if "a" in opts:
            a = opts["a"]
        try:
            b = opts["b"]
        except KeyError:
            b = 0
        c = opts["c"]
        """,
        "opts",
    )
    assert list(found["properties"]) == ["a", "b", "c"]
    assert found["required"] == ["c"]


def test_keys_only_checked_with_in_are_optional_properties_of_an_object() -> None:
    found = prop('opts = inputs["opts"]\nx = opts["x"]\nif "y" in opts:\n    pass\n', "opts")
    assert found["properties"] == {"x": {}, "y": {}}
    assert found["required"] == ["x"]


def test_a_substring_test_does_not_make_an_object() -> None:
    assert prop('if "@" in inputs["email"]:\n    pass\n', "email") == {}


def test_enums_from_membership_tests_against_literals() -> None:
    found = prop(
        """
        mode = inputs.get("mode", "fast")
        if mode not in ("fast", "slow"):
            raise ValueError(mode)
        """,
        "mode",
    )
    assert found == {"type": "string", "enum": ["fast", "slow"], "default": "fast"}
    refused = 'if inputs["n"] in {3, 1, 2}:\n    pass\nelse:\n    sys.exit(1)\n'
    assert prop(refused, "n")["enum"] == [1, 2, 3]


_REFUSALS = [
    "raise ValueError(tool)",
    "sys.exit(1)",
    "sys.exit(f'unknown tool {tool}')",
    'return {"success": False, "error": f"unknown tool {tool}"}',
    'return {"error": "unknown tool"}',
]
_SKIPS = ["sys.exit(0)", "sys.exit()", "return 0", "return", "pass", "print(tool)"]


@pytest.mark.parametrize(
    ("guard", "enum"),
    [
        *((f"if tool not in TOOLS:\n    {then}\n", True) for then in _REFUSALS),
        *((f"if tool in TOOLS:\n    go(tool)\nelse:\n    {then}\n", True) for then in _REFUSALS),
        ("if not tool in TOOLS:\n    raise ValueError(tool)\n", True),
        ("if isinstance(tool, int) or tool not in TOOLS:\n    raise ValueError(tool)\n", True),
        ("if tool in TOOLS and ready:\n    go(tool)\nelse:\n    raise ValueError(tool)\n", True),
        ("assert tool in TOOLS\n", True),
        # A value outside the members is skipped or goes on: accepted, so no enum. A hook
        # that handles some tools (`sys.exit(0)` for the others) is the common case.
        *((f"if tool not in TOOLS:\n    {then}\n", False) for then in _SKIPS),
        ("if tool in TOOLS:\n    go(tool)\n", False),
        ("for other in others:\n    if tool not in TOOLS:\n        continue\n", False),
        ("if tool not in TOOLS and strict:\n    raise ValueError(tool)\n", False),
        ("known = tool in TOOLS\n", False),
        ("if tool not in TOOLS:\n    return helper(tool)\n", False),
    ],
)
def test_an_enum_only_where_the_script_refuses_other_values(guard: str, enum: bool) -> None:
    body = (
        'TOOLS = ("Write", "Edit")\n\n'
        "def main(inputs):\n"
        '    tool = inputs.get("tool_name", "")\n'
        + textwrap.indent(guard, "    ")
        + "\nmain(inputs)\n"
    )
    found = prop(body, "tool_name")
    assert found.get("enum") == (["Write", "Edit"] if enum else None), found
    assert found["type"] == "string"


@pytest.mark.parametrize(
    ("constant", "enum"),
    [
        ('MODES = {"fast": run_fast, "slow": run_slow}', ["fast", "slow"]),  # a dict's keys
        ('MODES = ("fast", "slow")', ["fast", "slow"]),
        ('MODES: frozenset[str] = {"slow", "fast"}', ["fast", "slow"]),  # a set: sorted
    ],
    ids=["dict", "tuple", "set"],
)
def test_enums_from_membership_tests_against_a_module_constant(
    constant: str, enum: list[str]
) -> None:
    body = f"""
        {constant}

        def handle(inputs):
            mode = inputs.get("mode", "fast")
            if mode not in MODES:
                raise ValueError(mode)
        handle(inputs)
        """
    assert prop(body, "mode") == {"type": "string", "enum": enum, "default": "fast"}


@pytest.mark.parametrize(
    "body",
    [
        # Not a constant: lower case, bound again, changed, or another name in the scope.
        'modes = ("fast", "slow")\nif inputs["mode"] in modes:\n    pass\n',
        'MODES = ["fast"]\nif x:\n    MODES = ["slow"]\nif inputs["mode"] in MODES:\n    pass\n',
        'MODES = ["fast"]\nMODES.append("slow")\nif inputs["mode"] in MODES:\n    pass\n',
        'MODES = {"fast": 1}\nMODES["slow"] = 2\nif inputs["mode"] in MODES:\n    pass\n',
        'MODES = ["fast"]\ndef f(inputs, MODES):\n    if inputs["mode"] in MODES:\n'
        "        pass\nf(inputs, [])\n",
        'MODES = {**OTHER}\nif inputs["mode"] in MODES:\n    pass\n',
    ],
    ids=["lower-case", "bound-again", "appended", "item-stored", "parameter", "unpacked"],
)
def test_no_enum_from_a_name_that_is_not_a_constant(body: str) -> None:
    assert "enum" not in prop(body, "mode")


@pytest.mark.parametrize(
    "body",
    [
        'if inputs["mode"] in allowed:\n    pass\n',
        'if inputs["mode"] in ("a", other):\n    pass\n',
        'if inputs["mode"] == "a":\n    pass\n',
    ],
)
def test_no_enum_without_a_literal_membership_test(body: str) -> None:
    assert "enum" not in prop(body, "mode")


def test_defaults_that_are_not_literals_are_left_out() -> None:
    found = prop('import os\nx = inputs.get("x", os.getcwd())\n', "x")
    assert "default" not in found
    assert "default" not in prop('x = inputs.get("x")\n', "x")


def test_uses_inside_functions_see_module_level_bindings() -> None:
    found = prop(
        """
        config = inputs["config"]

        def level():
            return config["level"] * 2

        level()
        """,
        "config",
    )
    assert found["properties"]["level"] == {"type": "number"}


SCRIPTS = sorted([*CORPUS.glob("*.py"), *(EXAMPLES / "scripts").glob("*.py")])
HOSTILE = [
    "",
    "\x00",
    "(" * 5000,
    "x = 1 + " * 3000 + "1\n",
    "x = " + "inputs[" * 400 + "'a'" + "]" * 400 + "\n",
    "inputs = {}\nfor a in inputs['a']:\n    for b in a['b']:\n        b['c'] += 1\n",
    "inputs = {}\nfor a in inputs['a']:\n    b = a.get('b', 1e999) + a.get('c', {1, 2})\n",
    "inputs = {}\nx = inputs.get('x', float('nan'))\ny = inputs.get('y', {1: 2})\n",
]


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_every_corpus_and_example_script_gives_a_json_schema(path: Path) -> None:
    found = infer_input_schema(path.read_text(encoding="utf-8"))
    assert found["type"] == "object"
    json.dumps(found, allow_nan=False)


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_sources_never_raise(source: str) -> None:
    found = infer_input_schema(source)
    assert found["type"] == "object"
    json.dumps(found, allow_nan=False)


def test_keys_the_code_reads_that_the_declared_schema_lacks() -> None:
    inferred = schema(
        """
        mode = inputs["mode"]
        for item in inputs["items"]:
            print(item["id"], item["qty"])
        opts = inputs.get("opts") or {}
        print(opts.get("level"))
        """
    )
    declared = {
        "properties": {
            "items": {"items": {"properties": {"id": {}}}},
            "opts": {"type": "object"},  # leaves its keys open: nothing to disagree with
        }
    }
    assert undeclared_keys(declared, inferred) == ["mode", "items[].qty"]
    assert undeclared_keys({"type": "object"}, inferred) == []
    assert undeclared_keys(inferred, inferred) == []


DOCUMENTED = '''
"""Greets someone.

Inputs:
    name (str): who to greet,
        on two lines.
    count: how many times

Returns the greeting.
"""
import json, sys

def main(inputs):
    """Greets.

    Args:
        inputs: the parsed stdin
        loud: whether to shout
    """
    name = inputs.get("name", "World")
    count = int(inputs["count"])  # the docstring wins over this
    loud = inputs.get("loud", False)
    tone = inputs.get("tone")  # polite or rude
    x = inputs["x"]  # noqa: F841
    y = inputs["y"]
    # a comment on a line of its own describes nothing
    z = inputs["z"]
    return {"success": True}

print(json.dumps(main(json.load(sys.stdin))))
'''


@pytest.mark.parametrize("separator", ["\x0c", "\x1c", "\x85", "\u2028"])
def test_a_line_comment_is_found_after_lines_that_str_splitlines_would_break(
    separator: str,
) -> None:
    # str.splitlines breaks at form feeds and other separators, the parser does not: the
    # comment was looked for on the wrong line below one of them.
    source = f'{HEADER}x = "a{separator}b"\nname = inputs["name"]  # who to greet\n'
    assert infer_input_schema(source)["properties"] == {"name": {"description": "who to greet"}}


def test_a_key_read_on_a_line_that_goes_on_takes_the_comment_of_its_first_line() -> None:
    source = "import json, sys\ninputs = json.load(sys.stdin)\nx = max(  # the biggest\n"
    source += '    inputs["x"], 1)\ny = [inputs["y"],  # first of two\n     2]\n'
    found = infer_input_schema(source)["properties"]
    assert "description" not in found["x"]  # the comment is on another line than the read
    assert found["y"]["description"] == "first of two"


def test_descriptions_from_docstring_sections_and_end_of_line_comments() -> None:
    found = infer_input_schema(DOCUMENTED)["properties"]
    described = {name: value.get("description") for name, value in found.items()}
    assert described == {
        "name": "who to greet, on two lines.",
        "count": "how many times",
        "loud": "whether to shout",
        "tone": "polite or rude",
        "x": None,  # a directive to a tool, not words for a reader
        "y": None,
        "z": None,
    }
    assert list(found["name"]) == ["description", "type", "default"]


@pytest.mark.parametrize(
    "docstring",
    [
        '"""Reads name: the person to greet."""',  # no section
        '"""Usage:\n    name: who\n"""',  # another section
        '"""Inputs:\nname: at the section\'s own indent ends it\n"""',
    ],
    ids=["no-section", "other-section", "not-indented"],
)
def test_no_description_outside_an_inputs_section(docstring: str) -> None:
    source = f'{docstring}\nimport json, sys\ninputs = json.load(sys.stdin)\nn = inputs["name"]\n'
    assert "description" not in infer_input_schema(source)["properties"]["name"]
