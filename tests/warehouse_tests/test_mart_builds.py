"""meta.mart_builds (incremental marts, issue 27): what changed since a mart's build is read from the loads other
runs landed after it, every version of a touched key counted; a mart's first differing row is found before it is
replaced."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from transforms.registry import DATASETS
from warehouse import db, load, mart_builds

FRED = DATASETS["fred_observations"]
BUILT = datetime(2024, 2, 1, 12, tzinfo=UTC)


def rows(days: list[date], values: list[float]) -> pl.DataFrame:
    """SYNTHETIC observations of one series (literal values), in the landing shape."""
    n = len(days)
    return pl.DataFrame(
        {"series_id": ["TEST"] * n, "date": days, "value": values, "units": ["u"] * n, "source_url": ["s"] * n}
    )


def land(con, load_id: str, run_id: str, finished: datetime, frame: pl.DataFrame) -> None:
    landed = load.land(con, FRED, frame, load_id=load_id, fetched_at=finished, as_of=finished.date())
    con.execute(
        "INSERT INTO meta.loads (load_id, run_id, source, dataset, status, rows_landed, finished_at) "
        "VALUES (?, ?, 'fred', 'fred_observations', 'published', ?, ?)",
        [load_id, run_id, landed, finished],
    )


@pytest.fixture
def con(tmp_path: Path):
    """A staged warehouse whose run r1 landed 2023 and January 2024, before a mart's build by r1 at BUILT."""
    with db.staged(tmp_path / "qtwatch.duckdb") as connection:
        days = [date(2023, 6, 7), date(2024, 1, 3), date(2024, 1, 10)]
        land(connection, "r1-fred", "r1", BUILT - timedelta(minutes=1), rows(days, [1.0, 2.0, 3.0]))
        yield connection


def build(run_id: str = "r1") -> mart_builds.Build:
    return mart_builds.Build("liquidity_weekly", run_id, BUILT, mart_builds.code_fingerprint(), None)


def test_nothing_landed_after_the_build_is_no_change(con) -> None:
    assert mart_builds.changed_from(con, FRED, build()) is None


def test_a_later_run_s_new_day_is_the_change(con) -> None:
    land(con, "r2-fred", "r2", BUILT + timedelta(days=1), rows([date(2024, 1, 17)], [4.0]))
    assert mart_builds.changed_from(con, FRED, build()) == date(2024, 1, 17)


def test_a_revision_of_an_old_key_counts_at_its_date(con) -> None:
    land(con, "r2-fred", "r2", BUILT + timedelta(days=1), rows([date(2023, 6, 7), date(2024, 1, 17)], [1.5, 4.0]))
    assert mart_builds.changed_from(con, FRED, build()) == date(2023, 6, 7)


def test_the_build_run_s_own_loads_are_in_its_rows_but_another_run_within_the_clock_margin_counts(con) -> None:
    """r1's loads finished before its marts were built; a load of r0 stamped a minute after the build (another host's
    clock behind) is counted: clocks are trusted only to CLOCK_MARGIN."""
    assert mart_builds.changed_from(con, FRED, build("r1")) is None
    land(con, "r0-fred", "r0", BUILT + timedelta(minutes=1) - mart_builds.CLOCK_MARGIN, rows([date(2022, 3, 2)], [9.0]))
    assert mart_builds.changed_from(con, FRED, build("r1")) == date(2022, 3, 2)


def test_the_first_difference_is_the_earliest_row_either_side_holds_alone(con) -> None:
    """SYNTHETIC mart rows: a changed value and a vanished row; equal rows give None."""
    published = pl.DataFrame({"date": [date(2024, 1, d) for d in (2, 3, 4)], "tga_bn": [1.0, 2.0, 3.0]})
    load.replace_table(con, "marts.tga_daily", published.with_columns(tga_change_bn=pl.lit(None, pl.Float64)))
    frame = db.query_pl(con, "SELECT * FROM marts.tga_daily")
    assert mart_builds.first_difference(con, "tga_daily", "date", frame) is None
    changed = frame.with_columns(
        pl.when(pl.col("date") == date(2024, 1, 4)).then(9.0).otherwise("tga_bn").alias("tga_bn")
    )
    assert mart_builds.first_difference(con, "tga_daily", "date", changed) == date(2024, 1, 4)
    vanished = frame.filter(pl.col("date") != date(2024, 1, 3))
    assert mart_builds.first_difference(con, "tga_daily", "date", vanished) == date(2024, 1, 3)


def test_a_record_replaces_the_mart_s_row(con) -> None:
    mart_builds.record(con, "liquidity_weekly", "r1", BUILT, None)
    mart_builds.record(con, "liquidity_weekly", "r2", BUILT + timedelta(days=1), date(2024, 1, 3))
    held = mart_builds.previous(con)
    assert list(held) == ["liquidity_weekly"]
    assert (held["liquidity_weekly"].run_id, held["liquidity_weekly"].cut) == ("r2", date(2024, 1, 3))
