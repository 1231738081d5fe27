"""The keeper process: what kills the executor's cold runs when the executor dies.

Started by `run_keeper.py` as `python -I -S keeper_main.py` with a pipe on its stdin, from
the executor's own interpreter. Each line on the pipe is `+PGID` (a cold run started: its
process group) or `-PGID` (it ended). When the pipe reaches its end, the executor is gone
(however it ended: a clean stop, a crash, SIGKILL, a closed terminal): every group still
registered is killed, then the keeper exits. It runs nothing else, holds nothing of any
run, and is outside every run's Landlock domain, so a script cannot signal it (below Linux
6.12, see docs/security.md). Standard library only.
"""

import contextlib
import os
import signal


def main() -> None:
    groups = set()
    pending = b""
    while True:
        try:
            chunk = os.read(0, 4096)
        except InterruptedError:
            continue
        except OSError:
            chunk = b""
        if not chunk:
            break
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            if line[:1] in (b"+", b"-") and line[1:].isdigit():
                pgid = int(line[1:])
                if line[:1] == b"+":
                    groups.add(pgid)
                else:
                    groups.discard(pgid)
    for pgid in groups:
        with contextlib.suppress(OSError):
            os.killpg(pgid, signal.SIGKILL)


if __name__ == "__main__":
    main()
