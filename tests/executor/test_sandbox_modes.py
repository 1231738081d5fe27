"""The mode and times of files: a run changes those of what it may open, and nothing else.

Landlock has no right for chmod or utime, so the system-call filter refuses every change
that names a path, and the bootstrap's os.chmod and os.utime go through a descriptor of
the file instead (docs/sandbox.md). Each attack on a file outside the project is first
shown working with the filter off (the positive control, Landlock still on), then refused
with it, the file's mode and times unchanged as the test sees them from outside. The
everyday uses (shutil's copies, tarfile, Path.touch(), chmod +x) keep working.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from scriptcontract.executor import ExecutionResult, SandboxPolicy
from tests.conftest import Project
from tests.executor.conftest import MakeExecutor
from tests.executor.test_sandbox_platform import (
    IS_ROOT,
    call_is_new,
    needs_landlock,
    needs_seccomp,
)

pytestmark = [needs_landlock(), needs_seccomp]
AS_ROOT_ONLY = pytest.mark.skipif(
    not IS_ROOT, reason="a run as root changes no mode or times: needs root"
)
AS_A_USER_ONLY = pytest.mark.skipif(
    IS_ROOT, reason="a run as root changes no mode or times: as a user only"
)

ATTACK = r"""
import ctypes, errno, json, os, platform, sys
TARGET = json.load(sys.stdin)["target"]
LIBC = ctypes.CDLL(None, use_errno=True)
LIBC.syscall.restype = ctypes.c_long
NR = {"x86_64": {"fchmodat2": 452, "utimensat": 280},
      "aarch64": {"fchmodat2": 452, "utimensat": 88}}[platform.machine()]
AT_FDCWD, AT_EMPTY_PATH = -100, 0x1000

def checked(result):
    if result < 0:
        raise OSError(ctypes.get_errno(), "refused")

def raw(name, *args):
    checked(LIBC.syscall(ctypes.c_long(NR[name]), *[
        ctypes.c_long(a) if isinstance(a, int) else a for a in args]))

try:
    %s
except OSError as exc:
    outcome = errno.errorcode.get(exc.errno, str(exc.errno))
else:
    outcome = "ok"
print(json.dumps({"success": True, "outcome": outcome}))
"""

# How a script might go at the file: through Python, past it through libc, and by the raw
# calls with AT_EMPTY_PATH on an O_PATH descriptor (which Landlock lets it open anywhere).
# The times given as NULL are "now": the file's are in 2001.
ATTACKS = [
    pytest.param("os.chmod(TARGET, 0o644)", id="os.chmod"),
    pytest.param("os.utime(TARGET, (0, 0))", id="os.utime"),
    pytest.param("checked(LIBC.chmod(TARGET.encode(), 0o644))", id="libc chmod"),
    pytest.param(
        "checked(LIBC.utimensat(AT_FDCWD, TARGET.encode(), None, 0))", id="libc utimensat"
    ),
    pytest.param(
        "raw('fchmodat2', os.open(TARGET, os.O_PATH), b'', 0o644, AT_EMPTY_PATH)",
        id="fchmodat2 on O_PATH",
        marks=call_is_new((6, 6)),
    ),
    pytest.param(
        "raw('utimensat', os.open(TARGET, os.O_PATH), b'', None, AT_EMPTY_PATH)",
        id="utimensat on O_PATH",
    ),
]
OLD_TIME = 978_307_200  # 2001-01-01: any change of times moves it


def _mode_and_times(path: Path) -> tuple[int, int, int]:
    info = path.stat()
    return stat.S_IMODE(info.st_mode), info.st_mtime_ns, info.st_atime_ns


def _key_outside(tmp_path: Path) -> Path:
    """A private file of the test's user outside the project, as a key in a home would be."""
    key = tmp_path / "home" / "id_rsa"
    key.parent.mkdir(exist_ok=True)
    key.write_text("not a real key\n")
    key.chmod(0o600)
    os.utime(key, (OLD_TIME, OLD_TIME))
    return key


@pytest.mark.parametrize("attack", ATTACKS)
async def test_a_run_cannot_change_the_mode_or_times_of_a_file_outside(
    project: Project, make_executor: MakeExecutor, tmp_path: Path, attack: str
) -> None:
    project.write("scripts/attack.py", ATTACK % attack)
    # The positive control: with the filter off (Landlock on), the change lands.
    key = _key_outside(tmp_path)
    before = _mode_and_times(key)
    unfiltered = make_executor(project.root, sandbox=SandboxPolicy(syscalls=False))
    result = await unfiltered.execute_script("scripts/attack.py", {"target": str(key)})
    assert result.output == {"success": True, "outcome": "ok"}, (result.error, result.stderr)
    assert _mode_and_times(key) != before

    key = _key_outside(tmp_path)
    before = _mode_and_times(key)
    result = await make_executor(project.root).execute_script(
        "scripts/attack.py", {"target": str(key)}
    )
    assert result.success, (result.error, result.stderr)
    assert "syscalls" in result.sandbox.enforced
    assert result.output is not None
    assert result.output["outcome"] in ("EPERM", "EACCES")
    assert _mode_and_times(key) == before


EVERYDAY = r"""
import io, json, os, pathlib, shutil, stat, subprocess, sys, tarfile, tempfile, time
OLD = 978307200

def mode(path):
    return oct(stat.S_IMODE(os.stat(path).st_mode))

def everyday(base):
    os.makedirs(base + "/tree/sub", exist_ok=True)
    src = base + "/tree/tool.sh"
    with open(src, "w") as handle:
        handle.write("#!/bin/sh\necho ran\n")
    os.chmod(src, 0o750)
    os.utime(src, ns=(OLD * 10**9, OLD * 10**9))
    shutil.copy(src, base + "/copy.sh")
    shutil.copy2(src, base + "/copy2.sh")
    shutil.copytree(base + "/tree", base + "/tree2")
    with open(base + "/plain.txt", "w") as handle:
        handle.write("x")
    shutil.copymode(src, base + "/plain.txt")
    pathlib.Path(base + "/plain.txt").chmod(0o640)
    touched = pathlib.Path(base + "/touched.txt")
    touched.write_text("x")
    os.utime(touched, (OLD, OLD))
    touched.touch()
    os.chmod(base + "/tree/sub", 0o700)
    os.utime(base + "/tree/sub", (OLD, OLD))
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tar:
        tar.add(base + "/tree", arcname="tree")
    archive.seek(0)
    with tarfile.open(fileobj=archive) as tar:
        tar.chown = lambda *args, **kwargs: None  # as root the owner would be refused first
        tar.extractall(base + "/untarred")
    ran = subprocess.run([base + "/copy.sh"], capture_output=True, text=True, timeout=5)
    # coreutils' touch sets the times through the descriptor it opens (futimens).
    subprocess.run(["touch", "-d", "@%d" % OLD, base + "/plain.txt"], check=True, timeout=5)
    return {
        "chmod": mode(src),
        "utime": os.stat(src).st_mtime_ns == OLD * 10**9,
        "copy": mode(base + "/copy.sh"),
        "copy2": [mode(base + "/copy2.sh"), os.stat(base + "/copy2.sh").st_mtime == OLD],
        "copytree": [mode(base + "/tree2/tool.sh"), os.stat(base + "/tree2/tool.sh").st_mtime],
        "copymode then Path.chmod": mode(base + "/plain.txt"),
        "touch": touched.stat().st_mtime > time.time() - 60,
        "dir": [mode(base + "/tree/sub"), os.stat(base + "/tree/sub").st_mtime],
        "tar": [mode(base + "/untarred/tree/tool.sh"), mode(base + "/untarred/tree/sub"),
                os.stat(base + "/untarred/tree/tool.sh").st_mtime,
                os.stat(base + "/untarred/tree/sub").st_mtime],
        "chmod +x, then run": ran.stdout,
        "touch command": os.stat(base + "/plain.txt").st_mtime,
    }

print(json.dumps({"success": True, "project": everyday("data/work"),
                  "temp dir": everyday(tempfile.mkdtemp())}))
"""

EXPECTED = {
    "chmod": "0o750",
    "utime": True,
    "copy": "0o750",
    "copy2": ["0o750", True],
    "copytree": ["0o750", 978_307_200.0],
    "copymode then Path.chmod": "0o640",
    "touch": True,
    "dir": ["0o700", 978_307_200.0],
    "tar": ["0o750", "0o700", 978_307_200.0, 978_307_200.0],
    "chmod +x, then run": "ran\n",
    "touch command": 978_307_200.0,
}


async def _run_with_data_folder(
    project: Project, make_executor: MakeExecutor, name: str, source: str
) -> ExecutionResult:
    """`source` run as scripts/NAME.py, with a data/ folder to write in; it must succeed."""
    (project.root / "data").mkdir()
    project.write(f"scripts/{name}.py", source)
    result = await make_executor(project.root).execute_script(f"scripts/{name}.py")
    assert result.success, (result.error, result.stderr[-3000:])
    return result


@AS_A_USER_ONLY
async def test_everyday_changes_of_mode_and_times_work_in_the_project_and_the_temp_dir(
    project: Project, make_executor: MakeExecutor
) -> None:
    result = await _run_with_data_folder(project, make_executor, "everyday", EVERYDAY)
    assert "syscalls" in result.sandbox.enforced
    assert result.output == {"success": True, "project": EXPECTED, "temp dir": EXPECTED}
    assert result.stderr == ""


# What the scripts below begin with: each attempt's outcome, or the error it got as the
# script sees it (its type, the file it names, its message).
ATTEMPTS = r"""
seen = {}
def attempt(name, action):
    try:
        action()
        seen[name] = "ok"
    except Exception as exc:
        seen[name] = [type(exc).__name__, getattr(exc, "filename", None), str(exc)]
"""

WHAT_SCRIPTS_SEE = (
    ATTEMPTS
    + r"""
import json, os, shutil, subprocess
for name in ("sealed", "plain"):
    with open("data/" + name, "w") as handle:
        handle.write("x")
os.symlink("plain", "data/link")
os.chmod("data/sealed", 0)
attempt("missing", lambda: os.chmod("data/missing", 0o644))
attempt("missing utime", lambda: os.utime("data/missing"))
attempt("unopenable", lambda: os.chmod("data/sealed", 0o644))
attempt("a link's own times", lambda: os.utime("data/link", follow_symlinks=False))
attempt("a link's own mode", lambda: os.chmod("data/link", 0o644, follow_symlinks=False))
attempt("a link's target", lambda: os.chmod("data/link", 0o600))
attempt("dir_fd", lambda: os.chmod("plain", 0o640, dir_fd=os.open("data", os.O_RDONLY)))
attempt("setuid", lambda: os.chmod("data/plain", 0o4755))
attempt("both times and ns", lambda: os.utime("data/plain", (1, 1), ns=(1, 1)))
# shutil leaves a link's own times alone rather than fail on them.
attempt("copy2 of a link", lambda: shutil.copy2("data/link", "data/link2", follow_symlinks=False))
os.makedirs("data/tree")
os.symlink("../plain", "data/tree/link")
attempt("copytree with links", lambda: shutil.copytree("data/tree", "data/tree2", symlinks=True))
chmod = subprocess.run(["chmod", "644", "data/plain"], capture_output=True, timeout=5)
print(json.dumps({"success": True, "seen": seen, "plain": oct(os.stat("data/plain").st_mode),
                  "chmod command": chmod.returncode,
                  "help": [os.chmod.__name__, os.utime.__name__, os.utime in os.supports_fd]}))
"""
)


@AS_A_USER_ONLY
async def test_what_a_script_sees_when_a_change_cannot_go_through_a_descriptor(
    project: Project, make_executor: MakeExecutor
) -> None:
    result = await _run_with_data_folder(project, make_executor, "edges", WHAT_SCRIPTS_SEE)
    assert result.output is not None
    seen = result.output["seen"]
    assert seen["missing"][:2] == ["FileNotFoundError", "data/missing"]
    assert seen["missing utime"][:2] == ["FileNotFoundError", "data/missing"]
    assert seen["unopenable"][:2] == ["PermissionError", "data/sealed"]
    assert "only through the open file" in seen["unopenable"][2]
    assert seen["a link's own times"][:2] == ["PermissionError", "data/link"]
    assert "symbolic link itself" in seen["a link's own times"][2]
    assert seen["a link's own mode"][0] == "NotImplementedError"  # as outside the sandbox
    assert seen["a link's target"] == "ok"
    assert seen["dir_fd"] == "ok"
    assert seen["setuid"][:2] == ["PermissionError", "data/plain"]  # the filter's no-setuid
    assert seen["both times and ns"][0] == "ValueError"
    assert seen["copy2 of a link"] == "ok"
    assert seen["copytree with links"] == "ok"
    assert result.output["plain"] == "0o100640"  # the target's and dir_fd's changes landed
    # A program that changes a mode by path (chmod(1) calls fchmodat) is refused.
    assert result.output["chmod command"] == 1
    assert result.output["help"] == ["chmod", "utime", True]


# As root, through a descriptor the run may open for reading only: root owns the system's
# files, which Landlock lets a run read (the C library: fchmod(fd, 0) breaks the machine).
# Tried here on a scratch file root owns outside the project, in `read-paths`: never on a
# system file.
THROUGH_A_READ_ONLY_DESCRIPTOR = [
    pytest.param("os.fchmod(os.open(TARGET, os.O_RDONLY), 0)", id="fchmod"),
    pytest.param("os.utime(os.open(TARGET, os.O_RDONLY), (0, 0))", id="futimens"),
    pytest.param(
        "checked(LIBC.futimens(os.open(TARGET, os.O_RDONLY), None))", id="libc futimens now"
    ),
]


@AS_ROOT_ONLY
@pytest.mark.parametrize("attack", THROUGH_A_READ_ONLY_DESCRIPTOR)
async def test_a_run_as_root_cannot_change_the_mode_or_times_of_a_file_it_may_only_read(
    project: Project, make_executor: MakeExecutor, tmp_path: Path, attack: str
) -> None:
    project.write("scripts/attack.py", ATTACK % attack)
    scratch = tmp_path / "system"
    scratch.mkdir()

    def system_file() -> Path:
        library = scratch / "libc.so.6"
        library.write_text("not a real library\n")
        library.chmod(0o644)
        os.utime(library, (OLD_TIME, OLD_TIME))
        return library

    readable = [str(scratch)]
    # The positive control: with the filter off (Landlock on), root's change lands.
    library = system_file()
    before = _mode_and_times(library)
    unfiltered = make_executor(
        project.root, sandbox=SandboxPolicy(syscalls=False, read_paths=readable)
    )
    result = await unfiltered.execute_script("scripts/attack.py", {"target": str(library)})
    assert result.output == {"success": True, "outcome": "ok"}, (result.error, result.stderr)
    assert _mode_and_times(library) != before

    library = system_file()
    before = _mode_and_times(library)
    result = await make_executor(
        project.root, sandbox=SandboxPolicy(read_paths=readable)
    ).execute_script("scripts/attack.py", {"target": str(library)})
    assert result.success, (result.error, result.stderr)
    assert "syscalls" in result.sandbox.enforced
    assert result.output == {"success": True, "outcome": "EPERM"}
    assert _mode_and_times(library) == before


WHAT_ROOT_SEES = (
    ATTEMPTS
    + r"""
import json, os, shutil
os.makedirs("data", exist_ok=True)
with open("data/plain.txt", "w") as handle:
    handle.write("x")
attempt("chmod", lambda: os.chmod("data/plain.txt", 0o600))
attempt("utime", lambda: os.utime("data/plain.txt"))
attempt("the mode it has", lambda: os.chmod("data/plain.txt", 0o644))
attempt("copy", lambda: shutil.copy("data/plain.txt", "data/copy.txt"))
attempt("copy2", lambda: shutil.copy2("data/plain.txt", "data/copy2.txt"))
print(json.dumps({"success": True, "seen": seen,
                  "mode": oct(os.stat("data/plain.txt").st_mode & 0o777)}))
"""
)


@AS_ROOT_ONLY
async def test_a_run_as_root_is_told_why_it_cannot_change_a_mode_or_times(
    project: Project, make_executor: MakeExecutor
) -> None:
    result = await _run_with_data_folder(project, make_executor, "as_root", WHAT_ROOT_SEES)
    assert result.output is not None
    seen = result.output["seen"]
    for name in ("chmod", "utime", "copy2"):
        assert seen[name][0] == "PermissionError", (name, seen[name])
        assert "in a run as root" in seen[name][2], (name, seen[name])
    assert seen["chmod"][1] == "data/plain.txt"
    # Asking for the mode a file has changes nothing, so a plain copy goes through.
    assert seen["the mode it has"] == "ok"
    assert seen["copy"] == "ok"
    assert result.output["mode"] == "0o644"
    assert "a run as root" in result.sandbox.details["modes"]
