"""Confinement applied by the bootstrap inside the child, before the script runs.

Standard library only, Python 3.8 syntax: this runs in the *script's* interpreter.
`apply(spec, report)` puts in force, in this order, what the platform allows:

1. `limits`: rlimits (memory, CPU, file size, open files, no core dumps; RLIMIT_NPROC when
   not root) and no capabilities left to raise them;
2. `filesystem` (+ `signals`, + TCP denial): Landlock at the best ABI the kernel has;
3. `syscalls` (+ `network` when it is denied): a seccomp filter.

no_new_privs comes first: Landlock and seccomp need it without CAP_SYS_ADMIN, and it
stops any later exec (setuid or file capabilities) from gaining privileges. Each step
adds its protection to `report["enforced"]`, or to `report["missing"]` with the reason in
`report["details"]`. Nothing raises out of `apply()`: a failing step is reported and the
next still runs.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds at start-up; only the type checker needs it
    from typing import Any


def apply(spec: dict[str, Any], report: dict[str, Any]) -> None:
    """Confine this process as `spec["policy"]` asks; record what holds in `report`."""
    # Imported here: a run with the sandbox disabled never pays for ctypes.
    from ._apply import apply as confine

    confine(spec, report)
