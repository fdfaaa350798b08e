"""Bounded memory at intake: 12 concurrent 60 MB uploads against a real ``serve`` process.

The back end spools large bodies to 0600 files in its data directory, opens
one at a time and answers a large body beyond its limit 503 ``busy`` with
``Retry-After``. The figures (baseline, peak and after-burst RSS of the
server) are printed; the bounds are generous: peak < 1 GiB, and after the
burst the server holds less than half of its peak. Every envelope is
delivered in the end, nothing is left in the spool directory, no 5xx but 503
``busy``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.bench_intake_burst import MIB, PEAK_BOUND, report, run_burst

UPLOADS = 12
SIZE = 60 * MIB


@pytest.mark.slow
def test_twelve_concurrent_60_mb_uploads_stay_bounded(tmp_path: Path) -> None:
    result = run_burst(tmp_path, UPLOADS, SIZE)
    print(report(result, UPLOADS, SIZE))
    assert result.other_answers == []
    assert result.delivered == UPLOADS
    assert set(result.first_round) <= {201, 503}
    assert result.first_round[201] >= 1
    if result.first_round[503]:
        assert result.retry_after == {"30"}
    assert result.peak_rss < PEAK_BOUND
    assert result.after_rss < result.peak_rss / 2
    assert result.spool_left == []
