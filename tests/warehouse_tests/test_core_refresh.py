"""A daily run refreshes core for the keys it landed instead of rebuilding it from all of raw: the result must be
exactly what a rebuild from raw gives (latest rows, every version with valid_from / valid_to, known_on).

Synthetic data: FRED-shaped series S1 and S2 with literal values, landed by three loads (new rows, a revision, an
unchanged repeat), in an in-memory warehouse built from the real DDL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb
import polars as pl
import pytest

from transforms.registry import DATASETS
from warehouse import db, load

FRED = DATASETS["fred_observations"]


def obs(rows: list[tuple[str, date, float]]) -> pl.DataFrame:
    frame = pl.DataFrame(rows, schema={"series_id": pl.Utf8, "date": pl.Date, "value": pl.Float64}, orient="row")
    return frame.with_columns(units=pl.lit("Synthetic units"), source_url=pl.lit("synthetic"))


def land(con, load_id: str, day: int, rows) -> None:
    load.land(
        con,
        FRED,
        obs(rows),
        load_id=load_id,
        fetched_at=datetime(2025, 6, day, 21, tzinfo=UTC),
        as_of=date(2025, 6, day),
    )


def tables(con) -> dict[str, list[tuple]]:
    """Every core table of the dataset, and known_on for a few days, as sorted rows."""
    out = {
        t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
        for t in (FRED.core_table, f"{FRED.core_table}_history")
    }
    for day in (date(2025, 6, 2), date(2025, 6, 3), date(2025, 6, 9)):
        out[str(day)] = sorted(con.execute(f"SELECT * FROM {FRED.core_table}_known_on(?)", [day]).fetchall(), key=repr)
    return out


@pytest.fixture()
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    db.apply_schema(connection)
    land(
        connection,
        "first",
        2,
        [("S1", date(2025, 5, 28), 1.0), ("S1", date(2025, 6, 4), 2.0), ("S2", date(2025, 5, 28), 10.0)],
    )
    load.rebuild_core(connection, {FRED.name: FRED})
    return connection


def test_refreshing_the_touched_keys_equals_a_rebuild_from_raw(con) -> None:
    land(con, "second", 3, [("S1", date(2025, 6, 4), 2.5), ("S2", date(2025, 6, 4), 11.0)])  # revision + new row
    land(con, "third", 9, [("S1", date(2025, 6, 4), 3.0), ("S2", date(2025, 5, 28), 10.0)])  # revision + repeat
    assert load.refresh_core(con, FRED, ["second", "third"]) == 2  # (S1, 06-04) and (S2, 06-04); the repeat landed 0
    refreshed = tables(con)
    load.rebuild_core(con, {FRED.name: FRED})
    assert refreshed == tables(con)
    assert con.execute(
        f"SELECT value FROM {FRED.core_table} WHERE series_id = 'S1' AND date = '2025-06-04'"
    ).fetchall() == [(3.0,)]


def test_a_load_that_landed_nothing_changes_nothing(con) -> None:
    before = tables(con)
    assert load.refresh_core(con, FRED, ["no-such-load"]) == 0
    assert tables(con) == before
