"""What every rule declares about itself: `RuleMeta`, the source of its docs page and hover text."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from scriptcontract.contract.finding import Severity

# Where the project and its rule pages are published; the language server links each
# diagnostic's code to its page, and SARIF reports name the tool's home.
PROJECT_URL = "https://github.com/scriptcontract/scriptcontract"
DOCS_BASE_URL = f"{PROJECT_URL}/blob/main/docs/rules/"

FAMILIES = {
    "0": "Syntax and internal",
    "1": "Input and output",
    "2": "Exit codes and errors",
    "3": "File access",
    "4": "Resources and time",
    "5": "Dangerous calls",
    "9": "Suppression comments",
}
_CODE = re.compile(r"SCR\d{3}")
_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


@dataclass(frozen=True, kw_only=True)
class RuleMeta:
    """A rule's stable identity and documentation."""

    code: str  # stable, e.g. SCR101
    name: str  # kebab-case
    severity: Severity
    summary: str  # one line: what the rule finds
    explanation: str  # why it matters, in a paragraph or two of Markdown
    bad_example: str
    good_example: str
    fix: str = ""  # how to fix it by hand; what the automatic fix does
    fixable: bool = False  # the rule offers a safe automatic fix
    default_enabled: bool = True

    def __post_init__(self) -> None:
        # A rule's own definition, checked when its module is imported (a mistake fails
        # every test, never a user's run).
        if not _CODE.fullmatch(self.code):
            raise ValueError(f"rule code {self.code!r} is not SCR and three digits")
        if not _NAME.fullmatch(self.name):
            raise ValueError(f"rule name {self.name!r} is not kebab-case")
        for example in ("bad_example", "good_example"):
            text = textwrap.dedent(getattr(self, example)).strip("\n") + "\n"
            object.__setattr__(self, example, text)

    @property
    def family(self) -> str:
        return FAMILIES.get(self.code[3], "Other")

    @property
    def docs_path(self) -> str:
        """The page's path inside the repository."""
        return f"docs/rules/{self.code}.md"

    @property
    def url(self) -> str:
        return f"{DOCS_BASE_URL}{self.code}.md"
