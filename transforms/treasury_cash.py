"""Treasury cash in context: the TGA beside the debt-limit regime and Treasury's end-of-quarter cash assumption
(marts.treasury_cash_daily).

Grain: one row per DTS business day of marts.tga_daily; $ billions. `debt_limit_regime` is the regime of the latest
reviewed event on or before the day (ref.debt_limit_events; NULL before the first event). `assumed_cash_bn` is the
end-of-quarter balance Treasury assumed in its latest reviewed refunding estimate for the quarter containing the day,
from the day it was announced (ref.treasury_cash_assumptions; NULL before that and where none is reviewed; a row
whose announcement day is not reviewed counts as known all quarter); on the quarter's last DTS day, `is_quarter_end` is
true and `gap_to_assumption_bn` = tga_bn - assumed_cash_bn is what Treasury ended above (+) or below (-) its
assumption. The debt limit's headroom (DTS table IIIC, Fiscal Data `v1/accounting/dts/debt_subject_to_limit`) is
not loaded yet, so it is not shown.
"""

import polars as pl

from transforms.schema import SchemaDict
from transforms.units import conform

SCHEMA: SchemaDict = {
    "date": pl.Date,
    "tga_bn": pl.Float64,
    "debt_limit_regime": pl.Utf8,
    "debt_limit_since": pl.Date,
    "quarter_end": pl.Date,
    "assumed_cash_bn": pl.Float64,
    "is_quarter_end": pl.Boolean,
    "gap_to_assumption_bn": pl.Float64,
    "reported_cash_bn": pl.Float64,
}


def attach_debt_limit(daily: pl.DataFrame, events: pl.DataFrame) -> pl.DataFrame:
    """The regime of the latest debt-limit event on or before each day, and since when it holds."""
    if events.is_empty():  # no reviewed event: the regime is unknown, never guessed
        return daily.with_columns(
            pl.lit(None, pl.Utf8).alias("debt_limit_regime"), pl.lit(None, pl.Date).alias("debt_limit_since")
        )
    regimes = events.select(
        pl.col("event_date").cast(pl.Date).alias("debt_limit_since"),
        pl.col("regime").cast(pl.Utf8).alias("debt_limit_regime"),
    ).sort("debt_limit_since")
    return daily.sort("date").join_asof(regimes, left_on="date", right_on="debt_limit_since", strategy="backward")


def attach_assumption(daily: pl.DataFrame, assumptions: pl.DataFrame) -> pl.DataFrame:
    """The quarter's assumed end-of-quarter cash; the gap on the quarter's last DTS day."""
    if assumptions.is_empty():
        assumptions = pl.DataFrame(
            schema={
                "quarter_end": pl.Date,
                "assumed_cash_bn": pl.Float64,
                "announced_on": pl.Date,
                "reported_cash_bn": pl.Float64,
            }
        )
    seeded = assumptions.select(
        pl.col("quarter_end").cast(pl.Date),
        pl.col("assumed_cash_bn").cast(pl.Float64),
        pl.col("announced_on").cast(pl.Date),
        pl.col("reported_cash_bn").cast(pl.Float64),
    )
    quarter_end = pl.col("date").dt.truncate("1q").dt.offset_by("1q").dt.offset_by("-1d")
    with_quarter = daily.with_columns(quarter_end.alias("quarter_end"))
    last_day = pl.col("date") == pl.col("date").max().over("quarter_end")
    # A quarter ends on Mar 31 / Jun 30 / Sep 30 / Dec 31, never a holiday: its last DTS day is at most two days
    # earlier (a weekend). A frame whose data stop earlier in the quarter has no quarter-end row for it.
    quarter_complete = pl.col("date").max().over("quarter_end") >= pl.col("quarter_end") - pl.duration(days=2)
    # Only from the day it was announced (a day before it, the assumption was not known yet).
    known = pl.col("announced_on").is_null() | (pl.col("date") >= pl.col("announced_on"))
    return (
        with_quarter.join(seeded, on="quarter_end", how="left")
        .with_columns(
            (last_day & quarter_complete).alias("is_quarter_end"),
            pl.when(known).then(pl.col("assumed_cash_bn")).alias("assumed_cash_bn"),
        )
        .with_columns(
            pl.when(pl.col("is_quarter_end"))
            .then(pl.col("tga_bn") - pl.col("assumed_cash_bn"))
            .alias("gap_to_assumption_bn"),
            pl.when(pl.col("is_quarter_end")).then(pl.col("reported_cash_bn")).alias("reported_cash_bn"),
        )
    )


def build_treasury_cash_daily(
    tga_daily: pl.DataFrame, debt_limit_events: pl.DataFrame, cash_assumptions: pl.DataFrame
) -> pl.DataFrame:
    """marts.treasury_cash_daily: the TGA per DTS day with the debt-limit regime and the quarter's assumption."""
    return (
        tga_daily.select("date", "tga_bn")
        .pipe(attach_debt_limit, debt_limit_events)
        .pipe(attach_assumption, cash_assumptions)
        .sort("date")
        .pipe(conform, SCHEMA)
    )
