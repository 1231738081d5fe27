"""Patterns that backtrack for ever under Python's `re`, each with the name that defeats it,
and the positive control that shows it does: a test that a planted pattern holds nothing
first shows that `re` would be held by the same pattern and name."""

from __future__ import annotations

import functools
import subprocess
import sys

import pytest

ATTACKS = [
    # Every way to split forty a's between the repetitions is tried before the ! fails it.
    pytest.param("^(a+)+$", "a" * 40 + "!", id="nested-repetition"),
    # No repetition at all: 2**39 ways to pick the alternatives, from each start.
    pytest.param("(a|a)" * 40, "a" * 39 + "!", id="alternatives-in-a-row"),
]
CONTROL_S = 3.0


@functools.cache  # once per pair and test session: each try burns a core for 3 s
def re_is_held(pattern: str, name: str) -> bool:
    """Whether Python's `re` is still matching `pattern` against `name` after 3 s (in a
    child process, killed then)."""
    probe = "import re, sys\nre.search(sys.argv[1], sys.argv[2], re.IGNORECASE)\n"
    try:
        subprocess.run(
            [sys.executable, "-I", "-S", "-c", probe, pattern, name],
            timeout=CONTROL_S,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return True
    return False
