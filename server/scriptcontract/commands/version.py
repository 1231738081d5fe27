"""`scriptcontract version`: the version, as `scriptcontract --version` prints it.

A subcommand too because ruff has one (`ruff version`), and scripts that ask a tool for its
version as JSON read `--output-format json`.
"""

from __future__ import annotations

import argparse
import json
import sys

from scriptcontract import __version__


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--output-format",
        choices=("text", "json"),
        default="text",
        help='text: `scriptcontract X.Y.Z` (default); json: {"version": "X.Y.Z"}',
    )


def run(args: argparse.Namespace) -> int:
    if args.output_format == "json":
        print(json.dumps({"version": __version__}))
    else:
        print(f"scriptcontract {__version__}")
    sys.stdout.flush()
    return 0
