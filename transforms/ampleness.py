"""Are reserves ample? Reserves against bank assets, money-market spreads to IORB, a rolling reserve-demand
elasticity proxy and a regime label (marts.reserve_ampleness_weekly).

Grain: one row per week ending Wednesday that has H.4.1 week-average reserves (WRESBAL). Both the ratio's parts are
week averages for the week ending that Wednesday: reserves (WRESBAL) over all commercial banks' total assets (H.8,
FRED TLAACBW027SBOG, seasonally adjusted), so the ratio is on one basis. Spreads are the averages, over the seven days
ending the Wednesday, of the business days with both rates: (EFFR - IORB) and (SOFR - IORB) in basis points.

Elasticity proxy (method): the NY Fed's Reserve Demand Elasticity is the slope of the reserve demand curve, the
response of the fed funds rate (relative to IORB) to reserves as a share of bank assets, estimated with a
time-varying instrumental-variable model on daily data (Afonso, Giannone, La Spada and Williams, "Scarce, Abundant,
or Ample? A Time-Varying Model of the Reserve Demand Curve", NY Fed Staff Report 1019,
https://www.newyorkfed.org/research/staff_reports/sr1019.html; Liberty Street Economics 2024-10-17, "Tracking
Reserve Ampleness in Real Time Using Reserve Demand Elasticity", https://libertystreeteconomics.newyorkfed.org/2024/
10/tracking-reserve-ampleness-in-real-time-using-reserve-demand-elasticity). Its inputs are partly confidential;
this public proxy is the OLS slope of weekly (EFFR - IORB) on the weekly reserves/assets ratio over the trailing
ELASTICITY_WEEKS weeks (at least MIN_WEEKS with both), in basis points per percentage point, with its OLS t-statistic.
It has no instruments, so it mixes demand with supply shocks and is a rough gauge, not the NY Fed's estimate.

Regime label (thresholds cited, never tuned): `abundant` when the ratio is at least ABUNDANT_RATIO_PCT (SR 1019:
"When reserves exceed 12-13 percent of banks' assets, demand for reserves is satiated: reserves are abundant, and the
demand curve is flat; below this threshold, the curve's slope becomes increasingly negative as reserves decline from
ample to scarce" - the lower end, 12, is used); below it `approaching_scarce` when the proxy slope is negative and
significant (t <= -SIGNIFICANT_T, the curve detectably steepening) and `ample` otherwise (Liberty Street Economics
2024-10-17: ample reserves are "the region of the reserve demand curve where the slope is only modestly negative").
NULL, with `regime_basis` saying why, when an input is missing.
"""

import math

import polars as pl

from transforms.schema import SchemaDict
from transforms.units import conform, select_series

# The FRED series this mart reads (transforms.marts_registry gives it only these; the run reads only these)
FRED_SERIES = ("WRESBAL", "TLAACBW027SBOG", "EFFR", "SOFR", "IORB")

WEDNESDAY = 3  # polars dt.weekday(): Monday=1 .. Sunday=7
ABUNDANT_RATIO_PCT = 12.0  # SR 1019's satiation threshold, "12-13 percent of banks' assets": its lower end
SIGNIFICANT_T = 2.0  # a slope about two standard errors below zero (5% two-sided)
ELASTICITY_WEEKS = 52
MIN_WEEKS = 26
BP_PER_PCT = 100.0
CITATION = "SR 1019 (12% of bank assets); LSE 2024-10-17 (ample = modestly negative slope)"

SCHEMA: SchemaDict = {
    "week": pl.Date,
    "reserves_bn": pl.Float64,
    "bank_assets_bn": pl.Float64,
    "reserves_to_assets_pct": pl.Float64,
    "effr_iorb_bp": pl.Float64,
    "sofr_iorb_bp": pl.Float64,
    "elasticity_bp_per_pp": pl.Float64,
    "elasticity_t": pl.Float64,
    "elasticity_weeks": pl.Int32,
    "regime": pl.Utf8,
    "regime_basis": pl.Utf8,
}


def weekly_spreads(fred_bn: pl.DataFrame) -> pl.DataFrame:
    """(EFFR - IORB) and (SOFR - IORB), bp, averaged over the seven days ending each Wednesday."""
    iorb = select_series(fred_bn, "IORB", "iorb", column="value")
    daily = iorb
    for series in ("EFFR", "SOFR"):
        daily = daily.join(select_series(fred_bn, series, series.lower(), column="value"), on="date", how="left")
    ahead = (WEDNESDAY - pl.col("date").dt.weekday() + 7) % 7
    return (  # in date order: the mean sums in one order, so the same days give the same bits (join order is free)
        daily.with_columns((pl.col("date") + pl.duration(days=ahead)).alias("week"))
        .sort("date")
        .group_by("week")
        .agg(
            ((pl.col("effr") - pl.col("iorb")) * BP_PER_PCT).mean().alias("effr_iorb_bp"),
            ((pl.col("sofr") - pl.col("iorb")) * BP_PER_PCT).mean().alias("sofr_iorb_bp"),
        )
    )


def weekly_ratio(fred_bn: pl.DataFrame) -> pl.DataFrame:
    """Week-average reserves (WRESBAL) and H.8 bank assets of the same week, and their ratio in percent."""
    reserves = select_series(fred_bn, "WRESBAL", "reserves_bn").rename({"date": "week"})
    assets = select_series(fred_bn, "TLAACBW027SBOG", "bank_assets_bn").rename({"date": "week"})
    return reserves.join(assets, on="week", how="left").with_columns(
        (pl.col("reserves_bn") / pl.col("bank_assets_bn") * 100).alias("reserves_to_assets_pct")
    )


def ols_slope(xs: list[float], ys: list[float]) -> tuple[float | None, float | None]:
    """Slope of y on x and its t-statistic (None when x does not vary or the fit is exact)."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return None, None
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    ssr = sum((y - my - slope * (x - mx)) ** 2 for x, y in zip(xs, ys, strict=True))
    se = math.sqrt(ssr / (n - 2) / sxx)
    return slope, (slope / se if se > 0 else None)


def add_elasticity(weekly: pl.DataFrame) -> pl.DataFrame:
    """Rolling OLS slope of effr_iorb_bp on reserves_to_assets_pct over the trailing ELASTICITY_WEEKS rows."""
    xs, ys = weekly["reserves_to_assets_pct"].to_list(), weekly["effr_iorb_bp"].to_list()
    slopes, ts, counts = [], [], []
    for i in range(len(xs)):
        pairs = [
            (x, y)
            for x, y in zip(
                xs[max(0, i - ELASTICITY_WEEKS + 1) : i + 1], ys[max(0, i - ELASTICITY_WEEKS + 1) : i + 1], strict=True
            )
            if x is not None and y is not None
        ]
        fit = ols_slope([p[0] for p in pairs], [p[1] for p in pairs]) if len(pairs) >= MIN_WEEKS else (None, None)
        slopes.append(fit[0])
        ts.append(fit[1])
        counts.append(len(pairs))
    return weekly.with_columns(
        pl.Series("elasticity_bp_per_pp", slopes, pl.Float64),
        pl.Series("elasticity_t", ts, pl.Float64),
        pl.Series("elasticity_weeks", counts, pl.Int32),
    )


def add_regime(weekly: pl.DataFrame) -> pl.DataFrame:
    """The regime label by the cited thresholds, and what it rests on (or which input is missing)."""
    ratio, t = pl.col("reserves_to_assets_pct"), pl.col("elasticity_t")
    regime = (
        pl.when(ratio.is_null())
        .then(None)
        .when(ratio >= ABUNDANT_RATIO_PCT)
        .then(pl.lit("abundant"))
        .when(t.is_null())
        .then(None)
        .when(t <= -SIGNIFICANT_T)
        .then(pl.lit("approaching_scarce"))
        .otherwise(pl.lit("ample"))
    )
    basis = (
        pl.when(ratio.is_null())
        .then(pl.lit("no H.8 bank assets (TLAACBW027SBOG) for this week"))
        .when(ratio >= ABUNDANT_RATIO_PCT)
        .then(pl.lit(f"ratio >= {ABUNDANT_RATIO_PCT:g}% ({CITATION})"))
        .when(t.is_null())
        .then(
            pl.lit(
                f"ratio < {ABUNDANT_RATIO_PCT:g}% but fewer than {MIN_WEEKS} weeks "
                "of EFFR-IORB and the ratio: slope unknown"
            )
        )
        .otherwise(
            pl.lit(
                f"ratio < {ABUNDANT_RATIO_PCT:g}%; slope t {'<='} -{SIGNIFICANT_T:g} = approaching "
                f"scarce, else ample ({CITATION})"
            )
        )
    )
    return weekly.with_columns(regime.alias("regime"), basis.alias("regime_basis"))


def build_reserve_ampleness_weekly(fred_bn: pl.DataFrame) -> pl.DataFrame:
    """marts.reserve_ampleness_weekly: ratio, spreads, elasticity proxy and regime per week ending Wednesday."""
    return (
        weekly_ratio(fred_bn)
        .join(weekly_spreads(fred_bn), on="week", how="left")
        .sort("week")
        .pipe(add_elasticity)
        .pipe(add_regime)
        .pipe(conform, SCHEMA)
    )
