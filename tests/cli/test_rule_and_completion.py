"""`scriptcontract rule` (a rule's page, offline) and `scriptcontract completion SHELL`."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli.runner import scriptcontract
from tests.conftest import REPO


def test_rule_prints_the_page_of_the_docs() -> None:
    done = scriptcontract("rule", "SCR105")
    assert done.returncode == 0, done.stderr
    page = (REPO / "docs" / "rules" / "SCR105.md").read_text(encoding="utf-8")
    assert page.endswith(done.stdout)
    assert done.stdout.startswith("# SCR105 `stray-stdout-output`")
    by_name = scriptcontract("rule", "stray-stdout-output")
    assert by_name.stdout == done.stdout == scriptcontract("rule", "scr105").stdout


def test_rule_all_and_json() -> None:
    every = scriptcontract("rule", "--all")
    pages = sorted(p.stem for p in (REPO / "docs" / "rules").glob("SCR*.md"))
    assert [line.split()[1] for line in every.stdout.splitlines() if line.startswith("# SCR")] == (
        pages
    )
    meta = json.loads(scriptcontract("rule", "SCR401", "--output-format", "json").stdout)
    assert meta["code"] == "SCR401" and meta["fixable"] is True
    assert meta["url"].endswith("/docs/rules/SCR401.md")


@pytest.mark.parametrize("args", [["NOPE1"], []])
def test_rule_usage_errors_exit_2(args: list[str]) -> None:
    done = scriptcontract("rule", *args)
    assert done.returncode == 2 and "Traceback" not in done.stderr


def _complete_in_bash(script: str, line: str) -> list[str]:
    words = line.split(" ")
    program = (
        f"{script}\n"
        f"COMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; "
        f"COMP_LINE='{line}'; COMP_POINT={len(line)}\n"
        "_shtab_scriptcontract scriptcontract\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(
        ["bash", "--norc", "--noprofile"],
        input=program,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_bash_completion_completes_commands_flags_and_choices() -> None:
    script = scriptcontract("completion", "bash").stdout
    assert _complete_in_bash(script, "scriptcontract ch") == ["check"]
    assert "--force-exclude" in _complete_in_bash(script, "scriptcontract check --fo")
    assert _complete_in_bash(script, "scriptcontract check --output-format j") == [
        "json",
        "json-lines",
        "junit",
    ]


@pytest.mark.parametrize(
    ("shell", "check"),
    [
        pytest.param(
            "zsh",
            ["zsh", "-n"],
            marks=pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh not installed"),
        ),
        pytest.param(
            "fish",
            ["fish", "--no-execute"],
            marks=pytest.mark.skipif(shutil.which("fish") is None, reason="fish not installed"),
        ),
    ],
)
def test_zsh_and_fish_scripts_are_valid_for_their_shell(
    shell: str, check: list[str], tmp_path: Path
) -> None:
    done = scriptcontract("completion", shell)
    assert done.returncode == 0 and "force-exclude" in done.stdout
    script = tmp_path / f"scriptcontract.{shell}"
    script.write_text(done.stdout, encoding="utf-8")
    parsed = subprocess.run(
        [*check, str(script)], capture_output=True, text=True, timeout=30, check=False
    )
    assert parsed.returncode == 0, parsed.stderr


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish not installed")
def test_fish_completes_the_commands(tmp_path: Path) -> None:
    script = tmp_path / "scriptcontract.fish"
    script.write_text(scriptcontract("completion", "fish").stdout, encoding="utf-8")
    done = subprocess.run(
        ["fish", "--no-config", "-c", f"source {script}; complete -C 'scriptcontract ch'"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.stdout.split("\t")[0].strip() == "check", done.stdout + done.stderr
