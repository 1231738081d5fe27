"""`scriptcontract doctor`, run as the real CLI: probes that confirm or refute each protection."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.cli.runner import scriptcontract
from tests.conftest import Project
from tests.executor.test_sandbox_platform import LANDLOCK_ABI, SECCOMP, needs_landlock

# The probes expect every protection. The doctor's usage errors need none: they are in
# tests/cli/test_doctor_usage.py, which always runs.
pytestmark = pytest.mark.skipif(
    not (LANDLOCK_ABI >= 6 and SECCOMP),
    reason=f"needs Landlock ABI >= 6 (have {LANDLOCK_ABI}) and seccomp: the probes expect both",
)


def by_name(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in report["protections"]}


def configure(project: Project, sandbox_toml: str) -> None:
    project.write("pyproject.toml", f"[tool.scriptcontract.sandbox]\n{sandbox_toml}\n")


def test_every_protection_is_confirmed_here(project: Project) -> None:
    done = scriptcontract("doctor", "--root", str(project.root), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] is True
    found = by_name(report)
    assert set(found) == {"filesystem", "network", "syscalls", "signals", "limits", "processes"}
    for name, item in found.items():
        assert item["status"] == "enforced", (name, item)
        assert item["confirmed"] is True, (name, item)
        assert not any("ALLOWED" in line for line in item["probes"]), item
        # Probed in both modes: a warm run is confined in another process, by the same code.
        assert {line.split(":")[0] for line in item["probes"]} >= {"cold", "warm"}, item
    syscalls = "\n".join(found["syscalls"]["probes"])
    for made in (
        "a SysV shared memory segment",
        "a memory file",
        "a unix datagram socket pair",
        "a user namespace",
    ):
        assert f"refused: {made}" in syscalls
    # Through the interpreter's own os.chmod, past the sandbox's: the filter's answer.
    assert "refused: making " in syscalls
    assert "private.txt readable by all: Operation not permitted" in syscalls
    # The default policy allows the network: the machine can deny it, this project does not.
    assert found["network"]["effective"] is False
    assert "network = true" in found["network"]["policy_note"]
    assert found["filesystem"]["effective"] is True


def test_readable_output(project: Project) -> None:
    done = scriptcontract("doctor", "--root", str(project.root))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "✓ filesystem  enforced: Landlock ABI" in done.stdout
    assert "refused: reading /etc/passwd" in done.stdout
    assert "- network" in done.stdout  # off by the project's choice, not the machine's fault
    # Said plainly: whose policy (no configuration: the default one), and what it leaves off.
    assert "note: the default policy allows the network (network = true): runs may use it" in (
        done.stdout
    )
    assert done.stdout.rstrip().endswith(
        "Every protection the default policy turns on is effective here. The default policy "
        "leaves the network open to runs (network = true): its choice, not a fault of this "
        "machine."
    )
    # -q: the verdict alone, the same line.
    quiet = scriptcontract("doctor", "-q", "--root", str(project.root))
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout.splitlines() == [done.stdout.rstrip().splitlines()[-1]]
    # The control: with a configuration, the project's policy is named.
    configure(project, "network = true")
    configured = scriptcontract("doctor", "--root", str(project.root))
    assert configured.stdout.rstrip().endswith(
        "Every protection the project's policy turns on is effective here. The project's "
        "policy leaves the network open to runs (network = true): its choice, not a fault of "
        "this machine."
    )


@needs_landlock()
def test_required_protection_turned_off_fails(project: Project) -> None:
    configure(project, 'filesystem = false\nrequire = ["filesystem"]')
    done = scriptcontract("doctor", "--root", str(project.root))
    assert done.returncode == 1
    assert "✗ filesystem  missing, required: off in the policy" in done.stdout
    assert "ALLOWED: read /etc/passwd" in done.stdout  # the probe tells what got through
    assert done.stdout.rstrip().endswith(
        "Required by the project's policy but not effective here: filesystem"
    )


def test_required_network_denial_while_the_policy_allows_it_fails(project: Project) -> None:
    configure(project, 'require = ["network"]')
    done = scriptcontract("doctor", "--root", str(project.root), "--json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["ok"] is False
    assert by_name(report)["network"]["required"] is True


def test_denied_network_required_and_confirmed(project: Project) -> None:
    configure(project, 'network = false\nrequire = ["network", "filesystem", "syscalls"]')
    done = scriptcontract("doctor", "--root", str(project.root), "--json")
    assert done.returncode == 0, done.stdout
    network = by_name(json.loads(done.stdout))["network"]
    assert network["effective"] is True
    assert any("TCP connect" in line for line in network["probes"])


def test_with_the_filter_off_the_probe_changes_a_mode_outside(project: Project) -> None:
    # The positive control of the chmod probe: it can tell a refusal from nothing happening.
    configure(project, "syscalls = false")
    done = scriptcontract("doctor", "--root", str(project.root), "--json")
    assert done.returncode == 0, done.stderr
    syscalls = "\n".join(by_name(json.loads(done.stdout))["syscalls"]["probes"])
    assert "private.txt readable by all" in syscalls
    assert "cold: ALLOWED: made " in syscalls
    assert "private.txt changed" in syscalls  # seen from outside the run too
