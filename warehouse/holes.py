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
from datetime import date
from functools import lru_cache

import duckdb
import polars as pl

from transforms import calendar
from transforms.auction_coverage import month_coverage
from transforms.auction_health import BILL_TYPES, classify_security
from warehouse.db import query_pl

MIN_DAILY_RUN = 3


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


EMPTY = pl.DataFrame(schema={"id": pl.Int64, "first": pl.Date, "last": pl.Date, "missing": pl.Int64})


def runs_between(held: pl.DataFrame, days: pl.Series, min_run: int) -> pl.DataFrame:
    """Per `id` of `held` (id: an integer naming a series, date), the runs of at least `min_run` of the sorted `days`
    inside the id's span (its first to its last held date) that no held date falls on: (id, first, last, missing), by
    id and first. Set-based: each held day is numbered by its place in `days`; a run is the gap between two numbers
    that follow each other, bounded by sentinels just outside the span. The cost grows with the rows, with no Python
    loop per date, in a few bytes a row (integers and dates, no names), and the database is only asked for rows (no
    frame joined inside it, so a DuckLake reads it as a file)."""
    if held.is_empty() or days.is_empty():
        return EMPTY
    spans = held.group_by("id").agg(lo=pl.col("date").min(), hi=pl.col("date").max())
    on_days = held.filter(pl.col("date").is_in(days.implode()))
    points = pl.concat(
        [
            on_days.select("id", at=days.search_sorted(on_days["date"], side="left").cast(pl.Int64)),
            spans.select("id", at=days.search_sorted(spans["lo"], side="left").cast(pl.Int64) - 1),
            spans.select("id", at=days.search_sorted(spans["hi"], side="right").cast(pl.Int64)),
        ]
    )
    # one integer key sorts far faster than (id, at); `at` runs from -1 to len(days)
    width = days.len() + 2
    gaps = (
        points.select(key=pl.col("id") * width + pl.col("at") + 1)
        .sort("key")
        .filter(pl.col("key") != pl.col("key").shift(1, fill_value=-1))  # repeats (a date held twice): no hash table
        .select(id=pl.col("key") // width, at=pl.col("key") % width - 1)
        .with_columns(before=pl.col("at").shift(1))
        .filter((pl.col("id") == pl.col("id").shift(1)) & (pl.col("at") - pl.col("before") - 1 >= min_run))
    )
    return gaps.select(
        "id",
        first=days.gather(gaps["before"] + 1),
        last=days.gather(gaps["at"] - 1),
        missing=pl.col("at") - pl.col("before") - 1,
    )


def daily_runs(held: pl.DataFrame, cal: str | None) -> pl.DataFrame:
    """`runs_between` on the business days of `cal` (every day when None), MIN_DAILY_RUN days or more."""
    span = held.select(lo=pl.col("date").min(), hi=pl.col("date").max()).row(0)
    return span_runs(held, span, cal)


@lru_cache(maxsize=8)
def expected_days(lo: date, hi: date, cal: str | None) -> pl.Series:
    """The business days of `cal` (every day when None) in [lo, hi] (kept: fred_holes asks for each chunk of
    series over the same span)."""
    return pl.Series(pl.date_range(lo, hi, "1d", eager=True)) if cal is None else calendar.business_days(lo, hi, cal)


def span_runs(held: pl.DataFrame, span: tuple[date, date], cal: str | None) -> pl.DataFrame:
    """`daily_runs` numbering days over `span` (every id's dates inside it): one calendar for many chunks of ids."""
    return EMPTY if held.is_empty() else runs_between(held, expected_days(*span, cal), MIN_DAILY_RUN)


def weekly_runs(held: pl.DataFrame) -> pl.DataFrame:
    """Runs of missing weeks per id: 7-day steps from the id's first date, a date up to two days early (a holiday
    shift) counting for the week it precedes."""
    if held.is_empty():
        return EMPTY
    days_in = (pl.col("date") - pl.col("date").min().over("id")).dt.total_days()
    weeks = held.select(
        "id", first=pl.col("date").min().over("id"), week=days_in // 7 + (days_in % 7 >= 5).cast(pl.Int64)
    )
    gaps = (
        weeks.unique()
        .sort("id", "week")
        .with_columns(before=pl.col("week").shift(1).over("id"))
        .filter(pl.col("week") - pl.col("before") > 1)
    )
    return gaps.select(
        "id",
        first=pl.col("first") + pl.duration(weeks=pl.col("before") + 1),
        last=pl.col("first") + pl.duration(weeks=pl.col("week") - 1),
        missing=pl.col("week") - pl.col("before") - 1,
    )


def _frame(dates: list[date]) -> pl.DataFrame:
    return pl.DataFrame({"id": [0] * len(dates), "date": dates}, schema={"id": pl.Int64, "date": pl.Date})


def _holes(name: str, runs: pl.DataFrame, unit: str) -> list[Hole]:
    return [Hole(name, first, last, missing, unit) for _, first, last, missing in runs.sort("first").iter_rows()]


def daily_holes(name: str, dates: list[date], cal: str | None) -> list[Hole]:
    """Holes of a daily dataset: business days of `cal` (every day when None) between its first and last date."""
    return _holes(name, daily_runs(_frame(dates), cal), "days" if cal is None else "business days")


def weekly_holes(name: str, dates: list[date]) -> list[Hole]:
    """Holes of a weekly dataset: weeks (7-day steps from its first date, a holiday shift of 1-2 days tolerated)."""
    return _holes(name, weekly_runs(_frame(dates)), "weeks")


def _dates(con: duckdb.DuckDBPyConnection, sql: str) -> list[date]:
    return [row[0] for row in con.execute(sql).fetchall() if row[0] is not None]


FRED_CHUNK = 128  # series read at once by fred_holes, at most: one scan of core.fred_observations per chunk
FRED_CHUNK_ROWS = 300_000  # held rows read at once, at most (one series more when it alone is bigger): ~+60 MB

# The kinds of FRED catalog series: how a series' runs are found, and the unit of its holes
FRED_KINDS = {
    "weekly": (lambda held, _: weekly_runs(held), "weeks"),
    "every day": (lambda held, span: span_runs(held, span, None), "days"),
    "business day": (lambda held, span: span_runs(held, span, "XFED"), "business days"),
}


def _fred_kind(frequency: str | None, stamp: str | None) -> str:
    return "weekly" if frequency == "weekly" else "every day" if stamp == "calendar_day" else "business day"


def fred_holes(con: duckdb.DuckDBPyConnection) -> list[Hole]:
    """Per FRED catalog series, by its frequency and stamp (blank-value rows count as held: FRED said 'no value').
    The held (series number, date) rows are read FRED_CHUNK series of one kind at a time, so memory follows the
    largest chunk, not the whole history held; the runs are found set-based."""
    catalog = con.execute("SELECT series_id, frequency, stamp FROM ref.fred_series ORDER BY series_id").fetchall()
    span = con.execute("SELECT min(date), max(date) FROM core.fred_observations").fetchall()[0]
    rows = dict(con.execute("SELECT series_id, count(*) FROM core.fred_observations GROUP BY 1").fetchall())
    found = []
    for kind, (runs, unit) in FRED_KINDS.items():
        ids = [i for i, (_, frequency, stamp) in enumerate(catalog) if _fred_kind(frequency, stamp) == kind]
        for chunk in _chunks(ids, [rows.get(catalog[i][0], 0) for i in ids]):
            held = query_pl(
                con,
                "SELECT c.id, o.date FROM core.fred_observations o JOIN (SELECT unnest(?::VARCHAR[]) AS series_id, "
                "unnest(?::BIGINT[]) AS id) c USING (series_id) WHERE o.date IS NOT NULL",
                [[catalog[i][0] for i in chunk], chunk],
            )
            found.append(runs(held, span).with_columns(unit=pl.lit(unit)))
    runs_found = pl.concat(found) if found else EMPTY.with_columns(unit=pl.lit(""))
    return [
        Hole(f"fred:{catalog[i][0]}", first, last, missing, unit)
        for i, first, last, missing, unit in runs_found.sort("id", "first").iter_rows()
    ]


def _chunks(ids: list[int], sizes: list[int]) -> list[list[int]]:
    """`ids` in order, in chunks of at most FRED_CHUNK ids and FRED_CHUNK_ROWS rows (`sizes`: each id's rows); an id
    bigger than FRED_CHUNK_ROWS alone is a chunk of its own."""
    chunks: list[list[int]] = []
    rows = 0
    for i, size in zip(ids, sizes, strict=True):
        if not chunks or len(chunks[-1]) >= FRED_CHUNK or (chunks[-1] and rows + size > FRED_CHUNK_ROWS):
            chunks.append([])
            rows = 0
        chunks[-1].append(i)
        rows += size
    return chunks


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
