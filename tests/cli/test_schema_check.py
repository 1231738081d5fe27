"""Inputs that break a script's declared schema are refused before `run` and `test` start."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tests.cli.runner import scriptcontract

SCRIPT = (
    "import json, sys\n"
    "inputs = json.load(sys.stdin)\n"
    'print(json.dumps({"success": True, "n": inputs.get("n")}))\n'
)
SCHEMA = {
    "type": "object",
    "required": ["n", "mode"],
    "properties": {
        "n": {"type": "integer"},
        "mode": {"enum": ["fast", "slow"]},
        "items": {"type": "array", "items": {"type": "object", "required": ["id"]}},
    },
}
BAD = {"n": "x", "mode": "turbo", "items": [{"id": 1}, {}]}
GOOD = {"n": 1, "mode": "fast"}


def project(root: Path, schema: object = SCHEMA) -> Path:
    (root / "scriptcontract.toml").write_text("", encoding="utf-8")
    (root / "order.py").write_text(SCRIPT, encoding="utf-8")
    if schema is not None:
        text = schema if isinstance(schema, str) else json.dumps(schema)
        (root / "order.schema.json").write_text(text, encoding="utf-8")
    return root


def test_run_refuses_inputs_that_break_the_declared_schema_listing_every_problem(
    tmp_path: Path,
) -> None:
    root = project(tmp_path)
    done = scriptcontract("run", "order.py", "--inputs", json.dumps(BAD), cwd=root)
    assert (done.returncode, done.stdout) == (2, "")
    assert "do not match the declared schema order.schema.json; nothing was run" in done.stderr
    assert "--no-schema-check" in done.stderr
    assert [line for line in done.stderr.splitlines() if line.startswith("  - ")] == [
        "  - items[1].id: expected a value (required), got nothing",
        '  - mode: expected one of ["fast", "slow"], got "turbo" (string)',
        '  - n: expected integer, got "x" (string)',
    ]
    assert "sandbox:" not in done.stderr  # no run, so no run summary


def test_run_with_no_schema_check_runs_anyway_and_good_inputs_run(tmp_path: Path) -> None:
    root = project(tmp_path)
    forced = scriptcontract(
        "run", "order.py", "--no-schema-check", "--inputs", json.dumps(BAD), cwd=root
    )
    assert forced.returncode == 0, forced.stderr
    assert json.loads(forced.stdout) == {"success": True, "n": "x"}
    good = scriptcontract("run", "order.py", "--inputs", json.dumps(GOOD), cwd=root)
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["n"] == 1


def test_an_inferred_schema_warns_and_never_refuses(tmp_path: Path) -> None:
    root = project(tmp_path, schema=None)
    (root / "order.py").write_text(
        SCRIPT.replace('inputs.get("n")', 'int(inputs["n"]) + 0'), encoding="utf-8"
    )
    done = scriptcontract("run", "order.py", "--inputs", '{"n": "7"}', cwd=root)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["n"] == 7
    assert "warning: the inputs may not be what the script reads" in done.stderr
    assert '  - n: expected integer, got "7" (string)' in done.stderr
    quiet = scriptcontract("run", "order.py", "--inputs", '{"n": 7}', cwd=root)
    assert quiet.returncode == 0, quiet.stderr
    assert "warning" not in quiet.stderr


@pytest.mark.parametrize("where", [".", "scripts"])
def test_the_command_an_inferred_warning_names_works_where_it_was_said(
    tmp_path: Path, where: str
) -> None:
    """The warning names `scriptcontract schema PATH --write`: copied into the same shell,
    from the project's top or a folder below it, it declares the schema."""
    root = project(tmp_path, schema=None)
    (root / "scripts").mkdir()
    (root / "order.py").rename(root / "scripts" / "order.py")
    script = root / "scripts" / "order.py"
    script.write_text(SCRIPT.replace('inputs.get("n")', 'int(inputs["n"]) + 0'), encoding="utf-8")
    cwd = root / where
    typed = os.path.relpath(script, cwd)
    cases = {"cases": [{"name": "text", "inputs": {"n": "7"}, "expect": {"success": True}}]}
    script.with_name("order.cases.json").write_text(json.dumps(cases), encoding="utf-8")
    for said in (
        scriptcontract("run", typed, "--inputs", '{"n": "7"}', cwd=cwd),
        scriptcontract("test", typed, cwd=cwd),
    ):
        assert said.returncode == 0, said.stderr
        named = re.findall(r"`scriptcontract (schema [^`]*)`", said.stderr)
        assert named == [f"schema {typed} --write"], said.stderr
    declared = scriptcontract(*named[0].split(), cwd=cwd)
    assert declared.returncode == 0, declared.stderr
    assert json.loads(script.with_name("order.schema.json").read_text(encoding="utf-8"))


def test_an_output_that_breaks_the_declared_output_shape_is_a_warning(tmp_path: Path) -> None:
    shapes = {"output": {"required": ["success", "total"], "properties": {"n": {"type": "string"}}}}
    root = project(tmp_path, {**SCHEMA, "$defs": shapes})
    done = scriptcontract("run", "order.py", "--inputs", json.dumps(GOOD), cwd=root)
    assert done.returncode == 0, done.stderr  # the run stands
    assert json.loads(done.stdout) == {"success": True, "n": 1}
    assert "warning: the output does not match `$defs.output` of order.schema.json:" in (
        done.stderr
    )
    assert "  - n: expected string, got 1 (integer)" in done.stderr
    assert "  - total: expected a value (required), got nothing" in done.stderr
    fine = {"output": {"required": ["success", "n"]}}
    root = project(tmp_path, {**SCHEMA, "$defs": fine})
    done = scriptcontract("run", "order.py", "--inputs", json.dumps(GOOD), cwd=root)
    assert done.returncode == 0 and "warning" not in done.stderr, done.stderr


def test_a_key_the_script_never_reads_is_a_warning_naming_the_one_it_reads(
    tmp_path: Path,
) -> None:
    root = project(tmp_path, schema=None)
    reads_count = SCRIPT.replace('inputs.get("n")', 'inputs.get("count")')
    (root / "order.py").write_text(reads_count, encoding="utf-8")
    done = scriptcontract("run", "order.py", "--inputs", '{"coutn": 7, "zebra": 1}', cwd=root)
    assert done.returncode == 0, done.stderr
    assert "warning: the inputs may not be what the script reads" in done.stderr
    said = done.stderr.splitlines()
    assert "  - coutn: order.py never reads this key (did you mean count?)" in said
    assert "  - zebra: order.py never reads this key" in said  # spelt like nothing it reads
    # The control: the key it reads.
    quiet = scriptcontract("run", "order.py", "--inputs", '{"count": 7}', cwd=root)
    assert quiet.returncode == 0 and "warning" not in quiet.stderr, quiet.stderr
    # A script that hands its inputs on whole may read any key: no key is called unread.
    (root / "order.py").write_text(
        SCRIPT.replace('inputs.get("n")', "sorted(inputs)"), encoding="utf-8"
    )
    whole = scriptcontract("run", "order.py", "--inputs", '{"m": 7}', cwd=root)
    assert whole.returncode == 0 and "warning" not in whole.stderr, whole.stderr


@pytest.mark.parametrize(
    ("other_tools", "warned"),
    [("sys.exit(0)", False), ('raise ValueError("unknown tool")', True)],
    ids=["skipped", "refused"],
)
def test_a_value_the_script_skips_is_no_warning_one_it_refuses_is(
    tmp_path: Path, other_tools: str, warned: bool
) -> None:
    """A hook that handles some tools lets the others through: `Bash` is no wrong value."""
    root = project(tmp_path, schema=None)
    (root / "order.py").write_text(
        "import json, sys\n"
        "inputs = json.load(sys.stdin)\n"
        'if inputs.get("tool_name") not in ("Write", "Edit"):\n'
        f'    print(json.dumps({{"success": True}}))\n    {other_tools}\n'
        'print(json.dumps({"success": True, "checked": True}))\n',
        encoding="utf-8",
    )
    done = scriptcontract("run", "order.py", "--inputs", '{"tool_name": "Bash"}', cwd=root)
    said = '  - tool_name: expected one of ["Write", "Edit"], got "Bash" (string)'
    assert (said in done.stderr.splitlines()) == warned, done.stderr


def test_keys_that_hold_terminal_sequences_are_shown_not_obeyed(tmp_path: Path) -> None:
    # An inputs file a run wrote may name its keys so as to drive the user's terminal.
    key = "\x1b]52;c;aGk=\x07\nall good"
    root = project(tmp_path, schema=None)
    warned = scriptcontract("run", "order.py", "--inputs", json.dumps({key: 1}), cwd=root)
    assert warned.returncode == 0, warned.stderr
    assert "  - \\x1b]52;c;aGk=\\x07\\nall good: order.py never reads this key" in warned.stderr
    root = project(tmp_path, {**SCHEMA, "additionalProperties": False})
    refused = scriptcontract(
        "run", "order.py", "--inputs", json.dumps({**GOOD, key: "\x9b2J"}), cwd=root
    )
    assert refused.returncode == 2
    assert "  - \\x1b]52;c;aGk=\\x07\\nall good: not allowed by the schema" in refused.stderr
    for done in (warned, refused):
        assert "\x1b" not in done.stderr and "\nall good" not in done.stderr, done.stderr


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ('{"type": ', "order.schema.json is not valid JSON"),
        ('{"type": 5}', "order.schema.json is not a valid JSON Schema"),
        (
            '{"properties": {"n": {"$ref": "#/$defs/count"}}}',
            'order.schema.json cannot be used: its $ref "#/$defs/count" leads nowhere',
        ),
        (
            '{"properties": {"n": {"$ref": "https://schemas.example/count.json"}}}',
            'its $ref "https://schemas.example/count.json" does not resolve (only references '
            "within the schema file are followed)",
        ),
    ],
    ids=["bad-json", "bad-schema", "ref-nowhere", "ref-elsewhere"],
)
def test_run_refuses_an_unusable_declared_schema(tmp_path: Path, schema: str, message: str) -> None:
    root = project(tmp_path, schema)
    done = scriptcontract("run", "order.py", "--inputs", json.dumps(GOOD), cwd=root)
    assert (done.returncode, done.stdout) == (2, "")
    assert message in done.stderr and "nothing was run" in done.stderr


def cases(root: Path) -> None:
    document = {
        "cases": [
            {"name": "good", "inputs": GOOD, "expect": {"output_includes": {"n": 1}}},
            {"name": "bad", "inputs": {**GOOD, "n": "x"}, "expect": {"success": True}},
            {"name": "missing", "inputs": {}, "expect": {"success": True}},
            # Expects a failure: its inputs break the schema on purpose, and it is not checked.
            {"name": "refused", "inputs": {}, "expect": {"success": False}},
        ]
    }
    (root / "order.cases.json").write_text(json.dumps(document), encoding="utf-8")


def test_test_refuses_cases_whose_inputs_break_the_declared_schema(tmp_path: Path) -> None:
    root = project(tmp_path)
    cases(root)
    done = scriptcontract("test", "order.py", cwd=root)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines()[1:] == [
        "  order.py::bad (against order.schema.json):",
        '    - n: expected integer, got "x" (string)',
        "  order.py::missing (against order.schema.json):",
        "    - mode: expected a value (required), got nothing",
        "    - n: expected a value (required), got nothing",
    ]
    assert "nothing was run (--no-schema-check runs anyway)" in done.stderr.splitlines()[0]


def test_test_checks_only_the_selected_cases_and_no_schema_check_runs_them(
    tmp_path: Path,
) -> None:
    root = project(tmp_path)
    cases(root)
    selected = scriptcontract("test", "order.py", "-k", "good", cwd=root)
    assert selected.returncode == 0, selected.stderr
    assert "1 passed" in selected.stdout
    forced = scriptcontract("test", "order.py", "--no-schema-check", cwd=root)
    # They run: "missing" and "refused" give {"n": null} with success, so "refused" fails.
    assert forced.returncode == 1, forced.stderr
    assert "3 passed" in forced.stdout and "1 failed" in forced.stdout


def test_test_warns_on_cases_whose_inputs_break_the_inferred_schema_and_runs_them(
    tmp_path: Path,
) -> None:
    root = project(tmp_path, schema=None)
    (root / "order.py").write_text(
        SCRIPT.replace('inputs.get("n")', 'int(inputs["n"]) + 0'), encoding="utf-8"
    )
    document = {
        "cases": [
            {"name": "typed", "inputs": {"n": 7}, "expect": {"output_includes": {"n": 7}}},
            {"name": "text", "inputs": {"n": "7"}, "expect": {"output_includes": {"n": 7}}},
            # Expects a failure: its inputs break the schema on purpose, and it is not checked.
            {"name": "missing", "inputs": {}, "expect": {"success": False}},
        ]
    }
    (root / "order.cases.json").write_text(json.dumps(document), encoding="utf-8")
    done = scriptcontract("test", "order.py", cwd=root)
    assert done.returncode == 0, done.stderr  # warned, never refused: every case ran
    assert "3 passed" in done.stdout
    warnings = [line for line in done.stderr.splitlines() if "warning" in line]
    assert warnings == [
        "scriptcontract test: warning: order.py::text: the inputs may not be what the script "
        "reads (schema inferred from the code; `scriptcontract schema order.py --write` "
        "declares one):"
    ]
    assert '  - n: expected integer, got "7" (string)' in done.stderr
    quiet = scriptcontract("test", "order.py", "--no-schema-check", cwd=root)
    assert quiet.returncode == 0 and "warning" not in quiet.stderr, quiet.stderr


def test_test_warns_on_a_case_key_the_script_never_reads(tmp_path: Path) -> None:
    root = project(tmp_path, schema=None)
    (root / "order.py").write_text(
        SCRIPT.replace('inputs.get("n")', 'inputs.get("count")'), encoding="utf-8"
    )
    document = {
        "cases": [
            {"name": "typo", "inputs": {"coutn": 7}, "expect": {"success": True}},
            {"name": "read", "inputs": {"count": 7}, "expect": {"success": True}},
        ]
    }
    (root / "order.cases.json").write_text(json.dumps(document), encoding="utf-8")
    done = scriptcontract("test", "order.py", cwd=root)
    assert done.returncode == 0 and "2 passed" in done.stdout, done.stdout + done.stderr
    said = done.stderr.splitlines()
    warnings = [line for line in said if "warning" in line]
    assert len(warnings) == 1 and "order.py::typo:" in warnings[0], done.stderr
    assert "  - coutn: order.py never reads this key (did you mean count?)" in said
    # A script that hands its inputs on whole may read any key: no key is called unread.
    (root / "order.py").write_text(
        SCRIPT.replace('inputs.get("n")', "sorted(inputs)"), encoding="utf-8"
    )
    whole = scriptcontract("test", "order.py", cwd=root)
    assert whole.returncode == 0 and "warning" not in whole.stderr, whole.stderr


def test_inputs_too_deep_for_a_recursive_schema_are_refused_saying_so(tmp_path: Path) -> None:
    # A count, or a list of counts, or a list of those...
    counts = {"anyOf": [{"type": "integer"}, {"type": "array", "items": {"$ref": "#/$defs/n"}}]}
    recursive = {"$defs": {"n": counts}, "properties": {"n": {"$ref": "#/$defs/n"}}}
    root = project(tmp_path, {**SCHEMA, **recursive})
    nested: object = 1
    for _ in range(190):  # within the executor's 200 levels
        nested = [nested]
    inputs = root / "deep.json"
    inputs.write_text(json.dumps({"n": nested, "mode": "fast"}), encoding="utf-8")
    done = scriptcontract("run", "order.py", "--inputs-file", "deep.json", cwd=root)
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    assert "nested too deeply to be checked against the schema" in done.stderr
    assert "Traceback" not in done.stderr
    # The control: the same schema, shallow inputs, checked and run.
    inputs.write_text(json.dumps({"n": [[1]], "mode": "fast"}), encoding="utf-8")
    shallow = scriptcontract("run", "order.py", "--inputs-file", "deep.json", cwd=root)
    assert shallow.returncode == 0, shallow.stderr
