"""The rule pages of `docs/rules/`, generated from each rule's metadata.

    python -m scriptcontract.contract.docs docs/rules          # write the pages
    python -m scriptcontract.contract.docs --check docs/rules  # exit 1 if they are stale

A test runs the check, so the pages and the code cannot drift apart.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scriptcontract.contract.rules import all_rules
from scriptcontract.contract.rules.meta import FAMILIES, RuleMeta

GENERATED = (
    "<!-- Generated from the rule's metadata by `python -m scriptcontract.contract.docs "
    "docs/rules`; edit the rule, not this page. -->"
)


def rule_page(meta: RuleMeta) -> str:
    fix = "yes, with `scriptcontract check --fix` or the editor" if meta.fixable else "no"
    enabled = "" if meta.default_enabled else " · **Off by default:** turn it on with `select`"
    lines = [
        GENERATED,
        "",
        f"# {meta.code} `{meta.name}`",
        "",
        f"**Severity:** {meta.severity.value} · **Family:** {meta.family} · "
        f"**Automatic fix:** {fix}{enabled}",
        "",
        meta.summary,
        "",
        "## Why",
        "",
        meta.explanation.strip(),
        "",
        "## Example",
        "",
        "Breaks the contract:",
        "",
        "```python",
        meta.bad_example.rstrip("\n"),
        "```",
        "",
        "Keeps it:",
        "",
        "```python",
        meta.good_example.rstrip("\n"),
        "```",
        "",
        "## Fix",
        "",
        meta.fix or "See the example above.",
        "",
        "## Suppress",
        "",
        f"- On one line: `# scriptcontract: ignore[{meta.code}]` at the end of the line.",
        f"- In one file: `# scriptcontract: ignore-file[{meta.code}]` on a line of its own.",
        f'- In a project: `ignore = ["{meta.code}"]` in `[tool.scriptcontract]` of '
        "`pyproject.toml` (or in `scriptcontract.toml`); "
        f'`severity = {{ {meta.code} = "hint" }}` keeps it but quieter.',
        "",
    ]
    return "\n".join(lines)


def index_page(rules: tuple[RuleMeta, ...]) -> str:
    lines = [
        GENERATED.replace("the rule's metadata", "the rules' metadata"),
        "",
        "# Rules",
        "",
        "Every finding of `scriptcontract check` and of the language server comes from one of",
        "these rules. Codes are stable; they are grouped by hundreds into families. Select,",
        "ignore or re-grade them by code, prefix (`SCR1`) or name in the configuration",
        "(see [../configuration.md](../configuration.md)).",
        "",
    ]
    for digit, family in FAMILIES.items():
        members = [r for r in rules if r.code[3] == digit]
        if not members:
            continue
        lines += [f"## {family} (SCR{digit}xx)", "", "| Code | Name | Severity | Fix | Finds |"]
        lines.append("|---|---|---|---|---|")
        for meta in members:
            fix = "yes" if meta.fixable else ""
            lines.append(
                f"| [{meta.code}]({meta.code}.md) | `{meta.name}` | {meta.severity.value} "
                f"| {fix} | {meta.summary} |"
            )
        lines.append("")
    return "\n".join(lines)


def pages() -> dict[str, str]:
    """File name -> content of every page of `docs/rules/`."""
    rules = all_rules()
    out = {f"{meta.code}.md": rule_page(meta) for meta in rules}
    out["README.md"] = index_page(rules)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scriptcontract.contract.docs")
    parser.add_argument("directory", nargs="?", default="docs/rules")
    parser.add_argument("--check", action="store_true", help="exit 1 if a page is stale")
    args = parser.parse_args(argv)
    directory = Path(args.directory)
    wanted = pages()
    stale = [
        name
        for name, text in wanted.items()
        if not (directory / name).is_file()
        or (directory / name).read_text(encoding="utf-8") != text
    ]
    extra = (
        sorted(p.name for p in directory.glob("*.md") if p.name not in wanted)
        if directory.is_dir()
        else []
    )
    if args.check:
        for name in stale:
            print(f"stale or missing: {directory / name}", file=sys.stderr)
        for name in extra:
            print(f"no rule for page: {directory / name}", file=sys.stderr)
        return 1 if stale or extra else 0
    directory.mkdir(parents=True, exist_ok=True)
    for name in stale:
        (directory / name).write_text(wanted[name], encoding="utf-8")
    for name in extra:
        (directory / name).unlink()
    print(f"{len(stale)} page(s) written, {len(extra)} removed in {directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
