"""The rule framework: `Rule` (metadata beside its check) and the `RuleContext` a check reads."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from scriptcontract.contract.facts import Facts
from scriptcontract.contract.finding import (
    Finding,
    Fix,
    Range,
    RelatedLocation,
    Severity,
    TextEdit,
)
from scriptcontract.contract.model import ScriptModel
from scriptcontract.contract.positions import LineIndex
from scriptcontract.contract.rules.meta import RuleMeta
from scriptcontract.contract.settings import LintSettings


@dataclass(frozen=True)
class RuleContext:
    """Everything a check may read about one script. Checks never parse or walk again."""

    source: str
    path: str | None
    settings: LintSettings
    tree: ast.Module
    model: ScriptModel
    facts: Facts
    lines: LineIndex
    # The codes that run on this script: a rule leaves to another what that one reports.
    enabled: frozenset[str] = frozenset()

    def range(self, node: ast.AST) -> Range:
        return self.lines.range_of(node)

    def related(self, node: ast.AST, message: str) -> RelatedLocation:
        return RelatedLocation(message=message, range=self.lines.range_of(node))

    def edit(self, node: ast.AST, new_text: str) -> TextEdit:
        return TextEdit(range=self.lines.range_of(node), new_text=new_text)

    def insert(self, lineno: int, byte_col: int, text: str) -> TextEdit:
        point = self.lines.position(lineno, byte_col)
        return TextEdit(range=Range(start=point, end=point), new_text=text)

    def script_range(self) -> Range:
        """Where to put a finding about the whole script: the `__main__` guard or line 1."""
        if self.model.main_guards:
            return self.lines.first_line_of(self.model.main_guards[0])
        return self.lines.line_range(0)


Check = Callable[[RuleContext], Iterable["Report"]]


@dataclass(frozen=True)
class Report:
    """What a check yields; the engine adds the rule's code, name and (overridden) severity."""

    range: Range
    message: str
    fixes: tuple[Fix, ...] = ()
    related: tuple[RelatedLocation, ...] = ()


@dataclass(frozen=True)
class Rule:
    meta: RuleMeta
    check: Check | None  # None: reported by the engine itself (syntax, suppressions)

    def finding(self, report: Report, severity: Severity | None = None) -> Finding:
        return Finding(
            code=self.meta.code,
            name=self.meta.name,
            message=report.message,
            severity=severity or self.meta.severity,
            range=report.range,
            fixes=list(report.fixes),
            related=list(report.related),
        )
