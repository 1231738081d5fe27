"""Files a run planted for `scriptcontract check` and `scriptcontract schema --write`.

`check` reads each folder's `.gitignore` and `.ignore`, and `schema --write --force`
replaces `<script>.schema.json`: both live where runs may write, and both commands run
outside the sandbox. A run (the first test shows a real one doing it) can leave a symbolic
link there: to `/dev/zero` (`check` read it until memory ran out, then died with a
traceback), to `/dev/stdin` (it waited for the terminal), to a file of the user's outside the
project (its lines became ignore patterns; `schema --write --force` overwrote it with a
schema). Ignore files are read as files of their folder, never through a link out of it, and
the schema file is replaced, never written through.

The check cache lies there too: a run rewrote it so that `check` found nothing (exit 0),
swapped its folder for a link out of the project (`check` wrote there) or its file for a link
to `/dev/zero`. A cache file is believed only when signed with a key of the user's state
folder, which no run can read, and nothing below the cache folder is followed through a link.
"""

from __future__ import annotations

import resource
from pathlib import Path

from scriptcontract import __version__
from scriptcontract.check.cache import KEY_FILE
from scriptcontract.digests import keyed_digest
from tests.cli.runner import run_check, scriptcontract
from tests.conftest import Project

CHECKED = "import json, sys\nprint('starting')\nprint(json.dumps({'success': True}))\n"
PLANTER = """
import json, os, sys
sys.stdin.read()
os.symlink(sys.argv[1] if len(sys.argv) > 1 else "/dev/zero", "scripts/.gitignore")
print(json.dumps({"success": True}))
"""
# Enough for `check`; a read of /dev/zero stops at it with a MemoryError instead of taking
# the machine's memory (what it did before the fix).
MEMORY_BYTES = 1024 * 1024 * 1024


def _bounded_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def _project(project: Project) -> None:
    project.write("scriptcontract.toml", 'include = ["scripts/**/*.py"]\n')
    project.write("scripts/checked.py", CHECKED)


def test_a_regular_ignore_file_is_read(project: Project) -> None:
    """The positive control of the tests below: ignore files are read, and what they name is
    not checked."""
    _project(project)
    project.write("scripts/.gitignore", "checked.py\n")
    done = run_check(project.root, "scripts/")
    assert "checked.py" not in done.stdout, done.stdout
    assert "no workflow scripts checked" in done.stderr, done.stderr


def test_an_ignore_file_a_run_linked_to_dev_zero_is_not_read(project: Project) -> None:
    _project(project)
    project.write("scripts/planter.py", PLANTER)
    planted = scriptcontract("run", "scripts/planter.py", cwd=project.root)
    assert planted.returncode == 0, planted.stderr
    assert (project.root / "scripts/.gitignore").is_symlink()
    done = run_check(project.root, "scripts/", timeout=30, preexec_fn=_bounded_memory)
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr, done.stderr[-2000:]
    assert done.returncode == 1 and "SCR105" in done.stdout, done.stdout + done.stderr[-2000:]


def test_an_ignore_file_linked_out_of_the_project_is_not_read(
    project: Project, tmp_path: Path
) -> None:
    _project(project)
    outside = tmp_path / "outside" / "patterns"
    outside.parent.mkdir()
    outside.write_text("checked.py\n")
    (project.root / "scripts/.gitignore").symlink_to(outside)
    done = run_check(project.root, "scripts/")
    assert done.returncode == 1 and "scripts/checked.py" in done.stdout, done.stdout + done.stderr


def test_schema_write_force_replaces_a_planted_link_instead_of_writing_through_it(
    project: Project, tmp_path: Path
) -> None:
    _project(project)
    outside = tmp_path / "outside" / "bashrc"
    outside.parent.mkdir()
    outside.write_text("the user's own file\n")
    link = project.root / "scripts/checked.schema.json"
    link.symlink_to(outside)
    done = scriptcontract("schema", "--write", "--force", "scripts/checked.py", cwd=project.root)
    assert done.returncode == 0, done.stderr
    assert outside.read_text() == "the user's own file\n"
    assert not link.is_symlink() and '"title": "inputs of checked.py"' in link.read_text()


def test_schema_write_force_replaces_the_schema_file(project: Project) -> None:
    """The positive control of the test above: `--force` replaces a regular schema file, and
    keeps its mode."""
    _project(project)
    schema = project.write("scripts/checked.schema.json", '{"type": "object"}\n')
    schema.chmod(0o640)
    done = scriptcontract("schema", "--write", "--force", "scripts/checked.py", cwd=project.root)
    assert done.returncode == 0, done.stderr
    assert '"title": "inputs of checked.py"' in schema.read_text()
    assert schema.stat().st_mode & 0o777 == 0o640


# The check cache: `.scriptcontract_cache/<version>/<fingerprint>.json` at the project root,
# a folder runs may write into. A run rewrote it so that `check` found nothing (exit 0).
POISONER = """
import glob, json, sys
sys.stdin.read()
for path in glob.glob(".scriptcontract_cache/*/*.json"):
    with open(path, "rb") as handle:
        raw = handle.read()
    head, _, body = raw.partition(b"\\n")
    signed = bool(body)
    entries = json.loads(body if signed else raw)
    for entry in entries.values():
        entry[1], entry[3] = True, []  # a script, with no findings
    body = json.dumps(entries).encode()
    with open(path, "wb") as handle:
        handle.write(head + b"\\n" + body if signed else body)
print(json.dumps({"success": True}))
"""


def _state(tmp_path: Path) -> dict[str, str]:
    return {"XDG_STATE_HOME": str(tmp_path / "state")}


def _cache_files(project: Project) -> list[Path]:
    return sorted((project.root / ".scriptcontract_cache").glob("*/*.json"))


def _resign(path: Path, tmp_path: Path) -> None:
    """Sign a cache file again with the user's key, as only a run that could read the user's
    state folder could."""
    print_ = path.stem
    key = (tmp_path / "state" / "scriptcontract" / KEY_FILE).read_bytes()
    body = path.read_bytes().partition(b"\n")[2]
    path.write_bytes(keyed_digest(key, print_.encode() + b"\n", body).encode() + b"\n" + body)


def test_a_check_cache_a_run_rewrote_is_not_believed(project: Project, tmp_path: Path) -> None:
    _project(project)
    project.write("scripts/poisoner.py", POISONER)
    env = _state(tmp_path)
    first = run_check(project.root, "scripts/checked.py", env=env)
    assert first.returncode == 1 and "SCR105" in first.stdout, first.stdout + first.stderr
    assert _cache_files(project)
    poisoned = scriptcontract("run", "scripts/poisoner.py", cwd=project.root)
    assert poisoned.returncode == 0, poisoned.stderr
    again = run_check(project.root, "scripts/checked.py", env=env)
    assert again.returncode == 1 and "SCR105" in again.stdout, again.stdout + again.stderr
    # The positive control: the same rewrite, signed with the user's key, is believed (so the
    # run's rewrite is one the cache would take, were it signed).
    poisoned = scriptcontract("run", "scripts/poisoner.py", cwd=project.root)
    assert poisoned.returncode == 0, poisoned.stderr
    for path in _cache_files(project):
        _resign(path, tmp_path)
    fooled = run_check(project.root, "scripts/checked.py", env=env)
    assert fooled.returncode == 0 and "SCR105" not in fooled.stdout, fooled.stdout


def test_a_check_cache_folder_a_run_linked_out_of_the_project_is_not_followed(
    project: Project, tmp_path: Path
) -> None:
    _project(project)
    env = _state(tmp_path)
    assert run_check(project.root, "scripts/checked.py", env=env).returncode == 1
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = project.root / ".scriptcontract_cache" / __version__
    for file in folder.iterdir():
        file.unlink()
    folder.rmdir()
    folder.symlink_to(outside)
    done = run_check(project.root, "scripts/checked.py", env=env)
    assert done.returncode == 1 and "SCR105" in done.stdout, done.stdout + done.stderr
    assert list(outside.iterdir()) == []
    assert "cannot write the cache" in done.stderr, done.stderr
    # A cache file linked to /dev/zero is not read (it was, until memory ran out).
    folder.unlink()
    assert run_check(project.root, "scripts/checked.py", env=env).returncode == 1
    for path in _cache_files(project):
        path.unlink()
        path.symlink_to("/dev/zero")
    done = run_check(project.root, "scripts/checked.py", env=env, preexec_fn=_bounded_memory)
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    assert done.returncode == 1 and "SCR105" in done.stdout, done.stdout + done.stderr
