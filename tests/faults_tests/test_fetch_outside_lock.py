"""A slow fetch holds neither the writer slot nor a staging copy (issue 28, case 3): every source is fetched and
validated before the run takes them, so another deployment publishes meanwhile, and the slow run, once its fetch
ends, checks its batch against that publish and lands on top of it."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from flows import landing
from tests.faults_tests.harness import leftovers
from tests.support.flow_runs import REPLAY, read_loads, warehouse_env
from warehouse.db import connect_readonly
from warehouse.meta import RunSummary

pytestmark = pytest.mark.slow

FIRST, LATER = date(2025, 6, 6), date(2025, 6, 13)  # replay days with data for both sources
SLOW, FAST = "dts", "nyfed_rates"


def run(warehouse, as_of: date, sources: list[str]) -> RunSummary:
    """The real flow in replay mode; its summary (run id and loads), raising if it did not complete."""
    from flows.pipeline import qtwatch_pipeline

    with warehouse_env(warehouse):
        state = qtwatch_pipeline(sources=sources, replay=True, as_of=as_of, replay_dir=str(REPLAY), return_state=True)
    assert state.is_completed(), state.message
    return state.result()


def test_a_fetch_in_progress_does_not_hold_the_writer_slot(prefect_harness, tmp_path, monkeypatch) -> None:
    warehouse = tmp_path / "qtwatch.duckdb"
    first = run(warehouse, FIRST, [SLOW, FAST])
    fetching, release = threading.Event(), threading.Event()
    real_fetch = landing.fetch_source

    def slow_fetch(session, request):
        if request.source.name == SLOW:
            fetching.set()
            release.wait(300)  # the slow host answers only when the test says so
        return real_fetch(session, request)

    monkeypatch.setattr(landing, "fetch_source", slow_fetch)
    monkeypatch.setenv("QTWATCH_WRITER_WAIT_S", "5")  # holding the slot would make the other run give up in 5 s
    runs: dict = {}
    slow_run = threading.Thread(target=lambda: runs.setdefault("slow", run(warehouse, LATER, [SLOW])))
    slow_run.start()
    try:
        assert fetching.wait(120), "the slow run never started fetching"
        assert leftovers(warehouse) == []  # no staging copy while it fetches
        fast = run(warehouse, LATER, [FAST])  # another deployment, while the slow fetch is in progress
        assert slow_run.is_alive() and fetching.is_set()
    finally:
        release.set()
        slow_run.join(300)
    slow = runs["slow"]  # absent if the slow run did not complete (its thread's assertion says why)
    assert len({first.run_id, fast.run_id, slow.run_id}) == 3
    assert read_loads(warehouse, fast.run_id)[FAST]["status"] == "published"
    assert read_loads(warehouse, slow.run_id)[SLOW]["status"] == "published"  # landed on top of the other publish
    con = connect_readonly(warehouse)
    try:
        runs_held = {r for (r,) in con.execute("SELECT run_id FROM meta.runs").fetchall()}
    finally:
        con.close()
    assert {first.run_id, fast.run_id, slow.run_id} <= runs_held
    assert leftovers(warehouse) == []
