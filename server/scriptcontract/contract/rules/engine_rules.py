"""Rules the engine reports itself: syntax errors, internal failures, unreadable files and
suppression-comment hygiene. Their checks live in `analyze.py` and `suppression.py`."""

from __future__ import annotations

from scriptcontract.contract.finding import Severity
from scriptcontract.contract.rules.base import Rule
from scriptcontract.contract.rules.meta import RuleMeta

SYNTAX_ERROR = Rule(
    RuleMeta(
        code="SCR001",
        name="syntax-error",
        severity=Severity.ERROR,
        summary="The script does not parse for the configured Python version.",
        explanation="""
A script that does not parse cannot run, and no other rule can look at it. The syntax is
checked for the `target-version` of the configuration (3.8 by default), so a `match`
statement or a parenthesised context manager is reported when the target is older than the
Python that introduced it.
""",
        bad_example="""
print("missing parenthesis"
""",
        good_example="""
print("balanced parentheses")
""",
        fix="Correct the syntax, or raise `target-version` if the scripts run on a newer Python.",
    ),
    None,
)

INTERNAL_ERROR = Rule(
    RuleMeta(
        code="SCR002",
        name="internal-error",
        severity=Severity.WARNING,
        summary="A rule failed on this script; the other rules still ran.",
        explanation="""
The analyser hit an unexpected error while running one rule on this script. The rule's
findings for this file are missing; every other rule's findings are reported as usual. Please
report the message and, if you can, the script.
""",
        bad_example="""
# (any script that makes a rule fail)
""",
        good_example="""
# (the same script once the analyser is fixed)
""",
        fix="Nothing to fix in the script; report the problem to scriptcontract.",
    ),
    None,
)

UNREADABLE_FILE = Rule(
    RuleMeta(
        code="SCR003",
        name="unreadable-file",
        severity=Severity.ERROR,
        summary="The file cannot be read or decoded (`scriptcontract check` only).",
        explanation="""
`scriptcontract check` could not read the file, or could not decode it with the encoding its
coding comment names (UTF-8 by default). The file is skipped; the other files are checked.
""",
        bad_example="""
# -*- coding: utf-8 -*-
# (bytes that are not valid UTF-8)
""",
        good_example="""
# -*- coding: utf-8 -*-
print("valid UTF-8")
""",
        fix="Save the file as UTF-8, or declare its real encoding in a coding comment.",
    ),
    None,
)

UNUSED_SUPPRESSION = Rule(
    RuleMeta(
        code="SCR901",
        name="unused-suppression",
        severity=Severity.INFORMATION,
        summary="A `# scriptcontract: ignore[...]` comment suppresses nothing.",
        explanation="""
A suppression comment whose codes no longer fire on its line hides nothing today and may
hide a real finding tomorrow. Remove it (the automatic fix does) or the codes it names that
no longer apply. Only codes of rules that ran are judged: a code turned off in the
configuration is never reported as unused.
""",
        bad_example="""
import json

print(json.dumps({"success": True}))  # scriptcontract: ignore[SCR105]
""",
        good_example="""
import json

print(json.dumps({"success": True}))
""",
        fix="Remove the comment. The automatic fix removes it (or the unused codes).",
        fixable=True,
    ),
    None,
)

INVALID_SUPPRESSION = Rule(
    RuleMeta(
        code="SCR902",
        name="invalid-suppression",
        severity=Severity.WARNING,
        summary="A suppression comment names a code that does not exist or is malformed.",
        explanation="""
`# scriptcontract: ignore[SCR9999]` (a code no rule has) or `# scriptcontract: ingore`
(a misspelt directive) suppresses nothing, and a reader would think it does. Valid forms
are `# scriptcontract: ignore`, `# scriptcontract: ignore[SCR101, SCR105]` and, for the whole
file, `# scriptcontract: ignore-file[SCR101]`.
""",
        bad_example="""
print("progress")  # scriptcontract: ignore[SCR1O5]
""",
        good_example="""
print("progress")  # scriptcontract: ignore[SCR105]
""",
        fix="Correct the code or the directive.",
    ),
    None,
)

ENGINE_RULES = (
    SYNTAX_ERROR,
    INTERNAL_ERROR,
    UNREADABLE_FILE,
    UNUSED_SUPPRESSION,
    INVALID_SUPPRESSION,
)
