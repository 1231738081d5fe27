"""What a script leaves or prints for the executor's own code, outside the sandbox, to handle.

The private temp dir it fills, the JSON it prints, the names it gives files: the executor
walks, parses and reports all of them after the run, and must still answer with a result
that serialises, never raise. Each limit has its positive control beside it (a value just
inside the limit goes through).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tests.hostile.arena import Arena
from tests.hostile.cases.model import REFUSED, Expect, HostileCase

# Deeper than Python's recursion limit (the old recursive removal raised RecursionError)
# and than the descriptors the removal holds at once (it moves deeper folders up).
TMP_DEPTH = 3000
# The executor's limit on nesting (pydantic serialises 255 levels, no more).
MAX_DEPTH = 200


def temp_dir_fully_removed(result: Mapping[str, Any], _arena: Arena) -> list[str]:
    error = result.get("cleanup_error")
    return [f"the executor reported a clean-up failure: {error}"] if error else []


def nested(depth: int) -> str:
    """Python source printing a JSON object `depth` levels deep (the object is one)."""
    arrays = depth - 1
    return (
        f'sys.stdout.write(\'{{"success": true, "deep": \' '
        f"+ '[' * {arrays} + ']' * {arrays} + '}}')\n"
    )


CASES: tuple[HostileCase, ...] = (
    HostileCase(
        "deep_private_temp_dir",
        f"leaves a chain of {TMP_DEPTH:,} folders in its private temp dir, with a symlink to "
        "the canary tree, a FIFO, a folder without permissions, a read-only folder and a name "
        "that is not UTF-8 along the way, and makes the temp dir itself read-only: all of it "
        "is removed, the link never followed",
        f"""
        os.chdir(os.environ["TMPDIR"])
        for depth in range({TMP_DEPTH}):
            if depth % 500 == 0:
                for make in (
                    lambda: os.symlink(INPUTS["canary"], "link"),
                    lambda: os.mkfifo("fifo"),
                    lambda: os.mkdir(b"\\xff-not-utf-8"),
                    lambda: (os.mkdir("locked"), os.chmod("locked", 0)),
                    lambda: (os.makedirs("readonly/in"), os.chmod("readonly", 0o500)),
                ):
                    try:
                        make()
                    except OSError:
                        pass
            os.mkdir("d")
            os.chdir("d")
        try:  # and the top read-only (binds when not root; a run as root changes no mode)
            os.chmod(os.environ["TMPDIR"], 0o500)
        except PermissionError:
            pass
        report(depth=depth + 1)
        """,
        Expect(output={"depth": TMP_DEPTH}),
        timeout_ms=10000,
        extra=temp_dir_fully_removed,
    ),
    HostileCase(
        "immutable_file_in_temp_dir",
        "makes a file of its private temp dir immutable (chattr +i, as root), which no removal "
        "could take away: refused",
        """
        path = os.path.join(os.environ["TMPDIR"], "stuck")
        open(path, "w").close()
        def freeze():
            import array, fcntl
            fd = os.open(path, os.O_RDONLY)
            try:
                flags = array.array("l", [0])
                fcntl.ioctl(fd, 0x80086601, flags, True)  # FS_IOC_GETFLAGS
                flags[0] |= 0x10  # FS_IMMUTABLE_FL
                fcntl.ioctl(fd, 0x40086602, flags, True)  # FS_IOC_SETFLAGS
            finally:
                os.close(fd)
        attempt("immutable", freeze)
        report()
        """,
        Expect(attempts_at_least=1, refused_with=frozenset({"EPERM", "ENOTTY", "EOPNOTSUPP"})),
        no_control="chattr +i needs CAP_LINUX_IMMUTABLE, which no run has: the filter's refusal "
        "of FS_IOC_SETFLAGS is shown beside its control by "
        "test_a_run_cannot_set_the_flags_of_a_protected_file",
        needs=("seccomp",),
        extra=temp_dir_fully_removed,
    ),
    HostileCase(
        "output_nested_deeper_than_the_result_serialises",
        "prints a JSON object 300 levels deep: parsed fine, but the result model serialises "
        "255 levels at most",
        nested(300),
        Expect(
            success=False,
            error_type=("InvalidJSONOutput",),
            error_startswith="Invalid JSON output from script: the JSON is nested more than "
            f"{MAX_DEPTH} levels deep",
        ),
    ),
    HostileCase(
        "output_nested_to_the_limit",
        f"prints a JSON object exactly {MAX_DEPTH} levels deep (the positive control: the "
        "limit is where it says)",
        nested(MAX_DEPTH),
        Expect(output={"success": True}),
    ),
    HostileCase(
        "output_nan_and_infinity",
        "prints NaN and Infinity, which Python's parser accepts and the result turned into "
        "null without a word",
        'print(\'{"success": true, "ratio": NaN, "limit": Infinity}\')\n',
        Expect(
            success=False,
            error_type=("InvalidJSONOutput",),
            error_startswith="Invalid JSON output from script: NaN is not a JSON value",
        ),
    ),
    HostileCase(
        "output_number_too_large_for_a_float",
        "prints 1e400, valid JSON that Python turns into infinity (and the result into null)",
        'print(\'{"success": true, "big": 1e400}\')\n',
        Expect(
            success=False,
            error_type=("InvalidJSONOutput",),
            error_startswith="Invalid JSON output from script: the number '1e400' is too large",
        ),
    ),
    HostileCase(
        "protected_file_named_in_no_encoding",
        "creates a file whose name is not UTF-8 in a protected folder (.vscode): either the "
        "kernel refuses it, or the executor puts it back and names it in a result that "
        "still serialises",
        """
        def create():
            os.makedirs(".vscode", exist_ok=True)
            with open(b".vscode/\\xff\\xfe-tasks.json", "w") as handle:
                handle.write("{}")
        attempt("create", create)
        report()
        """,
        Expect(success=None, refused_with=REFUSED | {"ok"}, attempts_at_least=1),
        no_control="refused or restored, both pass: the restoring is shown beside its control "
        "by test_protected_paths_cannot_be_changed",
        extra=lambda result, _arena: _refused_or_restored(result),
    ),
)


def _refused_or_restored(result: Mapping[str, Any]) -> list[str]:
    attempts = (result.get("output") or {}).get("attempts") or {}
    if attempts.get("create") != "ok":
        return [] if result.get("success") else [f"refused, yet the run failed: {result}"]
    restored = result.get("restored_files") or []
    if result.get("error_type") != "ProtectedFileChanged" or not restored:
        return [f"the file was created and not put back: {result.get('error')!r}"]
    if not any("\\xff" in path for path in restored):
        return [f"the restored name should show its bytes as escapes: {restored}"]
    return []
