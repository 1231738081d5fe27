"""`scriptcontract new`: the template keeps the contract, and the command refuses what it must."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from scriptcontract.contract.script_template import script_text
from tests.cli.runner import run_check, scriptcontract
from tests.conftest import REPO
from tests.time_limits import REQUEST_BOUND_S


def project(root: Path, configuration: str = 'include = ["scripts/**/*.py"]\n') -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "scriptcontract.toml").write_text(configuration, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    "inputs",
    [
        [],
        ["--inputs", "name=Ann"],
        # Keys that are no Python name, a keyword, a name the template uses, JSON values.
        ["--inputs", "input-file=data/in.csv", "class=3", "inputs=true", 'tags=["a", "b"]'],
    ],
    ids=["default", "one-key", "awkward-keys"],
)
def test_the_new_script_passes_check_and_runs_with_its_inputs_file(
    tmp_path: Path, inputs: list[str]
) -> None:
    root = project(tmp_path / "fresh")
    created = scriptcontract("new", "scripts/report.py", *inputs, cwd=root)
    assert created.returncode == 0, created.stderr
    script, sidecar = root / "scripts" / "report.py", root / "scripts" / "report.inputs.json"
    assert "scripts/report.py" in created.stdout and "scripts/report.inputs.json" in created.stdout

    checked = run_check(root)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no findings" in checked.stderr
    assert "1 script" in checked.stderr  # the configuration treats it as a workflow script

    given = json.loads(sidecar.read_text(encoding="utf-8"))
    ran = scriptcontract(
        "run", "scripts/report.py", "--inputs-file", "scripts/report.inputs.json", cwd=root
    )
    assert ran.returncode == 0, ran.stderr
    output = json.loads(ran.stdout)
    assert output["success"] is True
    expected = next(iter(given.values())) if len(given) == 1 else given
    assert output["result"] == expected
    assert script.read_text(encoding="utf-8") == script_text(list(given))

    # Its cases file holds one case, with the same inputs, that the new script passes.
    cases = json.loads((root / "scripts" / "report.cases.json").read_text(encoding="utf-8"))
    assert [case["inputs"] for case in cases["cases"]] == [given]
    tested = scriptcontract("test", cwd=root)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "1 case: 1 passed" in tested.stdout


@pytest.mark.parametrize(
    ("stdin", "error_type"), [("", "KeyError"), ("{}", "KeyError"), ("not json", "JSONDecodeError")]
)
def test_the_template_fails_the_way_the_contract_says(
    tmp_path: Path, stdin: str, error_type: str
) -> None:
    """Empty stdin is `{}`; a failure is one JSON object on stdout and exit status 1."""
    script = tmp_path / "report.py"
    script.write_text(script_text(), encoding="utf-8")
    ran = subprocess.run(
        [sys.executable, str(script)],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=REQUEST_BOUND_S,
    )
    assert ran.returncode == 1, ran.stderr
    output = json.loads(ran.stdout)
    assert output["success"] is False
    assert output["error_type"] == error_type
    assert output["error"]
    assert ran.stderr == ""


def test_a_fresh_folder_without_configuration_uses_the_defaults(tmp_path: Path) -> None:
    root = tmp_path / "fresh"
    root.mkdir()
    created = scriptcontract("new", "scripts/first.py", cwd=root)
    assert created.returncode == 0, created.stderr
    assert (root / "scripts" / "first.py").is_file()
    assert json.loads((root / "scripts" / "first.inputs.json").read_text()) == {"name": "World"}
    assert run_check(root).returncode == 0


def test_a_fresh_folder_gets_a_configuration_so_run_takes_the_same_root(tmp_path: Path) -> None:
    # `new` took the current folder as the project; without a configuration there, `run`
    # took the script's folder, and relative paths meant scripts/data/ instead of data/.
    root = tmp_path / "fresh"
    (root / "data").mkdir(parents=True)
    (root / "data" / "names.txt").write_text("Ada\n", encoding="utf-8")
    created = scriptcontract("new", "scripts/first.py", cwd=root)
    assert created.returncode == 0, created.stderr
    assert "created configuration: scriptcontract.toml" in created.stdout
    assert "this folder is now the project root" in created.stdout
    (root / "scripts" / "first.py").write_text(
        "import json\nimport sys\n\njson.load(sys.stdin)\n"
        'with open("data/names.txt", encoding="utf-8") as names:\n'
        '    print(json.dumps({"success": True, "result": names.read().strip()}))\n',
        encoding="utf-8",
    )
    ran = scriptcontract("run", "scripts/first.py", cwd=root)
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["result"] == "Ada"
    assert "is the project root" not in ran.stderr
    # A second script finds the configuration: none is written again.
    again = scriptcontract("new", "scripts/second.py", cwd=root)
    assert again.returncode == 0, again.stderr
    assert "configuration" not in again.stdout


@pytest.mark.parametrize("has_venv", [True, False], ids=["with-a-venv", "without"])
def test_a_fresh_folders_virtual_environment_is_named_in_its_configuration(
    tmp_path: Path, has_venv: bool
) -> None:
    # Runs use python3 until the configuration names the project's environment: `new`
    # writes the line, commented out, for the user to turn on (and trust).
    root = tmp_path / "fresh"
    root.mkdir()
    if has_venv:
        venv.EnvBuilder(symlinks=True, with_pip=False).create(root / "env")
    created = scriptcontract("new", "scripts/report.py", cwd=root)
    assert created.returncode == 0, created.stderr
    configuration = (root / "scriptcontract.toml").read_text(encoding="utf-8")
    assert ('# python = "env/bin/python"' in configuration) is has_venv, configuration
    if not has_venv:
        return
    (root / "scriptcontract.toml").write_text(
        configuration.replace('# python = "env/bin/python"', 'python = "env/bin/python"'),
        encoding="utf-8",
    )
    state = {"XDG_STATE_HOME": str(tmp_path / "state")}
    inputs = ("--inputs-file", "scripts/report.inputs.json", "--json")
    refused = scriptcontract("run", "scripts/report.py", *inputs, cwd=root, env=state)
    assert refused.returncode == 2 and "scriptcontract trust" in refused.stderr, refused.stderr
    trusted = scriptcontract("trust", cwd=root, env=state)
    assert trusted.returncode == 0, trusted.stderr
    ran = scriptcontract("run", "scripts/report.py", *inputs, cwd=root, env=state)
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["python"] == str(root / "env" / "bin" / "python")


def test_nothing_is_overwritten(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    sidecar = root / "scripts" / "report.inputs.json"
    sidecar.parent.mkdir()
    sidecar.write_text('{"kept": true}\n', encoding="utf-8")
    refused = scriptcontract("new", "scripts/report.py", cwd=root)
    assert refused.returncode == 2
    assert "scripts/report.inputs.json already exists: nothing written" in refused.stderr
    assert not (root / "scripts" / "report.py").exists()
    assert sidecar.read_text(encoding="utf-8") == '{"kept": true}\n'

    sidecar.unlink()
    assert scriptcontract("new", "scripts/report.py", cwd=root).returncode == 0
    again = scriptcontract("new", "scripts/report.py", "--inputs", "x=1", cwd=root)
    assert again.returncode == 2
    assert "already exist: nothing written" in again.stderr
    assert json.loads(sidecar.read_text(encoding="utf-8")) == {"name": "World"}

    cases = root / "scripts" / "other.cases.json"
    cases.write_text('{"cases": []}\n', encoding="utf-8")
    kept = scriptcontract("new", "scripts/other.py", cwd=root)
    assert kept.returncode == 2
    assert "scripts/other.cases.json already exists: nothing written" in kept.stderr
    assert not (root / "scripts" / "other.py").exists()
    assert cases.read_text(encoding="utf-8") == '{"cases": []}\n'


def test_a_path_the_configuration_does_not_include_says_how_to_include_it(
    tmp_path: Path,
) -> None:
    root = project(tmp_path / "p", 'include = ["jobs/*.py"]\nexclude = ["jobs/old_*.py"]\n')
    refused = scriptcontract("new", "scripts/report.py", cwd=root)
    assert refused.returncode == 2
    assert "does not match the `include` globs" in refused.stderr
    assert 'add a glob that matches it, such as "scripts/report.py", to `include` in' in (
        refused.stderr
    )
    assert str(root / "scriptcontract.toml") in refused.stderr
    excluded = scriptcontract("new", "jobs/old_report.py", cwd=root)
    assert excluded.returncode == 2
    assert "matches an `exclude` glob" in excluded.stderr
    assert not (root / "scripts").exists()
    assert not (root / "jobs").exists()
    # Once included, it is written.
    assert scriptcontract("new", "jobs/report.py", cwd=root).returncode == 0


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("report.py", "scripts/report.py"),
        ("report", "scripts/report.py"),
        ("scripts/report", "scripts/report.py"),
    ],
)
def test_a_path_include_does_not_take_gets_the_command_that_puts_it_there(
    tmp_path: Path, typed: str, meant: str
) -> None:
    """In a fresh folder, `new report.py` is refused (the default `include` is
    scripts/**/*.py); the message gives the command that works, which then does."""
    refused = scriptcontract("new", typed, "--inputs", "city=Paris", cwd=tmp_path)
    assert refused.returncode == 2 and not any(tmp_path.iterdir()), refused.stderr
    command = f"scriptcontract new {meant} --inputs city=Paris"
    assert f"`{command}` puts it where `include` looks" in refused.stderr, refused.stderr
    done = scriptcontract(*command.split()[1:], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / meant).is_file()


@pytest.mark.parametrize("suffix", [".inputs.json", ".cases.json", ".schema.json"])
def test_a_scripts_json_file_named_gets_the_command_for_the_script(
    tmp_path: Path, suffix: str
) -> None:
    """`new scripts/report.inputs.json` (tab completion beside an existing script) wrote the
    template into the JSON file, with `report.inputs.inputs.json` beside it."""
    refused = scriptcontract("new", f"scripts/report{suffix}", cwd=tmp_path)
    assert refused.returncode == 2 and not any(tmp_path.iterdir()), refused.stderr
    assert "not a script: name the script (scriptcontract new scripts/report.py)" in (
        refused.stderr
    )
    done = scriptcontract("new", "scripts/report.py", cwd=tmp_path)
    assert done.returncode == 0 and (tmp_path / "scripts" / "report.py").is_file(), done.stderr


def test_a_path_outside_the_project_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path / "p")
    (tmp_path / "elsewhere").mkdir()
    (root / "scripts").mkdir()
    (root / "scripts" / "out").symlink_to(tmp_path / "elsewhere")
    for path in ("../elsewhere/x.py", str(tmp_path / "elsewhere" / "x.py"), "scripts/out/x.py"):
        refused = scriptcontract("new", path, cwd=root)
        assert refused.returncode == 2, path
        assert "is outside the project root" in refused.stderr, refused.stderr
    assert not any((tmp_path / "elsewhere").iterdir())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--inputs", "name"], "expected KEY=VALUE"),
        (["--inputs", "=3"], "expected KEY=VALUE"),
        (["--inputs", "a=1", "a=2"], "the key 'a' is given twice"),
    ],
)
def test_bad_inputs_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    root = project(tmp_path / "p")
    refused = scriptcontract("new", "scripts/report.py", *args, cwd=root)
    assert refused.returncode == 2
    assert message in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not (root / "scripts").exists()


def test_a_configuration_with_errors_writes_nothing(tmp_path: Path) -> None:
    root = project(tmp_path / "p", 'include = "scripts/*.py"\n')
    refused = scriptcontract("new", "scripts/report.py", cwd=root)
    assert refused.returncode == 2
    (line,) = refused.stderr.splitlines()  # what to fix, and that nothing was written
    assert "include" in line and line.endswith("; nothing was written"), line
    assert not (root / "scripts").exists()


def test_the_first_script_page_shows_the_template_new_writes() -> None:
    page = (REPO / "docs" / "first-script.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", page, flags=re.DOTALL)
    assert blocks[0] == script_text(["name"])
    assert "scriptcontract new scripts/greet.py --inputs name=Ada" in page
