"""FRED vintages (ALFRED) through a local fake (pytest-httpserver, SYNTHETIC WALCL vintages in the real wire shape):
every vintage lands with when it became public, so known_on(day) gives what was published then, chunked requests
stay under FRED's vintage cap, and an answer that ignored the real-time window is refused."""

from datetime import UTC, date, datetime

import duckdb
import polars as pl
import pytest

from flows.http import SourceError, make_session
from flows.vintages import load_vintages
from tests.support.alfred_fake import AlfredFake
from transforms.publication import with_published_at
from transforms.registry import SOURCES, HttpPolicy
from warehouse import db, load

FAST = HttpPolicy("test", "http://test.invalid/", "test_url", min_interval_s=0.0, retries=0, timeout_s=5.0)
FETCHED_AT = datetime(2025, 7, 20, tzinfo=UTC)
CATALOG = pl.DataFrame({"series_id": ["WALCL"], "units": ["Millions of U.S. Dollars"], "release": ["h41"]})


@pytest.mark.parametrize(
    ("vintages", "limit", "windows"),
    [
        ([], 2000, []),
        ([date(2025, 1, 2)], 2000, [(date(2025, 1, 2), "9999-12-31")]),
        (
            [date(2025, 1, d) for d in (2, 3, 6, 7, 8)],
            2,
            [(date(2025, 1, 2), "2025-01-05"), (date(2025, 1, 6), "2025-01-07"), (date(2025, 1, 8), "9999-12-31")],
        ),
    ],
    ids=["none", "one", "chunked"],
)
def test_vintage_windows_cover_every_vintage_under_the_cap(vintages, limit, windows):
    from transforms.vintages import vintage_windows

    assert vintage_windows(vintages, limit) == windows


def warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    db.apply_schema(con)
    db.load_seeds(con)
    return con


def land(con, httpserver, fake: AlfredFake, limit: int = 2000) -> tuple[int, int]:
    fake.install(httpserver)
    counts = load_vintages(
        con,
        make_session(FAST, "qtwatch-tests"),
        CATALOG,
        api_key="k" * 32,
        base_url=httpserver.url_for("/fred/"),
        load_id=f"vintages-{limit}",
        fetched_at=FETCHED_AT,
        as_of=date(2025, 7, 20),
        limit=limit,
    )
    load.rebuild_core(con)
    return counts


def known(con, day: date) -> dict[str, float]:
    rows = con.execute(
        "SELECT date, value FROM core.fred_observations_known_on(?::DATE) WHERE series_id = 'WALCL'", [day]
    ).fetchall()
    return {str(d): v for d, v in rows}


@pytest.fixture
def vintages(httpserver) -> duckdb.DuckDBPyConnection:
    con = warehouse()
    land(con, httpserver, AlfredFake())
    return con


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 6, 18), {}),  # the week is published on Thursday the 19th
        (date(2025, 6, 20), {"2025-06-18": 6700000.0}),
        (date(2025, 6, 27), {"2025-06-18": 6701000.0, "2025-06-25": 6680000.0}),  # the revision of the 26th
        (date(2025, 7, 3), {"2025-06-18": 6701000.0, "2025-06-25": 6680000.0, "2025-07-02": 6660000.0}),
        (date(2025, 7, 15), {"2025-06-18": 6701000.0, "2025-06-25": 6680000.0, "2025-07-02": 6662000.0}),
    ],
    ids=["before-release", "first-print", "after-revision", "new-week", "today"],
)
def test_known_on_gives_what_was_published_that_day(vintages, day, expected):
    assert known(vintages, day) == expected


def test_core_holds_the_latest_vintage(vintages):
    rows = vintages.execute("SELECT date::VARCHAR, value FROM core.fred_observations ORDER BY date").fetchall()
    assert rows == [("2025-06-18", 6701000.0), ("2025-06-25", 6680000.0), ("2025-07-02", 6662000.0)]


def test_chunks_under_the_vintage_cap_land_the_same_versions(httpserver):
    whole, chunked = warehouse(), warehouse()
    land(whole, httpserver, AlfredFake())
    httpserver.clear()
    fake = AlfredFake(max_vintages=2)  # FRED's 2,000-vintage cap, scaled down: one request would be refused
    land(chunked, httpserver, fake, limit=2)
    query = "SELECT series_id, date, value, published_at FROM raw.fred_observations ORDER BY ALL"
    assert chunked.execute(query).fetchall() == whole.execute(query).fetchall()
    windows = [q for q in fake.requests if "realtime_start" in q]
    assert len(windows) == 2 and "realtime_end=9999-12-31" in windows[-1]
    assert all("vintage_date=" not in q for q in fake.requests)


def test_a_second_load_lands_nothing(vintages, httpserver):
    httpserver.clear()
    assert land(vintages, httpserver, AlfredFake())[1] == 0


def test_an_answer_that_ignored_the_window_is_refused_and_lands_nothing(httpserver):
    con = warehouse()
    with pytest.raises(SourceError, match="window was ignored"):
        land(con, httpserver, AlfredFake(honour_window=False))
    assert con.execute("SELECT count(*) FROM raw.fred_observations").fetchall() == [(0,)]


def test_vintages_correct_a_backfill_that_took_the_revised_value_for_the_first_print(httpserver):
    con = warehouse()
    # a keyless backfill fetched on 2025-07-20 holds only today's (revised) values, stamped with the release rule
    backfill = pl.DataFrame(
        {
            "series_id": ["WALCL"] * 3,
            "units": ["Millions of U.S. Dollars"] * 3,
            "date": [date(2025, 6, 18), date(2025, 6, 25), date(2025, 7, 2)],
            "value": [6701000.0, 6680000.0, 6662000.0],
            "source_url": ["fredgraph"] * 3,
        }
    )
    backfill = with_published_at(backfill, SOURCES["fred"], CATALOG, fetched_at=FETCHED_AT)
    load.land(
        con, SOURCES["fred"].dataset, backfill, load_id="backfill", fetched_at=FETCHED_AT, as_of=date(2025, 7, 20)
    )
    load.rebuild_core(con)
    assert known(con, date(2025, 6, 20)) == {"2025-06-18": 6701000.0}  # look-ahead: the revised value
    land(con, httpserver, AlfredFake())
    assert known(con, date(2025, 6, 20)) == {"2025-06-18": 6700000.0}  # the first print, as published
    assert known(con, date(2025, 7, 15))["2025-07-02"] == 6662000.0


def test_the_analyst_guides_known_on_query_differs_from_the_current_value(vintages):
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[2] / "docs" / "analyst-guide.md").read_text()
    sql = guide.split("<!-- known-on-query -->", 1)[1].split("```sql", 1)[1].split("```", 1)[0]
    rows = vintages.execute(sql).fetchall()
    assert [(str(r[1]), r[2], r[4], r[5]) for r in rows] == [("2025-06-18", 6700000.0, 6701000.0, 1000.0)]
