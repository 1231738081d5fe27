"""`check`'s formats for CI systems, in the shapes those systems read, with the paths they
resolve: relative to the checkout, even when the check runs in a subfolder of it."""

from __future__ import annotations

import json
import re

from tests.cli.runner import run_check
from tests.conftest import Project

# SCR105 (an error, with a safe fix) at 2:1 and SCR101 (a warning) at 1:1.
STRAY = 'import sys\nprint("a")\n'


def test_azure_pipelines_logging_commands(project: Project) -> None:
    project.write("scripts/odd;name].py", STRAY)
    done = run_check(project.root, "--output-format", "azure")
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "##vso[task.logissue type=warning;sourcepath=scripts/odd%3Bname%5D.py;linenumber=1;"
        "columnnumber=1;code=SCR101;]the script never reads its inputs from stdin",
        "##vso[task.logissue type=error;sourcepath=scripts/odd%3Bname%5D.py;linenumber=2;"
        "columnnumber=1;code=SCR105;]text written to stdout breaks the JSON output: "
        "send it to stderr",
    ]


def test_pylint_lines(project: Project) -> None:
    project.write("scripts/job.py", STRAY)
    done = run_check(project.root, "--output-format", "pylint", "--select", "SCR105")
    assert done.stdout == (
        "scripts/job.py:2: [SCR105] text written to stdout breaks the JSON output: "
        "send it to stderr\n"
    )


def test_grouped_names_each_file_once_as_ruff_does(project: Project) -> None:
    project.write("scripts/job.py", STRAY)
    project.write("scripts/other.py", STRAY)
    done = run_check(project.root, "--output-format", "grouped")
    assert done.returncode == 1
    block = [
        "  1:1 SCR101 the script never reads its inputs from stdin",
        "  2:1 SCR105 [*] text written to stdout breaks the JSON output: send it to stderr",
    ]
    assert done.stdout.splitlines() == [
        "scripts/job.py:",
        *block,
        "",
        "scripts/other.py:",
        *block,
    ]


def test_json_lines_hold_the_objects_json_lists(project: Project) -> None:
    project.write("scripts/job.py", STRAY)
    listed = json.loads(run_check(project.root, "--output-format", "json").stdout)
    lines = run_check(project.root, "--output-format", "json-lines").stdout.splitlines()
    assert len(lines) == 2
    assert [json.loads(line) for line in lines] == listed


def test_rdjson_for_reviewdog(project: Project) -> None:
    project.write("scripts/job.py", STRAY)
    log = json.loads(run_check(project.root, "--output-format", "rdjson").stdout)
    assert log["source"]["name"] == "scriptcontract"
    by_code = {d["code"]["value"]: d for d in log["diagnostics"]}
    assert set(by_code) == {"SCR101", "SCR105"}
    stray = by_code["SCR105"]
    assert stray["severity"] == "ERROR" and by_code["SCR101"]["severity"] == "WARNING"
    assert stray["location"] == {
        "path": "scripts/job.py",
        "range": {"start": {"line": 2, "column": 1}, "end": {"line": 2, "column": 11}},
    }
    assert stray["code"]["url"].endswith("/docs/rules/SCR105.md")
    assert stray["suggestions"] == [
        {
            "range": {"start": {"line": 2, "column": 10}, "end": {"line": 2, "column": 10}},
            "text": ", file=sys.stderr",
        }
    ]
    assert "suggestions" not in by_code["SCR101"]


def test_github_and_sarif_paths_are_relative_to_the_workspace(project: Project) -> None:
    # The repository is the project's parent; the check runs in the project, a subfolder.
    project.write("scripts/job.py", STRAY)
    workspace = {"GITHUB_WORKSPACE": str(project.root.parent)}
    github = run_check(project.root, "--output-format", "github", env=workspace)
    files = set(re.findall(r"file=([^,]+),", github.stdout))
    assert files == {"project/scripts/job.py"}
    sarif = json.loads(run_check(project.root, "--output-format", "sarif", env=workspace).stdout)
    uris = {
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in sarif["runs"][0]["results"]
        for location in result["locations"]
    }
    assert uris == {"project/scripts/job.py"}
    # The positive control: without the variable, the paths are the working directory's.
    plain = run_check(project.root, "--output-format", "github", env={"GITHUB_WORKSPACE": ""})
    assert set(re.findall(r"file=([^,]+),", plain.stdout)) == {"scripts/job.py"}


def test_gitlab_and_azure_paths_are_relative_to_the_checkout(project: Project) -> None:
    project.write("scripts/job.py", STRAY)
    checkout = str(project.root.parent)
    gitlab = run_check(
        project.root / "scripts",
        "--output-format",
        "gitlab",
        "job.py",
        env={"CI_PROJECT_DIR": checkout},
    )
    assert {issue["location"]["path"] for issue in json.loads(gitlab.stdout)} == {
        "project/scripts/job.py"
    }
    azure = run_check(
        project.root, "--output-format", "azure", env={"BUILD_SOURCESDIRECTORY": checkout}
    )
    assert set(re.findall(r"sourcepath=([^;]+);", azure.stdout)) == {"project/scripts/job.py"}


def test_a_file_outside_the_checkout_keeps_its_path(project: Project) -> None:
    project.write("scripts/job.py", STRAY)
    elsewhere = str(project.root / "scripts" / "nested")
    done = run_check(project.root, "--output-format", "github", env={"GITHUB_WORKSPACE": elsewhere})
    assert set(re.findall(r"file=([^,]+),", done.stdout)) == {"scripts/job.py"}
