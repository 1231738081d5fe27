"""Load and leaks: runs in a row and at once through the server, while edits keep arriving.

The load of `benchmarks/load.py`, with CI-sized counts: 150 runs in a row, then two rounds
of 50 runs at once, while an editor changes a 500-line script and waits for each version's
diagnostics. The server must end where it started, give or take a small bound: the same
open descriptors, no process but its warm runner (and the child the runner keeps ready for
the next run), and resident memory within a few MB (and not growing from one round of 50 to
the next). Each run prints 50 KB, so that keeping
anything of each run shows (pygls kept every run's task and result: found here). Every run
must give its own output, and every edit its diagnostics.

The full load (1,000 runs in a row, four rounds of 50) and the latency figures are
`python benchmarks/load.py`; latency is never asserted here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from benchmarks.load import BETWEEN_RUNS, drive

from tests.interpreter import environment

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

RUNS_IN_A_ROW = 150
ROUNDS = 2
AT_ONCE = 50
# Each run prints this much more, so that a server keeping anything of each run (its result,
# its output) grows past the bound: 250 runs x 50 KB.
PAD = 50_000
# Bounds, from the baseline taken after a warm-up in which every script ran once.
MORE_FDS = 2
MORE_RSS_MB = 6.0
MORE_RSS_PER_ROUND_MB = 2.0


async def test_runs_and_edits_leave_no_descriptors_processes_or_memory_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The server (started by the benchmark) runs the scripts with `python3` from PATH.
    monkeypatch.setenv("PATH", environment()["PATH"])
    report = await drive(tmp_path, RUNS_IN_A_ROW, ROUNDS, AT_ONCE, pad=PAD)
    assert not report.failures, report.failures[:5]
    assert report.runs == RUNS_IN_A_ROW + ROUNDS * AT_ONCE
    assert report.edits_during > 10, "the edits did not keep arriving"
    baseline = report.baseline
    assert baseline.descendants == BETWEEN_RUNS, "between runs: the warm runner and its ready child"
    for phase, usage in report.phases:
        summary = f"{phase}: {usage.minus(baseline)}"
        assert usage.fds <= baseline.fds + MORE_FDS, summary
        assert usage.descendants <= baseline.descendants, summary
        assert usage.rss_mb <= baseline.rss_mb + MORE_RSS_MB, summary
    rounds = [usage.rss_mb for phase, usage in report.phases if "at once" in phase]
    assert rounds[-1] - rounds[0] <= MORE_RSS_PER_ROUND_MB * (len(rounds) - 1), rounds
