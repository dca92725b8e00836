"""Suite for mart repo_segments_daily: one row per business day; rates percent, spreads bp, volumes $ billions."""

from __future__ import annotations

import great_expectations as gx
import polars as pl

from expectations import rules
from expectations.context import ContextSpec
from expectations.declaration import Suite
from expectations.marts import RATE_PCT_BAND, identity
from transforms.repo_segments import SCHEMA

DATASET = "repo_segments_daily"
KEY = ("date",)
ORDER_BY = "date"
# Repo volumes of one day in $ billions: SOFR ~$3.2tn recorded (2026-07-31); $20tn is out of reach, $ millions not.
VOLUME_BN_BAND = (0.0, 2e4)
# The NY Fed split of volumes can dip below 0 only by rounding (each volume is published to the $bn).
SPLIT_BN_BAND = (-5.0, 2e4)
SPREAD_BP_BAND = (-500.0, 1000.0)  # 2019-09-17: SOFR 5.25% vs IOER 2.10% was +315 bp
RATES = tuple(c for c in SCHEMA if c.endswith("_pct"))
SPREADS = tuple(c for c in SCHEMA if c.endswith("_bp"))
VOLUMES = ("sofr_volume_bn", "bgcr_volume_bn", "tgcr_volume_bn", "dvp_volume_bn", "gcf_volume_bn", "tri_volume_bn")


def context() -> ContextSpec:
    """Dates unique; no gap rule (the NY Fed percentiles and volumes are recorded for some years only)."""
    return ContextSpec(date_column="date")


def checks() -> dict[str, pl.Expr]:
    """Spreads recomputed from the rates; weekdays only."""
    return {
        "chk_sofr_tgcr_residual_bp": pl.col("sofr_tgcr_bp") - (pl.col("sofr_pct") - pl.col("tgcr_pct")) * 100,
        "chk_weekday": (pl.col("date").dt.weekday() <= 5).cast(pl.Int8),
    }


def build_suite() -> gx.ExpectationSuite:
    """Rules for the repo segments mart."""
    return rules.suite(
        DATASET,
        [
            rules.columns_present(list(SCHEMA)),
            rules.not_null_all(("date",)),
            rules.dates(["date"]),
            rules.unique_key(KEY),
            rules.in_set("ofr_vintage", ("final", "preliminary", "mixed")),
            rules.ranges(
                rules.between_all(RATES, *RATE_PCT_BAND),
                rules.between_all(SPREADS, *SPREAD_BP_BAND),
                rules.between_all(VOLUMES, *VOLUME_BN_BAND),
                rules.between_all(("nyfed_dvp_volume_bn", "nyfed_gcf_volume_bn"), *SPLIT_BN_BAND),
                identity("chk_sofr_tgcr_residual_bp", "sofr_tgcr_bp = (sofr_pct - tgcr_pct) x 100", 0.01),
            ),
            rules.E.ExpectColumnValuesToBeInSet(column="chk_weekday", value_set=[1], description="date: a weekday"),
            rules.batch_context("date", gaps=False),
        ],
    )


SUITE = Suite(dataset=DATASET, rules=build_suite, context=context, key=KEY, checks=checks, order_by=ORDER_BY)
