"""`scriptcontract check [PATHS...]`: lint workflow scripts against the contract.

Exit codes: 0 no findings, 1 findings, 2 a usage or configuration error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scriptcontract.check.discovery import discover
from scriptcontract.check.formats import FORMATS, render, render_statistics
from scriptcontract.check.runner import check_all, default_jobs
from scriptcontract.config import find_project_root
from scriptcontract.contract.finding import Finding
from scriptcontract.contract.selection import unknown_selectors

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or directories to check (default: the current project)",
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="CODES",
        help="comma-separated codes or prefixes to run (replaces the configured select)",
    )
    parser.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="CODES",
        help="comma-separated codes or prefixes to skip (added to the configured ignore)",
    )
    parser.add_argument("--fix", action="store_true", help="apply the safe automatic fixes")
    parser.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when there are findings"
    )
    parser.add_argument(
        "--statistics", action="store_true", help="print the number of findings per rule"
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="worker processes (default: one per core)",
    )


def _codes(values: list[str]) -> list[str]:
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


def run(args: argparse.Namespace) -> int:
    cwd = Path.cwd()
    paths = list(args.paths) or [str(find_project_root(cwd) or cwd)]
    found = discover(paths, cwd)
    if found.missing:
        for missing in found.missing:
            print(f"scriptcontract check: no such file or directory: {missing}", file=sys.stderr)
        return EXIT_USAGE
    if found.errors:
        for error in found.errors:
            print(f"scriptcontract check: configuration error: {error}", file=sys.stderr)
        return EXIT_USAGE
    select, ignore = _codes(args.select), _codes(args.ignore)
    for key, settings in list(found.settings.items()):
        updates: dict[str, object] = {"ignore": [*settings.ignore, *ignore]}
        if select:
            updates["select"] = select
        settings = settings.model_copy(update=updates)
        found.settings[key] = settings
        unknown = unknown_selectors(settings)
        if unknown:
            names = ", ".join(sorted(set(unknown)))
            print(f"scriptcontract check: unknown rule code or prefix: {names}", file=sys.stderr)
            return EXIT_USAGE
    jobs = args.jobs if args.jobs > 0 else default_jobs()
    located: list[tuple[str, Finding]] = []
    checked = fixed = 0
    for result in check_all(found.targets, found.settings, fix=args.fix, jobs=jobs):
        if not result.checked:
            continue
        checked += 1
        fixed += result.fixed
        if result.note:
            print(f"scriptcontract check: {result.shown}: {result.note}", file=sys.stderr)
        located.extend((result.shown, finding) for finding in result.findings)
    located.sort(
        key=lambda item: (item[0], item[1].range.start.line, item[1].range.start.character)
    )
    output = render_statistics(located) if args.statistics else render(args.format, located)
    sys.stdout.write(output)
    _summary(checked, len(located), fixed, located, args)
    if located and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _summary(
    checked: int,
    count: int,
    fixed: int,
    located: list[tuple[str, Finding]],
    args: argparse.Namespace,
) -> None:
    if args.format != "text" and not args.statistics:
        return
    scripts = f"{checked} script{'s' if checked != 1 else ''}"
    parts = []
    if fixed:
        parts.append(f"fixed {fixed} finding{'s' if fixed != 1 else ''}")
    if count:
        fixable = sum(1 for _, f in located if any(fix.safe for fix in f.fixes))
        line = f"found {count} finding{'s' if count != 1 else ''} in {scripts}"
        if fixable and not args.fix:
            line += f" ({fixable} fixable with --fix)"
        parts.append(line)
    elif checked:
        parts.append(f"{scripts} checked, no findings")
    else:
        parts.append("no workflow scripts found")
    print("scriptcontract: " + "; ".join(parts), file=sys.stderr)
