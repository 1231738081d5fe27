"""A script's JSON files (inputs, cases, schema) named where a script is expected: tab
completion offers them with the script. Their JSON parses as Python, so they were run,
checked and given a schema as if they were scripts; now each command says what was meant."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scriptcontract.cases.loading import CASES_SUFFIX
from scriptcontract.contract.declared_schema import SCHEMA_SUFFIX
from scriptcontract.contract.script_files import COMPANION_FILES, companion_of
from scriptcontract.sidecar import SIDECAR_SUFFIX
from tests.cli.runner import scriptcontract

SCRIPT = (
    "import json, sys\n"
    "inputs = json.load(sys.stdin)\n"
    'print(json.dumps({"success": True, "name": inputs["name"]}))\n'
)


def project(root: Path) -> Path:
    (root / "scriptcontract.toml").write_text("", encoding="utf-8")
    scripts = root / "scripts"
    scripts.mkdir()
    (scripts / "greet.py").write_text(SCRIPT, encoding="utf-8")
    (scripts / "greet.inputs.json").write_text('{"name": "Ada"}', encoding="utf-8")
    case = {"name": "greets", "inputs": {"name": "Ada"}, "expect": {"success": True}}
    (scripts / "greet.cases.json").write_text(json.dumps({"cases": [case]}), encoding="utf-8")
    schema = {"type": "object", "properties": {"name": {"type": "string"}}}
    (scripts / "greet.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    return root


def test_the_companion_suffixes_are_the_ones_the_files_are_read_by() -> None:
    assert set(COMPANION_FILES) == {SIDECAR_SUFFIX, CASES_SUFFIX, SCHEMA_SUFFIX}
    assert companion_of("greet.inputs.json") == ("inputs file", "greet.py")
    assert companion_of(".inputs.json") is None and companion_of("greet.json") is None


@pytest.mark.parametrize(
    ("named", "meant"),
    [
        (
            "scripts/greet.inputs.json",
            "scripts/greet.inputs.json is the inputs file of greet.py, not a script: "
            "scriptcontract run scripts/greet.py --inputs-file scripts/greet.inputs.json",
        ),
        (
            "scripts/greet.cases.json",
            "scripts/greet.cases.json is the cases file of greet.py, not a script: "
            "scriptcontract test scripts/greet.cases.json",
        ),
        (
            "scripts/greet.schema.json",
            "scripts/greet.schema.json is the schema file of greet.py, not a script: "
            "scriptcontract run scripts/greet.py",
        ),
    ],
)
def test_run_names_the_command_that_was_meant_and_it_works(
    tmp_path: Path, named: str, meant: str
) -> None:
    root = project(tmp_path)
    refused = scriptcontract("run", named, "--inputs", "{}", cwd=root)
    assert (refused.returncode, refused.stdout) == (2, ""), refused.stderr
    assert refused.stderr.strip() == f"scriptcontract run: error: {meant}"
    # The command it names does what was meant (the schema file's: the script, with the
    # inputs on stdin).
    command = meant.split(": scriptcontract ")[1].split()
    done = scriptcontract(*command, cwd=root, stdin='{"name": "Ada"}')
    assert done.returncode == 0, done.stdout + done.stderr


def test_schema_names_the_script(tmp_path: Path) -> None:
    root = project(tmp_path)
    refused = scriptcontract("schema", "greet.inputs.json", cwd=root / "scripts")
    assert (refused.returncode, refused.stdout) == (2, ""), refused.stderr
    assert refused.stderr.strip() == (
        "scriptcontract schema: error: greet.inputs.json is the inputs file of greet.py, "
        "not a script: scriptcontract schema greet.py"
    )
    done = scriptcontract("schema", "greet.py", cwd=root / "scripts")
    assert done.returncode == 0 and json.loads(done.stdout)["properties"]["name"], done.stderr


def test_check_passes_over_them_named_and_says_so(tmp_path: Path) -> None:
    root = project(tmp_path)
    # A script's finding shows the files were read: the script lacks error handling.
    everything = sorted(str(p.relative_to(root)) for p in (root / "scripts").iterdir())
    done = scriptcontract("check", "--select", "ALL", "-v", *everything, cwd=root)
    assert done.returncode == 1, done.stderr
    checked = {line.split(":")[0] for line in done.stdout.splitlines() if line.strip()}
    assert checked == {"scripts/greet.py"}, done.stdout
    for name in ("inputs", "cases", "schema"):
        assert (
            f"skipped scripts/greet.{name}.json: holding a script's inputs, cases or schema "
            "(JSON), not a script"
        ) in done.stderr
    assert "in 1 script" in done.stderr
    alone = scriptcontract("check", "scripts/greet.inputs.json", cwd=root)
    assert alone.returncode == 0, alone.stderr
    assert alone.stderr.splitlines() == [
        "scriptcontract: no workflow scripts checked",
        "  1 file holding a script's inputs, cases or schema (JSON), not a script: "
        "scripts/greet.inputs.json",
    ]
