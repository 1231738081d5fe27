"""`scriptcontract check`: which files, output formats, exit codes, configuration errors."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.cli.runner import run_check
from tests.conftest import EXAMPLES, Project

GOOD = """\
import json
import sys

if __name__ == "__main__":
    raw = sys.stdin.read()
    inputs = json.loads(raw) if raw.strip() else {}
    try:
        print(json.dumps({"success": True, "n": len(inputs)}))
    except Exception as exc:
        print(json.dumps({"success": False, "error": str(exc)}))
        sys.exit(1)
"""
STRAY = GOOD.replace("    try:\n", '    print("starting")\n    try:\n')


def test_clean_project_exits_0(project: Project) -> None:
    project.write("scripts/good.py", GOOD)
    result = run_check(project.root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "1 script checked, no findings" in result.stderr


def test_findings_in_text_format_are_clickable_and_exit_1(project: Project) -> None:
    project.write("scripts/stray.py", STRAY)
    result = run_check(project.root)
    assert result.returncode == 1
    assert result.stdout == (
        "scripts/stray.py:7:5: SCR105 [*] text written to stdout breaks the JSON output: "
        "send it to stderr\n"
    )
    assert "1 fixable with --fix" in result.stderr


def test_exit_zero(project: Project) -> None:
    project.write("scripts/stray.py", STRAY)
    result = run_check(project.root, "--exit-zero")
    assert result.returncode == 0 and "SCR105" in result.stdout


def test_only_workflow_scripts_are_checked(project: Project) -> None:
    project.write("scripts/stray.py", STRAY)
    project.write("lib/helper.py", STRAY)
    project.write("tools/opted_in.py", "# scriptcontract: script\n" + STRAY)
    project.write("scripts/opted_out.py", "# scriptcontract: skip-file\n" + STRAY)
    result = run_check(project.root)
    assert result.returncode == 1, result.stderr
    paths = {line.split(":")[0] for line in result.stdout.splitlines()}
    assert paths == {"scripts/stray.py", "tools/opted_in.py"}
    judged = run_check(project.root, "--force-exclude", "lib/helper.py")
    assert judged.returncode == 0 and judged.stdout == ""
    assert "no workflow scripts checked" in judged.stderr
    assert '1 file not matched by include = ["scripts/**/*.py"]: lib/helper.py' in judged.stderr
    assert "name it (scriptcontract check FILE)" in judged.stderr
    assert "remove the marker" not in judged.stderr  # no file of this run is marked


def test_a_file_named_on_the_command_line_is_always_checked(tmp_path: Path) -> None:
    # A fresh folder: no configuration, the file is nowhere near scripts/.
    (tmp_path / "myscript.py").write_text(STRAY, encoding="utf-8")
    named = run_check(tmp_path, "myscript.py")
    assert named.returncode == 1, named.stderr
    assert named.stdout.startswith("myscript.py:7:5: SCR105")
    walked = run_check(tmp_path)
    assert walked.returncode == 0 and walked.stdout == ""
    assert "no workflow scripts checked" in walked.stderr
    assert "1 file not matched by include" in walked.stderr
    marked = "# scriptcontract: skip-file\n" + STRAY
    (tmp_path / "myscript.py").write_text(marked, encoding="utf-8")
    opted_out = run_check(tmp_path, "myscript.py")
    assert opted_out.returncode == 0
    assert "1 file marked `# scriptcontract: skip-file`: myscript.py" in opted_out.stderr
    # The advice fits the reason: naming the file (done) or opting in cannot beat the marker.
    assert "remove the marker to check it" in opted_out.stderr, opted_out.stderr
    assert "name it" not in opted_out.stderr and "add it to `include`" not in opted_out.stderr


def test_include_and_exclude_from_the_project_configuration(project: Project) -> None:
    project.write("pyproject.toml", '[tool.scriptcontract]\ninclude = ["jobs/*.py"]\n')
    project.write("jobs/a.py", STRAY)
    project.write("scripts/b.py", STRAY)
    result = run_check(project.root)
    assert result.returncode == 1, result.stderr
    assert {line.split(":")[0] for line in result.stdout.splitlines()} == {"jobs/a.py"}


def test_default_path_is_the_project_of_the_working_directory(project: Project) -> None:
    project.write("pyproject.toml", "[tool.scriptcontract]\n")
    project.write("scripts/stray.py", STRAY)
    (project.root / "scripts" / "sub").mkdir()
    result = run_check(project.root / "scripts" / "sub")
    assert result.returncode == 1
    assert str(project.root / "scripts" / "stray.py") in result.stdout


def test_json_format(project: Project) -> None:
    project.write("scripts/stray.py", STRAY)
    result = run_check(project.root, "--format", "json")
    assert result.returncode == 1
    items = json.loads(result.stdout)
    assert len(items) == 1
    item = items[0]
    assert (item["path"], item["code"], item["name"]) == (
        "scripts/stray.py",
        "SCR105",
        "stray-stdout-output",
    )
    assert (item["line"], item["column"], item["end_line"], item["end_column"]) == (7, 5, 7, 22)
    assert item["severity"] == "error" and item["url"].endswith("/docs/rules/SCR105.md")
    edit = item["fixes"][0]["edits"][0]
    assert item["fixes"][0]["safe"] and edit["new_text"] == ", file=sys.stderr"


def test_sarif_format_has_the_required_fields(project: Project) -> None:
    project.write("scripts/stray.py", STRAY)
    project.write("scripts/loop.py", "import sys\nwhile True:\n    pass\n")
    result = run_check(project.root, "--format", "sarif")
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "scriptcontract" and driver["rules"]
    assert run["columnKind"] == "unicodeCodePoints"
    assert len(run["results"]) >= 2
    for res in run["results"]:
        assert res["message"]["text"]
        assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] in ("error", "warning", "note")
        location = res["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"].startswith("scripts/")
        assert location["region"]["startLine"] >= 1 and location["region"]["startColumn"] >= 1
    for rule in driver["rules"]:
        assert rule["id"] and rule["shortDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")


def test_github_annotations(project: Project) -> None:
    project.write("scripts/stray.py", STRAY)
    result = run_check(project.root, "--format", "github")
    assert result.stdout == (
        "::error file=scripts/stray.py,line=7,col=5,endLine=7,endColumn=22,"
        "title=SCR105 stray-stdout-output::text written to stdout breaks the JSON output: "
        "send it to stderr\n"
    )


def test_select_ignore_and_statistics(project: Project) -> None:
    project.write("scripts/stray.py", STRAY)
    project.write("scripts/loop.py", "import sys\nwhile True:\n    pass\n")
    ignored = run_check(project.root, "--ignore", "SCR105,SCR4", "--ignore", "SCR1")
    # Absent because ignored, not because the check failed before it printed anything.
    assert ignored.returncode == 0, ignored.stdout + ignored.stderr
    assert ignored.stdout == "" and "2 scripts checked, no findings" in ignored.stderr
    selected = run_check(project.root, "--select", "SCR404")
    assert selected.returncode == 1, selected.stderr
    assert {line.split(" ")[1] for line in selected.stdout.splitlines()} == {"SCR404"}
    stats = run_check(project.root, "--statistics")
    assert stats.returncode == 1
    rows = dict(line.split()[1:3][::-1] for line in stats.stdout.splitlines())
    assert rows["stray-stdout-output"] == "SCR105" and rows["endless-loop"] == "SCR404"
    assert "SCR105  stray-stdout-output [*]" in stats.stdout


def test_configuration_errors_exit_2_naming_file_and_key(project: Project) -> None:
    project.write("pyproject.toml", '[tool.scriptcontract]\ntarget-version = "3"\nbogus = 1\n')
    project.write("scripts/good.py", GOOD)
    result = run_check(project.root)
    assert result.returncode == 2
    assert "pyproject.toml: [tool.scriptcontract] target-version" in result.stderr
    assert "pyproject.toml: [tool.scriptcontract] bogus: unknown key" in result.stderr
    assert "Traceback" not in result.stderr
    assert "bogus: unknown key\n" in result.stderr  # nothing alike to suggest


@pytest.mark.parametrize(
    ("file", "text", "said"),
    [
        (
            "scriptcontract.toml",
            '[executor]\ninput-path-keys = "src"\n',
            "[executor] input-path-keys: unknown key (it belongs at the top level)",
        ),
        (
            "pyproject.toml",
            "[tool.scriptcontract.executor]\nnetwork = false\n",
            "[tool.scriptcontract.executor] network: unknown key "
            "(it belongs in [tool.scriptcontract.sandbox])",
        ),
        (
            "scriptcontract.toml",
            "[sandbox]\nnework = false\n",
            "[sandbox] nework: unknown key (did you mean network?)",
        ),
        ("scriptcontract.toml", 'selct = ["ALL"]\n', "selct: unknown key (did you mean select?)"),
    ],
    ids=["top-level-key-in-a-table", "key-of-another-table", "typo-in-a-table", "typo-at-top"],
)
def test_an_unknown_key_says_where_it_belongs_or_what_it_was_meant_to_be(
    project: Project, file: str, text: str, said: str
) -> None:
    project.write(file, text)
    project.write("scripts/good.py", GOOD)
    result = run_check(project.root)
    assert result.returncode == 2
    assert f"{file}: {said}\n" in result.stderr, result.stderr


def test_a_huge_wrong_value_or_number_in_the_configuration_makes_a_short_message(
    project: Project,
) -> None:
    project.write("scripts/good.py", GOOD)
    long_key = "k" * 50_000
    nested = "[" * 400 + "]" * 400
    project.write(
        "scriptcontract.toml",
        f'output = "{"x" * 200_000}"\nexit-codes = {nested}\n{long_key} = 1\n',
    )
    wrong = run_check(project.root)
    assert wrong.returncode == 2, wrong.stderr
    lines = wrong.stderr.splitlines()
    output = next(line for line in lines if "] output:" in line or " output:" in line)
    assert "Input should be 'object' or 'json-lines' (got 'xxxxx" in output
    assert "xxx...xxx" in output and len(output) < 300, len(output)
    assert any(" exit-codes.0:" in line and "[[[[" in line and len(line) < 300 for line in lines)
    assert any("unknown key" in line and "kkk…" in line and len(line) < 300 for line in lines)
    assert len(wrong.stderr) < 2_000, len(wrong.stderr)
    # The positive control for the first three: a short wrong value is shown whole.
    project.write("scriptcontract.toml", 'output = "xml"\n')
    short = run_check(project.root)
    assert "output: Input should be 'object' or 'json-lines' (got 'xml')" in short.stderr
    # tomllib lets int()'s refusal of a 5,000-digit number through as a ValueError.
    project.write("scriptcontract.toml", f"timeout-ms = {'9' * 5_000}\n")
    huge = run_check(project.root)
    assert huge.returncode == 2
    assert "scriptcontract.toml: invalid TOML: a number too long to read" in huge.stderr
    assert "Traceback" not in wrong.stderr + huge.stderr


def test_check_follows_the_projects_own_modules(project: Project) -> None:
    project.write("pyproject.toml", "[tool.scriptcontract]\n")
    project.write(
        "scripts/io_helpers.py",
        "import json, sys\n"
        "def read_inputs():\n    return json.loads(sys.stdin.read() or '{}')\n"
        "def emit(result):\n    print(json.dumps(result))\n",
    )
    project.write(
        "scripts/job.py",
        "import sys\nfrom io_helpers import emit, read_inputs\n"
        "if __name__ == '__main__':\n"
        "    try:\n        emit({'success': True, 'n': len(read_inputs())})\n"
        "    except Exception as exc:\n"
        "        emit({'success': False, 'error': str(exc)})\n        sys.exit(1)\n",
    )
    project.write(
        "scripts/other.py",
        "import vendor_sdk\nif __name__ == '__main__':\n    vendor_sdk.run()\n",
    )
    result = run_check(project.root, "--select", "SCR101,SCR104,SCR202")
    lines = sorted(
        line.split(" ")[1] + " " + line.split(":")[0] for line in result.stdout.splitlines()
    )
    # The helper is a module (no findings of its own), job.py is proven to read and write
    # through it, other.py's vendor module proves nothing.
    assert lines == ["SCR101 scripts/other.py", "SCR104 scripts/other.py"], result.stdout


def test_the_projects_own_contract_is_read_and_checked(project: Project) -> None:
    hook = (
        "import json, sys\n"
        "payload = json.loads(sys.stdin.read() or '{}')\n"
        "if payload.get('block'):\n"
        "    print('blocked', file=sys.stderr)\n"
        "    sys.exit(2)\n"
        "for key in payload:\n"
        "    print(json.dumps({'key': key}))\n"
    )
    project.write("scripts/hook.py", hook)
    project.write("pyproject.toml", "[tool.scriptcontract]\nignore = ['SCR202', 'SCR207']\n")
    default = run_check(project.root)
    assert default.returncode == 1
    assert "SCR201 exit code 2: workflow scripts exit 0 on success and 1 on error" in default.stdout
    assert "SCR106" in default.stdout
    project.write(
        "pyproject.toml",
        "[tool.scriptcontract]\nignore = ['SCR202', 'SCR207']\n"
        'exit-codes = [0, 1, 2]\noutput = "json-lines"\n',
    )
    own = run_check(project.root)
    assert (own.returncode, own.stdout) == (0, ""), own.stdout
    project.write("pyproject.toml", '[tool.scriptcontract]\nexit-codes = [1, 2]\noutput = "xml"\n')
    wrong = run_check(project.root)
    assert wrong.returncode == 2
    assert "[tool.scriptcontract] exit-codes: Value error, must include 0" in wrong.stderr
    assert "[tool.scriptcontract] output: Input should be 'object' or 'json-lines'" in wrong.stderr
    assert "Traceback" not in wrong.stderr


def test_invalid_toml_and_unknown_codes_and_missing_paths_exit_2(project: Project) -> None:
    project.write("scripts/good.py", GOOD)
    (project.root / "scriptcontract.toml").write_text("include = [\n")
    broken = run_check(project.root)
    assert broken.returncode == 2 and "scriptcontract.toml: invalid TOML" in broken.stderr
    (project.root / "scriptcontract.toml").write_text('ignore = ["SCR1O5"]\n')
    typo = run_check(project.root)
    assert typo.returncode == 2 and "unknown rule code or prefix: SCR1O5" in typo.stderr
    (project.root / "scriptcontract.toml").write_text("")
    assert run_check(project.root, "--select", "XYZ").returncode == 2
    missing = run_check(project.root, "nowhere.py")
    assert missing.returncode == 2 and "no such file or directory: nowhere.py" in missing.stderr


def test_usage_error_exits_2(project: Project) -> None:
    result = run_check(project.root, "--format", "xml")
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_examples_project(examples: Path) -> None:
    result = run_check(examples)
    assert result.returncode == 1
    flagged = {line.split(":")[0] for line in result.stdout.splitlines()}
    assert flagged == {
        "scripts/broken_debug_print.py",
        "scripts/broken_endless.py",
        "scripts/broken_exit_codes.py",
        "scripts/broken_no_error_handling.py",
        "scripts/broken_system_file.py",
    }


def test_many_files_in_parallel_and_one_unreadable_file(project: Project) -> None:
    for number in range(40):
        project.write(f"scripts/batch/job_{number:02}.py", STRAY if number % 2 else GOOD)
    (project.root / "scripts" / "batch" / "bad_bytes.py").write_bytes(b"print('\xff\xfe')\n")
    result = run_check(project.root, "--jobs", "2", "--format", "json")
    assert result.returncode == 1
    items = json.loads(result.stdout)
    by_code: dict[str, set[str]] = {}
    for item in items:
        by_code.setdefault(item["code"], set()).add(item["path"])
    assert len(by_code["SCR105"]) == 20
    assert by_code["SCR003"] == {"scripts/batch/bad_bytes.py"}
    serial = run_check(project.root, "--jobs", "1", "--format", "json")
    assert json.loads(serial.stdout) == items


def test_symlinked_tree_and_copies_are_checked_by_path(project: Project, tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "scripts", project.root / "scripts" / "copied")
    shutil.copytree(EXAMPLES / "scripts", tmp_path / "shared")
    (project.root / "scripts" / "linked").symlink_to(tmp_path / "shared", target_is_directory=True)
    result = run_check(project.root, "scripts/copied", "scripts/linked")
    assert result.returncode == 1, result.stderr
    # Each under the path it was given by, the link's own for the linked tree.
    assert "scripts/copied/broken_endless.py:9:1: SCR404" in result.stdout
    assert "scripts/linked/broken_endless.py:9:1: SCR404" in result.stdout
    assert str(tmp_path / "shared") not in result.stdout


# Imported at interpreter start-up through PYTHONPATH: the check workers (forked) inherit it.
# Nothing in a file's text kills CPython's parser here (it raises MemoryError or SyntaxError),
# so this stands in for what does kill workers: the kernel's OOM killer, a crash in C code.
KILLER_SITECUSTOMIZE = """
import os, signal
from scriptcontract.check import runner

_check_file = runner.check_file


def check_file(target, *args, **kwargs):
    if target.shown.endswith("killer.py"):
        os.kill(os.getpid(), signal.SIGKILL)
    return _check_file(target, *args, **kwargs)


runner.check_file = check_file
"""


def test_a_file_that_kills_its_worker_is_reported_and_the_others_are_checked(
    project: Project, tmp_path: Path
) -> None:
    for number in range(40):
        project.write(f"scripts/batch/job_{number:02}.py", STRAY if number % 2 else GOOD)
    project.write("scripts/batch/killer.py", GOOD)
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(KILLER_SITECUSTOMIZE, encoding="utf-8")
    result = run_check(
        project.root, "--jobs", "2", "--format", "json", env={**os.environ, "PYTHONPATH": str(hook)}
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    items = json.loads(result.stdout)
    stray = {item["path"] for item in items if item["code"] == "SCR105"}
    assert len(stray) == 20  # every file the dead workers held was checked again
    (died,) = [item for item in items if item["path"] == "scripts/batch/killer.py"]
    assert died["code"] == "SCR002"
    assert "worker process died" in died["message"]


def test_fifos_and_symlinks_out_of_the_project_are_never_opened(
    project: Project, tmp_path: Path
) -> None:
    # A run may leave both behind: a FIFO would hang `check` for good, a link out would
    # have it read (and quote) a file of someone else's.
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.py").write_text(STRAY)
    os.mkfifo(project.root / "scripts" / "pipe.py")
    (project.root / "scripts" / "linked.py").symlink_to(tmp_path / "outside" / "secret.py")
    project.write("scripts/stray.py", STRAY)
    (project.root / "scripts" / "alias.py").symlink_to("stray.py")  # inside: checked
    result = run_check(project.root)
    flagged = sorted(line.split(":")[0] for line in result.stdout.splitlines())
    assert flagged == ["scripts/alias.py", "scripts/stray.py"], result.stdout + result.stderr
    # The positive control: the same file, as a regular file of the project, is checked.
    (project.root / "scripts" / "linked.py").unlink()
    shutil.copy(tmp_path / "outside" / "secret.py", project.root / "scripts" / "linked.py")
    assert "scripts/linked.py:7:5: SCR105" in run_check(project.root).stdout
