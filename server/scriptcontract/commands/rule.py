"""`scriptcontract rule CODE`: a rule's page, offline (the same text as docs/rules/CODE.md).

The pages are made from the rules' metadata inside the package, so an installed
scriptcontract has every page of its own version, without the repository or a network.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scriptcontract.contract.rules.meta import RuleMeta

EXIT_OK, EXIT_USAGE = 0, 2


def register(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("code", nargs="?", metavar="CODE", help="a rule's code or name (SCR105)")
    which.add_argument("--all", action="store_true", help="every rule's page, by code")
    parser.add_argument(
        "--output-format",
        choices=("text", "json"),
        default="text",
        help="text: the page in Markdown (default); json: the rule's metadata",
    )


def run(args: argparse.Namespace) -> int:
    from scriptcontract.contract.docs import rule_page
    from scriptcontract.contract.rules import all_rules, rule_by_code

    if args.all:
        rules = list(all_rules())
    else:
        meta = rule_by_code(args.code.strip().upper()) or rule_by_code(args.code.strip())
        if meta is None:
            print(
                f"scriptcontract rule: error: no rule {args.code!r} "
                "(`scriptcontract rule --all` shows them all)",
                file=sys.stderr,
            )
            return EXIT_USAGE
        rules = [meta]
    if args.output_format == "json":
        items = [_as_json(meta) for meta in rules]
        print(json.dumps(items if args.all else items[0], indent=2))
    else:
        sys.stdout.write("\n".join(_readable(rule_page(meta)) for meta in rules))
    return EXIT_OK


def _as_json(meta: RuleMeta) -> dict[str, Any]:
    fields = {**asdict(meta), "severity": meta.severity.value}
    return {**fields, "family": meta.family, "url": meta.url}


def _readable(page: str) -> str:
    """The page without the note to its editors (an HTML comment, noise in a terminal)."""
    first, _, rest = page.partition("\n")
    return rest.lstrip("\n") if first.startswith("<!--") else page
