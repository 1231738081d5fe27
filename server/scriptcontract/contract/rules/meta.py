"""What every rule declares about itself: `RuleMeta`, the source of its docs page and hover text."""

from __future__ import annotations

import textwrap

from pydantic import BaseModel, Field, field_validator

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


class RuleMeta(BaseModel, frozen=True):
    """A rule's stable identity and documentation."""

    code: str = Field(pattern=r"^SCR\d{3}$", description="Stable code, e.g. SCR101.")
    name: str = Field(pattern=r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$", description="Kebab-case name.")
    severity: Severity
    summary: str = Field(description="One line: what the rule finds.")
    explanation: str = Field(description="Why it matters, in a paragraph or two of Markdown.")
    bad_example: str
    good_example: str
    fix: str = Field("", description="How to fix it by hand; what the automatic fix does.")
    fixable: bool = Field(False, description="True when the rule offers a safe automatic fix.")
    default_enabled: bool = True

    @field_validator("bad_example", "good_example")
    @classmethod
    def _dedent(cls, value: str) -> str:
        return textwrap.dedent(value).strip("\n") + "\n"

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
