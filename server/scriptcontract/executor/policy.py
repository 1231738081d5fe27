"""The sandbox policy: which protections a run asks for, as the project configures them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from scriptcontract.executor.project_layout import DEFAULT_PROTECTED
from scriptcontract.toml_names import to_kebab

# Names of the protections, as they appear in `SandboxReport.enforced` / `.missing`
# and in `SandboxPolicy.require`.
FILESYSTEM = "filesystem"  # Landlock: read-only system paths, read-write project + temp dir
NETWORK = "network"  # Landlock TCP rules + seccomp socket filter (only when network = false)
SYSCALLS = "syscalls"  # seccomp: no setsid/setpgid, ptrace, io_uring, bpf, mount, unshare, ...
SIGNALS = "signals"  # Landlock scope: signals only within the run
LIMITS = "limits"  # rlimits: memory, CPU, file size, open files, no core dumps
PROCESSES = "processes"  # a cap on the number of live processes of the run
PROTECTIONS = (FILESYSTEM, NETWORK, SYSCALLS, SIGNALS, LIMITS, PROCESSES)


class SandboxPolicy(BaseModel):
    """What the sandbox should enforce for a run.

    Every protection is best effort unless named in `require`: where the platform
    lacks it, the run goes ahead and the result's `sandbox.missing` says so.
    """

    model_config = ConfigDict(extra="forbid", alias_generator=to_kebab, populate_by_name=True)

    enabled: bool = True
    filesystem: bool = Field(True, description="Confine file access with Landlock.")
    network: bool = Field(True, description="Allow network access (the seed's API-call pattern).")
    syscalls: bool = Field(True, description="Deny escape-prone system calls with seccomp.")
    cgroup: bool = Field(
        False,
        description="Limit the memory and tasks of the whole run with a control group, "
        "where the executor can make one (moving a process into one waits for the kernel: "
        "~10 ms a run here).",
    )
    read_paths: list[str] = Field(
        default_factory=list, description="Extra paths the script may read (absolute)."
    )
    write_paths: list[str] = Field(
        default_factory=list, description="Extra paths the script may read and write (absolute)."
    )
    memory_mb: int = Field(2048, ge=16, description="Address-space limit per process, MiB.")
    file_size_mb: int = Field(1024, ge=1, description="Largest file a script may write, MiB.")
    open_files: int = Field(1024, ge=16, description="Open file descriptors per process.")
    max_processes: int = Field(64, ge=1, description="Live processes a run may have at once.")
    max_threads: int = Field(
        512, ge=1, description="Live threads of all its processes a run may have at once."
    )
    cpu_margin_s: int = Field(
        2, ge=0, description="CPU-time limit = timeout + this margin, seconds."
    )
    protected_paths: list[str] = Field(
        default_factory=lambda: list(DEFAULT_PROTECTED),
        description="Project paths runs may not change: the kernel keeps them read-only.",
    )
    require: list[str] = Field(
        default_factory=list,
        description="Protections without which the run is refused (see PROTECTIONS).",
    )
