"""A big batch is validated and landed in slices of whole groups (flows.slicing, issue 27): the slices cover every
row and window group once, a sliced validation gives the whole batch's verdict, and a sliced landing lands what one
transaction lands, or nothing."""

from datetime import UTC, date, datetime

import duckdb
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from expectations.runner import merge_outcomes
from flows import landing, slicing
from transforms.registry import DATASETS
from warehouse import load
from warehouse.db import apply_schema, load_seeds, query_pl

AS_OF = date(2026, 6, 22)
RECORDED_TO = date(2026, 12, 1)  # after the last recorded date of the six series: the recorded batch passes


# --------------------------------------------------------------------------------------------------- the cut
@settings(max_examples=200, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=0, max_value=9), min_size=1, max_size=12),
    max_rows=st.integers(min_value=1, max_value=20),
    together=st.booleans(),
)
def test_every_row_and_window_group_is_in_exactly_one_slice(sizes, max_rows, together):
    """Synthetic groups g00.. of the drawn sizes (0: a window group the batch brought no rows for)."""
    groups = [f"g{i:02d}" for i in range(len(sizes))]
    rows = [(g, n) for g, size in zip(groups, sizes, strict=True) for n in range(size)]
    frame = pl.DataFrame(rows, schema={"g": pl.Utf8, "n": pl.Int64}, orient="row")
    if not together:
        frame = frame.sort("n")  # each group's rows scattered: the slices are copies
    parts = slicing.cut(frame, "g", groups, max_rows=max_rows)

    assert sorted(g for p in parts for g in p.groups) == sorted(groups)
    assert slicing.whole([p.frame for p in parts]).sort("g", "n").equals(frame.sort("g", "n"))
    for part in parts:
        assert set(part.frame["g"]) <= set(part.groups)
        assert part.frame.height <= max_rows or part.frame["g"].n_unique() == 1
    if frame.height <= max_rows:
        assert len(parts) == 1


def test_a_fetched_batch_is_sliced_without_copying():
    frame = pl.DataFrame({"g": ["b"] * 3 + ["a"] * 3 + ["c"] * 2, "v": range(8)})
    parts = slicing.cut(frame, "g", ["a", "b", "c", "z"], max_rows=4)
    assert [p.groups for p in parts] == [("b",), ("a",), ("c", "z")]
    assert [p.frame["v"].to_list() for p in parts] == [[0, 1, 2], [3, 4, 5], [6, 7]]


def test_a_row_without_a_group_keeps_the_batch_whole():
    frame = pl.DataFrame({"g": ["a", None, "b"], "v": [1, 2, 3]})
    (part,) = slicing.cut(frame, "g", ["a", "b"], max_rows=1)
    assert part.frame.equals(frame)


# ------------------------------------------------------------------------------------- sliced validation
def _corrupted(fred_batch: pl.DataFrame) -> pl.DataFrame:
    """SYNTHETIC faults on the recorded batch: WALCL and SOFR values x1000 on their first 5 dates, the last WALCL and
    IORB rows without units (each pair in two slices)."""
    first = pl.col("date").rank("ordinal").over("series_id") <= 5
    scaled = pl.col("series_id").is_in(["WALCL", "SOFR"]) & first
    last = pl.col("date") == pl.col("date").max().over("series_id")
    no_units = pl.col("series_id").is_in(["WALCL", "IORB"]) & last
    return fred_batch.with_columns(
        value=pl.when(scaled).then(pl.col("value") * 1000).otherwise(pl.col("value")),
        units=pl.when(no_units).then(None).otherwise(pl.col("units")),
    )


@pytest.mark.parametrize("corrupt", [False, True], ids=["recorded", "corrupted"])
def test_a_sliced_validation_gives_the_whole_batchs_verdict(validator, fred_batch, corrupt):
    """The six recorded FRED series (replay snapshot), validated whole and in slices of ~3,000 rows."""
    batch = _corrupted(fred_batch) if corrupt else fred_batch
    whole = validator.validate("fred_observations", batch, as_of=RECORDED_TO)
    parts = slicing.cut(batch, "series_id", batch["series_id"].unique(), max_rows=3_000)
    assert len(parts) >= 3
    outcomes = [
        validator.validate("fred_observations", p.frame, as_of=RECORDED_TO, part=n) for n, p in enumerate(parts, 1)
    ]
    sliced = merge_outcomes(outcomes)
    assert (sliced.success, sliced.evaluated, sliced.failed) == (whole.success, whole.evaluated, whole.failed)
    assert sorted(sliced.failed_rules) == sorted(whole.failed_rules)
    assert sliced.bad_rows.keys() == whole.bad_rows.keys()
    assert sliced.success is not corrupt
    if corrupt:  # a rule failing in two slices counts its rows in both, and shows the first slice's first row
        assert sliced.bad_rows["units: not null"] == whole.bad_rows["units: not null"]
        for series in ("WALCL", "SOFR"):  # one GX rule, named per series: each name counts its own series' rows
            (text,) = [t for rule, t in sliced.bad_rows.items() if rule.endswith(f"series_id = {series}")]
            assert text.startswith(f" (5 rows, first: series_id={series}, ")


# ---------------------------------------------------------------------------------------- sliced landing
@pytest.fixture
def warehouse(tmp_path):
    con = duckdb.connect(str(tmp_path / "land.duckdb"))
    apply_schema(con)
    load_seeds(con)
    yield con
    con.close()


def _land(con, frames):
    catalog = query_pl(con, "SELECT * FROM ref.fred_series")
    return landing.land_task.fn(con, "fred", frames, "load-1", datetime(2026, 6, 22, 20, tzinfo=UTC), AS_OF, catalog)


def _held(con) -> pl.DataFrame:
    return query_pl(con, "SELECT * EXCLUDE (fetched_at) FROM raw.fred_observations ORDER BY series_id, date")


def test_a_sliced_landing_lands_what_one_transaction_lands(fred_batch, warehouse, tmp_path):
    parts = [p.frame for p in slicing.cut(fred_batch, "series_id", [], max_rows=3_000)]
    assert _land(warehouse, parts) == fred_batch.height
    with duckdb.connect(str(tmp_path / "whole.duckdb")) as other:
        apply_schema(other)
        load_seeds(other)
        assert _land(other, [fred_batch]) == fred_batch.height
        assert _held(warehouse).equals(_held(other))


def test_a_slice_that_fails_leaves_none_of_the_batch_landed(fred_batch, warehouse, monkeypatch):
    parts = [p.frame for p in slicing.cut(fred_batch, "series_id", [], max_rows=3_000)]
    real, calls = load.land, []

    def land_then_fail(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise duckdb.IOException("disk went away (test)")
        return real(*args, **kwargs)

    monkeypatch.setattr(load, "land", land_then_fail)
    with pytest.raises(duckdb.IOException):
        _land(warehouse, parts)
    assert len(calls) == 3
    assert warehouse.execute("SELECT count(*) FROM raw.fred_observations").fetchall() == [(0,)]


def test_a_batch_with_columns_to_fill_lands_in_one_transaction(fred_batch, warehouse, monkeypatch):
    """Held rows whose columns a migration added are filled in place (warehouse.unrecorded): no slice commits."""
    parts = [p.frame for p in slicing.cut(fred_batch, "series_id", [], max_rows=3_000)]
    monkeypatch.setattr(landing, "unrecorded_columns", lambda con, table: {"value": datetime.now(UTC)})
    committed = []
    monkeypatch.setattr(landing, "_land_slices", lambda *a: committed.append(a) or 0)
    assert _land(warehouse, parts) == fred_batch.height
    assert committed == []
    assert DATASETS["fred_observations"].raw_table == "raw.fred_observations"
