"""Daily repo-funding gauges: SOFR/EFFR/TGCR/BGCR against IORB, ON RRP, SRF take-up, stress flag (marts.funding_daily).

Grain: one row per business day with a SOFR fixing (FRED SOFR, completed by NY Fed SOFR where FRED lacks the day).
Rates in percent, spreads in basis points rounded to 0.01 bp (the inputs have 2 decimals; rounding removes float
noise), amounts in $ billions. IORB is joined as-of (backward): it is published ahead and changes only on FOMC
effective dates, so the rate in force on a day is the latest one dated on or before it.
"""

import datetime as dt

import polars as pl

from transforms.schema import SchemaDict
from transforms.units import USD_PER_BN, conform, select_series

# SOFR above IORB means overnight repo pays more than reserves earn at the Fed: banks no longer arbitrage it away,
# the classic sign that reserves have stopped being ample (Sep 2019, late 2025). Any positive spread counts.
SOFR_IORB_STRESS_BP = 0.0
# SRF usage of a few hundred million is routine test/odd-lot activity at quarter ends; above $5bn dealers are
# borrowing from the Fed because the market rate is above the SRF minimum bid rate.
SRF_STRESS_BN = 5.0
QUARTER_END_MONTHS = (3, 6, 9, 12)
IORB_MAX_STALENESS = dt.timedelta(days=7)
# Small Value Exercises test operational readiness with token amounts (a 10:30 repo or RRP "Multiple Price"
# operation whose note says so, often as HTML): they are not take-up of the facility.
SMALL_VALUE_EXERCISE = r"(?i)small value exercise|\bSVE\b"

SCHEMA: SchemaDict = {
    "date": pl.Date,
    "sofr_pct": pl.Float64,
    "iorb_pct": pl.Float64,
    "sofr_iorb_bp": pl.Float64,
    "effr_pct": pl.Float64,
    "effr_iorb_bp": pl.Float64,
    "sofr_p1_pct": pl.Float64,
    "sofr_p99_pct": pl.Float64,
    "sofr_p1_iorb_bp": pl.Float64,
    "sofr_p99_iorb_bp": pl.Float64,
    "tgcr_pct": pl.Float64,
    "tgcr_iorb_bp": pl.Float64,
    "bgcr_pct": pl.Float64,
    "bgcr_iorb_bp": pl.Float64,
    "sofr_volume_bn": pl.Float64,
    "sofr_avg_30d_pct": pl.Float64,
    "sofr_avg_90d_pct": pl.Float64,
    "sofr_avg_180d_pct": pl.Float64,
    "sofr_index": pl.Float64,
    "on_rrp_bn": pl.Float64,
    "srf_takeup_bn": pl.Float64,
    "is_month_end": pl.Boolean,
    "is_quarter_end": pl.Boolean,
    "stress_flag": pl.Boolean,
}


SOFR_AVERAGES = ("sofr_avg_30d_pct", "sofr_avg_90d_pct", "sofr_avg_180d_pct", "sofr_index")


def _with_sofr_averages(rates: pl.DataFrame) -> pl.DataFrame:
    """Rates with the SOFRAI columns, null when the frame predates them (a core table without the columns)."""
    return rates.with_columns(pl.lit(None, pl.Float64).alias(c) for c in SOFR_AVERAGES if c not in rates.columns)


def _rate_of(rate_type: str, column: str) -> pl.Expr:
    """Aggregation: `column` of the row with this rate_type within a date group."""
    return pl.col(column).filter(pl.col("rate_type") == rate_type).first()


def pivot_nyfed_rates(rates: pl.DataFrame) -> pl.DataFrame:
    """NY Fed long rates -> one row per date: SOFR rate/percentiles/volume, TGCR, BGCR and EFFR rates (percent)."""
    return rates.pipe(_with_sofr_averages).group_by(pl.col("effective_date").alias("date")).agg(
        _rate_of("SOFR", "rate_pct").alias("nyfed_sofr_pct"),
        _rate_of("SOFR", "percentile_1_pct").alias("sofr_p1_pct"),
        _rate_of("SOFR", "percentile_99_pct").alias("sofr_p99_pct"),
        _rate_of("SOFR", "volume_bn").alias("sofr_volume_bn"),
        _rate_of("TGCR", "rate_pct").alias("tgcr_pct"),
        _rate_of("BGCR", "rate_pct").alias("bgcr_pct"),
        _rate_of("EFFR", "rate_pct").alias("nyfed_effr_pct"),
        # SOFRAI: the NY Fed's SOFR averages and index, dated the day they are published (from SOFR up to the
        # previous business day), so one business day after the SOFR fixing they include.
        *[_rate_of("SOFRAI", c).alias(c) for c in SOFR_AVERAGES],
    )


def join_daily_rates(fred_bn: pl.DataFrame, rates: pl.DataFrame) -> pl.DataFrame:
    """SOFR days (FRED first, NY Fed where FRED is missing) with EFFR, ON RRP and the NY Fed detail on the same date."""
    fred_sofr = select_series(fred_bn, "SOFR", "fred_sofr_pct", column="value")
    nyfed = pivot_nyfed_rates(rates)
    return (
        fred_sofr.join(nyfed, on="date", how="full", coalesce=True)
        .join(select_series(fred_bn, "EFFR", "fred_effr_pct", column="value"), on="date", how="left")
        .join(select_series(fred_bn, "RRPONTSYD", "on_rrp_bn"), on="date", how="left")
        .with_columns(
            pl.coalesce("fred_sofr_pct", "nyfed_sofr_pct").alias("sofr_pct"),
            pl.coalesce("fred_effr_pct", "nyfed_effr_pct").alias("effr_pct"),
        )
        .filter(pl.col("sofr_pct").is_not_null())
        .sort("date")
    )


def attach_iorb(daily: pl.DataFrame, fred_bn: pl.DataFrame) -> pl.DataFrame:
    """IORB in force on each date: as-of (backward) join on the IORB series, never an equi-join. FRED publishes IORB
    for every calendar day, so a value more than IORB_MAX_STALENESS old means the series has not been loaded that
    far: leave IORB null rather than assume no FOMC decision came in between."""
    iorb = select_series(fred_bn, "IORB", "iorb_pct", column="value")
    return daily.join_asof(iorb, on="date", strategy="backward", tolerance=IORB_MAX_STALENESS)


def add_iorb_spreads(daily: pl.DataFrame) -> pl.DataFrame:
    """<rate>_iorb_bp = (rate - IORB) x 100, for SOFR, EFFR, SOFR 1st/99th percentiles, TGCR and BGCR."""
    rates = {"sofr": "sofr_pct", "effr": "effr_pct", "sofr_p1": "sofr_p1_pct", "sofr_p99": "sofr_p99_pct",
             "tgcr": "tgcr_pct", "bgcr": "bgcr_pct"}
    return daily.with_columns(
        ((pl.col(col) - pl.col("iorb_pct")) * 100).round(2).alias(f"{name}_iorb_bp") for name, col in rates.items()
    )


def is_small_value_exercise() -> pl.Expr:
    """True for one operation whose note says it is a Small Value Exercise (token test amounts).

    A row holding several operation ids (the bundled recording summed each day's operations into one row, notes
    concatenated) is not one: excluding it would drop the day's real take-up with the exercise."""
    single = pl.col("operation_id").str.count_matches(r"RP \d{6} ") <= 1
    return pl.col("note").fill_null("").str.contains(SMALL_VALUE_EXERCISE) & single


def sum_srf_takeup(rp_ops: pl.DataFrame) -> pl.DataFrame:
    """Accepted repo operations (SRF morning and afternoon; Small Value Exercises left out) summed per operation
    date, $ billions; every covered date present (0 if none)."""
    exercise = is_small_value_exercise() if "note" in rp_ops.columns else pl.lit(False)
    take_up = (pl.col("operation_type") == "Repo") & ~exercise
    repo = rp_ops.filter(take_up).group_by(pl.col("operation_date").alias("date")).agg(
        (pl.col("total_amt_accepted_usd").fill_null(0).sum() / USD_PER_BN).alias("srf_takeup_bn")
    )
    covered = rp_ops.select(pl.col("operation_date").unique().alias("date"))
    return covered.join(repo, on="date", how="left").with_columns(pl.col("srf_takeup_bn").fill_null(0.0))


def attach_srf_takeup(daily: pl.DataFrame, rp_ops: pl.DataFrame) -> pl.DataFrame:
    """srf_takeup_bn: 0 on days inside the operations data with no repo take-up, null outside its date range."""
    takeup = sum_srf_takeup(rp_ops)
    first, last = takeup["date"].min(), takeup["date"].max()
    covered = pl.col("date").is_between(first, last) if first is not None else pl.lit(False)
    return daily.join(takeup, on="date", how="left").with_columns(
        pl.when(covered).then(pl.col("srf_takeup_bn").fill_null(0.0)).alias("srf_takeup_bn")
    )


def flag_period_ends(daily: pl.DataFrame) -> pl.DataFrame:
    """is_month_end: last business day of its month in the data (the data's last month only on its last weekday)."""
    month = pl.col("date").dt.truncate("1mo")
    last_in_month = pl.col("date") == pl.col("date").max().over(month)
    last_weekday = pl.col("date").dt.month_end().dt.add_business_days(0, roll="backward")
    month_complete = (month < month.max()) | (pl.col("date") >= last_weekday)
    return daily.with_columns((last_in_month & month_complete).alias("is_month_end")).with_columns(
        (pl.col("is_month_end") & pl.col("date").dt.month().is_in(QUARTER_END_MONTHS)).alias("is_quarter_end")
    )


def flag_stress(daily: pl.DataFrame) -> pl.DataFrame:
    """stress_flag: SOFR above IORB or SRF take-up above SRF_STRESS_BN (a missing input never raises the flag)."""
    sofr_above = (pl.col("sofr_iorb_bp") > SOFR_IORB_STRESS_BP).fill_null(False)
    srf_used = (pl.col("srf_takeup_bn") > SRF_STRESS_BN).fill_null(False)
    return daily.with_columns((sofr_above | srf_used).alias("stress_flag"))


def build_funding_daily(fred_bn: pl.DataFrame, rates: pl.DataFrame, rp_ops: pl.DataFrame) -> pl.DataFrame:
    """marts.funding_daily: one row per SOFR business day; rates %, spreads bp, ON RRP and SRF take-up $ billions."""
    return (
        join_daily_rates(fred_bn, rates)
        .pipe(attach_iorb, fred_bn)
        .pipe(add_iorb_spreads)
        .pipe(attach_srf_takeup, rp_ops)
        .pipe(flag_period_ends)
        .pipe(flag_stress)
        .pipe(conform, SCHEMA)
    )
