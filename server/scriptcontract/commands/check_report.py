"""What `scriptcontract check` prints once the files are checked, and its exit status.

The report (findings, statistics, the file list, the diff) goes to stdout or `--output-file`;
the summary and every explanation to stderr, so that a CI step can parse stdout whatever
the format. `-q` keeps the report alone, `-s` not even that: the exit status says it.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from typing import TYPE_CHECKING, TextIO

from scriptcontract.check.formats import ALIASES, Located, render, render_statistics
from scriptcontract.check.records import FileResult, Fixed, Record
from scriptcontract.shown_values import write_as_is, write_commands

if TYPE_CHECKING:
    from scriptcontract.commands.check import _Run

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
CONFIG_NAMES = "scriptcontract.toml or [tool.scriptcontract] in pyproject.toml"
HUMAN_FORMATS = ("concise", "full")
# The formats whose lines are commands to a CI runner: only they may open a line with one.
COMMAND_FORMATS = ("github", "azure")
# The checkout each CI names files from: a path relative to the working directory would
# point nowhere when the check runs in a subfolder (`working-directory: tools`).
CI_ROOTS = {
    "github": "GITHUB_WORKSPACE",
    "sarif": "GITHUB_WORKSPACE",
    "gitlab": "CI_PROJECT_DIR",
    "azure": "BUILD_SOURCESDIRECTORY",
}


def say(message: str) -> None:
    print(f"scriptcontract check: {message}", file=sys.stderr)


def _talks(args: argparse.Namespace) -> bool:
    """Whether anything but the report and errors may be printed."""
    return not (args.quiet or args.silent)


def report(
    args: argparse.Namespace, job: _Run, results: list[FileResult], took: float, out: TextIO
) -> int:
    fmt = ALIASES.get(args.output_format, args.output_format)
    checked = [r for r in results if r.checked]
    if args.silent:
        out = io.StringIO()  # the report is dropped; the exit status still tells
    if args.show_files:
        out.write("".join(f"{r.shown}\n" for r in sorted(checked, key=lambda r: r.shown)))
        if _talks(args):
            _explain(job, results, listing=True)
        return EXIT_CLEAN
    for result in results:
        if result.note and _talks(args):
            say(f"{result.shown}: {result.note}")
    located: list[Located] = sorted(
        ((r.shown, f) for r in checked for f in r.records),
        key=lambda item: (item[0], item[1].line, item[1].column),
    )
    if args.verbose:
        _verbose(job, results, took)
    fixed = sum(len(r.fixed) for r in checked)
    if args.diff:
        return _report_diff(args, checked, located, out)
    stdin_fixed = [r for r in results if r.fixed_text is not None]
    if stdin_fixed:
        # As formatters do: the fixed text on stdout (even with -s: it is the text asked
        # for, not a report), what is left to the report, stderr unless -o.
        write_as_is(sys.stdout, stdin_fixed[0].fixed_text or "")
        if out is sys.stdout:
            out = sys.stderr
    if args.fix_only:
        if args.show_fixes:
            out.write(_fixes_listing(args, checked, located).lstrip("\n"))
        if _talks(args):
            if not checked:
                _explain(job, results, listing=False)
            else:
                _summary_fix_only(checked, fixed)
        failed = args.exit_non_zero_on_fix and fixed
        return EXIT_FINDINGS if failed and not args.exit_zero else EXIT_CLEAN
    unsafe = args.unsafe_fixes
    if args.statistics:
        out.write(render_statistics(located, fmt, unsafe=unsafe))
    else:
        color = _use_color(args.color, out)
        names = [r.shown for r in checked]
        shown = _from_ci_root(located, os.environ.get(CI_ROOTS.get(fmt, ""), ""))
        report = render(fmt, shown, checked=names, color=color, unsafe=unsafe)
        if fmt in COMMAND_FORMATS:
            write_commands(out, report)
        else:
            out.write(report)
    if args.show_fixes and fmt in HUMAN_FORMATS:
        out.write(_fixes_listing(args, checked, located))
    if _talks(args):
        if not checked:
            _explain(job, results, listing=False)
        elif fmt in HUMAN_FORMATS or args.statistics:
            _summary(args, checked, located)
    if args.exit_zero:
        return EXIT_CLEAN
    if located or (args.exit_non_zero_on_fix and fixed):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _from_ci_root(located: list[Located], root: str) -> list[Located]:
    """Each path relative to the CI's checkout `root`, when set and the file is inside it."""
    if not root:
        return located
    top = os.path.normpath(os.path.abspath(root))
    cwd = os.getcwd()
    moved: list[Located] = []
    for path, f in located:
        full = os.path.normpath(os.path.join(cwd, path))
        inside = path != "-" and os.path.commonpath([top, full]) == top
        moved.append((os.path.relpath(full, top).replace(os.sep, "/") if inside else path, f))
    return moved


def _report_diff(
    args: argparse.Namespace, checked: list[FileResult], located: list[Located], out: TextIO
) -> int:
    diffs = [r for r in checked if r.diff]
    out.write("".join(r.diff for r in sorted(diffs, key=lambda r: r.shown)))
    fixes = sum(len(r.fixed) for r in checked)
    if _talks(args):
        if fixes:
            scripts = _plural(len(diffs), "script")
            left = f", {_plural(len(located), 'finding')} would remain" if located else ""
            _summary_line(f"would fix {_plural(fixes, 'finding')} in {scripts}{left}")
        else:
            _summary_line(f"nothing to fix in {_plural(len(checked), 'script')}")
    return EXIT_FINDINGS if diffs and not args.exit_zero else EXIT_CLEAN


def _fixes_listing(
    args: argparse.Namespace, checked: list[FileResult], located: list[Located]
) -> str:
    if args.fix or args.fix_only:
        title = "Fixed"
        per_file = {r.shown: r.fixed for r in checked if r.fixed}
    else:
        title = "Would fix with --fix" + (" --unsafe-fixes" if args.unsafe_fixes else "")
        per_file = {}
        for path, f in located:
            for fix in f.fixes:
                if fix.safe or args.unsafe_fixes:
                    per_file.setdefault(path, []).append(Fixed(f.code, fix.title))
                    break
    if not per_file:
        return f"\n{title}: nothing.\n"
    count = sum(len(items) for items in per_file.values())
    lines = [f"\n{title} {_plural(count, 'finding')}:"]
    for path in sorted(per_file):
        lines.append(f"  {path}:")
        tally: dict[Fixed, int] = {}
        for item in per_file[path]:
            tally[item] = tally.get(item, 0) + 1
        for item, times in tally.items():
            lines.append(f"    {times} x {item.code} ({item.title})")
    return "\n".join(lines) + "\n"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _summary_line(text: str) -> None:
    print(f"scriptcontract: {text}", file=sys.stderr)


def _summary(args: argparse.Namespace, checked: list[FileResult], located: list[Located]) -> None:
    scripts = _plural(len(checked), "script")
    fixed = sum(len(r.fixed) for r in checked)
    if fixed:
        line = f"fixed {_plural(fixed, 'finding')}, {len(located)} remaining, in {scripts}"
    elif located:
        line = f"found {_plural(len(located), 'finding')} in {scripts}"
        if not args.fix:
            line += _fixable_hint(args, [f for _, f in located])
    else:
        line = f"{scripts} checked, no findings"
    _summary_line(line)


def _fixable_hint(args: argparse.Namespace, findings: list[Record]) -> str:
    """` (N fixable with --fix; ...)`, and the fixes only --unsafe-fixes would apply."""
    safe = sum(1 for f in findings if f.fixable)
    unsafe_only = sum(1 for f in findings if f.fixes and not f.fixable)
    if args.unsafe_fixes:
        total = safe + unsafe_only
        return f" ({total} fixable with --fix --unsafe-fixes)" if total else ""
    parts = []
    if safe:
        parts.append(f"{safe} fixable with --fix")
    if unsafe_only:
        what = "more with" if safe else "fixable with"
        parts.append(f"{unsafe_only} {what} --fix --unsafe-fixes, which may change behaviour")
    if not parts:
        return ""
    return f" ({'; '.join(parts)}; --diff shows the changes)"


def _summary_fix_only(checked: list[FileResult], fixed: int) -> None:
    scripts = _plural(len(checked), "script")
    if fixed:
        changed = sum(1 for r in checked if r.fixed)
        _summary_line(f"fixed {_plural(fixed, 'finding')} in {_plural(changed, 'script')}")
    else:
        _summary_line(f"nothing to fix in {scripts}")


REASONS = {
    "include": "not matched by include = {include}",
    "exclude": "matched by exclude = {exclude}",
    "skip-file": "marked `# scriptcontract: skip-file`",
    "outside": "outside the project root",
    "companion": "holding a script's inputs, cases or schema (JSON), not a script",
}


def _reason(job: _Run, reason: str) -> str:
    text = REASONS.get(reason, reason)
    if "{" in text:
        text = text.format(include=_configured(job, "include"), exclude=_configured(job, "exclude"))
    return text


def _explain(job: _Run, results: list[FileResult], *, listing: bool) -> None:
    """Nothing (or not everything) was checked: say what skipped which files, and what to do."""
    skipped: dict[str, list[str]] = {}
    for result in results:
        if not result.checked and result.skipped:
            skipped.setdefault(result.skipped, []).append(result.shown)
    ignored = job.found.ignored
    if listing and not skipped and not ignored:
        return
    lines = ["not checked:" if listing else "no workflow scripts checked"]
    if not results and not ignored:
        lines.append("  no Python files found")
    for reason, files in skipped.items():
        lines.append(f"  {_plural(len(files), 'file')} {_reason(job, reason)}: {_some(files)}")
    if ignored:
        lines.append(f"  {len(ignored)} left out by .gitignore or .ignore: {_some(ignored)}")
    if set(skipped) - {"skip-file", "companion"} or ignored or not results:
        lines.append(
            "To check a file anyway: name it (scriptcontract check FILE), add it to `include` "
            f"in {CONFIG_NAMES}, or put `# scriptcontract: script` in it."
        )
    if "skip-file" in skipped:
        # The marker wins over naming the file and over the opt-in marker.
        lines.append(
            "A file marked `# scriptcontract: skip-file` is not a workflow script, named or "
            "not: remove the marker to check it."
        )
    _summary_line("\n".join(lines))


def _configured(job: _Run, key: str) -> str:
    import json

    values: list[str] = []
    for project in job.found.projects.values():
        value = project.table.table.get(key)
        if isinstance(value, list):
            values += [str(v) for v in value]
        elif key == "include":
            from scriptcontract.contract.settings import DEFAULT_INCLUDE

            values += DEFAULT_INCLUDE
    return json.dumps(list(dict.fromkeys(values)))


def _some(files: list[str], limit: int = 3) -> str:
    shown = ", ".join(sorted(files)[:limit])
    return shown + (f" and {len(files) - limit} more" if len(files) > limit else "")


def _verbose(job: _Run, results: list[FileResult], took: float) -> None:
    for project in job.found.projects.values():
        where = str(project.root) if project.root is not None else "no project root"
        source = project.table.source or "defaults (no configuration file)"
        say(f"project {where}: configuration from {source}")
    for result in results:
        if not result.checked:
            say(f"skipped {result.shown}: {_reason(job, result.skipped or '')}")
    for path in job.found.ignored:
        say(f"skipped {path}: .gitignore or .ignore")
    analysed = len(results) - job.hits
    hits = _plural(job.hits, "unchanged file")
    say(f"{hits} from the cache, {analysed} analysed, in {took:.2f} s")


def _use_color(choice: str, stream: object) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"
