"""docs/cli.md documents every command, argument and flag, and nothing that does not exist."""

from __future__ import annotations

import argparse
import re

from scriptcontract.cli import SUBCOMMANDS, build_full_parser
from tests.cli.runner import scriptcontract
from tests.conftest import REPO

DOC = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")


def sections() -> dict[str, str]:
    """Command (or "" for the top) -> its part of the page."""
    parts = re.split(r"^## `scriptcontract (\w+)`$", DOC, flags=re.MULTILINE)
    found = {"": parts[0]}
    for name, text in zip(parts[1::2], parts[2::2], strict=True):
        found[name] = text
    return found


def defined(parser: argparse.ArgumentParser) -> set[str]:
    """The flags and positional names of one parser, as a user types or reads them."""
    names: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            continue
        if action.option_strings:
            names.update(action.option_strings)
        else:
            names.add(action.metavar if isinstance(action.metavar, str) else action.dest)
    return names


def documented(text: str) -> set[str]:
    """What the page's tables name in their first column."""
    names: set[str] = set()
    for line in text.splitlines():
        if not line.startswith("| `"):
            continue
        first = line.split("|")[1]
        for token in re.findall(r"`([^`]+)`", first):
            names.add(token.split(" ")[0])
    return names


def test_every_command_has_a_section() -> None:
    assert set(sections()) - {""} == set(SUBCOMMANDS)


def test_every_flag_is_documented_and_every_documented_flag_exists() -> None:
    parser = build_full_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    pages = sections()
    top = defined(parser) - {"-h", "--help"}
    assert top <= documented(pages[""])
    for name, sub in subparsers.choices.items():
        flags = defined(sub) - {"-h", "--help"}
        in_docs = documented(pages[name]) - {"--"}  # `-- ARGS`: cut off by cli.main
        assert flags - in_docs == set(), f"{name}: not in docs/cli.md"
        assert in_docs - flags == set(), f"{name}: in docs/cli.md but not a flag"


def test_the_top_help_lists_every_command() -> None:
    done = scriptcontract("--help")
    for name in SUBCOMMANDS:
        assert name in done.stdout
