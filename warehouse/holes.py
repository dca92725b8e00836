"""Holes inside each dataset's history: runs of observations the release calendar says should exist but the warehouse
does not hold (`qtwatch status` lists them; freshness alone only judges the newest date).

What should exist, per dataset: a business day of its publisher's calendar (FRED daily series and the NY Fed's
operations and rates on the U.S. government securities calendar, FRED's on the Fed's, the Daily Treasury Statement on
the federal one), every calendar day (IORB), a week (H.4.1 series, the CFTC's weekly report), and for auctions the
months whose regular bill results fall short of Treasury's bill calendar (transforms/auction_coverage.py). Daily holes
count from MIN_DAILY_RUN missing business days on, so a one-off closure the calendar library does not know is not one.

The runs are found in DuckDB, set-based (gaps and islands over the expected days), so a run's cost does not grow with
the history held the way a per-date Python loop does (issue 27): the expected days come from one registered calendar
frame (`_qtwatch_days`: every day, and the business days of each calendar) spanning the datasets' dates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from transforms import calendar
from transforms.auction_coverage import month_coverage
from transforms.auction_health import BILL_TYPES, classify_security
from warehouse.db import query_pl

MIN_DAILY_RUN = 3
EVERY_DAY = "ALL"  # the `_qtwatch_days` calendar of every calendar day (IORB, calendar-day FRED series)
_DAYS = "_qtwatch_days"


@dataclass(frozen=True)
class Hole:
    """One run of missing observations inside a dataset's history."""

    dataset: str
    first: date
    last: date
    missing: int
    unit: str
    note: str = ""

    def text(self) -> str:
        """'2025-05-06..2025-12-30: 35 weeks missing' (plus the note)."""
        span = f"{self.first}" if self.first == self.last else f"{self.first}..{self.last}"
        return f"{span}: {self.missing} {self.unit} missing" + (f" ({self.note})" if self.note else "")


# Held rows (name, cal, day) -> runs of business days of `cal` between a name's first and last day that it lacks.
# `_qtwatch_days` numbers every calendar day of each calendar: `before`/`upto` = business days before it / up to and
# including it, so the business days missing between two held days a < b are before(b) - upto(a), without listing
# them. Held days off the calendar (a weekend value) count only as a name's first or last day. Only a name holding
# fewer business days than its span has (`short`) is sorted to find its runs.
_DAILY_RUNS = """
WITH held AS ({held}),
bounds AS (SELECT name, min(day) AS lo, max(day) AS hi FROM held GROUP BY name),
kept AS (
    SELECT h.name, h.cal, d.day, d.before, d.upto, d.business
    FROM held h JOIN bounds b USING (name) JOIN {days} d ON d.cal = h.cal AND d.day = h.day
    WHERE d.business OR h.day = b.lo OR h.day = b.hi),
short AS (
    SELECT name FROM kept GROUP BY name HAVING max(upto) - min(before) > count(DISTINCT day) FILTER (WHERE business)),
gaps AS (
    SELECT name, cal, upto, lead(before) OVER (PARTITION BY name ORDER BY day) - upto AS missing
    FROM kept SEMI JOIN short USING (name))
SELECT g.name, g.cal, f.day, l.day, g.missing::INTEGER
FROM gaps g
JOIN {days} f ON f.cal = g.cal AND f.business AND f.before = g.upto
JOIN {days} l ON l.cal = g.cal AND l.business AND l.before = g.upto + g.missing - 1
WHERE g.missing >= $min_run ORDER BY g.name, f.day
"""

# Held rows (name, day) -> runs of missing weeks: 7-day steps from a name's first day, a report up to two days early
# (a holiday shift: 5 or 6 days into a step) counting for the next step.
_WEEKLY_RUNS = """
WITH held AS ({held}),
bounds AS (SELECT name, min(day) AS lo FROM held GROUP BY name),
weeks AS (
    SELECT DISTINCT h.name, b.lo, (h.day - b.lo) // 7 + CASE WHEN (h.day - b.lo) % 7 >= 5 THEN 1 ELSE 0 END AS w
    FROM held h JOIN bounds b USING (name)),
gaps AS (SELECT name, lo, w, lead(w) OVER (PARTITION BY name ORDER BY w) - w - 1 AS missing FROM weeks)
SELECT name, lo + (7 * (w + 1))::INTEGER, lo + (7 * (w + missing))::INTEGER, missing::INTEGER FROM gaps
WHERE missing >= 1 ORDER BY name, 2
"""

_FRED_DAILY = f"""
SELECT 'fred:' || o.series_id AS name,
       CASE WHEN s.stamp = 'calendar_day' THEN '{EVERY_DAY}' ELSE 'XFED' END AS cal, o.date AS day
FROM core.fred_observations o JOIN ref.fred_series s USING (series_id)
WHERE coalesce(s.frequency, '') <> 'weekly' AND o.date IS NOT NULL"""
_FRED_WEEKLY = """
SELECT 'fred:' || o.series_id AS name, o.date AS day
FROM core.fred_observations o JOIN ref.fred_series s USING (series_id)
WHERE s.frequency = 'weekly' AND o.date IS NOT NULL"""


def _daily(name: str, cal: str, table: str, column: str, where: str = "TRUE") -> str:
    return (
        f"SELECT DISTINCT '{name}' AS name, '{cal}' AS cal, {column} AS day FROM {table} "
        f"WHERE {where} AND {column} IS NOT NULL"
    )


# (held rows, what a missing one is called); every daily dataset but FRED's, whose series are found in one query
_OTHER_DAILY = (
    _daily(
        "nyfed_reference_rates (SOFR)", "USGS", "core.nyfed_reference_rates", "effective_date", "rate_type = 'SOFR'"
    ),
    _daily("nyfed_rp_operations", "USGS", "core.nyfed_rp_operations", "operation_date"),
    _daily("dts_operating_cash_balance", "US", "core.dts_operating_cash_balance", "record_date"),
)
_CFTC_WEEKLY = "SELECT DISTINCT 'cftc_tff' AS name, report_date AS day FROM core.cftc_tff WHERE report_date IS NOT NULL"
# the tables whose dates the calendar frame must span
_DAILY_TABLES = (
    ("core.fred_observations", "date"),
    ("core.nyfed_reference_rates", "effective_date"),
    ("core.nyfed_rp_operations", "operation_date"),
    ("core.dts_operating_cash_balance", "record_date"),
)


def days_frame(first: date, last: date) -> pl.DataFrame:
    """(cal, day, business, before, upto): every day of [first, last] under every day ('ALL') and each business-day
    calendar, whether it is a business day, and how many business days fall before it and up to it (in the frame)."""
    every = pl.date_range(first, last, "1d", eager=True).alias("day")
    frames = [pl.DataFrame({"cal": EVERY_DAY, "day": every, "business": True})]
    for cal in calendar.CALENDARS:
        business = every.is_in(calendar.business_days(first, last, cal))
        frames.append(pl.DataFrame({"cal": cal, "day": every, "business": business}))
    upto = pl.col("business").cast(pl.Int64).cum_sum().over("cal")
    return (
        pl.concat(frames)
        .with_columns(upto.alias("upto"))
        .with_columns((pl.col("upto") - pl.col("business").cast(pl.Int64)).alias("before"))
    )


def _unit(cal: str) -> str:
    return "days" if cal == EVERY_DAY else "business days"


def daily_runs(con: duckdb.DuckDBPyConnection, held: str) -> list[Hole]:
    """Holes of the daily datasets in `held` (SQL: name, cal, day), against the registered `_qtwatch_days`."""
    rows = con.execute(_DAILY_RUNS.format(held=held, days=_DAYS), {"min_run": MIN_DAILY_RUN}).fetchall()
    return [Hole(name, first, last, n, _unit(cal)) for name, cal, first, last, n in rows]


def weekly_runs(con: duckdb.DuckDBPyConnection, held: str) -> list[Hole]:
    """Holes of the weekly datasets in `held` (SQL: name, day)."""
    rows = con.execute(_WEEKLY_RUNS.format(held=held)).fetchall()
    return [Hole(name, first, last, n, "weeks") for name, first, last, n in rows]


def auction_holes(con: duckdb.DuckDBPyConnection) -> list[Hole]:
    """Runs of months, from the first month with auction results to the month before the last (a month still running
    is freshness's business), whose results fall short of the auctions that should exist."""
    auctions = query_pl(con, "SELECT * FROM core.treasury_auctions")
    months = month_coverage(classify_security(auctions), pl.col("security_kind").is_in(BILL_TYPES)).sort("month")
    results = months.filter(pl.col("auctions_with_results") > 0)
    if results.is_empty():
        return []
    inside = months.filter(pl.col("month").is_between(results["month"].min(), results["month"].max(), closed="left"))
    short = inside.with_columns((pl.col("auctions_with_results") < pl.col("auctions_expected")).alias("short"))
    runs = (
        short.with_columns(pl.col("short").rle_id().alias("run"))
        .filter("short")
        .group_by("run")
        .agg(
            pl.col("month").min().alias("first"),
            pl.col("month").max().alias("last"),
            (pl.col("auctions_expected") - pl.col("auctions_with_results")).sum().alias("missing"),
            pl.col("auctions_with_results").sum().alias("held"),
            pl.col("auctions_expected").sum().alias("expected"),
        )
        .sort("first")
    )
    return [
        Hole(
            "treasury_auctions",
            r["first"],
            r["last"],
            r["missing"],
            "auction results",
            f"months {r['first']:%Y-%m}..{r['last']:%Y-%m}: {r['held']} of {r['expected']} auctions have results",
        )
        for r in runs.iter_rows(named=True)
    ]


def find_holes(con: duckdb.DuckDBPyConnection) -> list[Hole]:
    """Every hole of every dataset the warehouse holds (a table not built yet has none): FRED's series by name, then
    SOFR, the operations, the DTS, the CFTC report and the auction months."""
    span = _span(con)
    if span is not None:
        con.register(_DAYS, days_frame(*span).to_arrow())
    try:
        fred = _built(lambda: daily_runs(con, _FRED_DAILY)) + _built(lambda: weekly_runs(con, _FRED_WEEKLY))
        holes = sorted(fred, key=lambda hole: (hole.dataset, hole.first))
        for held in _OTHER_DAILY:
            holes += _built(lambda held=held: daily_runs(con, held))  # type: ignore[misc]
        return holes + _built(lambda: weekly_runs(con, _CFTC_WEEKLY)) + _built(lambda: auction_holes(con))
    finally:
        if span is not None:
            con.unregister(_DAYS)


def _built(find: Callable[[], list[Hole]]) -> list[Hole]:
    """`find()`, or none when its table is not in this warehouse (or nothing daily is held: no calendar frame)."""
    try:
        return find()
    except duckdb.CatalogException:
        return []


def _span(con: duckdb.DuckDBPyConnection) -> tuple[date, date] | None:
    """The first and last day of the daily tables this warehouse has (nothing held: None)."""
    days: list[date] = []
    for table, column in _DAILY_TABLES:
        days += [d for row in _built_rows(con, f"SELECT min({column}), max({column}) FROM {table}") for d in row if d]
    return (min(days), max(days)) if days else None


def _built_rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    try:
        return con.execute(sql).fetchall()
    except duckdb.CatalogException:
        return []


def daily_holes(name: str, dates: Iterable[date], cal: str | None) -> list[Hole]:
    """The holes of one daily dataset given its dates (business days of `cal`, every day when None)."""
    days = sorted(set(dates))
    if not days:
        return []
    held = pl.DataFrame({"name": name, "cal": cal or EVERY_DAY, "day": days}, schema_overrides={"day": pl.Date})
    with duckdb.connect() as con:
        con.register("_held", held.to_arrow())
        con.register(_DAYS, days_frame(days[0], days[-1]).to_arrow())
        return daily_runs(con, "SELECT * FROM _held")


def weekly_holes(name: str, dates: Iterable[date]) -> list[Hole]:
    """The holes of one weekly dataset given its dates."""
    days = sorted(set(dates))
    if not days:
        return []
    with duckdb.connect() as con:
        con.register("_held", pl.DataFrame({"name": name, "day": days}, schema_overrides={"day": pl.Date}).to_arrow())
        return weekly_runs(con, "SELECT * FROM _held")
