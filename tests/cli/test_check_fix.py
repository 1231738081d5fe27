"""`scriptcontract check --fix`: safe fixes only, files that stay valid, nothing lost."""

from __future__ import annotations

import ast
import os
import resource
import signal
from pathlib import Path

import pytest

from scriptcontract.check.fixer import FileChanged, write_atomically
from tests.cli.runner import run_check
from tests.conftest import Project

BROKEN = """\
\"\"\"A script with two fixable findings and one that is not safe to fix.\"\"\"
import json
import subprocess

raw = input()
inputs = json.loads(raw or "{}")
print("starting")
listing = subprocess.run(["ls"], capture_output=True)
try:
    print(json.dumps({"success": True, "out": listing.stdout.decode()}))
except:
    print(json.dumps({"success": False, "error": "failed"}))
    raise SystemExit(2)
"""


def test_fix_applies_safe_fixes_and_leaves_the_rest(project: Project) -> None:
    script = project.write("scripts/job.py", BROKEN)
    result = run_check(project.root, "--fix", "--select", "SCR105,SCR401,SCR201")
    text = script.read_text()
    ast.parse(text)
    assert "import sys\nimport json" in text
    assert 'print("starting", file=sys.stderr)' in text
    assert 'subprocess.run(["ls"], capture_output=True, timeout=15)' in text
    assert "raise SystemExit(2)" in text, "changing an exit code is not a safe fix"
    assert "fixed 2 findings" in result.stderr
    assert result.returncode == 1 and "SCR201" in result.stdout and "SCR105" not in result.stdout
    again = run_check(project.root, "--fix", "--select", "SCR105,SCR401,SCR201")
    assert again.returncode == 1 and "SCR201" in again.stdout, again.stderr
    assert script.read_text() == text and "fixed" not in again.stderr


def test_fix_reaches_a_clean_file_and_exit_0(project: Project) -> None:
    script = project.write("scripts/job.py", 'import sys\nprint("a")\nprint("b")\n')
    result = run_check(project.root, "--fix", "--select", "SCR105")
    assert result.returncode == 0, result.stdout
    assert script.read_text() == (
        'import sys\nprint("a", file=sys.stderr)\nprint("b", file=sys.stderr)\n'
    )


def test_fix_keeps_line_endings_encoding_and_mode(project: Project) -> None:
    path = project.root / "scripts" / "crlf.py"
    source = '# -*- coding: latin-1 -*-\r\nimport sys\r\nprint("caf\xe9")\r\n'
    path.write_bytes(source.encode("latin-1"))
    path.chmod(0o755)
    run_check(project.root, "--fix", "--select", "SCR105")
    assert path.read_bytes() == (
        '# -*- coding: latin-1 -*-\r\nimport sys\r\nprint("caf\xe9", file=sys.stderr)\r\n'
    ).encode("latin-1")
    assert path.stat().st_mode & 0o777 == 0o755
    leftovers = [p.name for p in path.parent.iterdir() if p.name.startswith(".scriptcontract")]
    assert leftovers == []


def test_fix_never_touches_a_file_that_does_not_parse(project: Project) -> None:
    source = 'import sys\nprint("a")\ndef broken(:\n'
    script = project.write("scripts/broken.py", source)
    result = run_check(project.root, "--fix")
    assert script.read_text() == source
    assert result.returncode == 1 and "SCR001" in result.stdout


def test_unused_suppression_is_removed_by_fix(project: Project) -> None:
    script = project.write(
        "scripts/job.py",
        "import json, sys\nprint(json.dumps({}))  # scriptcontract: ignore[SCR105]\n",
    )
    run_check(project.root, "--fix", "--select", "SCR105,SCR901")
    assert script.read_text() == "import json, sys\nprint(json.dumps({}))\n"


def test_atomic_write_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    target = tmp_path / "job.py"
    target.write_bytes(b"print('edited by the user meanwhile')\n")
    with pytest.raises(FileChanged):
        write_atomically(str(target), b"print('as read')\n", b"print('fixed')\n")
    assert target.read_bytes() == b"print('edited by the user meanwhile')\n"
    assert [p.name for p in tmp_path.iterdir()] == ["job.py"]
    write_atomically(str(target), target.read_bytes(), b"print('fixed')\n")
    assert target.read_bytes() == b"print('fixed')\n"


def test_fix_writes_through_a_symlink_and_keeps_it(project: Project) -> None:
    # A script shared between projects by a link: the fix lands in the shared file, and the
    # link stays a link (replacing it by a copy would silently fork the two).
    shared = project.write("shared/job.py", 'import sys\nprint("a")\n')
    link = project.root / "scripts" / "job.py"
    link.symlink_to(shared)
    result = run_check(project.root, "scripts", "--fix", "--select", "SCR105")
    assert "fixed 1 finding" in result.stderr, result.stderr
    assert link.is_symlink() and link.resolve() == shared.resolve()
    assert shared.read_text() == 'import sys\nprint("a", file=sys.stderr)\n'
    leftovers = [p.name for p in shared.parent.iterdir() if p.name.startswith(".scriptcontract")]
    assert leftovers == []


def test_fix_never_touches_a_file_it_cannot_decode(project: Project) -> None:
    script = project.root / "scripts" / "latin.py"
    raw = b'import sys\nprint("caf\xe9")\n'  # Latin-1 without a coding cookie: not UTF-8
    script.write_bytes(raw)
    result = run_check(project.root, "--fix")
    assert script.read_bytes() == raw
    assert result.returncode == 1 and "SCR003" in result.stdout, result.stdout


def test_a_write_that_fails_midway_leaves_the_original_whole(project: Project) -> None:
    # The file-size limit stops the write of the fixed text halfway (EFBIG), as a full disk
    # would: the original must be intact, no temporary file left, and the user told.
    source = 'import sys\nprint("a")\n' * 50
    script = project.write("scripts/job.py", source)
    limit = len(source.encode()) + 10

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = run_check(
        project.root,
        "--fix",
        "--select",
        "SCR105",
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        preexec_fn=small_files,
    )
    assert script.read_text() == source
    assert [p.name for p in script.parent.iterdir()] == ["job.py"]
    assert "not written" in result.stdout + result.stderr, (result.stdout, result.stderr)
    assert result.returncode == 1
