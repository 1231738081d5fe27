"""A declared schema a run planted, asking `test --explore` for inputs of any size.

`<script>.schema.json` lives beside its script, where runs may write, and explore makes its
inputs from it outside the sandbox (in the command, or in the language server for the
editor's "Explore"). A `minLength` of 10**11 took the command's memory (a `MemoryError`
traceback where memory is limited), a `minItems` of 3 * 10**9 its memory or its time, arrays
nested in arrays both. Explore makes no input larger than a budget, and says why when the
schema asks for more.
"""

from __future__ import annotations

import json
import resource

import pytest

from tests.cli.runner import scriptcontract
from tests.conftest import Project

SCRIPT = 'import json, sys\ndata = json.loads(sys.stdin.read() or "{}")\nprint(json.dumps({}))\n'
MEMORY_BYTES = 1024 * 1024 * 1024


def _bounded_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def _schema(value: dict[str, object]) -> str:
    return json.dumps({"type": "object", "properties": {"k": value}, "required": ["k"]})


def _nested(levels: int) -> dict[str, object]:
    value: dict[str, object] = {"type": "string", "minLength": 1000}
    for _ in range(levels):
        value = {"type": "array", "minItems": 1000, "items": value}
    return value


def _explore(project: Project, schema: str) -> tuple[int, str, str]:
    project.write("scriptcontract.toml", "")
    project.write("scripts/sized.py", SCRIPT)
    project.write("scripts/sized.schema.json", schema)
    done = scriptcontract(
        "test",
        "--explore",
        "scripts/sized.py",
        "--seed",
        "1",
        "--max-runs",
        "5",
        cwd=project.root,
        timeout=60,
        preexec_fn=_bounded_memory,
    )
    return done.returncode, done.stdout, done.stderr


def test_a_schema_asking_for_ordinary_sizes_is_explored(project: Project) -> None:
    """The positive control of the test below: the same shapes, at sizes explore makes."""
    code, out, err = _explore(project, _schema({"type": "string", "minLength": 1000}))
    assert code == 0 and "Traceback" not in err, out + err
    assert "5 runs" in out + err, out + err


@pytest.mark.parametrize(
    "value",
    [
        pytest.param({"type": "string", "minLength": 10**11}, id="a string of 10**11 characters"),
        pytest.param({"type": "array", "minItems": 3 * 10**9}, id="3 * 10**9 items"),
        pytest.param(_nested(3), id="arrays of 1000 nested three deep"),
    ],
)
def test_a_schema_asking_for_inputs_of_any_size_is_refused_saying_why(
    project: Project, value: dict[str, object]
) -> None:
    code, out, err = _explore(project, _schema(value))
    assert "Traceback" not in err and "MemoryError" not in err, err[-2000:]
    assert code == 2, out + err
    assert "the schema asks for inputs larger than explore makes" in err, err
