"""Column conversion on long lines: the fast path agrees with the plain one, and scales.

Long non-ASCII lines take a table-driven path in `position_encoding`; these properties hold
it to the plain definitions (code points of the prefix, encoded), on lines with emoji, lone
surrogates and separators, in every encoding.
"""

from __future__ import annotations

import time
from bisect import bisect_right

from hypothesis import given
from hypothesis import strategies as st

from scriptcontract.contract.analyze import analyse
from scriptcontract.lsp.capabilities import ResolvedClientCapabilities
from scriptcontract.lsp.convert import lint_diagnostic
from scriptcontract.lsp.documents import split_lines
from scriptcontract.lsp.position_encoding import Encoding, from_client_column, to_client_column
from tests.contract.test_fuzz_analyser import fuzz_settings

ENCODINGS: list[Encoding] = ["utf-8", "utf-16", "utf-32"]
LONG_LINES = st.text(
    alphabet=st.sampled_from(["a", " ", "é", "€", "😀", "\ud800", "\u2028", "\t"]),
    min_size=500,
    max_size=3000,
)


def plain_units(line: str, column: int, encoding: Encoding) -> int:
    prefix = line[: max(0, min(column, len(line)))]
    if encoding == "utf-32":
        return len(prefix)
    if encoding == "utf-16":
        return len(prefix.encode("utf-16-le", "surrogatepass")) // 2
    return len(prefix.encode("utf-8", "surrogatepass"))


@fuzz_settings(60)
@given(LONG_LINES, st.lists(st.integers(-5, 4000), min_size=1, max_size=30))
def test_long_lines_convert_like_the_definition(line: str, columns: list[int]) -> None:
    for encoding in ENCODINGS:
        starts = [plain_units(line, c, encoding) for c in range(len(line) + 1)]
        for column in columns:
            units = to_client_column(line, column, encoding)
            assert units == starts[max(0, min(column, len(line)))]
            # Back, also from inside a character: the last code point starting at or before.
            for asked in (units, units + 1):
                expected = bisect_right(starts, max(asked, 0)) - 1
                assert from_client_column(line, asked, encoding) == expected


def test_diagnostics_on_one_long_line_convert_in_linear_time() -> None:
    # Minified code: thousands of findings on one non-ASCII line, converted to UTF-16.
    def convert_seconds(statements: int) -> float:
        source = "import sys\n" + "print('é'); " * statements + "\n"
        found = analyse(source)
        lines = split_lines(source)
        caps = ResolvedClientCapabilities()
        best = float("inf")
        for _ in range(3):
            started = time.process_time()
            for finding in found:
                lint_diagnostic(finding, lines, caps)
            best = min(best, time.process_time() - started)
        return best

    small, large = convert_seconds(3000), convert_seconds(12000)
    assert large <= 8 * max(small, 1e-3), f"{small:.3f}s -> {large:.3f}s for 4 times as many"
