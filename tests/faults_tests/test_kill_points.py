"""kill -9 at every named point of a load: the published file is byte-identical or a complete new publish, no row
is lost, no process survives, and the next run completes and leaves no staging file or WAL behind."""

from __future__ import annotations

import pytest

from tests.faults_tests.kill_series import points

POINTS = points()

pytestmark = pytest.mark.slow
# Points after the atomic rename: the run's data is published, only what follows it (docs, report) is cut short.
AFTER_PUBLISH = {"replaced", "published", "docs-built", "report-written", "done"}


def test_the_series_covers_at_least_20_points(kill_series):
    assert len(kill_series) == len(POINTS) >= 20


@pytest.mark.parametrize("point", list(POINTS), ids=list(POINTS))
def test_kill_9_leaves_the_published_warehouse_unchanged_or_fully_new(kill_series, point):
    case = kill_series[point]
    assert case["kill_exit"] == -9, f"the run was not killed at {point}: exit {case['kill_exit']}"
    assert case["published"] == ("new" if point in AFTER_PUBLISH else "unchanged"), case["after_kill"]
    assert case["after_kill"]["ok"] and case["after_kill"]["unrecorded_rows"] == 0
    assert case["after_kill"]["core_mismatch"] == []
    assert case["rows_lost"] == 0


@pytest.mark.parametrize("point", list(POINTS), ids=list(POINTS))
def test_kill_9_leaves_no_process_and_the_next_run_completes_and_cleans_up(kill_series, point):
    case = kill_series[point]
    assert case["kill_orphans"] == 0
    assert len(case["stale_after_kill"]) <= 2  # at most the killed run's staging copy and its WAL
    assert case["next_exit"] == 0, f"the run after a kill at {point} failed:\n{case.get('next_log_tail', '')}"
    assert case["next_orphans"] == 0
    assert case["after_next"]["status"] == "Completed" and case["after_next"]["unrecorded_rows"] == 0
    assert case["leftovers_after_next"] == []
    assert case["rows_lost_next"] == 0
