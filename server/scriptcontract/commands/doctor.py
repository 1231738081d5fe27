"""`scriptcontract doctor`: run probe scripts in the sandbox and show which protections hold.

Each protection is judged twice: what the sandbox *reports* (enforced or missing, and
why) and what a probe script *sees* when it tries the forbidden thing (reading a path
built at run time, listing `/`, writing outside the project, a TCP connection with the
network denied, setsid, ptrace, signalling the executor, a fork beyond the cap, memory
beyond the limit). Exit status: 0 when every protection the project's policy requires
is effective, 1 when one is not (or a probe contradicts the report), 2 for a set-up error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import socket
import stat
import sys
import tempfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from scriptcontract.commands.interpreter_flag import add_python_flag
from scriptcontract.config import find_project_root
from scriptcontract.executor import ExecutionResult, PythonExecutor, SandboxPolicy
from scriptcontract.executor.interpreter import interpreter_path
from scriptcontract.executor.policy import (
    FILESYSTEM,
    LIMITS,
    NETWORK,
    PROCESSES,
    PROTECTIONS,
    SIGNALS,
    SYSCALLS,
)
from scriptcontract.executor.sandbox import PROBE
from scriptcontract.nested_configs import DOCTOR_STARTED_IN, vouched_config
from scriptcontract.trust import baseline_for, check_trust, loosenings
from scriptcontract.virtual_envs import top_level_environments

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
PYTHON = "executor.python"
PROBE_TIMEOUT_MS = 20000
# Small enough to probe quickly; the mechanism is the same at the project's own values.
PROBE_MEMORY_MB = 256
PROBE_MAX_PROCESSES = 8


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--root",
        metavar="DIR",
        help="project whose sandbox policy to check (default: the nearest directory with a "
        "scriptcontract.toml or pyproject.toml, else the current one)",
    )
    add_python_flag(parser, "interpreter scripts run with")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print the verdict alone (its last line), not each protection's probes",
    )


@dataclass
class Verdict:
    """One protection on this machine, for this project's policy."""

    name: str
    status: str  # "enforced" or "missing", as the run's sandbox report says
    reason: str  # the report's detail: how it is enforced, or why it is missing
    confirmed: bool | None  # the probe saw it hold (None: no probe could tell)
    probes: list[str] = field(default_factory=list)
    required: bool = False
    policy_note: str | None = None  # the project's policy turns it off

    @property
    def effective(self) -> bool:
        return self.status == "enforced" and self.confirmed is True and not self.policy_note

    @property
    def contradicted(self) -> bool:
        """Reported enforced, yet the probe got through: the report cannot be trusted."""
        return self.status == "enforced" and self.confirmed is False


@dataclass
class Probe:
    """One probe: its policy, its checks (`name=arg`) and which protection each tests, and
    its result in each mode (a warm run is confined by the same code in another process,
    and must be seen to hold as well)."""

    policy: SandboxPolicy
    checks: dict[str, str]  # check -> protection
    results: dict[str, ExecutionResult] = field(default_factory=dict)  # mode -> result


MODES = ("cold", "warm")


def run(args: argparse.Namespace) -> int:
    if args.root is not None:
        root = Path(args.root)
        if not root.is_dir():
            return _fail(f"--root {args.root} is not a directory")
    else:
        root = find_project_root(Path.cwd()) or Path.cwd()
    # The probe starts the configuration's interpreter outside the sandbox: a configuration
    # a run could have written, or an interpreter nobody trusted, is not used (as in `run`).
    # Its sandbox settings, loosened or not, only confine doctor's own probes: no trust.
    config, unvouched = vouched_config(
        root, Path.cwd(), DOCTOR_STARTED_IN, chosen=args.root is not None
    )
    if unvouched is not None:
        return _fail(f"{unvouched}; nothing was probed")
    for error in config.errors:
        print(f"scriptcontract doctor: warning: {error}", file=sys.stderr)
    probes_only = [i.key for i in loosenings(config, baseline_for(root)) if i.key != PYTHON]
    verdict = check_trust(root, config, given=[*probes_only, *([PYTHON] if args.python else [])])
    if not verdict.ok:
        return _fail(verdict.message())
    # Relative to this project's root, not to the scratch project the probes run in.
    python = interpreter_path(args.python or config.executor.python, root.resolve())
    try:
        report = asyncio.run(diagnose(root, config.sandbox, python))
    except SetupError as exc:
        return _fail(str(exc))
    report["config"] = config.source
    if args.json:
        print(json.dumps(report, indent=2))
    elif args.quiet:
        print(_conclusion(report["protections"], _whose(report)))
    else:
        print(render(report))
    return EXIT_OK if report["ok"] else EXIT_FAILED


class SetupError(Exception):
    """The doctor could not start its probes; the message is for the user."""


def _fail(message: str) -> int:
    print(f"scriptcontract doctor: error: {message}", file=sys.stderr)
    return EXIT_USAGE


async def diagnose(root: Path, policy: SandboxPolicy, python: str) -> dict[str, Any]:
    """Run the probes under `policy` with `python`; the findings as a JSON-ready dict."""
    workdir = Path(tempfile.mkdtemp(prefix="scriptcontract-doctor-"))
    try:
        return await _diagnose(workdir, root, policy, python)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


async def _diagnose(
    workdir: Path, root: Path, policy: SandboxPolicy, python: str
) -> dict[str, Any]:
    project, outside = workdir / "project", workdir / "outside"
    project.mkdir()
    outside.mkdir()
    shutil.copyfile(PROBE, project / "probe.py")
    executor = PythonExecutor(project, default_timeout_ms=PROBE_TIMEOUT_MS, python_path=python)
    info = await executor.python_info()
    if not info.available or info.interpreter is None:
        raise SetupError(info.error or f"cannot run {python}")

    tcp = await _TcpListener.start()
    udp = _udp_listener()
    target = outside / "written-by-probe.txt"
    private = outside / "private.txt"  # stands for a key in the home
    private.write_text("not a secret\n")
    private.chmod(0o600)
    base = replace(policy, require=[])
    home = str(Path.home())
    probes = [
        Probe(
            base,
            {
                "read_passwd": FILESYSTEM,
                "list_dir=/": FILESYSTEM,
                f"list_dir={home}": FILESYSTEM,
                f"write_file={target}": FILESYSTEM,
                f"chmod_outside={private}": SYSCALLS,
                "signal_parent": SIGNALS,
                "unix_socket": SYSCALLS,
                "ptrace": SYSCALLS,
                "sysv_ipc": SYSCALLS,
                "memfd": SYSCALLS,
                "dgram_socketpair": SYSCALLS,
                "user_namespace": SYSCALLS,
                "raise_limit": LIMITS,
                "setsid": SYSCALLS,
            },
        ),
        Probe(
            replace(base, network=False),
            {
                f"tcp_connect=127.0.0.1:{tcp.port}": NETWORK,
                f"udp_send=127.0.0.1:{udp.getsockname()[1]}": NETWORK,
            },
        ),
        Probe(
            replace(base, memory_mb=min(policy.memory_mb, PROBE_MEMORY_MB)),
            {f"memory={2 * min(policy.memory_mb, PROBE_MEMORY_MB)}": LIMITS},
        ),
        Probe(
            replace(base, max_processes=min(policy.max_processes, PROBE_MAX_PROCESSES)),
            {f"fork_beyond={min(policy.max_processes, PROBE_MAX_PROCESSES) + 4}": PROCESSES},
        ),
    ]
    try:
        runs = [(probe, mode) for probe in probes for mode in MODES]
        results = await asyncio.gather(*(_run_probe(executor, probe, mode) for probe, mode in runs))
        for (probe, mode), result in zip(runs, results, strict=True):
            probe.results[mode] = result
        # What the probes' targets saw themselves, beside what the probes report.
        leaks = {
            FILESYSTEM: [f"the probe's file appeared at {target}"] if target.exists() else [],
            NETWORK: tcp.seen() + _udp_seen(udp),
            SYSCALLS: [f"the mode of {private} changed"]
            if stat.S_IMODE(private.stat().st_mode) != 0o600
            else [],
        }
    finally:
        tcp.close()
        udp.close()
    verdicts = [_verdict(name, probes, policy, leaks.get(name, [])) for name in PROTECTIONS]
    return {
        "platform": f"{platform.system()} {platform.release()} {platform.machine()}",
        "user": "root" if hasattr(os, "geteuid") and os.geteuid() == 0 else "not root",
        "python": {
            "version": info.version,
            "executable": info.interpreter.executable,
            # The project's virtual environments runs do not use (none is picked up unnamed).
            "unused_environments": [
                os.path.relpath(venv, root.resolve())
                for venv in top_level_environments(root.resolve())
                if os.path.realpath(venv) != os.path.realpath(info.interpreter.venv or os.sep)
            ],
        },
        "project_root": str(root.resolve()),
        "protections": [
            {**asdict(v), "effective": v.effective, "contradicted": v.contradicted}
            for v in verdicts
        ],
        "ok": all(v.effective for v in verdicts if v.required)
        and not any(v.contradicted for v in verdicts),
    }


async def _run_probe(executor: PythonExecutor, probe: Probe, mode: str) -> ExecutionResult:
    runner = PythonExecutor(
        executor.project_root,
        default_timeout_ms=PROBE_TIMEOUT_MS,
        python_path=executor.python_path,
        sandbox=probe.policy,
        mode="warm" if mode == "warm" else "cold",
    )
    return await runner.execute_script("probe.py", {}, args=list(probe.checks))


def _verdict(name: str, probes: list[Probe], policy: SandboxPolicy, leaks: list[str]) -> Verdict:
    mine = [p for p in probes if name in p.checks.values()]
    statuses: dict[str, tuple[str, str]] = {}
    for mode in MODES:
        result = mine[0].results.get(mode) if mine else None
        report = result.sandbox if result is not None else None
        if report is not None and name in report.enforced:
            how = report.details.get(name, "")
            if name == LIMITS and report.details.get("cgroup"):
                how += "; " + report.details["cgroup"]
            statuses[mode] = ("enforced", how)
        else:
            why = report.details.get(name, "not reported") if report is not None else "no report"
            statuses[mode] = ("missing", why)
    status, reason = statuses["cold"]
    if statuses["warm"][0] != status:  # the modes disagree: say which lacks it
        status = "missing"
        reason = "; ".join(f"{mode}: {s} ({r})" for mode, (s, r) in statuses.items())
    outcomes: list[bool | None] = []
    lines: list[str] = []
    for probe in mine:
        for mode in MODES:
            found, seen = _probe_outcomes(name, probe, mode)
            outcomes += found
            lines += [f"{mode}: {line}" for line in seen]
    if leaks:
        outcomes.append(False)
        lines += leaks
    known = [o for o in outcomes if o is not None]
    confirmed = None if not known else all(known)
    return Verdict(
        name=name,
        status=status,
        reason=reason,
        confirmed=confirmed,
        probes=lines,
        required=name in policy.require,
        policy_note=_policy_note(name, policy),
    )


def _probe_outcomes(name: str, probe: Probe, mode: str) -> tuple[list[bool | None], list[str]]:
    result = probe.results.get(mode)
    if result is None:
        return [None], ["probe did not run"]
    if name == PROCESSES and result.error_type == "ProcessLimitExceeded":
        return [True], [f"a run with more than {probe.policy.max_processes} processes was stopped"]
    checks = (result.output or {}).get("checks") if result.success else None
    if not isinstance(checks, dict):
        return [None], [f"probe failed: {result.error}"]
    outcomes: list[bool | None] = []
    lines: list[str] = []
    for check, protection in probe.checks.items():
        if protection != name:
            continue
        found = checks.get(check) or {}
        blocked = found.get("blocked")
        outcomes.append(blocked if isinstance(blocked, bool) else None)
        mark = {True: "refused", False: "ALLOWED", None: "not tried"}[outcomes[-1]]
        lines.append(f"{mark}: {found.get('detail', check)}")
    return outcomes, lines


def _policy_note(name: str, policy: SandboxPolicy) -> str | None:
    """What the policy turns off, said after whose policy it is (`render`)."""
    if not policy.enabled:
        return "disables the sandbox (enabled = false): runs are not confined"
    if name == FILESYSTEM and not policy.filesystem:
        return "turns it off (filesystem = false): runs may read and write any file"
    if name == SYSCALLS and not policy.syscalls:
        return "turns it off (syscalls = false): runs may make any system call"
    if name == NETWORK and policy.network:
        return (
            "allows the network (network = true): runs may use it; probed with "
            "network = false, to show whether this machine can deny it"
        )
    return None


# What a policy leaves off, for the last line: the setting, and what it means for runs.
LEFT_OFF = {
    FILESYSTEM: "the filesystem protection off (filesystem = false)",
    NETWORK: "the network open to runs (network = true)",
    SYSCALLS: "the syscall filter off (syscalls = false)",
}


class _TcpListener:
    """A listener on 127.0.0.1 that counts who connects: a refusal must be the sandbox's."""

    def __init__(self, server: asyncio.Server) -> None:
        self.server = server
        self.connections = 0
        self.port = int(server.sockets[0].getsockname()[1])

    @classmethod
    async def start(cls) -> _TcpListener:
        holder: list[_TcpListener] = []

        def accepted(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            holder[0].connections += 1
            writer.close()

        listener = cls(await asyncio.start_server(accepted, "127.0.0.1", 0))
        holder.append(listener)
        return listener

    def seen(self) -> list[str]:
        return [f"the listener accepted {self.connections} connection(s)"] * bool(self.connections)

    def close(self) -> None:
        self.server.close()


def _udp_listener() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.setblocking(False)
    return sock


def _udp_seen(sock: socket.socket) -> list[str]:
    try:
        sock.recv(64)
    except BlockingIOError:
        return []
    return ["the UDP listener received a datagram"]


def render(report: dict[str, Any]) -> str:
    """The findings for a person: one block per protection, then the verdict."""
    python = report["python"]
    lines = [
        "scriptcontract doctor",
        f"  machine: {report['platform']}, running as {report['user']}",
        f"  python:  {python['version']} ({python['executable']})",
        *(
            f"           not {venv}/, the project's virtual environment: "
            f'`python = "{venv}/bin/python"` under [executor] names it'
            for venv in python.get("unused_environments", [])
        ),
        f"  project: {report['project_root']}"
        + (f" (policy from {report['config']})" if report.get("config") else " (default policy)"),
        "",
    ]
    width = max(len(name) for name in PROTECTIONS)
    for item in report["protections"]:
        if item["effective"]:
            mark = "✓"
        elif item["policy_note"] and not item["required"] and not item["contradicted"]:
            mark = "-"  # the project chose to do without it; not a fault of the machine
        else:
            mark = "✗"
        required = ", required" if item["required"] else ""
        lines.append(
            f"{mark} {item['name']:<{width}}  {item['status']}{required}: {item['reason']}"
        )
        if item["confirmed"] is True:
            summary = "the probe confirmed it"
        elif item["confirmed"] is False:
            summary = "the probe got through"
        else:
            summary = "the probe could not tell"
        lines.append(f"    {summary}")
        lines += [f"      {line}" for line in item["probes"]]
        if item["policy_note"]:
            lines.append(f"    note: {_whose(report)} {item['policy_note']}")
    lines.append("")
    lines.append(_conclusion(report["protections"], _whose(report)))
    return "\n".join(lines)


def _whose(report: dict[str, Any]) -> str:
    return "the project's policy" if report.get("config") else "the default policy"


def _conclusion(protections: list[dict[str, Any]], whose: str) -> str:
    contradicted = [p["name"] for p in protections if p["contradicted"]]
    failing = [p["name"] for p in protections if p["required"] and not p["effective"]]
    if contradicted:
        return (
            "Reported as enforced but the probe got through: "
            + ", ".join(contradicted)
            + ". Please report this as a bug."
        )
    if failing:
        return f"Required by {whose} but not effective here: " + ", ".join(failing)
    off = [p for p in protections if p["policy_note"] and not p["effective"]]
    open_ones = [p["name"] for p in protections if not p["effective"] and p not in off]
    if any("enabled = false" in p["policy_note"] for p in off):
        left = "the whole sandbox off (enabled = false)"
    else:
        left = ", ".join(LEFT_OFF.get(p["name"], p["name"]) for p in off)
    subject = whose[0].upper() + whose[1:]
    tail = f" {subject} leaves {left}: its choice, not a fault of this machine." if off else ""
    if open_ones:
        return f"Not effective on this machine, and not required: {', '.join(open_ones)}.{tail}"
    return f"Every protection {whose} turns on is effective here.{tail}"
