"""Whatever its caller passes or its script leaves, the executor answers with a result.

A result that serialises to JSON, with `success = false` and a message, never an exception:
lone surrogates in paths and names, inputs nested 100,000 deep or holding themselves,
environment variables no process can take, timeouts that are no number, a private temp dir
deeper than the recursion limit. Each attack beside its positive control: what the same
value does to the code the executor used before (or to the library call it makes), so that
a test cannot pass by not attacking.
"""

from __future__ import annotations

import array
import contextlib
import fcntl
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from scriptcontract.executor import ExecutionResult, PythonExecutor
from scriptcontract.executor.outcome import parse_report, parse_stdout
from scriptcontract.executor.temp_dirs import MAX_OPEN_DIRS, remove_temp_dir
from tests.conftest import Project

ECHO = "import json, sys\nprint(json.dumps({'seen': json.load(sys.stdin)}))\n"


def nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth - 1):
        value = {"a": value}
    return value


def cyclic() -> dict[str, Any]:
    value: dict[str, Any] = {"name": "loop"}
    value["self"] = value
    return value


def raises(call: Callable[[], object], *errors: type[BaseException]) -> bool:
    try:
        call()
    except errors:
        return True
    return False


def as_json(result: ExecutionResult) -> dict[str, Any]:
    """The result as the CLI prints it and the server sends it (this is what used to fail)."""
    data: dict[str, Any] = json.loads(result.model_dump_json())
    return data


@pytest.fixture
def executor(project: Project) -> PythonExecutor:
    project.write("scripts/echo.py", ECHO)
    return PythonExecutor(project.root, mode="cold", default_timeout_ms=10000)


# (what is passed, the error it must get, the positive control: what it does unguarded)
CALLS: dict[str, tuple[dict[str, Any], str, Callable[[], bool]]] = {
    "script path with a lone surrogate": (
        {"script_path": "scripts/\ud800.py"},
        "Script path validation failed: Path cannot be a file name (it holds a lone surrogate)",
        lambda: raises(lambda: os.path.realpath("scripts/\ud800.py"), UnicodeEncodeError),
    ),
    "input path with a lone surrogate": (
        {"inputs": {"input_file": "data/\ud800.csv"}},
        "Input path validation failed: Path cannot be a file name",
        lambda: raises(lambda: os.path.realpath("data/\ud800.csv"), UnicodeEncodeError),
    ),
    "input path key with a lone surrogate": (
        {"inputs": {"\ud800_path": "/etc/passwd"}},
        "Input path validation failed: Path is outside project root: \\ud800_path",
        lambda: raises(lambda: "\ud800_path".encode(), UnicodeEncodeError),
    ),
    "script path of bytes": (
        {"script_path": b"scripts/echo.py"},
        "Script path validation failed: Path must be a string, not bytes",
        lambda: raises(lambda: "\0" in b"scripts/echo.py", TypeError),  # type: ignore[operator]
    ),
    "inputs nested 100,000 deep": (
        {"inputs": nested(100_000)},
        "Inputs are nested more than 200 levels deep",
        lambda: raises(lambda: json.dumps(nested(100_000)), RecursionError),
    ),
    "inputs that hold themselves": (
        {"inputs": cyclic()},
        "Inputs are not JSON-serialisable: Circular reference detected",
        lambda: raises(lambda: json.dumps(cyclic()), ValueError),
    ),
    "inputs holding NaN": (
        {"inputs": {"ratio": math.nan}},
        "Inputs are not JSON-serialisable: Out of range float values",
        lambda: json.dumps({"ratio": math.nan}) == '{"ratio": NaN}',  # not JSON
    ),
    "environment variable with a NUL": (
        {"env": {"TOKEN": "a\0b"}},
        "Environment variable 'TOKEN' cannot be passed",
        lambda: raises(lambda: subprocess.run(["true"], env={"TOKEN": "a\0b"}), ValueError),
    ),
    "environment variable named with '='": (
        {"env": {"A=B": "x"}},
        "Environment variable 'A=B' cannot be passed",
        lambda: raises(lambda: subprocess.run(["true"], env={"A=B": "x"}), ValueError),
    ),
    "environment variable with a lone surrogate": (
        {"env": {"TOKEN": "\ud800"}},
        "Environment variable 'TOKEN' cannot be passed (a lone surrogate)",
        lambda: raises(lambda: subprocess.run(["true"], env={"TOKEN": "\ud800"}), UnicodeError),
    ),
    "environment variable that is no string": (
        {"env": {"PORT": 8080}},
        "Environment variables must be strings: 'PORT' = 8080",
        lambda: raises(lambda: subprocess.run(["true"], env={"PORT": 8080}), TypeError),  # type: ignore[arg-type]
    ),
    "timeout that is NaN": (
        {"timeout_ms": math.nan},
        "timeout_ms must be positive, got nan",
        lambda: not math.nan <= 0,  # the old check let it through: "timed out after nanms"
    ),
    "timeout that is infinite": (
        {"timeout_ms": math.inf},
        "timeout_ms must be positive, got inf",
        lambda: not math.inf <= 0,  # the old check let it through: no timeout at all
    ),
    "timeout that is a string": (
        {"timeout_ms": "1000"},
        "timeout_ms must be a number of milliseconds, got '1000'",
        lambda: raises(lambda: "1000" <= 0, TypeError),  # type: ignore[operator]
    ),
    "interpreter named with a lone surrogate": (
        {"python_path": "python\ud800"},
        "Python interpreter not found: python\\ud800",
        lambda: raises(lambda: "Python interpreter not found: python\ud800".encode(), UnicodeError),
    ),
}


@pytest.mark.parametrize("attack", list(CALLS))
async def test_a_call_that_cannot_run_gets_a_result_that_serialises(
    attack: str, executor: PythonExecutor, project: Project
) -> None:
    arguments, message, unguarded = CALLS[attack]
    assert unguarded(), f"the positive control did not hold: {attack}"
    arguments = {"script_path": "scripts/echo.py", **arguments}
    result = await executor.execute_script(**arguments)
    data = as_json(result)
    assert data["success"] is False and data["error_kind"] in ("validation", "setup")
    assert message in data["error"], data["error"]
    assert not (project.root / "scripts" / "ran").exists()
    # The same executor serves the next run.
    assert (await executor.execute_script("scripts/echo.py", {"n": 1})).output == {"seen": {"n": 1}}


async def test_inputs_just_inside_the_depth_limit_reach_the_script(
    executor: PythonExecutor, project: Project
) -> None:
    project.write(
        "scripts/depth.py",
        """
        import json, sys
        value, depth = json.load(sys.stdin), 1
        while value:
            value, depth = value["a"], depth + 1
        print(json.dumps({"depth": depth}))
        """,
    )
    result = await executor.execute_script("scripts/depth.py", nested(200))
    assert result.output == {"depth": 200}, result.error


async def test_contract_validation_of_names_that_cannot_be_files_is_false(
    executor: PythonExecutor, project: Project
) -> None:
    os.mkfifo(project.root / "scripts" / "pipe.py")
    for name in ("scripts/\ud800.py", "scripts/pipe.py", "scripts/a\0.py", "../outside.py"):
        assert await executor.validate_script_contract(name) is False
    assert await executor.validate_script_contract("scripts/echo.py") is True


def test_a_broken_sandbox_report_of_any_shape_is_read_without_raising() -> None:
    deep = "[" * 900 + "]" * 900
    shapes = [
        b'{"enforced": 5, "missing": "x", "details": [1, 2], "platform": {}}',
        b'{"details": "text", "refused": 3}',
        b'{"details": {"a": ' + deep.encode() + b', "\\ud800": "\\udfff"}}',
        b"[1, 2, 3]",
        b"\xff\xfe not utf-8",
    ]
    # The positive control: the parsing before this change, on the first shape.
    first = json.loads(shapes[0])
    assert raises(lambda: [str(x) for x in first["enforced"]], TypeError)
    for raw in shapes:
        report, _data = parse_report(raw)
        json.loads(report.model_dump_json())


# --- the private temp dir ------------------------------------------------------------------


def chain(top: Path, depth: int, beside: Callable[[int], None] | None = None) -> None:
    """`depth` nested folders under `top`, made with descriptors (no path is that long)."""
    fd = os.open(top, os.O_RDONLY)
    try:
        for level in range(depth):
            if beside is not None:
                beside(fd) if level % 1000 == 0 else None
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
    finally:
        os.close(fd)


@contextlib.contextmanager
def removed_whatever_happens(tree: Path) -> Iterator[None]:
    """A tree this deep must not outlive the test: pytest's own clean-up of its temporary
    folders is a recursive `shutil.rmtree`, which would raise on it (now or in a later
    session). Removed by a tool that is not under test."""
    try:
        yield
    finally:
        subprocess.run(["chmod", "-R", "u+rwx", "--", str(tree)], check=False, capture_output=True)
        subprocess.run(["rm", "-rf", "--", str(tree)], check=False, capture_output=True)


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(sys.platform != "linux", reason="counts descriptors in /proc")
def test_a_temp_dir_deeper_than_the_recursion_limit_is_removed_without_following_links(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep")
    tree = tmp_path / "run"
    tree.mkdir()

    def clutter(fd: int) -> None:
        os.symlink(outside, "link", dir_fd=fd)
        os.symlink(outside / "keep.txt", "file-link", dir_fd=fd)
        os.mkfifo("fifo", dir_fd=fd)
        os.mkdir(b"\xff-not-utf-8".decode("utf-8", "surrogateescape"), dir_fd=fd)
        os.makedirs(f"/proc/self/fd/{fd}/locked/inner")
        os.chmod(f"/proc/self/fd/{fd}/locked", 0)
        os.makedirs(f"/proc/self/fd/{fd}/readonly/inner")
        Path(f"/proc/self/fd/{fd}/readonly/file").write_text("x")
        os.chmod(f"/proc/self/fd/{fd}/readonly", 0o500)

    depth = max(3 * sys.getrecursionlimit(), 10 * MAX_OPEN_DIRS)
    with removed_whatever_happens(tree):
        chain(tree, depth, clutter)
        # The positive control: the removal before this change raised on this very tree.
        assert raises(lambda: shutil.rmtree(tree, ignore_errors=True), RecursionError)
        descriptors = open_descriptors()
        assert remove_temp_dir(str(tree)) is None
        assert not tree.exists()
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]
    assert (outside / "keep.txt").read_text() == "keep"
    assert open_descriptors() == descriptors


def locked_tree(top: str, depth: int) -> None:
    """What a script may do to its own temp dir when it is not root: folders without any
    permission and read-only ones, deeper than the removal's open folders, and the top
    itself locked last."""
    os.mkdir(top)
    here = top
    for _ in range(depth):
        os.makedirs(f"{here}/locked/in")
        Path(f"{here}/locked/in/file").write_text("x")
        os.chmod(f"{here}/locked/in", 0o500)
        os.chmod(f"{here}/locked", 0)
        os.makedirs(f"{here}/readonly/in")
        Path(f"{here}/readonly/file").write_text("x")
        os.chmod(f"{here}/readonly", 0o500)
        here = f"{here}/d"
        os.mkdir(here)
    os.chmod(top, 0)


def as_nobody(work: Callable[[], bool]) -> bool:
    """`work()` in a forked child that runs as `nobody` (no exec: the code is already here)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            os.setgroups([])
            os.setresgid(65534, 65534, 65534)
            os.setresuid(65534, 65534, 65534)
            code = 0 if work() else 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.geteuid() != 0,
    reason="switches to the user nobody: needs root on Linux",
)
def test_folders_the_script_locked_are_unlocked_and_removed_without_root() -> None:
    shared = tempfile.mkdtemp(prefix="scriptcontract-locked-")  # nobody cannot enter tmp_path
    os.chmod(shared, 0o777)
    depth = 3 * MAX_OPEN_DIRS
    with removed_whatever_happens(Path(shared)):
        control, tree = f"{shared}/control", f"{shared}/run"

        def library_leaves_it() -> bool:
            locked_tree(control, depth)
            shutil.rmtree(control, ignore_errors=True)
            return os.path.lexists(control)

        def removed() -> bool:
            locked_tree(tree, depth)
            return remove_temp_dir(tree) is None

        # The positive control: the library's removal, as the same user, leaves it there.
        assert as_nobody(library_leaves_it)
        assert as_nobody(removed)
        assert not os.path.lexists(tree)


def test_a_missing_or_empty_temp_dir_is_nothing_to_report(tmp_path: Path) -> None:
    assert remove_temp_dir(str(tmp_path / "gone")) is None
    (tmp_path / "empty").mkdir()
    assert remove_temp_dir(str(tmp_path / "empty")) is None
    assert not (tmp_path / "empty").exists()


FS_IOC_GETFLAGS, FS_IOC_SETFLAGS, FS_IMMUTABLE_FL = 0x80086601, 0x40086602, 0x10


def _set_immutable(path: Path, on: bool) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        flags = array.array("l", [0])
        fcntl.ioctl(fd, FS_IOC_GETFLAGS, flags, True)
        flags[0] = flags[0] | FS_IMMUTABLE_FL if on else flags[0] & ~FS_IMMUTABLE_FL
        fcntl.ioctl(fd, FS_IOC_SETFLAGS, flags, True)
    finally:
        os.close(fd)


def _immutable_files() -> bool:
    """Whether this process may make a file immutable where the tests write (root on a file
    system with the flag): asked of the kernel once, when the tests are collected."""
    if not sys.platform.startswith("linux"):
        return False
    with tempfile.TemporaryDirectory() as directory:
        probe = Path(directory) / "probe"
        probe.write_text("")
        try:
            _set_immutable(probe, True)
        except OSError:
            return False
        _set_immutable(probe, False)
    return True


@contextlib.contextmanager
def immutable(path: Path) -> Iterator[None]:
    _set_immutable(path, True)
    try:
        yield
    finally:
        _set_immutable(path, False)


@pytest.mark.skipif(not _immutable_files(), reason="needs root and a file system with chattr +i")
async def test_what_cannot_be_removed_is_reported_and_the_outcome_stands(
    project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    runs = tmp_path / "runs"
    runs.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(runs))
    project.write(
        "scripts/stays.py",
        """
        import json, os
        for name in ("stuck", "gone"):
            with open(os.path.join(os.environ["TMPDIR"], name), "w") as handle:
                handle.write(name)
        print(json.dumps({"success": True}))
        """,
    )
    executor = PythonExecutor(project.root, mode="cold")
    stuck: list[Path] = []

    def freeze_then_remove(path: str) -> str | None:
        # The sandbox refuses `chattr +i` to the script (see the hostile case
        # `immutable_file_in_temp_dir`); the test does it for it, just before the removal.
        file = Path(path) / "stuck"
        with immutable(file):
            stuck.append(file)
            return remove_temp_dir(path)

    monkeypatch.setattr(
        "scriptcontract.executor.python_executor.remove_temp_dir", freeze_then_remove
    )
    result = await executor.execute_script("scripts/stays.py")
    data = as_json(result)
    assert data["success"] is True and data["output"] == {"success": True}
    assert data["cleanup_error"].startswith("The run's private temp dir ")
    assert "was not removed entirely: stuck: Operation not permitted" in data["cleanup_error"]
    assert not (Path(stuck[0]).parent / "gone").exists()  # the rest went
    shutil.rmtree(runs)


def _disguised(depth: int, filler: str) -> bytes:
    """An object `depth` levels deep whose strings (and keys) hold `filler` at every level."""
    value: Any = {"end": filler}
    for _ in range(depth - 1):
        value = {filler: filler, "next": [value, filler]}
    return json.dumps(value).encode()  # `filler` escaped as JSON escapes it


# Brackets and escapes in strings that a depth count on the text must not be fooled by.
FILLERS = ["]]}}", "[[{{", '\\"]]', '\\\\"]', "\\\\", '"', "\\u005d]"]


@pytest.mark.parametrize("filler", FILLERS)
def test_output_depth_is_not_fooled_by_brackets_in_strings(filler: str) -> None:
    deep, shallow = _disguised(160, filler), _disguised(99, filler)  # ~ 320 and 198 levels
    assert json.loads(deep) and json.loads(shallow)  # both valid JSON
    output, error = parse_stdout(deep)
    assert output is None and error is not None and "nested more than 200" in error
    output, error = parse_stdout(shallow)
    assert error is None and output is not None
    json.loads(ExecutionResult(success=True, output=output).model_dump_json())
