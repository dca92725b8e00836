"""FRED moved WRESBAL from billions to millions: an undeclared scale change fails the source and lands nothing; a
declared one (units string changed) reloads the series' full history as a revision."""

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest

from tests.support.flow_runs import FIXTURES, REPLAY, read_loads, read_raw, replay_session, run_flow
from transforms.fred import parse_fredgraph_csv
from transforms.registry import DATASETS
from transforms.revisions import detect_unit_changes
from warehouse import db, load

LEGACY = FIXTURES / "fred" / "WRESBAL_legacy_billions_2021-06_07.csv"  # real FRED rows in billions (see README)
# The Thursday after the legacy slice's last date (Wednesday 2021-07-28, published with the H.4.1 of the 29th): the
# replay (millions) then serves the same dates.
AS_OF = date(2021, 7, 29)
MILLIONS, BILLIONS = "Millions of U.S. Dollars", "Billions of U.S. Dollars"


def legacy_batch(units: str) -> pl.DataFrame:
    """The legacy WRESBAL slice as FRED served it then, declared in `units`."""
    return parse_fredgraph_csv(LEGACY.read_bytes(), "WRESBAL").with_columns(
        units=pl.lit(units), source_url=pl.lit(f"tests/fixtures/fred/{LEGACY.name}")
    )


def current_batch() -> pl.DataFrame:
    """The same dates from the replay snapshot (millions), declared in millions as the catalog says."""
    from flows.sources import Window, fred

    session, _ = replay_session(AS_OF)
    frame, _ = fred.fetch_fredgraph(session, "WRESBAL", Window(date(2021, 6, 2), AS_OF))
    return frame.with_columns(units=pl.lit(MILLIONS))


@pytest.mark.parametrize(("held_units", "kind"), [(MILLIONS, "undeclared"), (BILLIONS, "declared")])
def test_detect_unit_changes_classifies_the_wresbal_switch(held_units, kind):
    changes = detect_unit_changes(legacy_batch(held_units), current_batch())
    assert changes.select("series_id", "held_units", "new_units", "kind").rows() == [
        ("WRESBAL", held_units, MILLIONS, kind)
    ]
    assert changes["median_ratio"][0] == pytest.approx(1000, rel=1e-3)


def test_same_units_and_values_are_no_change():
    held = current_batch()
    assert detect_unit_changes(held, held).is_empty()


def seeded_warehouse(path: Path, units: str) -> Path:
    """A published warehouse holding only the legacy WRESBAL slice, declared in `units`."""
    with db.staged(path) as con:
        load.land(
            con,
            DATASETS["fred_observations"],
            legacy_batch(units),
            load_id="legacy-seed",
            fetched_at=datetime(2021, 7, 29, tzinfo=UTC),
            as_of=AS_OF,
        )
    return path


def replay_wresbal() -> pl.DataFrame:
    """WRESBAL as the replay holds it up to AS_OF (date, value in millions; blank -> null)."""
    with open(REPLAY / "fred" / "fredgraph" / "WRESBAL.csv") as handle:
        rows = [(date.fromisoformat(d), float(v) if v else None) for d, v in list(csv.reader(handle))[1:]]
    return pl.DataFrame([r for r in rows if r[0] <= AS_OF], schema={"date": pl.Date, "value": pl.Float64}, orient="row")


@pytest.fixture(scope="module")
def undeclared(prefect_harness, tmp_path_factory):
    path = seeded_warehouse(tmp_path_factory.mktemp("undeclared") / "qtwatch.duckdb", MILLIONS)
    before = read_raw(path)
    return path, before, run_flow(path, AS_OF, ["fred", "dts"])


def test_undeclared_scale_change_fails_fred_with_a_clear_message(undeclared):
    path, _, run = undeclared
    assert run.state.is_failed() and run.status == "Failed"
    fred = read_loads(path, run.run_id)["fred"]
    assert fred["status"] == "failed" and fred["rows_landed"] == 0
    assert "WRESBAL" in fred["error"] and "1,000x" in fred["error"]
    assert "fred_series.csv" in fred["error"]  # says what to do
    assert "WRESBAL" in run.state.message


def test_undeclared_scale_change_lands_nothing_for_fred(undeclared):
    path, before, _ = undeclared
    assert read_raw(path)["fred_observations"].equals(before["fred_observations"])


def test_other_sources_still_publish_when_fred_fails(undeclared):
    path, _, run = undeclared
    dts = read_loads(path, run.run_id)["dts"]
    assert (dts["status"], dts["error"]) == ("published", None)
    assert dts["rows_landed"] > 0


def test_declared_unit_change_reloads_the_full_history(prefect_harness, tmp_path):
    path = seeded_warehouse(tmp_path / "qtwatch.duckdb", BILLIONS)
    run = run_flow(path, AS_OF, ["fred"])
    fred = read_loads(path, run.run_id)["fred"]
    assert (fred["status"], fred["error"]) == ("published", None)
    current = read_raw(path, latest_only=True)["fred_observations"].filter(pl.col("series_id") == "WRESBAL")
    assert current.select("date", "value").sort("date").equals(replay_wresbal())
    assert set(current["units"]) == {MILLIONS}
    history = read_raw(path)["fred_observations"].filter(
        (pl.col("series_id") == "WRESBAL") & pl.col("date").is_in(legacy_batch(BILLIONS)["date"].implode())
    )
    assert (
        history.group_by("date").agg(pl.col("units").sort()).get_column("units").to_list() == [[BILLIONS, MILLIONS]] * 9
    )  # each legacy date: the billions version and its millions revision
