"""A source fetched whole but grouped in the warehouse (CFTC: one window, rows per contract) plans its daily window
from its latest held row, and its held rows in that window are seen by the completeness check.

Synthetic data: two CFTC-shaped contracts (codes S1, S2) with literal report dates, every position NULL, held in an
in-memory warehouse built from the real DDL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import duckdb
import polars as pl
import pytest

from expectations import completeness
from flows.plan import plan_windows
from transforms import cftc
from transforms.registry import SOURCES
from warehouse import db, load

CFTC = SOURCES["cftc"]
HELD_DAYS = {"S1": [date(2026, 6, 2), date(2026, 6, 9), date(2026, 6, 16)], "S2": [date(2026, 6, 2), date(2026, 6, 9)]}
AS_OF = date(2026, 6, 22)


def tff(rows: list[tuple[str, date]]) -> pl.DataFrame:
    """Synthetic CFTC rows (contract code, report date), every other column NULL."""
    keys = pl.DataFrame(rows, schema={"cftc_contract_market_code": pl.Utf8, cftc.DATE_COLUMN: pl.Date}, orient="row")
    others = [pl.lit(None, dtype).alias(c) for c, dtype in cftc.SCHEMA.items() if c not in keys.columns]
    return keys.with_columns(*others, source_url=pl.lit("synthetic"))


HELD = tff([(code, day) for code, days in HELD_DAYS.items() for day in days])


@pytest.fixture()
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    db.apply_schema(connection)
    load.land(
        connection,
        CFTC.dataset,
        HELD,
        load_id="held",
        fetched_at=datetime(2026, 6, 20, tzinfo=UTC),
        as_of=date(2026, 6, 20),
    )
    return connection


def test_the_daily_window_starts_from_the_latest_row_of_any_contract(con) -> None:
    windows = plan_windows(con, CFTC, AS_OF, full_refresh=False)
    assert list(windows) == ["*"]
    assert windows["*"].start == date(2026, 6, 16) - timedelta(days=CFTC.revision_days)  # not the whole history


def test_a_new_warehouse_or_full_refresh_asks_for_the_whole_history(con) -> None:
    assert plan_windows(con, CFTC, AS_OF, full_refresh=True)["*"].start is None
    empty = duckdb.connect()
    db.apply_schema(empty)
    assert plan_windows(empty, CFTC, AS_OF, full_refresh=False)["*"].start is None


def test_held_rows_in_the_whole_window_are_checked_for_completeness(con) -> None:
    window = plan_windows(con, CFTC, AS_OF, full_refresh=False)["*"]
    lost = (pl.col("cftc_contract_market_code") == "S2") & (pl.col("report_date") == date(2026, 6, 9))
    lost_one = HELD.filter(~lost)
    cover = load.coverage(
        con,
        CFTC.dataset,
        lost_one.filter(pl.col("report_date") >= window.start),
        {"*": (window.start, window.end)},
        "cftc_contract_market_code",
    )
    assert window.start == date(2026, 6, 2)
    assert cover is not None and cover["held_rows"].sum() == 5  # every row held since the window's start
    assert completeness.shortfalls(cover, "cftc_contract_market_code") == [
        "completeness: cftc_contract_market_code S2: ends 2026-06-02, earlier than the held 2026-06-09",
        "completeness: cftc_contract_market_code S2: 1 of 2 held rows missing (newest 2026-06-09)",
    ]
