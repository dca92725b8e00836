"""Holes inside each dataset's history: runs of observations the release calendar says should exist but the warehouse
does not hold (`qtwatch status` lists them; freshness alone only judges the newest date).

What should exist, per dataset: a business day of its publisher's calendar (FRED daily series and the NY Fed's
operations and rates on the U.S. government securities calendar, FRED's on the Fed's, the Daily Treasury Statement on
the federal one), every calendar day (IORB), a week (H.4.1 series, the CFTC's weekly report), and for auctions the
months whose regular bill results fall short of Treasury's bill calendar (transforms/auction_coverage.py). Daily holes
count from MIN_DAILY_RUN missing business days on, so a one-off closure the calendar library does not know is not one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import polars as pl

from transforms import calendar
from transforms.auction_coverage import month_coverage
from transforms.auction_health import BILL_TYPES, classify_security
from warehouse.db import query_pl

MIN_DAILY_RUN = 3
WEEK = timedelta(days=7)


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


def missing_runs(expected: list[date], held: set[date], min_run: int) -> list[tuple[date, date, int]]:
    """Maximal runs of `expected` dates (sorted) absent from `held`, at least `min_run` long."""
    runs: list[tuple[date, date, int]] = []
    start, count, previous = None, 0, None
    for day in [*expected, None]:
        if day is not None and day not in held:
            start, count = (start or day), count + 1
        elif start is not None:
            if count >= min_run and previous is not None:
                runs.append((start, previous, count))
            start, count = None, 0
        previous = day
    return runs


def daily_holes(name: str, dates: list[date], cal: str | None) -> list[Hole]:
    """Holes of a daily dataset: business days of `cal` (every day when None) between its first and last date."""
    if not dates:
        return []
    if cal is None:
        expected = pl.date_range(min(dates), max(dates), "1d", eager=True).to_list()
    else:
        expected = calendar.business_days(min(dates), max(dates), cal).to_list()
    unit = "days" if cal is None else "business days"
    return [Hole(name, a, b, n, unit) for a, b, n in missing_runs(expected, set(dates), MIN_DAILY_RUN)]


def weekly_holes(name: str, dates: list[date]) -> list[Hole]:
    """Holes of a weekly dataset: weeks (7-day steps from its first date, a holiday shift of 1-2 days tolerated)."""
    if not dates:
        return []
    first = min(dates)
    held_weeks = {(d - first).days // 7 + (1 if (d - first).days % 7 >= 5 else 0) for d in dates}
    expected = [first + WEEK * w for w in range((max(dates) - first).days // 7 + 1)]
    held = {first + WEEK * w for w in held_weeks}
    return [Hole(name, a, b, n, "weeks") for a, b, n in missing_runs(expected, held, 1)]


def _dates(con: duckdb.DuckDBPyConnection, sql: str) -> list[date]:
    return [row[0] for row in con.execute(sql).fetchall() if row[0] is not None]


def fred_holes(con: duckdb.DuckDBPyConnection) -> list[Hole]:
    """Per FRED catalog series, by its frequency and stamp (blank-value rows count as held: FRED said 'no value')."""
    rows = con.execute("""
        SELECT s.series_id, s.frequency, s.stamp,
               list(DISTINCT o.date ORDER BY o.date) FILTER (WHERE o.date IS NOT NULL)
        FROM ref.fred_series s LEFT JOIN core.fred_observations o USING (series_id)
        GROUP BY ALL ORDER BY s.series_id""").fetchall()
    holes: list[Hole] = []
    for series_id, frequency, stamp, dates in rows:
        name, dates = f"fred:{series_id}", dates or []
        if frequency == "weekly":
            holes += weekly_holes(name, dates)
        else:
            holes += daily_holes(name, dates, None if stamp == "calendar_day" else "XFED")
    return holes


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
    """Every hole of every dataset the warehouse holds (a table not built yet has none)."""
    finders = [
        lambda: fred_holes(con),
        lambda: daily_holes(
            "nyfed_reference_rates (SOFR)",
            _dates(
                con,
                "SELECT DISTINCT effective_date FROM core.nyfed_reference_rates WHERE rate_type = 'SOFR' ORDER BY 1",
            ),
            "USGS",
        ),
        lambda: daily_holes(
            "nyfed_rp_operations",
            _dates(con, "SELECT DISTINCT operation_date FROM core.nyfed_rp_operations ORDER BY 1"),
            "USGS",
        ),
        lambda: daily_holes(
            "dts_operating_cash_balance",
            _dates(con, "SELECT DISTINCT record_date FROM core.dts_operating_cash_balance ORDER BY 1"),
            "US",
        ),
        lambda: weekly_holes("cftc_tff", _dates(con, "SELECT DISTINCT report_date FROM core.cftc_tff ORDER BY 1")),
        lambda: auction_holes(con),
    ]
    holes: list[Hole] = []
    for find in finders:
        try:
            holes += find()
        except duckdb.CatalogException:  # a dataset this warehouse has not been built with
            continue
    return holes
