"""Why an exploration stopped, in the words every view says it (the CLI's report, the
server's answer that VS Code and Neovim show), so the three cannot drift apart."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scriptcontract.explore.session import Exploration


def why_stopped(exploration: Exploration) -> str:
    """`stopped at the time budget of 60 s`, `stopped at the run budget of 200 runs` or
    `every input the schema gave was run`."""
    budget = exploration.budget
    if exploration.stopped_by == "time":
        return f"stopped at the time budget of {budget.seconds:g} s"
    if exploration.stopped_by == "exhausted":
        return "every input the schema gave was run"
    text = f"stopped at the run budget of {budget.runs} run{'s' if budget.runs != 1 else ''}"
    if exploration.runs < budget.runs:
        # Generating stops short of the budget once something failed; shrinking may need
        # less than what was kept for it: "150 runs" must not read as a budget not reached.
        text += ", a quarter kept for shrinking"
    return text
