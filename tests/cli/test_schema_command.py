"""`scriptcontract schema`: prints or writes the inputs' JSON Schema; a declared one wins."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.cli.runner import scriptcontract
from tests.time_limits import REQUEST_BOUND_S

SCRIPT = textwrap.dedent(
    """
    import json, sys

    def main(inputs):
        mode = inputs.get("mode", "fast")
        if mode not in ("fast", "slow"):
            raise ValueError(mode)
        total = sum(int(item["qty"]) for item in inputs["items"])
        return {"success": True, "total": total}

    if __name__ == "__main__":
        print(json.dumps(main(json.load(sys.stdin))))
    """
)


def script(folder: Path, text: str = SCRIPT) -> Path:
    path = folder / "order.py"
    path.write_text(text, encoding="utf-8")
    return path


def schema(*args: str, cwd: Path) -> tuple[int, str, str]:
    done = scriptcontract("schema", *args, cwd=cwd, timeout=REQUEST_BOUND_S)
    return done.returncode, done.stdout, done.stderr


def test_prints_the_inferred_schema_as_one_json_document(tmp_path: Path) -> None:
    script(tmp_path)
    code, out, err = schema("order.py", cwd=tmp_path)
    assert code == 0, err
    found = json.loads(out)
    assert found["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert found["title"] == "inputs of order.py"
    assert found["required"] == ["items"]
    assert found["properties"]["mode"] == {
        "type": "string",
        "enum": ["fast", "slow"],
        "default": "fast",
    }
    assert found["properties"]["items"]["items"]["properties"]["qty"] == {"type": "integer"}
    assert "inferred from the code" in err
    output = found["$defs"]["output"]
    assert output["required"] == ["success", "total"]
    assert output["properties"]["success"] == {"type": "boolean", "const": True}
    assert not (tmp_path / "order.schema.json").exists()


def test_write_saves_the_schema_beside_the_script_and_it_is_then_declared(
    tmp_path: Path,
) -> None:
    script(tmp_path)
    code, out, err = schema("order.py", "--write", cwd=tmp_path)
    assert (code, out) == (0, ""), err
    written = tmp_path / "order.schema.json"
    assert json.loads(written.read_text(encoding="utf-8"))["required"] == ["items"]
    assert "wrote order.schema.json" in err
    # Edited by hand, it is what `schema` prints from now on, as written.
    written.write_text('{"type": "object", "required": ["items", "id"]}\n', encoding="utf-8")
    code, out, err = schema("order.py", cwd=tmp_path)
    assert (code, out) == (0, '{"type": "object", "required": ["items", "id"]}\n'), err
    assert "declared in order.schema.json" in err
    assert "reads keys" not in err  # the declared schema lists no properties: nothing to compare
    written.write_text('{"properties": {"items": {}}}', encoding="utf-8")
    code, _, err = schema("order.py", cwd=tmp_path)
    assert code == 0
    assert "note: the code reads keys the declared schema lacks: mode" in err
    code, out, err = schema("order.py", "--inferred", cwd=tmp_path)
    assert code == 0 and json.loads(out)["required"] == ["items"], err


def test_write_refuses_to_replace_a_declared_schema_unless_forced(tmp_path: Path) -> None:
    script(tmp_path)
    declared = tmp_path / "order.schema.json"
    declared.write_text('{"type": "object"}', encoding="utf-8")
    code, out, err = schema("order.py", "--write", cwd=tmp_path)
    assert (code, out) == (2, "")
    assert "order.schema.json exists" in err and "--force" in err
    assert declared.read_text(encoding="utf-8") == '{"type": "object"}'
    code, _, err = schema("order.py", "--write", "--force", cwd=tmp_path)
    assert code == 0, err
    assert json.loads(declared.read_text(encoding="utf-8"))["required"] == ["items"]


@pytest.mark.parametrize(
    ("args", "files", "message"),
    [
        (["missing.py"], {}, "cannot read missing.py: it does not exist"),
        (["order.py"], {"order.py": "def (:\n"}, "order.py does not parse (line 1)"),
        (
            ["order.py"],
            {"order.py": SCRIPT, "order.schema.json": "[1,"},
            "order.schema.json is not valid JSON",
        ),
        (
            ["order.py"],
            {"order.py": SCRIPT, "order.schema.json": "[1]"},
            "must hold a JSON Schema object, got list",
        ),
        (["order.py", "--force"], {"order.py": SCRIPT}, "--force only goes with --write"),
        (["order.py", "--bogus"], {"order.py": SCRIPT}, "unrecognized arguments: --bogus"),
    ],
    ids=["missing", "unparsable", "bad-json", "not-object", "force-alone", "unknown-flag"],
)
def test_usage_errors_exit_2_with_a_message_and_no_output(
    tmp_path: Path, args: list[str], files: dict[str, str], message: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    code, out, err = schema(*args, cwd=tmp_path)
    assert (code, out) == (2, "")
    assert message in err
    assert "Traceback" not in err


MODEL_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from typing import TypedDict

    class Inputs(TypedDict):
        name: str

    def main(inputs: Inputs):
        return {"success": True, "greeting": inputs["name"] + inputs["title"]}

    print(json.dumps(main(json.load(sys.stdin))))
    """
)


def test_a_model_in_the_script_is_declared_and_a_file_wins_over_it(tmp_path: Path) -> None:
    script(tmp_path, MODEL_SCRIPT)
    code, out, err = schema("order.py", cwd=tmp_path)
    assert code == 0, err
    found = json.loads(out)
    assert (found["title"], found["required"]) == ("Inputs", ["name"])
    assert found["$defs"]["output"]["required"] == ["success", "greeting"]
    assert "declared by the model Inputs in the script" in err
    assert "note: the code reads keys the declared schema lacks: title" in err
    code, out, err = schema("order.py", "--inferred", cwd=tmp_path)
    assert code == 0 and json.loads(out)["required"] == ["name", "title"], err
    (tmp_path / "order.schema.json").write_text('{"type": "object"}', encoding="utf-8")
    code, out, err = schema("order.py", cwd=tmp_path)
    assert (code, out) == (0, '{"type": "object"}\n'), err


# Python runs a script in the encoding it declares; `check` reads it so, and so must the
# commands that infer its schema.
LATIN_1 = (
    "import json, sys\n"
    "inputs = json.load(sys.stdin)\n"
    "print(json.dumps({'success': True, 'greeting': 'h\xe9llo ' + inputs['name']}))\n"
).encode("latin-1")
DECLARATIONS = {
    "latin-1": b"# -*- coding: latin-1 -*-\n",
    "none": b"",  # the control: the same bytes, undeclared, are not UTF-8
    "unknown": b"# -*- coding: nope -*-\n",
}
TOLD = {
    "none": "not valid UTF-8 (byte 0xe9 at offset",
    "unknown": "its coding declaration names an unknown encoding: nope",
}


@pytest.mark.parametrize("declared", sorted(DECLARATIONS))
def test_a_script_is_read_in_the_encoding_it_declares(tmp_path: Path, declared: str) -> None:
    path = tmp_path / "scripts" / "greet.py"
    path.parent.mkdir()
    path.write_bytes(DECLARATIONS[declared] + LATIN_1)
    code, out, err = schema("scripts/greet.py", cwd=tmp_path)
    explored = scriptcontract(
        "test", "--explore", "scripts/greet.py", "--max-runs", "3", "--seed", "1", cwd=tmp_path
    )
    # As `check` reads it: SCR003 exactly when the others cannot read it either.
    checked = scriptcontract("check", "--no-cache", "scripts/greet.py", cwd=tmp_path)
    if declared == "latin-1":
        assert code == 0, err
        assert json.loads(out)["required"] == ["name"]
        assert explored.returncode == 0, explored.stdout + explored.stderr
        assert "SCR003" not in checked.stdout, checked.stdout
        return
    assert code == 2 and out == "", out + err
    assert f"cannot read scripts/greet.py: {TOLD[declared]}" in err
    assert "declare its encoding on its first or second line" in err
    assert explored.returncode == 2 and TOLD[declared] in explored.stderr, explored.stderr
    assert "SCR003" in checked.stdout and TOLD[declared] in checked.stdout, checked.stdout
