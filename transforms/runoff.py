"""QT runoff per calendar month from H.4.1 levels (TREAST, WSHOMCB) against the FOMC caps (marts.qt_runoff_monthly).

Grain: one row per calendar month whose closing boundary Wednesday is in the data; amounts in $ billions.

Boundary rule: Treasury coupons mature on the 15th and on the month's last day (paid the next business day when that
is a weekend/holiday), bills mostly on Tuesdays/Thursdays. A Wednesday level includes every redemption dated on or
before that Wednesday. Month m is measured between the *first Wednesday on or after the last day of month m-1* and
the first Wednesday on or after the last day of month m: the start point (day 0..6 of month m) already contains
m-1's month-end redemption and none of m's mid-month one; the end point contains m's month-end redemption even when
it settles on the next business day. What this misses: bills maturing in those 0..6 days after month-end are counted
in month m instead of m+1; TIPS inflation accretion raises holdings (runoff reads slightly below the redemptions);
agency MBS paydowns and reinvestment purchases settle with lags of up to ~1.5 months, so MBS months are lumpy.
"""

import polars as pl

from transforms.schema import SchemaDict
from transforms.units import conform, select_series

# The FRED series this mart reads (transforms.marts_registry gives it only these; the run reads only these)
FRED_SERIES = ("TREAST", "WSHOMCB")

TREASURY_SERIES = "TREAST"
MBS_SERIES = "WSHOMCB"
WEDNESDAY = 3  # polars dt.weekday(): Monday=1 .. Sunday=7

SCHEMA: SchemaDict = {
    "month": pl.Date,
    "ust_holdings_bn": pl.Float64,
    "ust_runoff_bn": pl.Float64,
    "ust_cap_bn": pl.Float64,
    "mbs_holdings_bn": pl.Float64,
    "mbs_runoff_bn": pl.Float64,
    "mbs_cap_bn": pl.Float64,
    "total_runoff_bn": pl.Float64,
    "ust_cap_attainment": pl.Float64,
    "cumulative_runoff_bn": pl.Float64,
    "regime": pl.Utf8,
    "episode": pl.Utf8,
    "mbs_cap_attainment": pl.Float64,
    "start_wednesday": pl.Date,
    "end_wednesday": pl.Date,
    "purchase_target_bn": pl.Float64,
    "purchase_attainment": pl.Float64,
}
# Reserve-management purchase rounds run from one mid-month announcement to the next (the NY Fed announces each
# monthly amount around the ninth business day), so a month is compared with the round in force on its 15th.
PURCHASE_ROUND_DAY = 15


def boundary_wednesday(month: pl.Expr) -> pl.Expr:
    """First Wednesday on or after the last day of the month that starts at `month` (the month's closing level)."""
    last_day = month.dt.month_end()
    days_ahead = (WEDNESDAY - last_day.dt.weekday() + 7) % 7
    return last_day + pl.duration(days=days_ahead)


def select_holdings(fred_bn: pl.DataFrame) -> pl.DataFrame:
    """Weekly Wednesday levels as (date, ust_bn, mbs_bn) in $ billions; a date missing one series keeps a null."""
    ust = select_series(fred_bn, TREASURY_SERIES, "ust_bn")
    mbs = select_series(fred_bn, MBS_SERIES, "mbs_bn")
    return ust.join(mbs, on="date", how="full", coalesce=True).sort("date")


def measure_monthly_runoff(holdings: pl.DataFrame) -> pl.DataFrame:
    """Holdings at each month's boundary Wednesday and the fall since the previous one (positive = shrink)."""
    months = holdings.select(pl.col("date").dt.truncate("1mo").alias("month")).unique().sort("month")
    bounds = months.with_columns(
        boundary_wednesday(pl.col("month").dt.offset_by("-1mo")).alias("start_wednesday"),
        boundary_wednesday(pl.col("month")).alias("end_wednesday"),
    )
    start = holdings.rename({"date": "start_wednesday", "ust_bn": "ust_start_bn", "mbs_bn": "mbs_start_bn"})
    end = holdings.rename({"date": "end_wednesday", "ust_bn": "ust_holdings_bn", "mbs_bn": "mbs_holdings_bn"})
    return (
        bounds.join(end, on="end_wednesday", how="inner")
        .join(start, on="start_wednesday", how="left")
        .with_columns(
            (pl.col("ust_start_bn") - pl.col("ust_holdings_bn")).alias("ust_runoff_bn"),
            (pl.col("mbs_start_bn") - pl.col("mbs_holdings_bn")).alias("mbs_runoff_bn"),
        )
        .sort("month")
    )


def attach_cap_regime(monthly: pl.DataFrame, cap_regimes: pl.DataFrame) -> pl.DataFrame:
    """Add regime, episode and caps in force on the first day of each month (null outside every regime)."""
    regimes = cap_regimes.select(
        pl.col("effective_from").cast(pl.Date),
        pl.col("effective_to").cast(pl.Date),
        pl.col("regime").cast(pl.Utf8),
        pl.col("episode").cast(pl.Utf8),
        pl.col("ust_cap_bn").cast(pl.Float64),
        pl.col("mbs_cap_bn").cast(pl.Float64),
    ).sort("effective_from")
    joined = monthly.join_asof(regimes, left_on="month", right_on="effective_from", strategy="backward")
    expired = pl.col("effective_to").is_not_null() & (pl.col("month") > pl.col("effective_to"))
    in_force = ["regime", "episode", "ust_cap_bn", "mbs_cap_bn"]
    return joined.with_columns(pl.when(expired).then(None).otherwise(pl.col(c)).alias(c) for c in in_force)


def add_runoff_metrics(monthly: pl.DataFrame) -> pl.DataFrame:
    """Total runoff, cap attainment, and runoff cumulated over the capped months of each QT episode."""
    capped = pl.col("ust_cap_bn").is_not_null()
    return monthly.with_columns(
        (pl.col("ust_runoff_bn") + pl.col("mbs_runoff_bn")).alias("total_runoff_bn"),
        (pl.col("ust_runoff_bn") / pl.col("ust_cap_bn")).alias("ust_cap_attainment"),
        (pl.col("mbs_runoff_bn") / pl.col("mbs_cap_bn")).alias("mbs_cap_attainment"),
    ).with_columns(
        pl.when(capped)
        .then(pl.when(capped).then(pl.col("total_runoff_bn")).cum_sum().over("episode", order_by="month"))
        .alias("cumulative_runoff_bn")
    )


def compare_purchases(monthly: pl.DataFrame, cap_regimes: pl.DataFrame) -> pl.DataFrame:
    """purchase_target_bn: the announced purchase amount of the round in force on the month's 15th, only where the
    seed cites one; purchase_attainment: securities growth (-total_runoff_bn: agency paydowns are reinvested in
    bills, so Treasury + MBS growth is the net purchase) / that amount."""
    if "purchase_target_bn" not in cap_regimes.columns:
        return monthly.with_columns(
            pl.lit(None, pl.Float64).alias(c) for c in ("purchase_target_bn", "purchase_attainment")
        )
    rounds = cap_regimes.select(
        pl.col("effective_from").cast(pl.Date).alias("round_from"),
        pl.col("effective_to").cast(pl.Date).alias("round_to"),
        pl.col("purchase_target_bn").cast(pl.Float64),
    ).sort("round_from")
    mid = monthly.with_columns((pl.col("month") + pl.duration(days=PURCHASE_ROUND_DAY - 1)).alias("_mid")).sort("_mid")
    joined = mid.join_asof(rounds, left_on="_mid", right_on="round_from", strategy="backward")
    expired = pl.col("round_to").is_not_null() & (pl.col("_mid") > pl.col("round_to"))
    target = pl.when(expired).then(None).otherwise(pl.col("purchase_target_bn"))
    return (
        joined.with_columns(target.alias("purchase_target_bn"))
        .with_columns((-pl.col("total_runoff_bn") / pl.col("purchase_target_bn")).alias("purchase_attainment"))
        .drop("_mid", "round_from", "round_to")
        .sort("month")
    )


def build_qt_runoff_monthly(fred_bn: pl.DataFrame, cap_regimes: pl.DataFrame) -> pl.DataFrame:
    """marts.qt_runoff_monthly: one row per month, Treasury/MBS holdings, runoff vs cap, $ billions."""
    return (
        fred_bn.pipe(select_holdings)
        .pipe(measure_monthly_runoff)
        .pipe(attach_cap_regime, cap_regimes)
        .pipe(add_runoff_metrics)
        .pipe(compare_purchases, cap_regimes)
        .pipe(conform, SCHEMA)
    )
