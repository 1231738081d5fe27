"""`check` keeps its results like ruff: unchanged files are not analysed again."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import scriptcontract
from tests.cli.runner import run_check
from tests.cli.test_check_options import FIXABLE
from tests.conftest import Project


def from_cache(result: subprocess.CompletedProcess[str]) -> str:
    line = next(line for line in result.stderr.splitlines() if "from the cache" in line)
    return line.split(": ", 1)[1].split(", in ")[0]


def test_unchanged_files_come_from_the_cache_with_the_same_findings(project: Project) -> None:
    project.write("scripts/a.py", FIXABLE)
    project.write("scripts/b.py", FIXABLE.replace("starting", "b"))
    first = run_check(project.root, "-v", "--output-format", "json")
    assert from_cache(first) == "0 unchanged files from the cache, 2 analysed"
    second = run_check(project.root, "-v", "--output-format", "json")
    assert from_cache(second) == "2 unchanged files from the cache, 0 analysed"
    assert json.loads(second.stdout) == json.loads(first.stdout)
    assert second.returncode == first.returncode == 1
    cache = project.root / ".scriptcontract_cache"
    assert (cache / "CACHEDIR.TAG").is_file() and (cache / ".gitignore").read_text().endswith("*\n")


def test_content_configuration_and_options_invalidate_the_cache(project: Project) -> None:
    script = project.write("scripts/a.py", FIXABLE)
    run_check(project.root)
    script.write_text(FIXABLE.replace("starting", "changed"))
    edited = run_check(project.root, "-v")
    assert from_cache(edited) == "0 unchanged files from the cache, 1 analysed"
    assert '"changed"' not in edited.stdout and "SCR105" in edited.stdout
    project.write("pyproject.toml", '[tool.scriptcontract]\nignore = ["SCR105"]\n')
    configured = run_check(project.root, "-v")
    assert from_cache(configured) == "0 unchanged files from the cache, 1 analysed"
    assert "SCR105" not in configured.stdout
    assert "SCR102" in configured.stdout
    selected = run_check(project.root, "-v", "--ignore", "SCR102")
    assert from_cache(selected) == "0 unchanged files from the cache, 1 analysed"
    assert "SCR102" not in selected.stdout


def test_a_change_of_the_rules_code_invalidates_the_cache(project: Project, tmp_path: Path) -> None:
    # A working copy installed editable: the code changes, the version does not.
    package = tmp_path / "copy" / "scriptcontract"
    shutil.copytree(
        Path(scriptcontract.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__")
    )
    on_copy = {"env": {"PYTHONPATH": str(package.parent)}}
    project.write("scripts/a.py", FIXABLE)
    first = run_check(project.root, "-v", **on_copy)
    assert "text written to stdout breaks the JSON output" in first.stdout, first.stdout
    unchanged = run_check(project.root, "-v", **on_copy)  # control: the cache serves
    assert from_cache(unchanged) == "1 unchanged file from the cache, 0 analysed"
    rule = package / "contract" / "rules" / "stray_stdout.py"
    rule.write_text(rule.read_text().replace("breaks the JSON output", "spoils the JSON output"))
    edited = run_check(project.root, "-v", **on_copy)
    assert from_cache(edited) == "0 unchanged files from the cache, 1 analysed"
    assert "text written to stdout spoils the JSON output" in edited.stdout, edited.stdout


def test_a_broken_cache_is_a_miss_and_no_cache_keeps_none(project: Project) -> None:
    project.write("scripts/a.py", FIXABLE)
    expected = run_check(project.root).stdout
    for file in (project.root / ".scriptcontract_cache").rglob("*.json"):
        file.write_text('{"!scripts/a.py": [1, 2', encoding="utf-8")
    assert run_check(project.root).stdout == expected
    fresh = project.root.parent / "fresh"
    (fresh / "scripts").mkdir(parents=True)
    (fresh / "scripts" / "a.py").write_text(FIXABLE)
    assert run_check(fresh, "--no-cache").stdout == expected
    assert not (fresh / ".scriptcontract_cache").exists()


def test_fix_does_not_trust_a_cached_fixable_finding(project: Project) -> None:
    script = project.write("scripts/a.py", FIXABLE)
    run_check(project.root)
    fixed = run_check(project.root, "--fix", "-v")
    assert "fixed 1 finding" in fixed.stderr
    assert "file=sys.stderr" in script.read_text()
    again = run_check(project.root, "-v")
    assert from_cache(again) == "1 unchanged file from the cache, 0 analysed"
    assert "SCR105" not in again.stdout


HELPER_USER = "import sys\nfrom common import report\nreport('x')\nsys.exit(1)\n"
WRITES_JSON = "import json\ndef report(message):\n    print(json.dumps({'error': message}))\n"
QUIET = "import sys\ndef report(message):\n    print(message, file=sys.stderr)\n"


def test_a_project_module_that_appears_changes_or_goes_invalidates_its_importers(
    project: Project,
) -> None:
    # Whether the exit 1 wrote an error object first depends on common.py alone: the
    # script's own text never changes here.
    project.write("scripts/job.py", HELPER_USER)
    absent = run_check(project.root, "-v", "scripts/job.py")
    assert "SCR204" in absent.stdout
    again = run_check(project.root, "-v", "scripts/job.py")
    assert from_cache(again) == "1 unchanged file from the cache, 0 analysed"
    helper = project.write("scripts/common.py", WRITES_JSON)
    appeared = run_check(project.root, "-v", "scripts/job.py")
    assert from_cache(appeared) == "0 unchanged files from the cache, 1 analysed"
    assert "SCR204" not in appeared.stdout
    unchanged = run_check(project.root, "-v", "scripts/job.py")
    assert from_cache(unchanged) == "1 unchanged file from the cache, 0 analysed"
    helper.write_text(QUIET)
    changed = run_check(project.root, "-v", "scripts/job.py")
    assert from_cache(changed) == "0 unchanged files from the cache, 1 analysed"
    assert "SCR204" in changed.stdout
    helper.write_text(WRITES_JSON)
    run_check(project.root, "scripts/job.py")
    helper.unlink()
    gone = run_check(project.root, "-v", "scripts/job.py")
    assert from_cache(gone) == "0 unchanged files from the cache, 1 analysed"
    assert "SCR204" in gone.stdout


READS_INPUTS = "import json, sys\ndef report(message):\n    json.load(sys.stdin)\n"


def test_a_fifo_named_like_an_imported_module_never_hangs_check(project: Project) -> None:
    script = HELPER_USER.replace("sys.exit(1)", "print(json.dumps({}))").replace(
        "import sys", "import json, sys"
    )
    project.write("scripts/job.py", script)
    # The control: a helper at that path is followed (it reads stdin: no SCR101).
    helper = project.write("scripts/common.py", READS_INPUTS)
    followed = run_check(project.root, "--no-cache", "scripts/job.py", timeout=30)
    assert "SCR101" not in followed.stdout and followed.returncode in (0, 1), followed.stderr
    helper.unlink()
    os.mkfifo(helper)
    fifo = run_check(project.root, "--no-cache", "scripts/job.py", timeout=30)
    # Read as no module at all: the same answer as without the file, no hang, no traceback.
    assert "SCR101" in fifo.stdout and fifo.returncode == 1, fifo.stderr
    assert "Traceback" not in fifo.stderr


def imported(cwd: Path, *args: str) -> set[str]:
    """The modules the real command imports, less those the interpreter imports anyway
    (stdin: an empty JSON object, the inputs of a run)."""

    def modules(command: list[str]) -> set[str]:
        done = subprocess.run(
            [sys.executable, "-X", "importtime", *command],
            cwd=cwd,
            input="{}",
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return {
            line.split("|")[-1].strip()
            for line in done.stderr.splitlines()
            if line.startswith("import time:") and "|" in line
        }

    return modules(["-m", "scriptcontract", *args]) - modules(["-c", "pass"])


def test_one_file_check_imports_neither_executor_nor_server(project: Project) -> None:
    project.write("scripts/a.py", FIXABLE)
    analysed = imported(project.root, "check", "scripts/a.py")
    assert "scriptcontract.contract.analyze" in analysed  # the positive control
    heavy = (
        "scriptcontract.executor",
        "scriptcontract.lsp",
        "asyncio",
        "pygls",
        "lsprotocol",
        "pydantic",
    )
    assert not {m for m in analysed if m.startswith(heavy)}
    cached = imported(project.root, "check", "scripts/a.py")
    assert "scriptcontract.check.cache" in cached
    assert not {m for m in cached if m.startswith(("pydantic", "scriptcontract.contract"))}


# What validating a project's [executor] and [sandbox] tables needs: their models alone.
EXECUTOR_MODELS = {
    "scriptcontract.executor",
    "scriptcontract.executor.settings",
    "scriptcontract.executor.policy",
    "scriptcontract.executor.project_layout",
}


def test_an_executor_table_loads_its_models_not_the_runner(project: Project) -> None:
    project.write(
        "scriptcontract.toml", "[executor]\ntimeout-ms = 30000\n[sandbox]\nnetwork = true\n"
    )
    project.write("scripts/a.py", FIXABLE)
    analysed = imported(project.root, "check", "scripts/a.py")
    assert "scriptcontract.executor.settings" in analysed  # the table was validated
    executor = {m for m in analysed if m.startswith("scriptcontract.executor")}
    assert executor <= EXECUTOR_MODELS, executor - EXECUTOR_MODELS
    assert not {m for m in analysed if m.startswith(("asyncio", "scriptcontract.lsp", "pydantic"))}
    cached = imported(project.root, "check", "scripts/a.py")
    assert "scriptcontract.check.cache" in cached
    assert not {m for m in cached if m.startswith(("pydantic", "scriptcontract.executor"))}


def test_a_wrong_table_is_reported_without_pydantic_and_run_still_imports_it(
    project: Project,
) -> None:
    project.write("scriptcontract.toml", 'output = "text"\n[sandbox]\nnework = false\n')
    project.write("scripts/a.py", FIXABLE)
    refused = run_check(project.root, "scripts/a.py")
    assert refused.returncode == 2
    assert "output: Input should be 'object' or 'json-lines' (got 'text')" in refused.stderr
    assert "[sandbox] nework: unknown key" in refused.stderr
    assert not {m for m in imported(project.root, "check", "scripts/a.py") if "pydantic" in m}
    # The positive control: the same probe sees pydantic where it is used (run's result).
    project.write("scriptcontract.toml", "")
    ran = imported(project.root, "run", "scripts/a.py")
    assert "scriptcontract.executor.python_executor" in ran and "pydantic" in ran


def test_projects_sharing_a_cache_dir_keep_apart(project: Project, tmp_path: Path) -> None:
    shared = str(tmp_path / "shared-cache")
    other = tmp_path / "other"
    (other / "scripts").mkdir(parents=True)
    (other / "scripts" / "a.py").write_text(FIXABLE.replace("starting", "other"))
    project.write("scripts/a.py", FIXABLE)
    first = run_check(project.root, "--cache-dir", shared)
    run_check(other, "--cache-dir", shared)
    again = run_check(project.root, "--cache-dir", shared, "-v")
    assert from_cache(again) == "1 unchanged file from the cache, 0 analysed"
    assert again.stdout == first.stdout and "SCR105" in first.stdout
    assert not (project.root / ".scriptcontract_cache").exists()


READS_MODE = (
    "import json, sys\n"
    "try:\n"
    "    inputs = json.loads(sys.stdin.read() or '{}')\n"
    "    print(json.dumps({'success': True, 'mode': inputs['mode'], 'n': inputs.get('n', 1)}))\n"
    "except KeyError as exc:\n"
    "    print(json.dumps({'success': False, 'error': str(exc)}))\n"
    "    sys.exit(1)\n"
)
LISTS_N = '{"type": "object", "properties": {"n": {"type": "integer"}}}'
LISTS_BOTH = '{"type": "object", "properties": {"n": {}, "mode": {"enum": ["a", "b"]}}}'


def test_the_declared_schema_beside_a_script_decides_its_findings_and_its_cache_entry(
    project: Project,
) -> None:
    project.write("scripts/job.py", READS_MODE)
    undeclared = run_check(project.root, "-v", "scripts/job.py")
    assert "SCR107" not in undeclared.stdout, "no declared schema: nothing to disagree with"
    schema = project.write("scripts/job.schema.json", LISTS_N)
    appeared = run_check(project.root, "-v", "scripts/job.py")
    assert from_cache(appeared) == "0 unchanged files from the cache, 1 analysed"
    assert "scripts/job.py:4:" in appeared.stdout
    assert "SCR107 the input key `mode` is read here, but `job.schema.json`" in appeared.stdout
    unchanged = run_check(project.root, "-v", "scripts/job.py")
    assert from_cache(unchanged) == "1 unchanged file from the cache, 0 analysed"
    assert "SCR107" in unchanged.stdout
    schema.write_text(LISTS_BOTH)
    changed = run_check(project.root, "-v", "scripts/job.py")
    assert from_cache(changed) == "0 unchanged files from the cache, 1 analysed"
    assert "SCR107" not in changed.stdout
    schema.write_text(LISTS_N)
    run_check(project.root, "scripts/job.py")
    schema.unlink()
    gone = run_check(project.root, "-v", "scripts/job.py")
    assert from_cache(gone) == "0 unchanged files from the cache, 1 analysed"
    assert "SCR107" not in gone.stdout
