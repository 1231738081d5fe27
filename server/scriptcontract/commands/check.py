"""`scriptcontract check` (arrives with its issue)."""

from __future__ import annotations

import argparse
import sys


def register(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    print("scriptcontract check: not available in this version yet", file=sys.stderr)
    return 2
