"""What a project's files and a run's output carry reaches CI's log shown, never obeyed.

CI runs `scriptcontract check` and `scriptcontract test` on a checkout a pull request wrote,
and the runner reading their output acts on commands in it: Azure Pipelines' agent on
`##vso[` anywhere in a line (`task.prependpath`, `task.setvariable`: what the later steps
of the pipeline run, outside every sandbox), GitHub's runner on `##[` anywhere in a line and
on a line opening with `::` after blanks (`::add-mask::`, `::stop-commands::`, annotations
of the attacker's choosing). A confined run's stderr or output shown by `test`, an input key
quoted by a finding of `check`: each carried them into the log (the fourteenth red team).
Each test first shows the commands did reach the report (the positive control: the JSON
report, decoded, holds them, and `_obeyed` finds them there), then that no line of the
output is one a runner obeys, but the commands scriptcontract's CI formats write on purpose.
"""

from __future__ import annotations

import io
import json
import re
from xml.etree import ElementTree

import pytest

from scriptcontract.shown_values import printed_stream, write_commands
from tests.cli.runner import scriptcontract
from tests.conftest import Project

PREPEND = "##vso[task.prependpath]/tmp/evil"
SET_VARIABLE = "##vso[task.setvariable variable=BASH_ENV]/tmp/evil.sh"
LEGACY = "##[add-mask]t0k"
TEAMCITY = "##teamcity[setParameter name='env.PATH' value='/tmp/evil']"
STOP = "::stop-commands::t0k"
FORGED = "::error file=scripts/job.py,line=1::all good"

LOUD = f"""
import json, sys
sys.stdin.read()
sys.stderr.write({PREPEND!r} + "\\n" + {LEGACY!r} + "\\n" + {STOP!r} + "\\n  " + {FORGED!r} + "\\n")
sys.stderr.write("x " + {TEAMCITY!r} + "\\n")
print(json.dumps({{"success": True, "value": {SET_VARIABLE!r}}}))
"""


def _obeyed(text: str) -> list[str]:
    """The commands a CI runner finds in `text`, as Azure's agent and GitHub's runner read
    lines (a carriage return ends one too)."""
    found = []
    for line in re.split("\r\n|\r|\n", text):
        found += re.findall(r"##(?:vso|teamcity)?\[[^\]]*\]", line)
        if line.lstrip().startswith("::"):
            found.append(line.lstrip()[: line.lstrip().index("::", 2) + 2])
    return found


def test_test_reports_show_what_a_run_printed_for_ci_runners_instead_of_sending_it(
    project: Project,
) -> None:
    project.write("scriptcontract.toml", 'include = ["scripts/**/*.py"]\n')
    project.write("scripts/loud.py", LOUD)
    project.write(
        "scripts/loud.cases.json",
        '{"cases": [{"name": "c", "expect": {"output": {"success": true}}}]}\n',
    )
    as_json = scriptcontract("test", "scripts", "--format", "json", cwd=project.root)
    (case,) = json.loads(as_json.stdout)["files"][0]["cases"]
    # The positive control: the confined run's stderr and output, which the report carries,
    # are commands a runner obeys when printed as they are.
    shown = "\n".join([*case["stderr_tail"], case["output"]["value"]])
    assert _obeyed(shown) == [
        "##vso[task.prependpath]",
        "##[add-mask]",
        "::stop-commands::",
        "::error file=scripts/job.py,line=1::",
        "##teamcity[setParameter name='env.PATH' value='/tmp/evil']",
        "##vso[task.setvariable variable=BASH_ENV]",
    ]
    assert _obeyed(as_json.stdout + as_json.stderr) == []

    for fmt in ("text", "junit", "github"):
        done = scriptcontract("test", "scripts", "--format", fmt, cwd=project.root)
        assert done.returncode == 1, (fmt, done.stderr)
        own = ["::error file=scripts/loud.cases.json,line=1,col=47,title=loud.py%3A c::"]
        assert _obeyed(done.stdout + done.stderr) == (own if fmt == "github" else []), fmt
        # Shown: the markers are there, as text.
        assert "##vso\\u005btask.prependpath]/tmp/evil" in done.stdout, (fmt, done.stdout)
        if fmt == "junit":
            ElementTree.fromstring(done.stdout)


# Input keys a pull request wrote into a script, which SCR107 quotes: one drives Azure's
# agent, the other opens lines of its own for GitHub's runner.
SPLIT = "x\n" + STOP + "\n  " + FORGED
KEYS = f"""
import json
import sys
from typing import TypedDict


class Inputs(TypedDict):
    name: str


inputs: Inputs = json.load(sys.stdin)
print(inputs["name"], inputs[{PREPEND!r}], inputs[{SPLIT!r}])
"""
CHECK_FORMATS = [
    "concise",
    "full",
    "pylint",
    "junit",
    "github",
    "azure",
    "json",
    "json-lines",
    "sarif",
    "gitlab",
    "rdjson",
    "grouped",
]


@pytest.mark.parametrize("fmt", CHECK_FORMATS)
def test_check_shows_input_keys_a_project_wrote_for_ci_runners_instead_of_sending_them(
    project: Project, fmt: str
) -> None:
    project.write("scripts/keys.py", KEYS)
    as_json = scriptcontract("check", "scripts", "--output-format", "json", cwd=project.root)
    messages = [f["message"] for f in json.loads(as_json.stdout) if f["code"] == "SCR107"]
    # The positive control: the findings quote the keys, commands a runner obeys as they are.
    assert _obeyed("\n".join(messages)) == [
        "##vso[task.prependpath]",
        "::stop-commands::",
        "::error file=scripts/job.py,line=1::",
    ]

    done = scriptcontract("check", "scripts", "--output-format", fmt, cwd=project.root)
    assert done.returncode == 1, done.stderr
    obeyed = _obeyed(done.stdout + done.stderr)
    if fmt == "github":
        # Only its own annotations, one a line, each opening it.
        assert obeyed and all(re.fullmatch("::(notice|warning|error) .*::", c) for c in obeyed)
        assert len(obeyed) == len(done.stdout.splitlines())
    elif fmt == "azure":
        assert obeyed and all(c.startswith("##vso[task.logissue type=") for c in obeyed)
        assert len(obeyed) == len(done.stdout.splitlines())
    else:
        assert obeyed == []
    if fmt in ("concise", "pylint"):
        # One line a finding: the key's newlines do not open lines of its choosing.
        assert len(done.stdout.splitlines()) == len(json.loads(as_json.stdout)), done.stdout
    if fmt == "grouped":
        # One line a finding below its file's name.
        found = [line for line in done.stdout.splitlines() if line.startswith("  ")]
        assert len(found) == len(json.loads(as_json.stdout)), done.stdout
    if fmt in ("json", "sarif", "gitlab", "rdjson"):
        # JSON stays the same JSON: the marker is written as its JSON escape.
        assert PREPEND in json.dumps(json.loads(done.stdout), ensure_ascii=False)
    elif fmt == "junit":
        ElementTree.fromstring(done.stdout)


def test_the_gate_finds_markers_split_across_writes_and_passes_only_its_own_commands() -> None:
    written = io.StringIO()
    gate = printed_stream(written)
    pieces = ("a #", "#vs", "o[x] ##", "[y] ##team", "city[z]\n", "  ", ":", ":stop::\n", "x ::y\n")
    for piece in pieces:
        gate.write(piece)
    write_commands(gate, "::error file=a.py::##vso[z]\n##vso[task.logissue type=error;]::\n")
    gate.write(json.dumps({"v": "##vso[a]"}) + "\n")
    out = written.getvalue()
    assert out == (
        "a ##vso\\u005bx] ##\\u005by] ##teamcity\\u005bz]\n"
        "  :\\u003astop::\n"
        "x ::y\n"
        "::error file=a.py::##vso\\u005bz]\n"
        "##vso[task.logissue type=error;]::\n"
        '{"v": "##vso\\u005ba]"}\n'
    )
    assert json.loads(out.splitlines()[-1]) == {"v": "##vso[a]"}
    # Commands are passed only where a line opens, and only through `write_commands`.
    gate.write("::warning::x\n")
    gate.write("x ")
    write_commands(gate, "##vso[task.logissue type=error;]y\n")
    assert written.getvalue().endswith(
        ":\\u003awarning::x\nx ##vso\\u005btask.logissue type=error;]y\n"
    )
    assert _obeyed(written.getvalue()) == [
        "::error file=a.py::",
        "##vso[task.logissue type=error;]",
    ]


def test_check_fix_gives_its_stdin_back_as_it_is(project: Project) -> None:
    """`check --fix -` returns the caller's own text, fixed: a program, not a message. The
    gate would make `b"##vso["` another bytes value."""
    source = 'import json\nimport sys\n\nX = b"##vso[x]"\nraw = sys.stdin.read()\n'
    source += 'print("starting")\n'
    done = scriptcontract("check", "--fix", "-", stdin=source, cwd=project.root)
    assert done.stdout == source.replace('"starting")', '"starting", file=sys.stderr)')
