"""Weekly H.4.1 liquidity panel: total assets, reserves, ON RRP, TGA and net liquidity (marts.liquidity_weekly).

Grain: one row per H.4.1 Wednesday (the WALCL dates); amounts in $ billions. Net liquidity uses Wednesday levels only
(WALCL, WDTGAL, ON RRP of the Wednesday); reserves (WRESBAL) are the week average ending that Wednesday and are
shown beside the identity, never inside it.

Two columns on one basis (issue 23): `reserves_wed_bn` is the Wednesday-level reserve balances (WRBWFRBL, the H.4.1
headline) and `net_liquidity_h41_bn` = WALCL - WDTGAL - reverse repos with others (WLRRAOL), every part a Wednesday
level of the same H.4.1 table (net_liquidity_bn takes ON RRP from the NY Fed's operation results instead).
"""

import datetime as dt

import polars as pl

from transforms.schema import SchemaDict
from transforms.units import conform, select_series

# The FRED series this mart reads (transforms.marts_registry gives it only these; the run reads only these)
FRED_SERIES = ("WALCL", "WRESBAL", "WDTGAL", "WRBWFRBL", "WLRRAOL", "RRPONTSYD")

# ON RRP is a business-day series: when the Wednesday is a holiday take the last operation day on or before it,
# but never one more than this many days old (older would describe a different week).
ON_RRP_MAX_STALENESS = dt.timedelta(days=6)
CHANGE_COLUMNS = ("total_assets_bn", "reserves_bn", "on_rrp_bn", "tga_bn", "net_liquidity_bn")
CHANGE_LAGS = {"wow": dt.timedelta(weeks=1), "4w": dt.timedelta(weeks=4)}

SCHEMA: SchemaDict = {
    "week": pl.Date,
    "total_assets_bn": pl.Float64,
    "reserves_bn": pl.Float64,
    "on_rrp_bn": pl.Float64,
    "on_rrp_date": pl.Date,
    "tga_bn": pl.Float64,
    "net_liquidity_bn": pl.Float64,
    **{f"{col}_{lag}": pl.Float64 for lag in CHANGE_LAGS for col in CHANGE_COLUMNS},
    "reserves_wed_bn": pl.Float64,
    "net_liquidity_h41_bn": pl.Float64,
}


def join_weekly_levels(fred_bn: pl.DataFrame) -> pl.DataFrame:
    """WALCL Wednesdays with WRESBAL (week average) and WDTGAL (Wednesday level) on the same date."""
    weeks = select_series(fred_bn, "WALCL", "total_assets_bn").rename({"date": "week"})
    reserves = select_series(fred_bn, "WRESBAL", "reserves_bn").rename({"date": "week"})
    tga = select_series(fred_bn, "WDTGAL", "tga_bn").rename({"date": "week"})
    weekly = weeks.join(reserves, on="week", how="left").join(tga, on="week", how="left")
    return weekly.pipe(join_h41_levels, fred_bn)


def join_h41_levels(weekly: pl.DataFrame, fred_bn: pl.DataFrame) -> pl.DataFrame:
    """Wednesday-level reserves (WRBWFRBL) and net liquidity on the H.4.1 basis (WALCL - WDTGAL - WLRRAOL)."""
    reserves = select_series(fred_bn, "WRBWFRBL", "reserves_wed_bn").rename({"date": "week"})
    others_rrp = select_series(fred_bn, "WLRRAOL", "_rrp_others_bn").rename({"date": "week"})
    return (
        weekly.join(reserves, on="week", how="left")
        .join(others_rrp, on="week", how="left")
        .with_columns(
            (pl.col("total_assets_bn") - pl.col("tga_bn") - pl.col("_rrp_others_bn")).alias("net_liquidity_h41_bn")
        )
        .drop("_rrp_others_bn")
    )


def attach_on_rrp(weekly: pl.DataFrame, fred_bn: pl.DataFrame) -> pl.DataFrame:
    """ON RRP (RRPONTSYD) of the Wednesday, or of the last operation day on/before it within the staleness limit."""
    on_rrp = select_series(fred_bn, "RRPONTSYD", "on_rrp_bn").with_columns(pl.col("date").alias("on_rrp_date"))
    return (
        weekly.sort("week")
        .join_asof(on_rrp, left_on="week", right_on="date", strategy="backward", tolerance=ON_RRP_MAX_STALENESS)
        .drop("date")
    )


def add_net_liquidity(weekly: pl.DataFrame) -> pl.DataFrame:
    """net_liquidity_bn = total assets - TGA - ON RRP (all Wednesday levels); null when a part is missing."""
    return weekly.with_columns(
        (pl.col("total_assets_bn") - pl.col("tga_bn") - pl.col("on_rrp_bn")).alias("net_liquidity_bn")
    )


def add_changes(weekly: pl.DataFrame) -> pl.DataFrame:
    """<col>_wow and <col>_4w: change against the row dated 7 / 28 days earlier (null when that week is absent)."""
    for suffix, lag in CHANGE_LAGS.items():
        earlier = weekly.select(
            (pl.col("week") + lag).alias("week"), *(pl.col(c).alias(f"_prev_{c}") for c in CHANGE_COLUMNS)
        )
        weekly = (
            weekly.join(earlier, on="week", how="left")
            .with_columns((pl.col(c) - pl.col(f"_prev_{c}")).alias(f"{c}_{suffix}") for c in CHANGE_COLUMNS)
            .drop(f"_prev_{c}" for c in CHANGE_COLUMNS)
        )
    return weekly


def build_liquidity_weekly(fred_bn: pl.DataFrame) -> pl.DataFrame:
    """marts.liquidity_weekly: one row per H.4.1 Wednesday, $ billions, with week-on-week and 4-week changes."""
    return (
        fred_bn.pipe(join_weekly_levels)
        .pipe(attach_on_rrp, fred_bn)
        .pipe(add_net_liquidity)
        .pipe(add_changes)
        .sort("week")
        .pipe(conform, SCHEMA)
    )
