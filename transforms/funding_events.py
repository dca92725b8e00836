"""Funding stress events (marts.funding_events): one row per dated day on which market signals fire, with the
calendar context (period ends, settlements, tax days) and a severity.

Signals and their thresholds (each documented; measured on the bundled recorded history in
tests/transforms_tests/test_funding_events.py):
- `sofr_iorb`: SOFR - IORB >= 5 bp. Repo paying clearly more than reserves earn at the Fed; in the recorded
  2021-07..2026-08 history SOFR - IORB is <= 0 on 90% of days and >= 5 bp on about 4% (the late-2025 squeeze).
  On 2019-09-17 SOFR printed 5.25% with IOER at 2.10% (NY Fed SOFR release; Fed implementation note of 2019-07-31).
- `sofr_p99_iorb`: SOFR's 99th percentile - IORB >= 20 bp: the dearest 1% of trades far above IORB. The recorded
  2026 percentiles put the median at 8 bp and the 95th percentile at 14 bp (quarter ends included).
- `srf`: standing repo take-up >= $5bn (transforms.funding.SRF_STRESS_BN: routine test amounts stay far below).
- `segment_spread`: SOFR - TGCR >= 5 bp (the NY Fed split: DVP/GCF paying over tri-party; median 2 bp, 95th
  percentile 4 bp in the recorded 2024-10..2026-08 history, 7 bp on 2025-10-31), or, where the OFR series are
  loaded, DVP - tri-party >= 8 bp or GCF - tri-party >= 13 bp (preliminary overnight rates). Calibrated like the
  SOFR - TGCR rule on the recorded OFR history 2025-06-02..2026-10 (recordings/ofr): DVP - tri-party median 3 bp,
  95th percentile 5 bp, over 334 days; GCF - tri-party (GCF is structurally dearer) median 7 bp, 95th percentile
  11 bp, over the 124 days GCF was sent. Together they fire on 8 recorded days, each a known pressure day: the
  2025-06-30 and 2025-09-30 quarter ends, 2025-07-01, 2025-10-17, 2025-10-31, 2025-11-03/04 and 2025-12-31.
- `dealer_fails`: primary dealers' Treasury fails (to deliver + to receive) >= 1.5x their median of the previous
  26 weeks (at least 13 weeks held), dated on the as-of Wednesday: fails trend with balance sheets, so the rule is
  relative.
Severity: `high` when SRF take-up >= $25bn or SOFR - IORB >= 20 bp or three or more signals fire together;
`medium` when two fire; `low` for one. Calendar flags only describe the day, they never make an event.
"""

from __future__ import annotations

import polars as pl

from transforms.funding import SRF_STRESS_BN
from transforms.schema import SchemaDict
from transforms.units import conform

SOFR_IORB_BP = 5.0
SOFR_P99_IORB_BP = 20.0
SRF_BN = SRF_STRESS_BN
SOFR_TGCR_BP = 5.0
OFR_DVP_TRI_BP = 8.0
OFR_GCF_TRI_BP = 13.0
FAILS_MULTIPLE = 1.5
FAILS_WINDOW_WEEKS = 26
FAILS_MIN_WEEKS = 13
HIGH_SRF_BN = 25.0
HIGH_SOFR_IORB_BP = 20.0
SIGNALS = ("sofr_iorb", "sofr_p99_iorb", "srf", "segment_spread", "dealer_fails")
CALENDAR = {
    "is_quarter_end": "quarter end",
    "is_month_end": "month end",
    "is_year_end": "year end",
    "is_mid_month_settlement": "mid-month coupon settlement",
    "is_tax_date": "tax date",
    "is_treasury_settlement": "Treasury settlement",
}

SCHEMA: SchemaDict = {
    "date": pl.Date,
    "signals": pl.Utf8,
    "n_signals": pl.Int64,
    "severity": pl.Utf8,
    "sofr_iorb_bp": pl.Float64,
    "sofr_p99_iorb_bp": pl.Float64,
    "srf_takeup_bn": pl.Float64,
    "sofr_tgcr_bp": pl.Float64,
    "dvp_tri_bp": pl.Float64,
    "gcf_tri_bp": pl.Float64,
    "fails_total_bn": pl.Float64,
    "fails_ratio": pl.Float64,
    "calendar_context": pl.Utf8,
}


def dealer_fails(dealers: pl.DataFrame) -> pl.DataFrame:
    """Per as-of Wednesday: fails_total_bn and its ratio to the median of the previous 26 weeks (>= 13 held)."""
    weekly = dealers.select(pl.col("as_of_date").alias("date"), "fails_total_bn").drop_nulls().sort("date")
    prior = pl.col("fails_total_bn").shift(1)
    median = prior.rolling_median(FAILS_WINDOW_WEEKS, min_samples=FAILS_MIN_WEEKS)
    return weekly.with_columns((pl.col("fails_total_bn") / median).alias("fails_ratio"))


def _fired() -> dict[str, pl.Expr]:
    """Each signal's rule (null inputs never fire)."""
    ofr = (pl.col("dvp_tri_bp") >= OFR_DVP_TRI_BP) | (pl.col("gcf_tri_bp") >= OFR_GCF_TRI_BP)
    return {
        "sofr_iorb": pl.col("sofr_iorb_bp") >= SOFR_IORB_BP,
        "sofr_p99_iorb": pl.col("sofr_p99_iorb_bp") >= SOFR_P99_IORB_BP,
        "srf": pl.col("srf_takeup_bn") >= SRF_BN,
        "segment_spread": (pl.col("sofr_tgcr_bp") >= SOFR_TGCR_BP) | ofr.fill_null(False),
        "dealer_fails": pl.col("fails_ratio") >= FAILS_MULTIPLE,
    }


def _days(funding_daily: pl.DataFrame, segments: pl.DataFrame, fails: pl.DataFrame) -> pl.DataFrame:
    """Every day with a funding gauge, a segment spread or a dealer week, with the signals' inputs."""
    gauges = funding_daily.select("date", "sofr_iorb_bp", "sofr_p99_iorb_bp", "srf_takeup_bn")
    spreads = segments.select("date", "sofr_tgcr_bp", "dvp_tri_bp", "gcf_tri_bp")
    return gauges.join(spreads, on="date", how="full", coalesce=True).join(fails, on="date", how="full", coalesce=True)


def _context(calendar: pl.DataFrame) -> pl.DataFrame:
    """date -> 'quarter end, month end, ...' (NULL on a plain day)."""
    parts = [pl.when(pl.col(flag)).then(pl.lit(label)) for flag, label in CALENDAR.items() if flag in calendar.columns]
    text = pl.concat_str(parts, separator=", ", ignore_nulls=True) if parts else pl.lit("")
    return calendar.select("date", pl.when(text == "").then(None).otherwise(text).alias("calendar_context"))


def _severity() -> pl.Expr:
    high = (
        (pl.col("srf_takeup_bn") >= HIGH_SRF_BN).fill_null(False)
        | (pl.col("sofr_iorb_bp") >= HIGH_SOFR_IORB_BP).fill_null(False)
        | (pl.col("n_signals") >= 3)
    )
    return (
        pl.when(high)
        .then(pl.lit("high"))
        .when(pl.col("n_signals") == 2)
        .then(pl.lit("medium"))
        .otherwise(pl.lit("low"))
    )


def build_funding_events(
    funding_daily: pl.DataFrame, segments: pl.DataFrame, dealers: pl.DataFrame, calendar: pl.DataFrame
) -> pl.DataFrame:
    """marts.funding_events (see the module docstring)."""
    days = _days(funding_daily, segments, dealer_fails(dealers))
    fired = {name: rule.fill_null(False) for name, rule in _fired().items()}
    days = days.with_columns(**{f"_{n}": e for n, e in fired.items()})
    names = pl.concat_str(
        [pl.when(pl.col(f"_{n}")).then(pl.lit(n)) for n in SIGNALS], separator=", ", ignore_nulls=True
    )
    events = days.with_columns(
        names.alias("signals"), pl.sum_horizontal(pl.col(f"_{n}").cast(pl.Int64) for n in SIGNALS).alias("n_signals")
    )
    events = events.filter(pl.col("n_signals") > 0).with_columns(_severity().alias("severity"))
    return events.join(_context(calendar), on="date", how="left").sort("date").pipe(conform, SCHEMA)
