"""How often inputs generated from the inferred schema fail at the corpus scripts' input reads.

    python benchmarks/corpus_inputs.py [--runs N] [--seed S] [--timeout-ms MS] [--misses]

Every script of tests/corpus (and of its projects) that reads input keys is explored with
inputs generated from its *inferred* schema (`--runs` per script, shrinking included; only
the generated inputs are counted), in the sandbox, on a copy of the corpus. A generated input
*fails at input access* when its run ends in a `KeyError`, `TypeError` or `AttributeError`
raised on a line of the script that reads the inputs (a top-level key's read, or a
subscript with a string key: `item["id"]`): the schema missed a required key or a type. The
share per script and overall is the issue's figure (docs/schemas.md). `--misses` lists each
such failure with its smallest input, to tell the inference what it missed.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.cli.test_fix_safety import copy_corpus

from scriptcontract.contract.input_schema import infer_input_schema
from scriptcontract.contract.inputs_template import infer_inputs
from scriptcontract.executor import ExecutionResult, PythonExecutor
from scriptcontract.explore.failures import Classified
from scriptcontract.explore.generate import compared_literals
from scriptcontract.explore.session import Budget, Exploration, explore

ACCESS_ERRORS = frozenset({"KeyError", "TypeError", "AttributeError"})


@dataclass
class ScriptFigure:
    name: str
    keys: int
    generated: int = 0
    at_access: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    exploration: Exploration | None = None


def input_lines(source: str) -> set[int]:
    """1-based lines that read the inputs: each top-level key's reads, and every subscript
    with a string key (how nested keys are read)."""
    lines = {read.start.line + 1 for key in infer_inputs(source).keys for read in key.reads}
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.slice, ast.Constant)
            and isinstance(node.slice.value, str)
        ):
            lines.add(node.lineno)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            lines.add(node.lineno)
    return lines


def at_access(classified: Classified, script: str, lines: set[int]) -> bool:
    signature = classified.signature
    return (
        signature is not None
        and signature.kind == "exception"
        and signature.error_type in ACCESS_ERRORS
        and signature.path == script
        and signature.line in lines
    )


async def measure(args: argparse.Namespace, root: Path) -> list[ScriptFigure]:
    figures: list[ScriptFigure] = []
    executors: dict[Path, PythonExecutor] = {}
    for project, script in copy_corpus(root):
        source = script.read_text(encoding="utf-8")
        schema = infer_input_schema(source)
        if not schema.get("properties"):
            continue  # reads no key: nothing to generate but {}
        shown = script.relative_to(project).as_posix()
        figure = ScriptFigure(f"{project.name}/{shown}", len(schema["properties"]))
        lines = input_lines(source)

        def count(
            inputs: dict[str, Any],
            classified: Classified,
            result: ExecutionResult,
            generated: bool,
            figure: ScriptFigure = figure,
            shown: str = shown,
            lines: set[int] = lines,
        ) -> None:
            if not generated or not classified.started:
                return
            figure.generated += 1
            if at_access(classified, shown, lines):
                figure.at_access += 1
                assert classified.signature is not None
                figure.kinds[classified.signature.describe()] += 1

        executor = executors.setdefault(
            project, PythonExecutor(project, default_timeout_ms=args.timeout_ms)
        )
        figure.exploration = await explore(
            executor,
            script,
            project,
            schema,
            origin="inferred",
            seed=args.seed,
            budget=Budget(runs=args.runs, seconds=120.0, jobs=args.jobs),
            literals=compared_literals(source),
            on_run=count,
        )
        figures.append(figure)
    return figures


def report(figures: list[ScriptFigure], args: argparse.Namespace) -> None:
    generated = sum(f.generated for f in figures)
    failing = sum(f.at_access for f in figures)
    print(f"{len(figures)} corpus scripts that read input keys, seed {args.seed}:")
    for figure in figures:
        share = figure.at_access / figure.generated if figure.generated else 0.0
        mark = "" if not figure.at_access else "   <- " + "; ".join(figure.kinds)
        print(
            f"  {figure.name:55} {figure.keys:2} keys {figure.at_access:4}/{figure.generated:<4} "
            f"{share:6.1%}{mark}"
        )
    share = failing / generated if generated else 0.0
    print(f"overall: {failing} of {generated} generated inputs failed at input access ", end="")
    print(f"({share:.1%})")
    scripts_failing = sum(1 for f in figures if f.at_access)
    print(f"scripts with such a failure: {scripts_failing} of {len(figures)}")
    if args.misses:
        for figure in figures:
            if not figure.at_access or figure.exploration is None:
                continue
            for found in figure.exploration.failures:
                where = f"{found.signature.path}:{found.signature.line}"
                print(f"{figure.name}: {found.signature.describe()} ({where}): {found.message}")
                print(f"    smallest input: {found.inputs}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60, help="runs per script")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--timeout-ms", type=int, default=5000, help="per run")
    parser.add_argument("--misses", action="store_true", help="list each failure found")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="scriptcontract-corpus-inputs-") as folder:
        figures = asyncio.run(measure(args, Path(folder)))
    report(figures, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
