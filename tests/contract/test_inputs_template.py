"""Which input keys a script reads: required or defaulted, where, and the template they make."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from scriptcontract.contract.inputs_template import InputKey, infer_inputs


def keys(source: str) -> dict[str, InputKey]:
    return {key.name: key for key in infer_inputs(textwrap.dedent(source)).keys}


def template(source: str) -> dict[str, Any]:
    return infer_inputs(textwrap.dedent(source)).template()


def test_the_guides_template_reads_through_main() -> None:
    found = keys(
        """
        import json, sys

        def main(inputs):
            name = inputs.get('name', 'World')
            threshold = inputs.get('threshold', 10)
            source = inputs['input_file']
            return {"success": True}

        if __name__ == "__main__":
            input_data = sys.stdin.read()
            inputs = json.loads(input_data) if input_data else {}
            print(json.dumps(main(inputs)))
        """
    )
    assert found["name"].required is False and found["name"].default == "World"
    assert found["threshold"].default == 10
    assert found["input_file"].required is True and found["input_file"].has_default is False


def test_the_parameter_may_have_any_name_and_inputs_may_be_passed_by_keyword() -> None:
    found = keys(
        """
        import json, sys

        def process(payload, verbose=False):
            return payload["items"]

        def report(*, data):
            return data.get("title")

        data = json.load(sys.stdin)
        process(data)
        report(data=data)
        """
    )
    assert set(found) == {"items", "title"}
    assert found["items"].required and not found["title"].required


def test_a_helper_that_returns_the_parsed_stdin_counts() -> None:
    found = keys(
        """
        import json as j
        from sys import stdin

        def read_inputs():
            return j.loads(stdin.read() or "{}")

        params = read_inputs()
        limit = params.get("limit", 5)
        """
    )
    assert found["limit"].default == 5


def test_json_that_does_not_come_from_stdin_is_not_the_inputs() -> None:
    found = keys(
        """
        import json, sys

        config = json.load(open("config.json"))
        level = config["level"]
        inputs = json.load(sys.stdin)
        name = inputs["name"]
        """
    )
    assert set(found) == {"name"}


@pytest.mark.parametrize(
    "guarded",
    [
        """
        if "mode" in inputs:
            mode = inputs["mode"]
        """,
        """
        mode = inputs["mode"] if "mode" in inputs else "fast"
        """,
        """
        try:
            mode = inputs["mode"]
        except KeyError:
            mode = "fast"
        """,
        """
        if "mode" not in inputs:
            mode = "fast"
        else:
            mode = inputs["mode"]
        """,
    ],
)
def test_a_checked_key_is_optional(guarded: str) -> None:
    source = "import json, sys\ninputs = json.load(sys.stdin)\n" + textwrap.dedent(guarded)
    assert keys(source)["mode"].required is False


def test_a_key_whose_absence_ends_the_script_is_required() -> None:
    found = keys(
        """
        import json, sys
        inputs = json.load(sys.stdin)
        if "command" not in inputs:
            print(json.dumps({"success": False, "error": "missing command"}))
            sys.exit(2)
        try:
            run(inputs["command"])
        except Exception as exc:
            pass
        """
    )
    assert found["command"].required is True


def test_pop_setdefault_and_non_literal_defaults() -> None:
    found = keys(
        """
        import json, os, sys
        inputs = json.load(sys.stdin)
        a = inputs.pop("a")
        b = inputs.pop("b", None)
        c = inputs.setdefault("c", [1, 2])
        d = inputs.get("d", os.getcwd())
        e = inputs.get("e", (1, "x"))
        """
    )
    assert found["a"].required and not found["b"].required
    assert found["c"].default == [1, 2]
    assert found["d"].default_text == "os.getcwd()"
    assert found["e"].default == [1, "x"]


def test_the_template_uses_defaults_and_typed_placeholders() -> None:
    assert template(
        """
        import json, sys
        inputs = json.load(sys.stdin)
        count = int(inputs["count"])
        for item in inputs["items"]:
            pass
        name = inputs["name"]
        level = inputs.get("level", "info")
        when = inputs.get("when", sys.argv)
        """
    ) == {"count": 0, "items": [], "name": "", "level": "info", "when": ""}


def test_reads_have_code_point_ranges_on_non_ascii_lines() -> None:
    source = 'import json, sys\ninputs = json.load(sys.stdin)\nnom = "é😀" + inputs["prénom"]\n'
    (key,) = infer_inputs(source).keys
    (where,) = key.reads
    line = source.splitlines()[2]
    assert (where.start.line, where.start.character) == (2, line.index('"prénom"'))
    assert where.end.character == line.index('"prénom"') + len('"prénom"')
    assert infer_inputs(source).key_at(2, line.index("pr")) == key
    assert infer_inputs(source).key_at(2, 0) is None


@pytest.mark.parametrize("source", ["def broken(:\n", "", "x = " + "(" * 300 + ")" * 300, "\x00"])
def test_sources_that_do_not_parse_have_no_inputs(source: str) -> None:
    assert infer_inputs(source).keys == []


def test_writes_to_the_inputs_are_not_reads() -> None:
    found = keys(
        """
        import json, sys
        inputs = json.load(sys.stdin)
        inputs["added"] = 1
        value = inputs["read"]
        """
    )
    assert set(found) == {"read"}
