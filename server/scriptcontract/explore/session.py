"""One exploration: generate, run in batches on the warm executor, shrink what fails.

Runs go out in batches of `jobs` at once (the executor's warm runner forks each in about a
millisecond, so the cores stay busy) and are read back in the order they were generated,
so a seed gives the same findings whatever finished first. The run budget counts every
run, the shrinking's included; once something fails, a quarter of both budgets is kept for
shrinking. At the time budget's end the runs under way are cancelled (their processes
killed) and what was found is reported.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scriptcontract.explore.failures import Classified, Signature, classify
from scriptcontract.explore.generate import InputsGenerator, InputsTooLarge, Literals, Schema
from scriptcontract.explore.shrink import measure, smaller_inputs

if TYPE_CHECKING:
    from scriptcontract.executor import ExecutionResult, PythonExecutor

SHRINK_SHARE = 0.25
# Tries at a new input before the generator is taken to have nothing new to give (a schema
# with no keys has one input, `{}`).
_ATTEMPTS_PER_INPUT = 20


@dataclass(frozen=True)
class Budget:
    runs: int = 200
    seconds: float = 60.0
    jobs: int = 8
    timeout_ms: int | None = None  # per run; None: the project's


@dataclass
class Found:
    """One distinct failure and the smallest input known to cause it."""

    signature: Signature
    inputs: dict[str, Any]
    message: str
    result: ExecutionResult
    generated: int = 0  # generated inputs that failed this way
    shrink_steps: int = 0


@dataclass
class Exploration:
    """What one exploration ran and found."""

    script: Path
    root: Path
    origin: str  # where the schema came from: "declared", "model" or "inferred"
    seed: int
    budget: Budget
    runs: int = 0
    generated: int = 0
    not_started: int = 0
    invalid: int = 0  # inputs made that the schema's own check refused (not run)
    refusal: str | None = None  # why the first run that did not start did not
    too_large: str | None = None  # why inputs were not made, when the schema asks too much
    handled: Counter[str] = field(default_factory=Counter)
    failures: list[Found] = field(default_factory=list)
    stopped_by: str = "runs"  # "runs", "time" or "exhausted"
    seconds: float = 0.0

    @property
    def nothing_started(self) -> str | None:
        """Why no run started, when none did (the sandbox or the script was refused): then
        nothing was explored, which must not read as "no failure"."""
        if self.runs and self.not_started == self.runs:
            return self.refusal or "the executor refused every run"
        if not self.runs and self.too_large is not None:
            return self.too_large
        if not self.runs and self.invalid:
            # "No failure in 0 runs" would read as a script explored and sound.
            return (
                f"none of the {self.invalid} inputs made from the schema passed its own check "
                "(a schema that requires itself, a pattern too slow to match, a $ref out of "
                "the file): fix the schema"
            )
        return None


Check = Callable[[dict[str, Any]], bool]
# Told of every run: its inputs, its outcome, its result, and whether it was generated (not
# a shrinking step). For measurements over the generated inputs themselves.
RunHook = Callable[[dict[str, Any], Classified, "ExecutionResult", bool], None]


class _Explorer:
    def __init__(
        self,
        executor: PythonExecutor,
        exploration: Exploration,
        schema: Schema,
        valid: Check | None,
        literals: Literals,
        on_run: RunHook | None = None,
    ) -> None:
        self.executor = executor
        self.found = exploration
        self.schema = schema
        self.valid = valid
        self.generator = InputsGenerator(schema, exploration.seed, literals)
        self.budget = exploration.budget
        self.started = time.monotonic()
        self.seen: dict[str, Classified] = {}
        self.on_run = on_run

    # --- budgets ----------------------------------------------------------------------

    def _share(self) -> float:
        return 1.0 - SHRINK_SHARE if self.found.failures else 1.0

    def runs_left(self, *, generating: bool) -> int:
        allowed = self.budget.runs * (self._share() if generating else 1.0)
        return max(0, int(allowed) - self.found.runs)

    def seconds_left(self, *, generating: bool) -> float:
        allowed = self.budget.seconds * (self._share() if generating else 1.0)
        return allowed - (time.monotonic() - self.started)

    # --- runs -------------------------------------------------------------------------

    async def run_batch(
        self, batch: list[dict[str, Any]], *, generating: bool
    ) -> list[Classified | None]:
        """Each input's outcome, in order; None for a run the time budget cut short."""
        remaining = self.seconds_left(generating=generating)
        tasks = [asyncio.ensure_future(self._run(inputs)) for inputs in batch]
        self.found.runs += len(batch)
        done, pending = await asyncio.wait(tasks, timeout=max(0.0, remaining))
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
            self.found.stopped_by = "time"
        outcomes: list[Classified | None] = []
        for inputs, task in zip(batch, tasks, strict=True):
            if task not in done or task.cancelled():
                outcomes.append(None)
                continue
            classified, result = task.result()
            self._record(inputs, classified, result, generated=generating)
            outcomes.append(classified)
        return outcomes

    async def _run(self, inputs: dict[str, Any]) -> tuple[Classified, ExecutionResult]:
        result = await self.executor.execute_script(
            self.found.script, inputs, timeout_ms=self.budget.timeout_ms
        )
        return classify(result, self.found.root), result

    def _record(
        self,
        inputs: dict[str, Any],
        classified: Classified,
        result: ExecutionResult,
        *,
        generated: bool,
    ) -> None:
        self.seen[_key(inputs)] = classified
        if self.on_run is not None:
            self.on_run(inputs, classified, result, generated)
        if not classified.started:
            self.found.not_started += 1
            self.found.refusal = self.found.refusal or classified.message
            return
        if classified.handled_error is not None:
            self.found.handled[classified.handled_error] += 1
        signature = classified.signature
        if signature is None:
            return
        known = next((f for f in self.found.failures if f.signature == signature), None)
        if known is None:
            known = Found(signature, inputs, classified.message, result)
            self.found.failures.append(known)
        elif measure(inputs) < measure(known.inputs):
            known.inputs, known.message, known.result = inputs, classified.message, result
        known.generated += generated

    # --- the two phases ---------------------------------------------------------------

    async def generate(self) -> None:
        index = 0
        while True:
            left = self.runs_left(generating=True)
            if left <= 0 or self.seconds_left(generating=True) <= 0:
                self.found.stopped_by = "runs" if left <= 0 else "time"
                return
            batch: list[dict[str, Any]] = []
            keys: set[str] = set()
            attempts = 0
            while len(batch) < min(left, self.budget.jobs) and attempts < _ATTEMPTS_PER_INPUT * (
                len(batch) + 1
            ):
                index += 1
                attempts += 1
                try:
                    inputs = self.generator.inputs(index - 1)
                except InputsTooLarge as exc:
                    self.found.too_large = str(exc)
                    continue
                key = _key(inputs)
                if key in self.seen or key in keys:
                    continue
                if not self._valid(inputs):
                    self.found.invalid += 1
                    continue
                keys.add(key)
                batch.append(inputs)
            if not batch:
                self.found.stopped_by = "exhausted"
                return
            self.found.generated += len(batch)
            await self.run_batch(batch, generating=True)
            if self.found.stopped_by == "time":
                return

    async def shrink(self) -> None:
        position = 0
        while position < len(self.found.failures):
            found = self.found.failures[position]
            position += 1
            while self.runs_left(generating=False) > 0 and self.seconds_left(generating=False) > 0:
                step = await self._shrink_step(found)
                if step is None:
                    break
                found.shrink_steps += 1

    async def _shrink_step(self, found: Found) -> dict[str, Any] | None:
        """Run the one-step simplifications of the failure's input until one fails the same
        way; it is then the failure's input. None when none does (or the budget ran out)."""
        candidates = [
            inputs
            for inputs in smaller_inputs(found.inputs, self.schema, self.generator)
            if self._valid(inputs)
        ]
        # One already run that failed the same way would already be the failure's input.
        fresh = [inputs for inputs in candidates if _key(inputs) not in self.seen]
        while fresh:
            left = self.runs_left(generating=False)
            if left <= 0 or self.seconds_left(generating=False) <= 0:
                return None
            batch, fresh = fresh[: min(left, self.budget.jobs)], fresh[self.budget.jobs :]
            outcomes = await self.run_batch(batch, generating=False)
            for inputs, outcome in zip(batch, outcomes, strict=True):
                if outcome is not None and outcome.signature == found.signature:
                    return inputs  # lighter: `_record` made it the failure's input
        return None

    def _valid(self, inputs: dict[str, Any]) -> bool:
        return self.valid is None or self.valid(inputs)


def _key(inputs: dict[str, Any]) -> str:
    return json.dumps(inputs, sort_keys=True)


async def explore(
    executor: PythonExecutor,
    script: Path,
    root: Path,
    schema: Schema,
    *,
    origin: str,
    seed: int,
    budget: Budget,
    valid: Check | None = None,
    literals: Literals = ((), ()),
    on_run: RunHook | None = None,
) -> Exploration:
    """Explore `script` with inputs of `schema` (`valid`: only inputs it accepts are run;
    `literals`: values the script compares with, tried now and then)."""
    exploration = Exploration(script=script, root=root, origin=origin, seed=seed, budget=budget)
    explorer = _Explorer(executor, exploration, schema, valid, literals, on_run)
    await explorer.generate()
    if exploration.stopped_by != "time":
        await explorer.shrink()
    exploration.seconds = time.monotonic() - explorer.started
    return exploration
