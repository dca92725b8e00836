"""Reserve-management purchases (RMPs) per announced round, over the round's own window (marts.rmp_rounds).

Grain: one row per round of the reviewed seed warehouse/seeds/rmp_rounds.csv; amounts in $ billions. The Desk
announces each monthly amount on or around the ninth business day of the month and buys over the month that follows
(https://www.newyorkfed.org/markets/opolicy/operating_policy_251029), so a round spans two calendar months and is
measured over its own window, never over a calendar month.

Measure: H.4.1 Wednesday levels, from the last Wednesday before the window opens (`start_wednesday`) to the last
Wednesday on or before it closes (`end_wednesday`; the latest held Wednesday while a round is still running, status
`in_progress`). The RMP amount excludes the reinvestment of agency MBS principal into bills, and those reinvestments
roughly offset the MBS paydowns, so the growth of securities held outright (WSHOSHO) is the net purchase compared
with the announced amount (`attainment`); the growth of bills held (WSHOBL) also carries the reinvestments and is
shown beside it. Operations settle a day or two after the trade, so a purchase in a window's last days may land in
the next round's measure.
"""

import datetime as dt

import polars as pl

from transforms.schema import SchemaDict
from transforms.units import conform, select_series

# The FRED series this mart reads (transforms.marts_registry gives it only these; the run reads only these)
FRED_SERIES = ("TREAST", "WSHOBL", "WSHOMCB", "WSHOSHO")

WEDNESDAY = 3  # polars dt.weekday(): Monday=1 .. Sunday=7
MEASURES: dict[str, str] = {  # growth column -> FRED series (Wednesday levels)
    "securities_growth_bn": "WSHOSHO",
    "treasury_growth_bn": "TREAST",
    "mbs_change_bn": "WSHOMCB",
    "bills_growth_bn": "WSHOBL",
}

# The latest H.4.1 Wednesday held is at most 8 days before the day the data describe (Thursday release, a week's
# wait): a round announced later than that had not been announced yet (a backtest sees no future rounds).
KNOWN_AFTER = dt.timedelta(days=8)

SCHEMA: SchemaDict = {
    "round": pl.Utf8,
    "announced_on": pl.Date,
    "window_from": pl.Date,
    "window_to": pl.Date,
    "amount_bn": pl.Float64,
    "amount_basis": pl.Utf8,
    "start_wednesday": pl.Date,
    "end_wednesday": pl.Date,
    "status": pl.Utf8,
    **{column: pl.Float64 for column in MEASURES},
    "attainment": pl.Float64,
    "citation_url": pl.Utf8,
}


def last_wednesday_on_or_before(day: pl.Expr) -> pl.Expr:
    """The Wednesday on or before `day`."""
    return day - pl.duration(days=(day.dt.weekday() - WEDNESDAY + 7) % 7)


def measurement_bounds(rounds: pl.DataFrame, latest: dt.date | None) -> pl.DataFrame:
    """start/end Wednesdays of each round and its status (not_started / in_progress / complete) on `latest`."""
    start = last_wednesday_on_or_before(pl.col("window_from") - pl.duration(days=1))
    end = last_wednesday_on_or_before(pl.col("window_to"))
    held = pl.lit(latest, pl.Date)
    status = (
        pl.when(held.is_null() | (held <= start))
        .then(pl.lit("not_started"))
        .when(held < end)
        .then(pl.lit("in_progress"))
        .otherwise(pl.lit("complete"))
    )
    return (
        rounds.with_columns(start.alias("start_wednesday"), end.alias("_end"), status.alias("status"))
        .with_columns(
            pl.when(pl.col("status") == "in_progress")
            .then(held)
            .when(pl.col("status") == "complete")
            .then(pl.col("_end"))
            .alias("end_wednesday")
        )
        .drop("_end")
    )


def add_growth(rounds: pl.DataFrame, fred_bn: pl.DataFrame) -> pl.DataFrame:
    """Each measure's change between the start and end Wednesdays (null where a level is missing)."""
    for column, series in MEASURES.items():
        levels = select_series(fred_bn, series, "_level")
        rounds = (
            rounds.join(
                levels.rename({"date": "start_wednesday", "_level": "_start"}), on="start_wednesday", how="left"
            )
            .join(levels.rename({"date": "end_wednesday", "_level": "_end"}), on="end_wednesday", how="left")
            .with_columns((pl.col("_end") - pl.col("_start")).alias(column))
            .drop("_start", "_end")
        )
    return rounds


def build_rmp_rounds(fred_bn: pl.DataFrame, rmp_rounds: pl.DataFrame) -> pl.DataFrame:
    """marts.rmp_rounds: per announced round, the securities bought over its own window vs the amount, $ bn."""
    if rmp_rounds.is_empty():  # no reviewed round (a core without the seed): nothing to measure
        return pl.DataFrame(schema=SCHEMA)
    held = select_series(fred_bn, "WSHOSHO", "_v")
    latest = held["date"].max() if held.height else None
    rounds = rmp_rounds.with_columns(pl.col(c).cast(pl.Date) for c in ("announced_on", "window_from", "window_to"))
    if isinstance(latest, dt.date):  # a round announced after the data's week (+ its release lag) was not known yet
        rounds = rounds.filter(pl.col("announced_on") <= latest + KNOWN_AFTER)
    return (
        rounds.with_columns(pl.col("amount_bn").cast(pl.Float64))
        .pipe(measurement_bounds, latest if isinstance(latest, dt.date) else None)
        .pipe(add_growth, fred_bn)
        .with_columns((pl.col("securities_growth_bn") / pl.col("amount_bn")).alias("attainment"))
        .sort("window_from")
        .pipe(conform, SCHEMA)
    )
