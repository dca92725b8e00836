"""Completeness: a batch must bring back what is held in its window, per group — including a batch with no rows,
a group it lost, rows it lost at the end, and held values it nulled; a revision is not a shortfall.

Synthetic data: two FRED-shaped series (S1, S2) of three literal weekly observations each, held in an in-memory
warehouse built from the real DDL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb
import polars as pl
import pytest

from expectations import completeness
from expectations.fred_observations import context as fred_context
from transforms.registry import DATASETS
from warehouse import db, load

FRED = DATASETS["fred_observations"]
DAYS = [date(2025, 5, 21), date(2025, 5, 28), date(2025, 6, 4)]
WINDOWS = {"S1": (date(2025, 5, 1), date(2025, 6, 13)), "S2": (date(2025, 5, 1), date(2025, 6, 13))}


def batch(rows: list[tuple[str, date, float | None]]) -> pl.DataFrame:
    """Synthetic FRED batch rows (series, date, value) in the landing shape."""
    frame = pl.DataFrame(rows, schema={"series_id": pl.Utf8, "date": pl.Date, "value": pl.Float64}, orient="row")
    return frame.with_columns(units=pl.lit("Synthetic units"), source_url=pl.lit("synthetic"))


HELD = batch([(s, d, 100.0 + i) for s in ("S1", "S2") for i, d in enumerate(DAYS)])


@pytest.fixture()
def con() -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse holding HELD."""
    connection = duckdb.connect()
    db.apply_schema(connection)
    load.land(
        connection, FRED, HELD, load_id="held", fetched_at=datetime(2025, 6, 6, tzinfo=UTC), as_of=date(2025, 6, 6)
    )
    return connection


def failures(con, frame: pl.DataFrame, windows=WINDOWS) -> list[str]:
    cover = load.coverage(con, FRED, frame, windows, "series_id", ("value",))
    return completeness.shortfalls(cover, "series_id")


def test_the_same_batch_again_is_complete(con) -> None:
    assert failures(con, HELD) == []


def test_a_batch_with_no_rows_fails_for_every_held_group(con) -> None:
    assert failures(con, HELD.clear()) == [
        "completeness: series_id S1: no rows, where 3 are held (2025-05-21..2025-06-04)",
        "completeness: series_id S2: no rows, where 3 are held (2025-05-21..2025-06-04)",
    ]


def test_a_lost_group_is_named(con) -> None:
    assert failures(con, HELD.filter(pl.col("series_id") == "S2")) == [
        "completeness: series_id S1: no rows, where 3 are held (2025-05-21..2025-06-04)"
    ]


def test_a_series_that_ends_early_with_a_plausible_value_fails(con) -> None:
    cut = HELD.filter((pl.col("series_id") == "S2") | (pl.col("date") < DAYS[-1]))
    assert failures(con, cut) == [
        "completeness: series_id S1: ends 2025-05-28, earlier than the held 2025-06-04",
        "completeness: series_id S1: 1 of 3 held rows missing (newest 2025-06-04)",
    ]


def test_missing_rows_are_caught_even_when_newer_rows_make_up_the_count(con) -> None:
    newer = batch([("S1", date(2025, 6, 11), 104.0)])
    frame = pl.concat([HELD.filter((pl.col("series_id") == "S2") | (pl.col("date") != DAYS[1])), newer])
    assert failures(con, frame) == ["completeness: series_id S1: 1 of 3 held rows missing (newest 2025-05-28)"]


def test_a_held_value_that_comes_back_null_fails(con) -> None:
    nulled = HELD.with_columns(
        value=pl.when((pl.col("series_id") == "S2") & (pl.col("date") == DAYS[-1]))
        .then(None)
        .otherwise(pl.col("value"))
    )
    assert failures(con, nulled) == ["completeness: series_id S2: 1 held value(s) came back NULL (newest 2025-06-04)"]


def test_a_revision_is_not_a_shortfall(con) -> None:
    assert failures(con, HELD.with_columns(value=pl.col("value") * 1.01)) == []


def test_only_rows_inside_the_window_are_owed(con) -> None:
    later = {"S1": (date(2025, 5, 25), date(2025, 6, 13)), "S2": (date(2025, 5, 25), date(2025, 6, 13))}
    assert failures(con, HELD.filter(pl.col("date") >= date(2025, 5, 25)), later) == []


def test_one_window_for_an_ungrouped_source_covers_every_group(con) -> None:
    """Sources fetched as a whole (rates, DTS) have one '*' window but are judged per their own group column."""
    rates = DATASETS["nyfed_reference_rates"]
    cover = load.coverage(
        con,
        rates,
        pl.DataFrame(schema={"rate_type": pl.Utf8, "effective_date": pl.Date, "rate_pct": pl.Float64}),
        {"*": (None, date(2025, 6, 13))},
        "rate_type",
        ("rate_pct",),
    )
    assert cover is not None and cover.is_empty()  # nothing held yet: nothing owed


def test_a_batch_missing_a_needed_column_is_left_to_the_structural_rules(con) -> None:
    assert load.coverage(con, FRED, HELD.drop("value"), WINDOWS, "series_id", ("value",)) is None


def test_empty_batch_fails_validation_through_the_validator(con, validator) -> None:
    """The row-wise GX rules see nothing in an empty batch; the completeness rule still fails it."""
    empty = HELD.clear()
    assert validator.validate("fred_observations", empty).success  # what the old code decided
    cover = load.coverage(con, FRED, empty, WINDOWS, "series_id", fred_context().value_columns)
    outcome = validator.validate("fred_observations", empty, coverage=cover)
    assert not outcome.success
    assert outcome.failed_rules[:2] == [
        "completeness: series_id S1: no rows, where 3 are held (2025-05-21..2025-06-04)",
        "completeness: series_id S2: no rows, where 3 are held (2025-05-21..2025-06-04)",
    ]


@pytest.mark.parametrize(
    "windows",
    [
        {"S1": (date(2025, 5, 25), date(2025, 6, 13)), "S2": (date(2025, 5, 1), date(2025, 5, 30))},
        {"S1": (date(2025, 5, 29), date(2025, 6, 4)), "S2": (date(2025, 6, 1), date(2025, 6, 13))},
        {"S1": (None, date(2025, 6, 13)), "S2": (date(2025, 6, 1), date(2025, 6, 13))},
    ],
    ids=["spans-differ", "narrow", "one-open"],
)
def test_reading_only_the_windows_span_gives_the_whole_histories_answer(con, monkeypatch, windows) -> None:
    revised = batch([("S1", DAYS[0], 99.0), ("S2", DAYS[2], 7.0)])
    load.land(con, FRED, revised, load_id="rev", fetched_at=datetime(2025, 6, 9, tzinfo=UTC), as_of=date(2025, 6, 9))
    lost_one = HELD.filter((pl.col("series_id") != "S2") | (pl.col("date") != DAYS[1]))
    assert load.versions_in(FRED, windows) is not None
    spanned = load.coverage(con, FRED, lost_one, windows, "series_id", ("value",))
    monkeypatch.setattr(load, "versions_in", lambda dataset, windows: None)  # every version held
    assert spanned is not None and spanned.equals(load.coverage(con, FRED, lost_one, windows, "series_id", ("value",)))


def test_an_open_window_or_a_key_without_its_date_reads_every_version() -> None:
    """An open window of a series reads that series whole (per group, the equality above); an open window of a
    dataset without groups, or a key without its date, reads every version held."""
    assert "JOIN _windows" in (load.versions_in(FRED, {"S1": (None, date(2025, 6, 13))}) or "")
    rates = DATASETS["nyfed_reference_rates"]
    assert load.versions_in(rates, {"*": (None, date(2025, 6, 13))}) is None
    repo = DATASETS["nyfed_rp_operations"]  # keyed by operation id alone
    assert load.versions_in(repo, {"*": (date(2025, 6, 1), date(2025, 6, 13))}) is None
