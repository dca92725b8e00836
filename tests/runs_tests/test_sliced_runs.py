"""The real flow in replay mode with FRED checked, validated and landed in slices of series (flows.slicing, issue 27):
a backfill and the next day land exactly what the unsliced runs land, with one verdict per load."""

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from polars.testing import assert_frame_equal

from tests.support.flow_runs import FlowRun, read_raw, run_flow
from warehouse.db import connect_readonly, query_pl

D = date(2025, 6, 6)
LATER = D + timedelta(days=7)
SLICE_ROWS = 5_000  # the replay's FRED backfill (>50k rows, 31 series) in several slices; the next day in one


@dataclass
class Runs:
    whole: Path
    sliced: Path
    sliced_runs: list[FlowRun]
    whole_runs: list[FlowRun]


@pytest.fixture(scope="module")
def runs(prefect_harness, tmp_path_factory) -> Runs:
    whole = tmp_path_factory.mktemp("whole") / "qtwatch.duckdb"
    sliced = tmp_path_factory.mktemp("sliced") / "qtwatch.duckdb"
    whole_runs = [run_flow(whole, day, ["fred"]) for day in (D, LATER)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("flows.slicing.SLICE_ROWS", SLICE_ROWS)
        sliced_runs = [run_flow(sliced, day, ["fred"]) for day in (D, LATER)]
    return Runs(whole, sliced, sliced_runs, whole_runs)


def _fred(path: Path, sql: str):
    con = connect_readonly(path)
    try:
        return query_pl(con, sql)
    finally:
        con.close()


def test_the_sliced_runs_land_what_the_whole_runs_land(runs):
    assert [r.status for r in runs.sliced_runs] == [r.status for r in runs.whole_runs]
    assert_frame_equal(read_raw(runs.sliced)["fred_observations"], read_raw(runs.whole)["fred_observations"])
    loads = "SELECT status, rows_fetched, rows_landed, error FROM meta.loads WHERE source = 'fred' ORDER BY started_at"
    assert _fred(runs.sliced, loads).equals(_fred(runs.whole, loads))


def test_the_backfill_was_sliced_and_each_load_has_one_verdict(runs):
    fetched = _fred(runs.sliced, "SELECT rows_fetched FROM meta.loads WHERE source = 'fred' ORDER BY started_at")
    assert fetched["rows_fetched"][0] > 10 * SLICE_ROWS  # the backfill: sliced
    verdicts = "SELECT success, evaluated, failed FROM meta.validations WHERE dataset = 'fred_observations'"
    sliced, whole = _fred(runs.sliced, verdicts), _fred(runs.whole, verdicts)
    assert sliced.height == whole.height == 2  # one row per load, not one per slice
    assert sliced.equals(whole)


def test_the_sliced_backfill_kept_a_gx_result_per_slice(runs):
    results = list((runs.sliced.parent / "gx").rglob("validations/fred_observations/**/*.json"))
    first_run = runs.sliced_runs[0].run_id
    # a series bigger than a slice is a slice of its own (DGS10: ~16k rows), so fewer than rows / SLICE_ROWS
    assert len([p for p in results if first_run in str(p)]) >= 5
