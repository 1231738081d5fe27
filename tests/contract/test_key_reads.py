"""Where a script reads each key of its inputs, nested keys included (for go to definition
from an inputs file)."""

from __future__ import annotations

from scriptcontract.contract.key_reads import input_reads, key_reads

SOURCE = """import json, sys
def main(inputs):
    opts = inputs.get("opts") or {}
    level = opts.get("level", 1)
    for item in inputs["items"]:
        print(item["id"], item.get("qty"))
    if "x" in inputs:
        return inputs["x"]
    other = {"id": 1}
    return other["id"]
main(json.load(sys.stdin))
"""


def where(source: str) -> dict[tuple[str, ...], list[tuple[int, int]]]:
    return {
        path: [(r.start.line, r.start.character) for r in reads]
        for path, reads in key_reads(source).items()
    }


def test_each_key_is_found_at_its_literal_through_the_names_that_hold_it() -> None:
    assert where(SOURCE) == {
        ("opts",): [(2, 22)],
        ("opts", "level"): [(3, 21)],
        ("items",): [(4, 23)],
        ("items", "[]", "id"): [(5, 19)],
        ("items", "[]", "qty"): [(5, 35)],
        ("x",): [(6, 7), (7, 22)],
    }  # `other["id"]` is not a read of the inputs


def test_a_script_that_does_not_parse_or_reads_no_inputs_has_no_reads() -> None:
    assert key_reads("def broken(:\n") == {}
    assert key_reads('data = {"a": 1}\nprint(data["a"])\n') == {}


def test_columns_count_code_points() -> None:
    source = 'import json, sys\ninputs = json.load(sys.stdin)\nx = ("é", inputs["k"])\n'
    assert where(source) == {("k",): [(2, 17)]}  # 18 in UTF-8 bytes


BRANCHES = """import json, sys
def main(inputs):
    mode = inputs["mode"]
    if mode == "copy":
        dest = inputs["dest"]
    for x in inputs["items"]:
        print(x, inputs["each"])
    v = inputs.get("opt") or inputs["fallback"]
    try:
        n = int(inputs["n"])
    except ValueError:
        n = inputs["default_n"]
    return [inputs["c"] for _ in range(3)]
if __name__ == "__main__":
    inputs = json.load(sys.stdin)
    print(inputs["top"])
    main(inputs)
"""


def test_a_key_indexed_only_under_a_condition_is_not_surely_required() -> None:
    # Fires: read at the top of the entry function, in the `if __name__` block, as the
    # loop's iterable, in a `try` body. Silent: an `if` branch, a loop body, after `or`, an
    # `except` handler, a comprehension's element.
    assert input_reads(BRANCHES).surely_required == {"mode", "items", "n", "top"}
    assert input_reads("def broken(:\n").surely_required == frozenset()
