"""Secrets of the caller: environment, earlier runs' memory, descriptors."""

from __future__ import annotations

from tests.hostile.arena import INHERITED_FILE_FD
from tests.hostile.cases.checks import (
    descriptors_not_inherited,
    no_earlier_secret_in_memory,
    no_secret_seen,
)
from tests.hostile.cases.model import Expect, HostileCase

CASES: tuple[HostileCase, ...] = (
    # Secrets of the caller
    HostileCase(
        "parent_env_secrets",
        "looks for the caller's tokens in its environment and in /proc/self/environ",
        """
        import hashlib
        names = INPUTS["secret_names"]
        raw = open("/proc/self/environ", "rb").read()
        report(
            seen=[n for n in names if n in os.environ],
            in_proc=[n for n in names if n.encode() in raw],
            digests=[hashlib.sha256(v.encode()).hexdigest() for v in os.environ.values()],
        )
        """,
        extra=no_secret_seen,
    ),
    HostileCase(
        "warm_memory_of_earlier_runs",
        "scans its own memory (inherited, in a warm run, from the runner) for the environment, "
        "arguments and inputs of an earlier run of the same executor",
        """
        import hashlib, re
        pattern = re.compile(rb"hostile-run-secret-([0-9a-f]{32})")
        # The positive control: a secret of this run, made at run time, must be found.
        digest = hashlib.md5(INPUTS["token"].encode()).hexdigest()
        control = b"hostile-run-secret-" + digest.encode()
        found = set()
        with open("/proc/self/maps") as maps:
            regions = [line.split() for line in maps]
        mem = os.open("/proc/self/mem", os.O_RDONLY)
        for region in regions:
            start, end = (int(x, 16) for x in region[0].split("-"))
            if "r" not in region[1] or end - start > 1 << 28:
                continue
            if len(region) > 5 and region[5].startswith(("[vvar", "[vsyscall")):
                continue
            try:
                data = os.pread(mem, end - start, start)
            except OSError:
                continue
            found.update(match.decode() for match in pattern.findall(data))
        report(found=sorted(found), control_held=len(control))
        """,
        earlier_run=True,
        needs=("landlock:1",),
        extra=no_earlier_secret_in_memory,
    ),
    HostileCase(
        "inherited_descriptors",
        "looks for descriptors the caller left open without CLOEXEC: a file outside the "
        "project and a socket",
        f"""
        targets = []
        for name in os.listdir("/proc/self/fd"):
            try:
                targets.append(os.readlink("/proc/self/fd/" + name))
            except OSError:
                pass
        for fd in INPUTS["inherited"]:
            attempt(f"fstat {{fd}}", lambda fd=fd: os.fstat(fd))
            attempt(f"read {{fd}}", lambda fd=fd: os.read(fd, 64))
        attempt("dup {INHERITED_FILE_FD}", lambda: os.dup({INHERITED_FILE_FD}))
        report(fds=targets)
        """,
        Expect(attempts_at_least=5, refused_with=frozenset({"EBADF"})),
        no_control="no policy hands the descriptors on: the arena opens them without CLOEXEC "
        "in the test process, and the script's own listing must show its stdio",
        extra=descriptors_not_inherited,
    ),
    HostileCase(
        "temp_dir_traps",
        "leaves a symlink to the canary, a locked directory and a FIFO in its private temp dir, "
        "hoping the clean-up follows or chokes on them",
        """
        import tempfile
        temp = tempfile.gettempdir()
        os.symlink(INPUTS["canary"], temp + "/trap")
        os.makedirs(temp + "/locked/deeper")
        open(temp + "/locked/deeper/file", "w").write("x")
        try:  # a run as root changes no mode: nothing is locked then
            os.chmod(temp + "/locked/deeper", 0)
            os.chmod(temp + "/locked", 0)
        except PermissionError:
            pass
        try:  # a FIFO too, where the filter lets one be made (it refuses them)
            os.mkfifo(temp + "/fifo")
        except PermissionError:
            pass
        report()
        """,
    ),
)
