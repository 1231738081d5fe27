"""The sandbox policy: which protections a run asks for, as the project configures them."""

from __future__ import annotations

from dataclasses import dataclass, field

from scriptcontract.executor.project_layout import DEFAULT_PROTECTED

# Names of the protections, as they appear in `SandboxReport.enforced` / `.missing`
# and in `SandboxPolicy.require`.
FILESYSTEM = "filesystem"  # Landlock: read-only system paths, read-write project + temp dir
NETWORK = "network"  # Landlock TCP rules + seccomp socket filter (only when network = false)
SYSCALLS = "syscalls"  # seccomp: no setsid/setpgid, ptrace, io_uring, bpf, mount, unshare, ...
SIGNALS = "signals"  # Landlock scope: signals only within the run
LIMITS = "limits"  # rlimits: memory, CPU, file size, open files, no core dumps
PROCESSES = "processes"  # a cap on the number of live processes of the run
PROTECTIONS = (FILESYSTEM, NETWORK, SYSCALLS, SIGNALS, LIMITS, PROCESSES)


@dataclass(frozen=True, kw_only=True)
class SandboxPolicy:
    """What the sandbox should enforce for a run (`[tool.scriptcontract.sandbox]`).

    Every protection is best effort unless named in `require`: where the platform
    lacks it, the run goes ahead and the result's `sandbox.missing` says so.
    """

    enabled: bool = True
    filesystem: bool = True  # confine file access with Landlock
    network: bool = True  # allow network access (the seed's API-call pattern)
    syscalls: bool = True  # deny escape-prone system calls with seccomp
    # Limit the memory and tasks of the whole run with a control group, where the executor
    # can make one (moving a process into one waits for the kernel: ~10 ms a run here).
    cgroup: bool = False
    read_paths: list[str] = field(default_factory=list)  # extra paths to read (absolute)
    write_paths: list[str] = field(default_factory=list)  # and to read and write
    # Address-space limit per process, MiB.
    memory_mb: int = field(default=2048, metadata={"ge": 16})
    # Largest file a script may write, MiB.
    file_size_mb: int = field(default=1024, metadata={"ge": 1})
    # Open file descriptors per process.
    open_files: int = field(default=1024, metadata={"ge": 16})
    # Live processes a run may have at once.
    max_processes: int = field(default=64, metadata={"ge": 1})
    # Live threads of all its processes a run may have at once.
    max_threads: int = field(default=512, metadata={"ge": 1})
    # CPU-time limit = timeout + this margin, seconds.
    cpu_margin_s: int = field(default=2, metadata={"ge": 0})
    # Project paths runs may not change: the kernel keeps them read-only.
    protected_paths: list[str] = field(default_factory=lambda: list(DEFAULT_PROTECTED))
    # Protections without which the run is refused (see PROTECTIONS).
    require: list[str] = field(default_factory=list)
