"""Suite for mart funding_daily: one row per business day; rates in percent, spreads in bp, amounts in $bn."""

from __future__ import annotations

import great_expectations as gx
import polars as pl

from expectations import rules
from expectations.context import ContextSpec
from expectations.declaration import Suite
from expectations.marts import FACILITY_BN_BAND, RATE_PCT_BAND, declared_columns, identity

DATASET = "funding_daily"
KEY = ("date",)
ORDER_BY = "date"
MAX_GAP_DAYS = 5
# Spreads are (rate - IORB) x 100; 0.5 bp absorbs rounding, while a spread left in percent misses by ~100x.
SPREAD_TOLERANCE_BP = 0.5
# SRF take-up in $ billions: the facility's aggregate limit was $500bn a day.
SRF_BN_BAND = (0.0, 1e3)
SOFR_INDEX_BAND = (1.0, 3.0)


def context() -> ContextSpec:
    """Business days at most MAX_GAP_DAYS apart, none after as_of."""
    return ContextSpec(date_column="date", max_gap_days=MAX_GAP_DAYS)


def checks() -> dict[str, pl.Expr]:
    """Residuals of both spreads against their two rates."""
    return {
        "chk_sofr_iorb_residual_bp": pl.col("sofr_iorb_bp") - (pl.col("sofr_pct") - pl.col("iorb_pct")) * 100,
        "chk_effr_iorb_residual_bp": pl.col("effr_iorb_bp") - (pl.col("effr_pct") - pl.col("iorb_pct")) * 100,
    }


def build_suite() -> gx.ExpectationSuite:
    """Rules for the daily funding-stress mart."""
    rates = ("sofr_pct", "iorb_pct", "effr_pct")
    return rules.suite(
        DATASET,
        [
            declared_columns(DATASET),
            # srf_takeup_bn is 0 on covered days without usage and null only outside the operations data: no rule.
            rules.not_null_all(("date", "is_month_end", "is_quarter_end")),
            rules.dates(["date"]),
            rules.unique_key(KEY),
            rules.ranges(
                rules.between_all(
                    (*rates, "sofr_avg_30d_pct", "sofr_avg_90d_pct", "sofr_avg_180d_pct"), *RATE_PCT_BAND
                ),
                rules.between_all(["on_rrp_bn"], *FACILITY_BN_BAND),
                rules.between_all(["srf_takeup_bn"], *SRF_BN_BAND),
                # The index compounds SOFR from 1.0 on 2018-04-02; 1.0..3.0 holds for decades at any plausible rate.
                rules.between_all(["sofr_index"], *SOFR_INDEX_BAND),
                identity(
                    "chk_sofr_iorb_residual_bp", "sofr_iorb_bp = (sofr_pct - iorb_pct) x 100", SPREAD_TOLERANCE_BP
                ),
                identity(
                    "chk_effr_iorb_residual_bp", "effr_iorb_bp = (effr_pct - iorb_pct) x 100", SPREAD_TOLERANCE_BP
                ),
            ),
            # Every quarter end is a month end.
            rules.batch_context(
                "date", gaps=True, also=[("is_quarter_end", "is_month_end", "is_quarter_end: implies is_month_end")]
            ),
        ],
    )


SUITE = Suite(dataset=DATASET, rules=build_suite, context=context, key=KEY, checks=checks, order_by=ORDER_BY)
