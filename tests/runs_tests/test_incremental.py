"""The real flow in replay mode: an incremental run equals a fresh one, and a re-run lands nothing."""

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from tests.support.flow_runs import FlowRun, read_loads, read_raw, run_flow
from tests.support.reader_loop import RECORDED
from transforms.marts_registry import MARTS
from transforms.registry import DATASETS
from transforms.registry import SOURCES as REGISTRY
from warehouse.db import connect_readonly

# Every source has data in the replay by this Friday, and three coupon auctions announced on Thursday 2025-06-05
# are held 2025-06-10..12: the as-of D+7 run must turn their announcement into results (a new version).
D = date(2025, 6, 6)
LATER = D + timedelta(days=7)
SOURCES = list(REGISTRY)  # every registered source, CFTC and any added later
UNRECORDED_GROUPS = json.loads(
    (Path(__file__).resolve().parents[2] / "replay" / "fred" / "not_recorded.json").read_text()
)


@dataclass
class Runs:
    """Four flow runs shared by the tests below (each costs about a second)."""

    first: FlowRun  # as-of D into a fresh warehouse
    second: FlowRun  # as-of D+7 on top of it (incremental)
    rerun: FlowRun  # as-of D+7 again
    fresh: FlowRun  # as-of D+7 into another fresh warehouse
    raw_after_first: dict[str, pl.DataFrame]
    raw_after_second: dict[str, pl.DataFrame]
    raw_after_rerun: dict[str, pl.DataFrame]
    incremental: Path
    scratch: Path


@pytest.fixture(scope="module")
def runs(prefect_harness, tmp_path_factory) -> Runs:
    incremental = tmp_path_factory.mktemp("incremental") / "qtwatch.duckdb"
    scratch = tmp_path_factory.mktemp("fresh") / "qtwatch.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        # the runs follow each other within seconds: without the clock margin meant for a team's hosts, the second
        # run's marts read only its own loads as changes (incremental marts, issue 27), as a next day's would
        patch.setattr("warehouse.mart_builds.CLOCK_MARGIN", timedelta(0))
        first = run_flow(incremental, D, SOURCES)
        raw_first = read_raw(incremental)
        second = run_flow(incremental, LATER, SOURCES)
        raw_second = read_raw(incremental)
        rerun = run_flow(incremental, LATER, SOURCES)
    fresh = run_flow(scratch, LATER, SOURCES)
    return Runs(first, second, rerun, fresh, raw_first, raw_second, read_raw(incremental), incremental, scratch)


def test_every_run_completes(runs):
    for run in (runs.first, runs.second, runs.rerun, runs.fresh):
        assert run.status == "Completed", run.state.message


def test_first_run_lands_every_source(runs):
    loads = read_loads(runs.incremental, runs.first.run_id)
    assert set(loads) == set(SOURCES)
    for source, load in loads.items():
        if source not in RECORDED:  # no rows recorded: the replay serves none (nothing to land, said so)
            assert (source, load["status"], load["rows_fetched"]) == (source, "unchanged", 0)
            continue
        assert (source, load["status"], load["error"]) == (source, "published", None)
        assert load["rows_landed"] == load["rows_fetched"] > 0
        assert load["window_start"] is None  # nothing held yet: full history


def test_second_run_is_incremental(runs):
    first, second = read_loads(runs.incremental, runs.first.run_id), read_loads(runs.incremental, runs.second.run_id)
    fresh = read_loads(runs.scratch, runs.fresh.run_id)
    for source in SOURCES:
        if source not in RECORDED:  # nothing held, so nothing to be incremental from: full history again, empty
            assert (second[source]["status"], second[source]["window_start"], second[source]["rows_fetched"]) == (
                "unchanged",
                None,
                0,
            )
            continue
        # a source with news between D and D+7 publishes them; one without (the CFTC's recorded 2025 file ends with
        # the report of 2025-04-29) re-reads its window and lands nothing
        news = fresh[source]["rows_landed"] > first[source]["rows_landed"]
        assert second[source]["status"] == ("published" if news else "unchanged"), second[source]["error"]
        if REGISTRY[source].groups_table is not None and UNRECORDED_GROUPS:
            # a catalog series the snapshot never recorded (replay/fred/not_recorded.json) has nothing held, so it is
            # asked for its full history each run: the load's earliest window opens at the start of history
            assert second[source]["window_start"] is None, source
        else:
            assert second[source]["window_start"] is not None and second[source]["window_start"] < D, source
        # fewer rows than a fresh run as of the same day, unless the window reaches back past everything recorded
        # (the OFR excerpt starts 2025-06-02, four days before D)
        dataset = REGISTRY[source].dataset
        earliest = runs.raw_after_first[dataset.name][dataset.date_column].min()
        opens = second[source]["window_start"]
        assert 0 < second[source]["rows_fetched"] <= fresh[source]["rows_fetched"], source
        if opens is not None and earliest < opens:
            assert second[source]["rows_fetched"] < fresh[source]["rows_fetched"], source


@pytest.mark.parametrize("name", list(DATASETS))
def test_incremental_current_values_equal_a_fresh_run(runs, name):
    incremental, fresh = read_raw(runs.incremental, latest_only=True), read_raw(runs.scratch, latest_only=True)
    assert_frame_equal(incremental[name], fresh[name])


@pytest.mark.parametrize("name", list(DATASETS))
def test_incremental_raw_holds_both_days_versions_and_nothing_else(runs, name):
    held = runs.raw_after_second[name]
    fresh = read_raw(runs.scratch)[name]
    union = pl.concat([runs.raw_after_first[name], fresh]).unique().sort(held.columns, nulls_last=True)
    assert_frame_equal(held, union)


@pytest.mark.parametrize("name", list(MARTS))
def test_incremental_marts_equal_a_fresh_run(runs, name):
    """Every mart after the day-by-day runs (those with a Reach rebuilt from their first changed row) holds exactly
    the rows of a fresh run as of the same day."""
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{runs.incremental}' AS incremental (READ_ONLY)")
        con.execute(f"ATTACH '{runs.scratch}' AS fresh (READ_ONLY)")
        differ = [
            con.execute(
                f"SELECT count(*) FROM (SELECT * FROM {a}.marts.{name} EXCEPT ALL SELECT * FROM {b}.marts.{name})"
            ).fetchall()[0][0]
            for a, b in (("incremental", "fresh"), ("fresh", "incremental"))
        ]
    assert differ == [0, 0], name


def test_the_second_run_rebuilt_its_incremental_marts_from_recent_rows(runs):
    """Not vacuous: the marts with a Reach that the second run published were rebuilt from a cut near D (their rows
    before it kept), the others whole."""
    with connect_readonly(runs.incremental) as con:
        second = [runs.second.run_id]
        builds = dict(con.execute("SELECT mart, cut FROM meta.mart_builds WHERE run_id = ?", second).fetchall())
        published = {
            m
            for (m,) in con.execute(
                "SELECT dataset FROM meta.loads WHERE run_id = ? AND source = 'marts' AND status = 'published'", second
            ).fetchall()
        }
    with_reach = {m for m in published if MARTS[m].reach is not None}
    assert len(with_reach) >= 3, published  # the week's FRED and auction news reach three of them at least
    for mart in published:
        cut = builds[mart]
        if MARTS[mart].reach is None:
            assert cut is None, mart
        else:
            assert cut is not None and D - timedelta(days=62) <= cut <= LATER, (mart, cut)


@pytest.mark.parametrize("name", list(DATASETS))
def test_raw_holds_no_duplicate_versions(runs, name):
    assert runs.raw_after_rerun[name].is_duplicated().sum() == 0


def test_rerun_lands_nothing(runs):
    loads = read_loads(runs.incremental, runs.rerun.run_id)
    outcome = {source: (load["status"], load["rows_landed"]) for source, load in loads.items()}
    assert outcome == {source: ("unchanged", 0) for source in SOURCES}
    assert all(load["rows_fetched"] > 0 for source, load in loads.items() if source in RECORDED)  # it did look


def test_rerun_rebuilds_and_validates_nothing_and_says_so(runs):
    con = connect_readonly(runs.incremental)
    try:
        marts = con.execute(
            "SELECT dataset, status FROM meta.loads WHERE run_id = ? AND source = 'marts'", [runs.rerun.run_id]
        ).fetchall()
        validations = con.execute(
            "SELECT count(*) FROM meta.validations WHERE starts_with(load_id, ?)", [runs.rerun.run_id]
        ).fetchall()[0][0]
        second = con.execute(
            "SELECT count(*) FROM meta.validations WHERE starts_with(load_id, ?)", [runs.second.run_id]
        ).fetchall()[0][0]
    finally:
        con.close()
    from transforms.marts_registry import MARTS

    # A mart with no rows yet (e.g. the CFTC marts on this replay) is rebuilt and found equal: 'unchanged'.
    assert len(marts) == len(MARTS) and {status for _, status in marts} <= {"skipped", "unchanged"}
    assert validations == 0 and second > 0  # the incremental run validated its new batches; the re-run had none


@pytest.mark.parametrize("name", list(DATASETS))
def test_rerun_leaves_raw_unchanged(runs, name):
    assert_frame_equal(runs.raw_after_rerun[name], runs.raw_after_second[name])


def test_auction_results_arrive_as_a_new_version(runs):
    second = read_loads(runs.incremental, runs.second.run_id)["auctions"]
    assert second["rows_landed"] > 0
    first_raw, second_raw = runs.raw_after_first["treasury_auctions"], runs.raw_after_second["treasury_auctions"]
    revised = second_raw.group_by("cusip", "auction_date").len().filter(pl.col("len") > 1)
    assert revised.height > 0
    without_results = first_raw.join(revised, on=["cusip", "auction_date"]).filter(pl.col("total_accepted").is_null())
    assert without_results.height == revised.height  # the first version of each revised key had no results
