"""`ast.parse` as the analyser needs it: for the configured target version, quietly."""

from __future__ import annotations

import ast
import warnings

from scriptcontract.contract.settings import LintSettings

# feature_version below 3.7 is not supported by every Python that runs the analyser.
MIN_FEATURE_MINOR = 7


def feature_version(settings: LintSettings) -> tuple[int, int]:
    return (3, max(int(settings.target_version.split(".")[1]), MIN_FEATURE_MINOR))


def parse(source: str, path: str | None, settings: LintSettings) -> ast.Module:
    """`ast.parse` for the configured target version (raises SyntaxError and friends)."""
    # The compiler's SyntaxWarning/DeprecationWarning (invalid escapes...) would land on the
    # user's terminal or the server's stderr; they are not findings.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse(
            source, filename=path or "<script>", feature_version=feature_version(settings)
        )


__all__ = ["feature_version", "parse"]
