"""Fuzzing the schema inference: generated programs never make it raise, and what it gives
is always plain JSON. (`SCRIPTCONTRACT_FUZZ=long` runs many more, as for the analyser.)"""

from __future__ import annotations

import json

import hypothesmith
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scriptcontract.contract.declared_model import declared_model_schema
from scriptcontract.contract.input_schema import infer_input_schema
from scriptcontract.contract.output_schema import infer_output_schemas
from tests.contract.test_fuzz_analyser import SCRIPT_BLOCKS, fuzz_settings, grammar_fuzz_limit

# Generated programs compile with warnings (`1()`) that are no concern of this test.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")

# Lines that read inputs the ways the inference follows, to mix into the generated scripts.
READS = [
    "items = inputs['items']",
    "for item in inputs.get('rows') or []: item['id'] + 1",
    "mode = inputs.get('mode', 'a') in ('a', 'b')",
    "opts = inputs['opts']; opts.get('level', 1e999) * 2",
    "x = [r['k'].lower() for r in items]",
    "print(json.dumps({'success': True, 'n': len(items), **opts}))",
    "class M(TypedDict, total=False):\n    a: list['M'] | None = {1}\nm = M(**inputs)",
]


def promises(source: str) -> None:
    inputs = infer_input_schema(source)
    assert inputs["type"] == "object"
    json.dumps(inputs, allow_nan=False)
    json.dumps(infer_output_schemas(source), allow_nan=False)
    json.dumps(declared_model_schema(source), allow_nan=False)


@grammar_fuzz_limit
@fuzz_settings(40)
@given(hypothesmith.from_node())
def test_programs_from_syntax_trees(source: str) -> None:
    promises(source)


@fuzz_settings(80)
@given(SCRIPT_BLOCKS, st.lists(st.sampled_from(READS), max_size=4))
def test_script_shaped_programs_with_input_reads(lines: list[str], reads: list[str]) -> None:
    header = ["import json, sys", "inputs = json.load(sys.stdin)", *reads]
    promises("\n".join(header + lines) + "\n")
