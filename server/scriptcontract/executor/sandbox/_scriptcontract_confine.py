"""Confinement applied by the bootstrap inside the child (placeholder: nothing yet).

Standard library only, Python 3.8 syntax. `apply(spec, report)` adds the names of the
protections it put in force to `report["enforced"]` and those it could not to
`report["missing"]`, with reasons in `report["details"]`.
"""

from __future__ import annotations

import sys
from typing import Any

ALL = ("filesystem", "network", "syscalls", "signals", "limits")


def apply(spec: dict[str, Any], report: dict[str, Any]) -> None:
    policy = spec.get("policy") or {}
    for name in ALL:
        if name == "network" and policy.get("network", True):
            continue
        report["missing"].append(name)
    report["details"]["reason"] = f"not implemented on {sys.platform} yet"
