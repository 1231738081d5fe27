"""Output, input and crashes: floods, junk, unread stdin, signals, exits."""

from __future__ import annotations

from tests.hostile.cases.checks import (
    no_core_file,
)
from tests.hostile.cases.model import Expect, HostileCase

_CRASH = frozenset({"SIGSEGV", "RecursionError", "MemoryError", "SIGKILL"})

CASES: tuple[HostileCase, ...] = (
    # Output
    HostileCase(
        "stdout_flood",
        "writes four times the output limit (1 MB) to stdout in 64 KB chunks, then a result",
        # Finite, so that a limit that no longer holds shows at once as the wrong error (the
        # flood read whole, then not JSON) instead of as a timeout, which a loaded machine
        # can also give. A flooder the executor stops reading but does not kill blocks on the
        # full pipe: a timeout, and the wrong error too.
        """
        chunk = "x" * 65536
        for _ in range(4 * 1024 * 1024 // len(chunk)):
            sys.stdout.write(chunk)
        report()
        """,
        Expect(success=False, error_type=("OutputLimitExceeded",)),
        executor={"stdout_limit": 1024 * 1024},
    ),
    HostileCase(
        "stderr_flood",
        "writes to stderr without end",
        """
        chunk = "x" * 65536
        while True:
            sys.stderr.write(chunk)
        """,
        Expect(success=False, error_type=("OutputLimitExceeded",)),
    ),
    HostileCase(
        "one_100mb_line",
        "writes one 100 MB line to stdout",
        'sys.stdout.write("a" * 100_000_000)\n',
        Expect(success=False, error_type=("OutputLimitExceeded",)),
        executor={"stdout_limit": 1024 * 1024},
    ),
    HostileCase(
        "binary_junk",
        "writes random bytes to stdout and stderr and exits 0",
        """
        os.write(1, os.urandom(256 * 1024))
        os.write(2, os.urandom(64 * 1024))
        """,
        Expect(
            success=False,
            error_type=("InvalidJSONOutput",),
            error_startswith="Invalid JSON output from script",
        ),
    ),
    HostileCase(
        "invalid_utf8",
        "writes a JSON object holding bytes that are not UTF-8",
        """
        os.write(1, b'{"success": true, "name": "\\xff\\xfe"}\\n')
        os.write(2, b"\\xff\\xfe not utf-8\\n")
        """,
        Expect(
            success=False,
            error_type=("InvalidJSONOutput",),
            error_startswith="Invalid JSON output from script: stdout is not valid UTF-8",
        ),
    ),
    HostileCase(
        "lone_surrogates",
        "writes JSON whose strings (and keys) escape lone UTF-16 surrogates, which no UTF-8 "
        "encoder accepts: the result must still serialise",
        r"""
        print(r'{"success": true, "name": "\ud800", "\udfff": "x\udbff", "ok": "\ud83d\ude00"}')
        """,
        Expect(output={"name": "\ufffd", "\ufffd": "x\ufffd", "ok": "\U0001f600"}),
    ),
    HostileCase(
        "deeply_nested_json",
        "writes 200,000 nested arrays",
        'sys.stdout.write("[" * 200000 + "]" * 200000)\n',
        Expect(success=False, error_type=("InvalidJSONOutput",)),
    ),
    HostileCase(
        "huge_integer_json",
        "writes a JSON number with 100,000 digits",
        """sys.stdout.write('{"n": ' + "9" * 100000 + '}')\n""",
        Expect(success=False, error_type=("InvalidJSONOutput",)),
    ),
    # Input
    HostileCase(
        "never_reads_50mb_stdin",
        "never reads its 50 MB of inputs and exits at once",
        'import json\nprint(json.dumps({"success": True}))\n',
        prelude=False,
        big_input_mb=50,
    ),
    HostileCase(
        "never_reads_stdin_and_hangs",
        "never reads its 50 MB of inputs and never exits",
        "import time\ntime.sleep(3600)\n",
        Expect(success=False, timed_out=True, error_type=("TimeoutError",)),
        prelude=False,
        timeout_ms=1000,
        big_input_mb=50,
    ),
    HostileCase(
        "closes_stdout_early",
        "closes stdout and stderr first thing, then exits 0",
        "import os, time\nos.close(1)\nos.close(2)\ntime.sleep(0.2)\n",
        Expect(success=False, error_startswith="Invalid JSON output from script"),
        prelude=False,
    ),
    # Crashes
    HostileCase(
        "segfault",
        "dereferences NULL through ctypes",
        "ctypes.string_at(0)\n",
        Expect(success=False, error_type=("SIGSEGV",), error_startswith="Script was killed"),
    ),
    HostileCase(
        "infinite_recursion",
        "recurses without end at the default limit",
        "def f(n):\n    return f(n + 1) + 1\nf(0)\n",
        Expect(success=False, error_type=("RecursionError",), exit_code=1),
    ),
    HostileCase(
        "c_stack_overflow",
        "lifts the recursion limit and recurses through C until the stack runs out",
        """
        sys.setrecursionlimit(10 ** 7)
        def f():
            return list(map(lambda _: f(), [0]))
        f()
        """,
        Expect(success=False, error_type=tuple(_CRASH)),
    ),
    HostileCase(
        "os_exit_3",
        "leaves with os._exit(3), skipping all clean-up",
        "import os\nos._exit(3)\n",
        Expect(success=False, exit_code=3, error_startswith="Script exited with code 3"),
        prelude=False,
    ),
    HostileCase(
        "abort_without_core",
        "aborts: killed by SIGABRT, and no core file is written",
        "import os\nos.abort()\n",
        Expect(success=False, error_type=("SIGABRT",)),
        prelude=False,
        extra=no_core_file,
    ),
)
