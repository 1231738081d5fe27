"""What `scriptcontract test --explore` prints: text or JSON.

Lines are 1-based, paths relative to the working directory when inside it. The seed is
always printed, with the command that replays the exploration; the time is kept to the
summary line (and `seconds` in JSON), so that one seed prints the same findings twice.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from scriptcontract.commands.test import shown
from scriptcontract.commands.test_report import FAILED
from scriptcontract.explore.stopping import why_stopped
from scriptcontract.shown_values import printable, printable_json

if TYPE_CHECKING:
    from scriptcontract.explore.saving import Saved
    from scriptcontract.explore.session import Exploration, Found

_ORIGINS = {
    "declared": "its declared schema",
    "model": "the model it reads its inputs into",
    "inferred": "its inferred schema",
}
_INPUT_CHARS = 400


class ExploreReport:
    def __init__(
        self,
        explorations: list[Exploration],
        cwd: Path,
        seconds: float,
        saved: dict[tuple[Path, int], Saved],
    ) -> None:
        self.explorations = explorations
        self.cwd = cwd
        self.seconds = seconds
        self.saved = saved

    @property
    def failure_count(self) -> int:
        return sum(len(exploration.failures) for exploration in self.explorations)

    @property
    def runs(self) -> int:
        return sum(exploration.runs for exploration in self.explorations)

    def where(self, exploration: Exploration, found: Found) -> str | None:
        signature = found.signature
        if signature.path is None:
            return None
        path = shown(exploration.root / signature.path, self.cwd)
        function = f" in {signature.function}" if signature.function else ""
        return f"{path}:{signature.line}{function}"

    def headline(self, exploration: Exploration, found: Found) -> str:
        signature = found.signature
        what = signature.what()
        where = self.where(exploration, found)
        message = found.message.splitlines()[0] if found.message else ""
        if signature.kind == "exception" and message.startswith(f"{what}"):
            message = message[len(str(what)) :].lstrip(": ")
        return f"{what}" + (f" at {where}" if where else "") + (f": {message}" if message else "")

    def replay(self) -> str:
        scripts = " ".join(
            shlex.quote(shown(exploration.script, self.cwd)) for exploration in self.explorations
        )
        seed = self.explorations[0].seed if self.explorations else 0
        return f"scriptcontract test --explore {scripts} --seed {seed}"

    # --- formats --------------------------------------------------------------------

    def write(self, fmt: str, out: TextIO, err: TextIO) -> None:
        # The scripts' stderr is in the report: escape sequences in it are shown, not obeyed.
        if fmt == "json":
            out.write(printable_json(json.dumps(self.as_json(), indent=2, ensure_ascii=False)))
            out.write("\n")
            err.write(printable(self.summary()) + "\n")
            return
        out.write(printable(self.text()))

    def summary(self) -> str:
        failures = self.failure_count
        found = f"{failures} failure{'s' if failures != 1 else ''}" if failures else "no failure"
        return f"{found} in {_runs(self.runs)} ({self.seconds:.1f} s); replay: {self.replay()}"

    def text(self) -> str:
        out: list[str] = []
        for exploration in self.explorations:
            script = shown(exploration.script, self.cwd)
            origin = _ORIGINS.get(exploration.origin, exploration.origin)
            out.append(
                f"{script}: {_runs(exploration.runs)} of inputs from {origin}, seed "
                f"{exploration.seed} ({why_stopped(exploration)})"
            )
            for index, found in enumerate(exploration.failures):
                out.append(f"  {FAILED} {self.headline(exploration, found)}")
                out.append(f"      smallest input: {_inputs_text(found.inputs)}")
                steps = (
                    f"shrunk in {found.shrink_steps} step{'s' if found.shrink_steps != 1 else ''}"
                )
                inputs = "input" if found.generated == 1 else "inputs"
                how = f"{found.generated} generated {inputs} failed this way"
                if not found.generated:
                    how = "found while shrinking another failure"
                out.append(f"      {how}; {steps}")
                saved = self.saved.get((exploration.script, index))
                if saved is not None:
                    out.append(f"      ✎ {saved.describe()}")
            if exploration.handled:
                counts = exploration.handled.most_common()
                answered = ", ".join(f"{name} ({_runs(n)})" for name, n in counts)
                out.append(f"  runs answered with an error object: {answered}")
            if exploration.not_started:
                out.append(
                    f"  {_runs(exploration.not_started)} refused before starting "
                    "(an input the executor does not allow, such as a path outside the project)"
                )
        out.append(self.summary())
        return "\n".join(out) + "\n"

    def found_json(self, exploration: Exploration, index: int, found: Found) -> dict[str, Any]:
        signature = found.signature
        saved = self.saved.get((exploration.script, index))
        path = shown(exploration.root / signature.path, self.cwd) if signature.path else None
        return {
            "kind": signature.kind,
            "error_type": signature.error_type,
            "message": found.message,
            "path": path,
            "line": signature.line,
            "function": signature.function,
            "inputs": found.inputs,
            "generated": found.generated,
            "shrink_steps": found.shrink_steps,
            "exit_code": found.result.exit_code,
            "stderr_tail": found.result.stderr.rstrip().splitlines()[-10:],
            "saved_as": saved.name if saved is not None else None,
            "not_saved": saved.problem if saved is not None else None,
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "scripts": [
                {
                    "script": shown(exploration.script, self.cwd),
                    "schema": exploration.origin,
                    "seed": exploration.seed,
                    "runs": exploration.runs,
                    "generated": exploration.generated,
                    "not_started": exploration.not_started,
                    "stopped_by": exploration.stopped_by,
                    "stopped": why_stopped(exploration),
                    "max_runs": exploration.budget.runs,
                    "max_seconds": exploration.budget.seconds,
                    "handled_errors": dict(exploration.handled.most_common()),
                    "failures": [
                        self.found_json(exploration, index, found)
                        for index, found in enumerate(exploration.failures)
                    ],
                    "seconds": round(exploration.seconds, 3),
                }
                for exploration in self.explorations
            ],
            "summary": {
                "runs": self.runs,
                "failures": self.failure_count,
                "seconds": round(self.seconds, 3),
                "replay": self.replay(),
            },
        }


def _inputs_text(inputs: dict[str, Any]) -> str:
    text = json.dumps(inputs, ensure_ascii=False)
    return text if len(text) <= _INPUT_CHARS else text[: _INPUT_CHARS - 1] + "…"


def _runs(count: int) -> str:
    return f"{count} run{'s' if count != 1 else ''}"
