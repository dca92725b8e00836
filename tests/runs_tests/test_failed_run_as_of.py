"""Issue 25 item 2: a run that published nothing (a live run with no network) does not move the as-of a later run is
compared with, so `make demo` (as of the snapshot's last day) still runs after an offline live `qtwatch run`.

The meta rows below are SYNTHETIC bookkeeping (run ids, statuses, counts), not data.
Reproduce: .venv/bin/python -m pytest tests/runs_tests/test_failed_run_as_of.py -q
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from warehouse import db, meta
from warehouse.pit import AsOfRefused, check_as_of

SNAPSHOT_DAY = date(2026, 9, 30)  # stands for the replay snapshot's last day (the demo's as-of)
TODAY = date(2026, 12, 6)  # the day of the offline live run


def record(path: Path, run_id: str, as_of: date, status: str, landed: int) -> None:
    """Write one run with one FRED load (SYNTHETIC bookkeeping) into the warehouse."""
    now = datetime.now(UTC)
    with db.staged(path) as con:
        meta.record_load(
            con,
            meta.LoadRecord(
                load_id=f"{run_id}-fred",
                run_id=run_id,
                source="fred",
                dataset="fred_observations",
                status=status,
                rows_landed=landed,
                started_at=now,
                finished_at=now,
            ),
        )
        meta.record_run(
            con,
            run_id=run_id,
            flow_run_id=None,
            mode="live",
            as_of=as_of,
            started_at=now,
            finished_at=now,
            status="Failed" if status == "failed" else "Completed",
            sources=["fred"],
        )


def test_a_failed_run_that_landed_nothing_does_not_lock_the_demo(published) -> None:
    record(published, "demo-1", SNAPSHOT_DAY, "published", 100)
    record(published, "live-offline", TODAY, "failed", 0)
    check_as_of(published, SNAPSHOT_DAY, ["fred"])  # the demo again: accepted


def test_a_run_that_published_still_guards_history(published) -> None:
    record(published, "demo-1", SNAPSHOT_DAY, "published", 100)
    record(published, "live-ok", TODAY, "published", 3)
    with pytest.raises(AsOfRefused, match=f"already knows the world as of {TODAY}"):
        check_as_of(published, SNAPSHOT_DAY, ["fred"])


def test_a_partial_run_counts_as_published(published) -> None:
    record(published, "live-partial", TODAY, "partial", 5)
    with pytest.raises(AsOfRefused):
        check_as_of(published, SNAPSHOT_DAY, ["fred"])
