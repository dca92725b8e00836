"""What a run changes: a batch equal to the held rows of its windows is recognised, any difference is not."""

from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest

from transforms.registry import DATASETS
from warehouse import changes, db, load

FRED = DATASETS["fred_observations"]
D1, D2, D3 = date(2024, 1, 3), date(2024, 1, 10), date(2024, 1, 17)


def rows(values: list[float], days: list[date] = [D1, D2], series: str = "TEST") -> pl.DataFrame:  # noqa: B006
    """Synthetic FRED observations of one series (literal values), in the landing shape."""
    n = len(values)
    return pl.DataFrame(
        {
            "series_id": [series] * n,
            "date": days[:n],
            "value": values,
            "units": ["Synthetic units"] * n,
            "source_url": ["synthetic"] * n,
        }
    )


@pytest.fixture
def con(tmp_path: Path):
    """A staged warehouse holding TEST = 1.0 on D1 and 2.0 on D2 (and OTHER = 5.0 on D1)."""
    with db.staged(tmp_path / "qtwatch.duckdb") as connection:
        for frame in (rows([1.0, 2.0]), rows([5.0], series="OTHER")):
            load.land(connection, FRED, frame, load_id="l1", fetched_at=datetime(2024, 2, 1, tzinfo=UTC), as_of=D2)
        yield connection


WINDOW = {"TEST": (D1, D2)}


def test_same_rows_are_held(con) -> None:
    assert changes.batch_is_held(con, FRED, rows([1.0, 2.0]), WINDOW)
    assert changes.batch_is_held(con, FRED, rows([2.0, 1.0], days=[D2, D1]), WINDOW)  # order does not matter


@pytest.mark.parametrize(
    "batch",
    [
        rows([1.0, 2.5]),  # a revised value
        rows([1.0]),  # a held row missing from the batch (truncated history)
        rows([1.0, 2.0, 3.0], [D1, D2, D3]),  # a new row
        pl.concat([rows([1.0, 2.0]), rows([1.0])]),  # a duplicated key
        rows([1.0, 2.0]).with_columns(units=pl.lit("Other units")),  # same values, other units
    ],
    ids=["revised", "missing", "new", "duplicate", "units"],
)
def test_any_difference_is_not_held(con, batch: pl.DataFrame) -> None:
    windows = {"TEST": (D1, D3)} if batch.height == 3 else WINDOW
    assert not changes.batch_is_held(con, FRED, batch, windows)


def test_window_bounds_the_comparison(con) -> None:
    assert changes.batch_is_held(con, FRED, rows([2.0], days=[D2]), {"TEST": (D2, D2)})
    assert changes.batch_is_held(con, FRED, rows([1.0, 2.0]), {"TEST": (None, D3)})  # full history
    assert not changes.batch_is_held(con, FRED, rows([], days=[]), WINDOW)  # empty where rows are held: validated
    # empty where nothing is held in its window (a source with nothing published yet): nothing to validate or land
    assert changes.batch_is_held(con, FRED, rows([], days=[]), {"NONE": (None, D3)})
    assert changes.batch_is_held(con, FRED, rows([], days=[]), {"TEST": (D3, D3)})


def test_stale_core_is_what_landed_or_was_never_built(con) -> None:
    assert set(changes.stale_core(con, DATASETS, [])) == set(DATASETS)  # no core table yet
    load.rebuild_core(con)
    assert changes.stale_core(con, DATASETS, []) == []
    assert changes.stale_core(con, DATASETS, ["fred_observations"]) == ["fred_observations"]


def test_marts_missing_and_same_as_published(con) -> None:
    assert "tga_daily" in changes.marts_missing(con, ["tga_daily"])
    mart = pl.DataFrame(
        {"date": [D1], "tga_bn": [700.0], "tga_change_bn": [None]},
        schema={"date": pl.Date, "tga_bn": pl.Float64, "tga_change_bn": pl.Float64},
    )
    columns = [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'marts' "
            "AND table_name = 'tga_daily' ORDER BY column_index"
        ).fetchall()
    ]
    mart = mart.with_columns(pl.lit(None).alias(c) for c in columns if c not in mart.columns)
    load.replace_table(con, "marts.tga_daily", mart)
    assert changes.marts_missing(con, ["tga_daily"]) == []
    assert changes.same_as_published(con, "tga_daily", mart)
    assert not changes.same_as_published(con, "tga_daily", mart.with_columns(tga_bn=pl.lit(701.0)))


def test_a_mart_built_empty_is_current_and_one_emptied_by_a_ddl_change_is_missing(con) -> None:
    """An empty mart forces a rebuild only when its last build had rows (its table was recreated since)."""

    def built(rows_fetched: int, at: datetime) -> None:
        con.execute(
            "INSERT INTO meta.loads (load_id, run_id, source, dataset, status, rows_fetched, started_at) "
            "VALUES (?, 'r', 'marts', 'funding_events', 'published', ?, ?)",
            [f"m-{at.isoformat()}", rows_fetched, at],
        )

    assert changes.marts_missing(con, ["funding_events"]) == ["funding_events"]  # never built
    built(0, datetime(2024, 2, 1, tzinfo=UTC))
    assert changes.marts_missing(con, ["funding_events"]) == []  # built, and no event yet
    built(3, datetime(2024, 2, 2, tzinfo=UTC))  # last build had rows: an empty table now was recreated
    assert changes.marts_missing(con, ["funding_events"]) == ["funding_events"]
