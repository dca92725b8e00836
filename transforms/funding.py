"""Daily repo-funding gauges: SOFR/EFFR/TGCR/BGCR against IORB, ON RRP, SRF take-up, stress flag (marts.funding_daily).

Grain: one row per Federal Reserve business day from the first SOFR fixing to the newest day of any input (SOFR from
FRED, completed by NY Fed SOFR where FRED lacks the day; null on the newest day until SOFR is published at 08:00 the
next business day, while that day's ON RRP and SRF take-up are already known).
Rates in percent, spreads in basis points rounded to 0.01 bp (the inputs have 2 decimals; rounding removes float
noise), amounts in $ billions. IORB is joined as-of (backward): it is published ahead and changes only on FOMC
effective dates, so the rate in force on a day is the latest one dated on or before it.
"""

import datetime as dt
from typing import cast

import polars as pl

from transforms import calendar
from transforms.schema import SchemaDict
from transforms.units import USD_PER_BN, conform, select_series

# The FRED series this mart reads (transforms.marts_registry gives it only these; the run reads only these)
FRED_SERIES = (
    "SOFR",
    "EFFR",
    "IORB",
    "RRPONTSYD",
    "SOFR30DAYAVG",
    "SOFR90DAYAVG",
    "SOFR180DAYAVG",
    "SOFRINDEX",
)

# stress_flag: documented thresholds that mean stress in today's regime, where SOFR trades around IORB routinely
# (since mid-2025 a SOFR a few bp above IORB is an ordinary day). Any one of these raises it (stress_reasons):
# - "sofr_at_srf_rate": SOFR at or above the top of the FOMC target range, i.e. the Standing Repo Facility's minimum
#   bid rate, where borrowing from the Fed costs no more than borrowing in the market. IORB has been set 10 bp below
#   the top of the range since 2021-07-29 (FOMC implementation notes, e.g. 2025-12-10: range 3.50-3.75%, IORB 3.65%,
#   standing repo minimum bid 3.75%), so the top of the range is IORB + SOFR_AT_SRF_RATE_BP.
SOFR_AT_SRF_RATE_BP = 10.0
# - "sofr_jump": SOFR at least SOFR_JUMP_FLOOR_BP above IORB and SOFR_JUMP_BP above its own median spread to IORB over
#   the previous SOFR_TRAILING_DAYS fixings (about three months): a jump relative to the trailing distribution, as on
#   the 2024-09-30 quarter end (+6 bp against a -6 bp median) or 2025-10-21..24 (+8/+9 bp against -1/-2 bp).
SOFR_JUMP_FLOOR_BP = 5.0
SOFR_JUMP_BP = 8.0
SOFR_TRAILING_DAYS = 60
SOFR_TRAILING_MIN_DAYS = 20
# - "srf_takeup": SRF take-up of at least SRF_STRESS_BN. Usage of a few hundred million is routine test/odd-lot
#   activity; $5bn+ happened in the recorded history only at quarter ends (2025-06-30 $11.1bn, 2025-09-30 $6.0bn)
#   and in the Oct-Nov 2025 squeeze (2025-10-31 $50.35bn).
SRF_STRESS_BN = 5.0
# - "sofr_p99_tail": the 99th percentile of SOFR volume at least SOFR_P99_STRESS_BP above IORB (on a rate-cut day
#   the previous day's IORB), i.e. 1% of the day's repo traded 15 bp or more above the SRF rate (NY Fed: 2025-09-15
#   +28 bp, 2025-10-31 +45 bp, 2025-12-31 +35 bp; from 2026-01-05 to 2026-06 the tail stayed at +7..+24 bp).
SOFR_P99_STRESS_BP = 25.0
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
    "stress_reasons": pl.Utf8,
    "stress_inputs_missing": pl.Utf8,
    "sofr_avg_source": pl.Utf8,
}


SOFR_AVERAGES = ("sofr_avg_30d_pct", "sofr_avg_90d_pct", "sofr_avg_180d_pct", "sofr_index")
# The same four values on FRED (dated as the NY Fed dates them: the morning they are published).
FRED_SOFR_AVERAGES = {
    "sofr_avg_30d_pct": "SOFR30DAYAVG",
    "sofr_avg_90d_pct": "SOFR90DAYAVG",
    "sofr_avg_180d_pct": "SOFR180DAYAVG",
    "sofr_index": "SOFRINDEX",
}


def _with_sofr_averages(rates: pl.DataFrame) -> pl.DataFrame:
    """Rates with the SOFRAI columns, null when the frame predates them (a core table without the columns)."""
    return rates.with_columns(pl.lit(None, pl.Float64).alias(c) for c in SOFR_AVERAGES if c not in rates.columns)


def _rate_of(rate_type: str, column: str) -> pl.Expr:
    """Aggregation: `column` of the row with this rate_type within a date group."""
    return pl.col(column).filter(pl.col("rate_type") == rate_type).first()


def pivot_nyfed_rates(rates: pl.DataFrame) -> pl.DataFrame:
    """NY Fed long rates -> one row per date: SOFR rate/percentiles/volume, TGCR, BGCR and EFFR rates (percent)."""
    return (
        rates.pipe(_with_sofr_averages)
        .group_by(pl.col("effective_date").alias("date"))
        .agg(
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
    )


def business_day_spine(sofr_dates: pl.Series, *inputs: pl.Series) -> pl.DataFrame:
    """One row per Federal Reserve business day from the first SOFR fixing to the newest date SOFR or any other daily
    input reaches (the day's ON RRP and SRF results are public at 13:15 and 13:45 ET, its SOFR only at 08:00 the next
    business day), plus every SOFR date (none should fall outside the Fed calendar)."""
    if sofr_dates.is_empty():
        return pl.DataFrame(schema={"date": pl.Date})
    first, last = sofr_dates.min(), pl.concat([sofr_dates, *inputs]).max()
    spine = calendar.dates_frame(cast(dt.date, first), cast(dt.date, last)).filter("is_business_day")
    return pl.concat([spine.select("date"), sofr_dates.to_frame("date")]).unique().sort("date")


def join_daily_rates(fred_bn: pl.DataFrame, rates: pl.DataFrame, rp_ops: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per business day (business_day_spine): SOFR (FRED first, NY Fed where FRED is missing) with EFFR,
    ON RRP and the NY Fed detail on the same date; SOFR-derived columns null until SOFR is published."""
    nyfed = pivot_nyfed_rates(rates)
    sofr = select_series(fred_bn, "SOFR", "fred_sofr_pct", column="value").join(
        nyfed.filter(pl.col("nyfed_sofr_pct").is_not_null()).select("date", "nyfed_sofr_pct"),
        on="date",
        how="full",
        coalesce=True,
    )
    on_rrp = select_series(fred_bn, "RRPONTSYD", "on_rrp_bn")
    ops = rp_ops.select(pl.col("operation_date").alias("date")) if rp_ops is not None else on_rrp.clear()
    spine = business_day_spine(sofr["date"], nyfed["date"], on_rrp["date"], ops["date"])
    return (
        spine.join(sofr, on="date", how="left")
        .join(nyfed.drop("nyfed_sofr_pct"), on="date", how="left")
        .join(select_series(fred_bn, "EFFR", "fred_effr_pct", column="value"), on="date", how="left")
        .join(on_rrp, on="date", how="left")
        .with_columns(
            pl.coalesce("fred_sofr_pct", "nyfed_sofr_pct").alias("sofr_pct"),
            pl.coalesce("fred_effr_pct", "nyfed_effr_pct").alias("effr_pct"),
        )
        .sort("date")
    )


def attach_sofr_averages(daily: pl.DataFrame, fred_bn: pl.DataFrame) -> pl.DataFrame:
    """The SOFR averages and index from the NY Fed's SOFRAI row when it sent one for the date, else from FRED (all
    four from one source per row); sofr_avg_source says which ('nyfed' or 'fred'), null when neither has the date."""
    fred = daily.select("date")
    for column, series_id in FRED_SOFR_AVERAGES.items():
        fred = fred.join(select_series(fred_bn, series_id, f"fred_{column}", column="value"), on="date", how="left")
    from_nyfed = pl.any_horizontal(pl.col(c).is_not_null() for c in SOFR_AVERAGES)
    from_fred = pl.any_horizontal(pl.col(f"fred_{c}").is_not_null() for c in SOFR_AVERAGES)
    return (
        daily.join(fred, on="date", how="left")
        .with_columns(
            *[pl.when(from_nyfed).then(pl.col(c)).otherwise(pl.col(f"fred_{c}")).alias(c) for c in SOFR_AVERAGES],
            pl.when(from_nyfed).then(pl.lit("nyfed")).when(from_fred).then(pl.lit("fred")).alias("sofr_avg_source"),
        )
        .drop(f"fred_{c}" for c in SOFR_AVERAGES)
    )


def attach_iorb(daily: pl.DataFrame, fred_bn: pl.DataFrame) -> pl.DataFrame:
    """IORB in force on each date: as-of (backward) join on the IORB series, never an equi-join. FRED publishes IORB
    for every calendar day, so a value more than IORB_MAX_STALENESS old means the series has not been loaded that
    far: leave IORB null rather than assume no FOMC decision came in between."""
    iorb = select_series(fred_bn, "IORB", "iorb_pct", column="value")
    return daily.join_asof(iorb, on="date", strategy="backward", tolerance=IORB_MAX_STALENESS)


def add_iorb_spreads(daily: pl.DataFrame) -> pl.DataFrame:
    """<rate>_iorb_bp = (rate - IORB) x 100, for SOFR, EFFR, SOFR 1st/99th percentiles, TGCR and BGCR."""
    rates = {
        "sofr": "sofr_pct",
        "effr": "effr_pct",
        "sofr_p1": "sofr_p1_pct",
        "sofr_p99": "sofr_p99_pct",
        "tgcr": "tgcr_pct",
        "bgcr": "bgcr_pct",
    }
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
    repo = (
        rp_ops.filter(take_up)
        .group_by(pl.col("operation_date").alias("date"))
        .agg((pl.col("total_amt_accepted_usd").fill_null(0).sum() / USD_PER_BN).alias("srf_takeup_bn"))
    )
    covered = rp_ops.select(pl.col("operation_date").unique().alias("date"))
    return covered.join(repo, on="date", how="left").with_columns(pl.col("srf_takeup_bn").fill_null(0.0))


def _is_market_day(daily: pl.DataFrame) -> pl.Expr:
    """True on a U.S. government securities business day (SIFMA calendar: the Desk operates, repo settles)."""
    if daily.is_empty():
        return pl.lit(False)
    first, last = cast(dt.date, daily["date"].min()), cast(dt.date, daily["date"].max())
    return pl.col("date").is_in(calendar.business_days(first, last, "USGS").implode())


def attach_srf_takeup(daily: pl.DataFrame, rp_ops: pl.DataFrame) -> pl.DataFrame:
    """srf_takeup_bn: the day's accepted repo (0 when its operations lent nothing); 0 on a day inside the operations
    data without operations scheduled (the Desk operates on U.S. government securities business days: Good Friday
    has none); NULL on a scheduled day the data lacks (a hole in the recording) and outside its date range."""
    takeup = sum_srf_takeup(rp_ops)
    first, last = takeup["date"].min(), takeup["date"].max()
    inside = pl.col("date").is_between(first, last) if first is not None else pl.lit(False)
    scheduled = _is_market_day(daily)
    return daily.join(takeup, on="date", how="left").with_columns(
        pl.when(inside & pl.col("srf_takeup_bn").is_null() & ~scheduled)
        .then(pl.lit(0.0))
        .when(inside)
        .then(pl.col("srf_takeup_bn"))
        .alias("srf_takeup_bn")
    )


def flag_period_ends(daily: pl.DataFrame) -> pl.DataFrame:
    """is_month_end: last business day of its month in the data on which the securities market is open (repo settles;
    so March 28, 2024, not Good Friday March 29), the data's last month only on its last weekday."""
    month = pl.col("date").dt.truncate("1mo")
    market_open = _is_market_day(daily)
    open_days = pl.when(market_open).then(pl.col("date"))
    last_in_month = pl.col("date") == open_days.max().over(month)
    last_weekday = pl.col("date").dt.month_end().dt.add_business_days(0, roll="backward")
    month_complete = (month < month.max()) | (pl.col("date") >= last_weekday)
    return daily.with_columns((last_in_month & month_complete).alias("is_month_end")).with_columns(
        (pl.col("is_month_end") & pl.col("date").dt.month().is_in(QUARTER_END_MONTHS)).alias("is_quarter_end")
    )


def stress_tests() -> dict[str, pl.Expr]:
    """The stress tests by reason name (see the constants above); each is null where its input is missing."""
    spread = pl.col("sofr_iorb_bp")
    trailing = spread.shift(1).rolling_median(SOFR_TRAILING_DAYS, min_samples=SOFR_TRAILING_MIN_DAYS)
    return {
        "sofr_at_srf_rate": spread >= SOFR_AT_SRF_RATE_BP,
        "sofr_jump": (spread >= SOFR_JUMP_FLOOR_BP) & (spread - trailing >= SOFR_JUMP_BP),
        "srf_takeup": pl.col("srf_takeup_bn") >= SRF_STRESS_BN,
        # On the day a rate cut takes effect some trades still price off the old rates (2025-12-11: p99 3.90% with
        # IORB just cut to 3.65%): the tail is measured against the higher of the day's and the previous day's IORB.
        "sofr_p99_tail": (pl.col("sofr_p99_pct") - pl.max_horizontal("iorb_pct", pl.col("iorb_pct").shift(1))) * 100
        >= SOFR_P99_STRESS_BP,
    }


def flag_stress(daily: pl.DataFrame) -> pl.DataFrame:
    """stress_flag (any stress test true; a missing input never raises it), stress_reasons (the tests that fired,
    comma-separated, null when none) and stress_inputs_missing (the inputs not there to test, null when all are)."""
    tests = stress_tests()
    # The trailing median runs over the SOFR fixings in date order (days without SOFR do not count).
    ordered = daily.sort("date")
    fixed = (
        ordered.filter(pl.col("sofr_iorb_bp").is_not_null())
        .with_columns(tests["sofr_jump"].alias("_sofr_jump"))
        .select("date", "_sofr_jump")
    )
    ordered = ordered.join(fixed, on="date", how="left")
    tests["sofr_jump"] = pl.col("_sofr_jump")
    fired = [pl.when(test.fill_null(False)).then(pl.lit(name)) for name, test in tests.items()]
    inputs = {"sofr_iorb_bp": "SOFR or IORB", "srf_takeup_bn": "SRF take-up", "sofr_p99_iorb_bp": "SOFR p99"}
    missing = [pl.when(pl.col(c).is_null()).then(pl.lit(label)) for c, label in inputs.items()]
    return ordered.with_columns(
        pl.any_horizontal(t.fill_null(False) for t in tests.values()).alias("stress_flag"),
        pl.concat_str(fired, separator=",", ignore_nulls=True).replace("", None).alias("stress_reasons"),
        pl.concat_str(missing, separator=",", ignore_nulls=True).replace("", None).alias("stress_inputs_missing"),
    ).drop("_sofr_jump")


def build_funding_daily(fred_bn: pl.DataFrame, rates: pl.DataFrame, rp_ops: pl.DataFrame) -> pl.DataFrame:
    """marts.funding_daily: one row per Fed business day; rates %, spreads bp, ON RRP and SRF take-up $ billions."""
    return (
        join_daily_rates(fred_bn, rates, rp_ops)
        .pipe(attach_sofr_averages, fred_bn)
        .pipe(attach_iorb, fred_bn)
        .pipe(add_iorb_spreads)
        .pipe(attach_srf_takeup, rp_ops)
        .pipe(flag_period_ends)
        .pipe(flag_stress)
        .pipe(conform, SCHEMA)
    )
