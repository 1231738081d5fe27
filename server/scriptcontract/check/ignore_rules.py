"""The lines of one directory's ignore files, matched in time linear in the path.

A run can write a `.gitignore` in any folder it may write, and name its files as it likes;
pathspec matches each line with Python's `re`, where `*a*a*a*a*a*a*a*a*b` and a name of
200 `a` backtrack for good, in `check`, outside the sandbox. pathspec still reads the lines
(its regular expressions are git's meaning of them); `KeyPattern` matches them,
case-sensitive, and the decision is GitIgnoreSpec's (with pathspec's default backend): the
last line that matches the path itself, else the last line that matches a directory above
it. Each line's two forms are split as pathspec's re2 backend splits them.

A line pathspec refuses (`!` alone, a trailing `\\`), or whose expression is outside what
`KeyPattern` matches (none of pathspec's today), matches nothing and is reported once, as
a warning in the log (on stderr for `check`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from scriptcontract.contract.key_patterns import KeyPattern, UnsupportedPattern

_LOG = logging.getLogger(__name__)
# How pathspec's GitIgnoreSpecPattern marks the part of an expression that matches a
# directory above the path (`foo` in `foo/bar`): `foo(?:(?P<ps_d>/)|$)`.
_DIR_MARK = "(?P<ps_d>/)"
_DIR_MARK_OPT = f"(?:{_DIR_MARK}|$)"


@dataclass(frozen=True)
class _Rule:
    include: bool
    # Matches the path itself (`foo` in `a/foo`) / only through a directory above it
    # (`foo` in `foo/bar`); None when the line cannot match so (`foo/` has no file form).
    itself: KeyPattern | None
    above: KeyPattern | None


class IgnoreRules:
    def __init__(self, lines: list[str], directory: Path) -> None:
        from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

        self._rules: list[_Rule] = []
        for line in lines:
            try:
                parsed = GitIgnoreSpecPattern(line)
                if parsed.include is None or parsed.regex is None:
                    continue  # a blank line or a comment
                itself, above = _variants(str(parsed.regex.pattern))
                self._rules.append(
                    _Rule(
                        parsed.include,
                        None if itself is None else KeyPattern(itself, ignore_case=False),
                        None if above is None else KeyPattern(above, ignore_case=False),
                    )
                )
            except (ValueError, UnsupportedPattern) as exc:
                # pathspec's GitIgnorePatternError and re.error are ValueErrors too.
                _LOG.warning(
                    "scriptcontract: ignoring the line %r of the ignore files in %s: %s",
                    line[:80],
                    directory,
                    exc,
                )
        self._rules.reverse()  # the last line that matches decides

    def include(self, path: str) -> bool | None:
        """True: a line ignores `path` (`/`-separated, relative to the directory, a final
        `/` for a directory), False: a `!` line re-includes it, None: no line matches.

        As GitIgnoreSpec decides: the last line that matches the path itself, else the
        last line that matches a directory above it.
        """
        from pathspec.util import normalize_file

        path = normalize_file(path)  # as GitIgnoreSpec.check_file reads it
        through_directory: bool | None = None
        for rule in self._rules:
            if rule.itself is not None and rule.itself.search(path):
                return rule.include
            if through_directory is None and rule.above is not None and rule.above.search(path):
                through_directory = rule.include
        return through_directory


def _variants(expression: str) -> tuple[str | None, str | None]:
    """pathspec's expression of a line as one that matches the path itself and one that
    matches only through a directory above it (pathspec's re2 backend splits it so too)."""
    if _DIR_MARK not in expression:
        return expression, None
    if expression.endswith(_DIR_MARK_OPT):
        base = expression[: -len(_DIR_MARK_OPT)]
        return f"{base}$", f"{base}/"
    return None, expression.replace(_DIR_MARK, "/")
