"""What the values of `check`'s flags mean: rule codes, per-file ignores, a target version,
and what is wrong with them before anything runs."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from scriptcontract.check.discovery import STDIN
from scriptcontract.check.formats import ALIASES, FORMATS


def codes(values: Sequence[str]) -> list[str]:
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


def per_file_ignores(values: Sequence[str]) -> dict[str, list[str]]:
    """`GLOB:CODES` values (checked by `usage_problem`) as a per-file-ignores table."""
    table: dict[str, list[str]] = {}
    for value in values:
        glob, _, listed = value.rpartition(":")
        table.setdefault(glob, []).extend(codes([listed]))
    return table


def target_version(text: str | None) -> str | None:
    """`3.11` or ruff's `py311` as `3.11`; None when not given or not a version."""
    if text is None:
        return None
    import re

    match = re.fullmatch(r"(?:py3|3\.)(\d{1,2})", text.strip().lower())
    return f"3.{match[1]}" if match else None


def usage_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with the flags that take a structured value, before anything runs."""
    from scriptcontract.check.overrides import OverrideError, inline_errors, parse_overrides

    if args.output_format not in (*FORMATS, *ALIASES):  # from SCRIPTCONTRACT_OUTPUT_FORMAT
        return (
            f"SCRIPTCONTRACT_OUTPUT_FORMAT={args.output_format!r} is not a format: "
            f"{', '.join(FORMATS)}"
        )
    if args.add_noqa:
        clash = [
            flag
            for flag, given in [
                ("--fix", args.fix),
                ("--fix-only", args.fix_only),
                ("--diff", args.diff),
                ("--watch", args.watch),
                ("-", STDIN in args.paths or args.stdin_filename is not None),
            ]
            if given
        ]
        if clash:
            return f"--add-noqa does not go with {', '.join(clash)}"
    if args.target_version is not None and target_version(args.target_version) is None:
        return f"--target-version {args.target_version!r}: expected 3.N or pyN (3.11, py311)"
    for value in [*(args.per_file_ignores or []), *args.extend_per_file_ignores]:
        glob, _, listed = value.rpartition(":")
        if not glob or not codes([listed]):
            return f"--per-file-ignores {value!r}: expected GLOB:CODES (scripts/legacy/*.py:SCR105)"
    try:
        args.overrides = parse_overrides(args.config, isolated=args.isolated)
    except OverrideError as exc:
        return str(exc)
    errors = inline_errors(args.overrides)
    return "\n".join(f"configuration error: {error}" for error in errors) or None
