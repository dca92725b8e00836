"""Holes inside each dataset's history (warehouse/holes.py, `qtwatch status`) on the replay snapshot's real data."""

import datetime as dt
from pathlib import Path

import duckdb
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transforms import calendar
from transforms.marts_registry import Frames
from warehouse.holes import MIN_DAILY_RUN, Hole, daily_holes, find_holes, weekly_holes

d = dt.date
SEEDS = Path(__file__).resolve().parents[2] / "warehouse" / "seeds"


@pytest.fixture(scope="module")
def core_db(replay_core: Frames) -> duckdb.DuckDBPyConnection:
    """The replay's core tables (the columns holes.py reads) in an in-memory DuckDB."""
    con = duckdb.connect()
    con.execute("CREATE SCHEMA core; CREATE SCHEMA ref")
    tables = {
        "core.fred_observations": replay_core["fred_observations"].select("series_id", "date", "value"),
        "ref.fred_series": pl.read_csv(SEEDS / "fred_series.csv"),
        "core.nyfed_reference_rates": replay_core["nyfed_reference_rates"],
        "core.nyfed_rp_operations": replay_core["nyfed_rp_operations"].select("operation_date"),
        "core.treasury_auctions": replay_core["treasury_auctions"],
        "core.cftc_tff": replay_core["cftc_tff"].select("report_date"),
    }
    for table, frame in tables.items():
        con.register("_frame", frame.to_arrow())
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM _frame")
        con.unregister("_frame")
    return con


@pytest.fixture(scope="module")
def holes(core_db: duckdb.DuckDBPyConnection) -> dict[str, list[Hole]]:
    found: dict[str, list[Hole]] = {}
    for hole in find_holes(core_db):
        found.setdefault(hole.dataset, []).append(hole)
    return found


# The reference: the per-date Python loops holes.py used before its runs moved into DuckDB (issue 27). The SQL must
# find exactly what they find, on any dates.
def _reference_runs(expected: list[dt.date], held: set[dt.date], min_run: int) -> list[tuple[dt.date, dt.date, int]]:
    runs, start, count, previous = [], None, 0, None
    for day in [*expected, None]:
        if day is not None and day not in held:
            start, count = (start or day), count + 1
        elif start is not None:
            if count >= min_run:
                runs.append((start, previous, count))
            start, count = None, 0
        previous = day
    return runs


def _reference_daily(name: str, dates: list[dt.date], cal: str | None) -> list[Hole]:
    if not dates:
        return []
    lo, hi = min(dates), max(dates)
    if cal is None:
        expected = [lo + dt.timedelta(days=i) for i in range((hi - lo).days + 1)]
    else:
        expected = calendar.business_days(lo, hi, cal).to_list()
    unit = "days" if cal is None else "business days"
    return [Hole(name, a, b, n, unit) for a, b, n in _reference_runs(expected, set(dates), MIN_DAILY_RUN)]


def _reference_weekly(name: str, dates: list[dt.date]) -> list[Hole]:
    if not dates:
        return []
    first = min(dates)
    held_weeks = {(x - first).days // 7 + (1 if (x - first).days % 7 >= 5 else 0) for x in dates}
    expected = [first + dt.timedelta(weeks=w) for w in range((max(dates) - first).days // 7 + 1)]
    held = {first + dt.timedelta(weeks=w) for w in held_weeks}
    return [Hole(name, a, b, n, "weeks") for a, b, n in _reference_runs(expected, held, 1)]


_DAYS_2025 = st.lists(st.integers(0, 120), max_size=60).map(
    lambda offsets: [d(2025, 11, 1) + dt.timedelta(o) for o in offsets]
)


@settings(max_examples=150, deadline=None)
@given(dates=_DAYS_2025, cal=st.sampled_from([None, *calendar.CALENDARS]))
def test_daily_holes_equal_the_per_date_reference(dates: list[dt.date], cal: str | None) -> None:
    """SYNTHETIC dates over Thanksgiving, Christmas and New Year (weekends, holidays and repeats included)."""
    assert daily_holes("x", dates, cal) == _reference_daily("x", dates, cal)


@settings(max_examples=150, deadline=None)
@given(dates=_DAYS_2025)
def test_weekly_holes_equal_the_per_date_reference(dates: list[dt.date]) -> None:
    """SYNTHETIC dates: any weekday, early reports (a holiday shift) and repeats."""
    assert weekly_holes("x", dates) == _reference_weekly("x", dates)


def test_daily_holes_keep_runs_of_at_least_min_run() -> None:
    """SYNTHETIC: every calendar day of 1-10 January 2026; runs of 3 and 2 days missing, only the first is a hole."""
    held = [d(2026, 1, i) for i in (1, 3, 7, 10)]
    assert daily_holes("x", held, None) == [Hole("x", d(2026, 1, 4), d(2026, 1, 6), 3, "days")]


def test_find_holes_equal_the_per_date_reference_on_the_replay(core_db: duckdb.DuckDBPyConnection) -> None:
    """Every FRED series of the real recordings, by its frequency and stamp, as the reference finds them."""
    rows = core_db.execute("""
        SELECT s.series_id, s.frequency, s.stamp, list(o.date ORDER BY o.date) FILTER (WHERE o.date IS NOT NULL)
        FROM ref.fred_series s LEFT JOIN core.fred_observations o USING (series_id)
        GROUP BY ALL ORDER BY 1""").fetchall()
    expected = []
    for series_id, frequency, stamp, dates in rows:
        name = f"fred:{series_id}"
        if frequency == "weekly":
            expected += _reference_weekly(name, dates or [])
        else:
            expected += _reference_daily(name, dates or [], None if stamp == "calendar_day" else "XFED")
    assert [h for h in find_holes(core_db) if h.dataset.startswith("fred:")] == expected


def test_cftc_hole_of_2025_is_listed(holes: dict[str, list[Hole]]) -> None:
    # replay/PROVENANCE.md: fut_fin_txt_2025 ends 2025-04-29 and 2026 starts 2026-01-06; also 2020-12, 2023-10..12,
    # 2024-06..12 are missing from the recordings
    texts = [h.text() for h in holes["cftc_tff"]]
    assert "2025-05-06..2025-12-30: 35 weeks missing" in texts
    assert any(t.startswith("2024-06-18..2024-12-31") for t in texts)
    assert any(t.startswith("2023-10-17..2023-12-26") for t in texts)


def test_operations_and_sofr_have_no_hole_inside_their_recording(holes: dict[str, list[Hole]]) -> None:
    # the NY Fed operations recording is complete 2022-01-03..2025-11-24 (Good Fridays have no operations); it
    # ENDS there, which freshness reports, not a hole
    assert "nyfed_rp_operations" not in holes


def test_auction_results_hole_spans_the_months_without_complete_results(holes: dict[str, list[Hole]]) -> None:
    # the finding: 1-2 bill auctions with results a month for July-December 2025, 8-15 in February-April
    # 2026; no month from 2025-01 to 2026-05 has every auction's results (June 2026, the as-of month, is freshness's)
    [hole] = holes["treasury_auctions"]
    assert (hole.first, hole.last) == (d(2025, 1, 1), d(2026, 5, 1))
    assert hole.note == "months 2025-01..2026-05: 232 of 616 auctions have results"


def test_sofr_rates_hole_of_late_2025_is_closed_by_the_sofr_search_recording(holes: dict[str, list[Hole]]) -> None:
    # the NY Fed rates of the replay lacked SOFR 2025-11-24..12-31 (26 business days) until the SOFR search download
    # of 2026-09-18 (cassettes/PROVENANCE.md) was added: no hole left
    assert "nyfed_reference_rates (SOFR)" not in holes


def test_weekly_and_daily_holes_on_synthetic_dates() -> None:
    """SYNTHETIC: Tuesdays with a two-week gap and a Monday report (holiday shift); business days with a gap."""
    tuesdays = [d(2026, 1, 6), d(2026, 1, 12), d(2026, 2, 3)]
    assert weekly_holes("x", tuesdays) == [Hole("x", d(2026, 1, 20), d(2026, 1, 27), 2, "weeks")]
    days = [d(2026, 3, 2), d(2026, 3, 3), d(2026, 3, 9)]  # Wed 4 .. Fri 6 missing
    assert daily_holes("y", days, "XFED") == [Hole("y", d(2026, 3, 4), d(2026, 3, 6), 3, "business days")]


def test_a_dataset_with_several_rows_a_day_still_shows_its_hole() -> None:
    """SYNTHETIC: two operations a day (repo and reverse repo) and two DTS accounts a day, Monday 2 to Friday 13 March
    2026, with Wednesday 4 to Friday 6 missing: one hole of three business days in each, whatever the row count."""
    con = duckdb.connect()
    con.execute("CREATE SCHEMA core")
    days = [d(2026, 3, 2), d(2026, 3, 3), *(d(2026, 3, i) for i in range(9, 14))]
    two_a_day = pl.DataFrame({"day": [x for x in days for _ in range(2)]})
    con.register("_two_a_day", two_a_day.to_arrow())
    con.execute("CREATE TABLE core.nyfed_rp_operations AS SELECT day AS operation_date FROM _two_a_day")
    con.execute("CREATE TABLE core.dts_operating_cash_balance AS SELECT day AS record_date FROM _two_a_day")
    found = {h.dataset: (h.first, h.last, h.missing) for h in find_holes(con)}
    assert found == {
        "nyfed_rp_operations": (d(2026, 3, 4), d(2026, 3, 6), 3),
        "dts_operating_cash_balance": (d(2026, 3, 4), d(2026, 3, 6), 3),
    }


def test_basis_rank_since_2017_says_how_many_weeks_it_could_not_see(replay_core: Frames) -> None:
    """The snapshot's largest leveraged net short (total of the six contracts) is 2026-01-06, -$1,155.2bn; 80 of
    the report weeks since 2017 are missing before it (35 of them 2025-05-06..2025-12-30), and the row says so."""
    from transforms.basis import build_basis_weekly
    from transforms.funding import build_funding_daily

    funding = build_funding_daily(
        replay_core["fred_observations"], replay_core["nyfed_reference_rates"], replay_core["nyfed_rp_operations"]
    )
    total = build_basis_weekly(replay_core["cftc_tff"], funding).filter(pl.col("tenor") == "total")
    peak = total.sort("lev_net_notional_bn", nulls_last=True).row(0, named=True)
    assert (peak["report_date"], round(peak["lev_net_notional_bn"], 1)) == (d(2026, 1, 6), -1155.2)
    assert peak["lev_net_pctile_since_2017"] == pytest.approx(
        1
        / (total.filter(pl.col("lev_net_notional_bn").is_not_null() & (pl.col("report_date") <= d(2026, 1, 6))).height)
    )
    assert peak["pctile_weeks_missing"] == 80


def test_fred_chunks_bound_the_rows_read_at_once(monkeypatch):
    from warehouse import holes

    monkeypatch.setattr(holes, "FRED_CHUNK", 3)
    monkeypatch.setattr(holes, "FRED_CHUNK_ROWS", 100)
    chunks = holes._chunks([0, 1, 2, 3, 4, 5, 6], [40, 40, 40, 500, 10, 10, 10])
    assert chunks == [[0, 1], [2], [3], [4, 5, 6]]  # 120 rows > 100; a series of 500 alone; 3 ids at most
