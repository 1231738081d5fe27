"""What `check` keeps of a finding: plain data, for the output formats and the cache.

The command's own path from the cache to the output imports neither the analyser nor its
`Finding`, so a check whose files are all unchanged starts fast. Lines and columns here
are 1-based, as printed; columns count code points.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:
    from scriptcontract.contract.finding import Finding


class Edit(NamedTuple):
    line: int
    column: int
    end_line: int
    end_column: int
    new_text: str


class FixRecord(NamedTuple):
    title: str
    safe: bool
    edits: list[Edit]


class Related(NamedTuple):
    message: str
    path: str | None  # None: the same file
    line: int
    column: int


class Record(NamedTuple):
    code: str
    name: str
    severity: str  # "error", "warning", "information" or "hint"
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    url: str | None
    source_line: str  # the text of the finding's first line, for `--output-format full`
    fixes: list[FixRecord]
    related: list[Related]

    @property
    def fixable(self) -> bool:
        """`--fix` would apply one of its fixes."""
        return any(fix.safe for fix in self.fixes)

    def fixable_with(self, unsafe: bool) -> bool:
        """`--fix` would apply one of its fixes; with `unsafe`, `--fix --unsafe-fixes` would."""
        return bool(self.fixes) if unsafe else self.fixable

    def to_json(self) -> list[Any]:
        return [
            *self[:10],
            [[fix.title, fix.safe, [list(edit) for edit in fix.edits]] for fix in self.fixes],
            [list(related) for related in self.related],
        ]

    @classmethod
    def from_json(cls, data: list[Any]) -> Record:
        code, name, severity, message, line, column, end_line, end_column, url, source = data[:10]
        fixes, related = data[10:]
        return cls(
            code,
            name,
            severity,
            message,
            line,
            column,
            end_line,
            end_column,
            url,
            source,
            [
                FixRecord(title, safe, [Edit(*edit) for edit in edits])
                for title, safe, edits in fixes
            ],
            [Related(*item) for item in related],
        )


class Fixed(NamedTuple):
    """One fix `--fix` applied (or `--diff` would)."""

    code: str
    title: str


# check: report; fix: apply the safe fixes; diff: say what fix would change, write nothing;
# decide: only whether the file is a script (`--show-files`).
Mode = Literal["check", "fix", "diff", "decide"]


class FileResult:
    """What checking one file gave."""

    def __init__(
        self,
        shown: str,
        checked: bool,  # False: not a workflow script
        records: list[Record] | None = None,
        fixed: list[Fixed] | None = None,
        note: str | None = None,  # why a fix was not written
        *,
        skipped: str | None = None,  # why it is not a script (see script_files)
        digest: str | None = None,  # of the bytes checked, for the cache
    ) -> None:
        self.shown = shown
        self.checked = checked
        self.records = records or []
        self.fixed = fixed or []
        self.note = note
        self.skipped = skipped
        self.digest = digest
        # The project modules the findings depend on, with their digests (None: absent).
        self.modules: dict[str, str | None] = {}
        self.diff = ""  # --diff: what --fix would change, as a unified diff
        self.fixed_text: str | None = None  # stdin with --fix: the text with the fixes applied


def record_of(finding: Finding, lines: list[str]) -> Record:
    """The record of `finding` in a text split into `lines`."""
    from scriptcontract.contract.rules import rule_by_code

    meta = rule_by_code(finding.code)
    start, end = finding.range.start, finding.range.end
    return Record(
        code=finding.code,
        name=finding.name,
        severity=finding.severity.value,
        message=finding.message,
        line=start.line + 1,
        column=start.character + 1,
        end_line=end.line + 1,
        end_column=end.character + 1,
        url=meta.url if meta else None,
        source_line=lines[start.line] if 0 <= start.line < len(lines) else "",
        fixes=[
            FixRecord(
                fix.title,
                fix.safe,
                [
                    Edit(
                        e.range.start.line + 1,
                        e.range.start.character + 1,
                        e.range.end.line + 1,
                        e.range.end.character + 1,
                        e.new_text,
                    )
                    for e in fix.edits
                ],
            )
            for fix in finding.fixes
        ],
        related=[
            Related(r.message, r.path, r.range.start.line + 1, r.range.start.character + 1)
            for r in finding.related
        ],
    )
