"""Suite for mart reserve_ampleness_weekly: reserves/bank assets, spreads to IORB, elasticity proxy and regime."""

from __future__ import annotations

import great_expectations as gx
import polars as pl

from expectations import rules
from expectations.context import ContextSpec
from expectations.declaration import Suite
from expectations.marts import LEVEL_BN_BAND, declared_columns
from transforms.ampleness import ABUNDANT_RATIO_PCT

DATASET = "reserve_ampleness_weekly"
KEY = ("week",)
ORDER_BY = "week"
MAX_GAP_DAYS = 7
REGIMES = ("abundant", "ample", "approaching_scarce")
# Commercial banks' assets: ~$5tn (1970s) to ~$26tn (2026); reserves are a share of them, 0..100%.
BANK_ASSETS_BN_BAND = (1e3, 5e4)
# EFFR and SOFR against IORB: a few bp either way, SOFR spiked ~+300 bp over IOER in Sep 2019.
SPREAD_BP_BAND = (-100.0, 500.0)


def context() -> ContextSpec:
    """Weeks at most MAX_GAP_DAYS apart, none after as_of."""
    return ContextSpec(date_column="week", max_gap_days=MAX_GAP_DAYS)


def checks() -> dict[str, pl.Expr]:
    """abundant exactly when the ratio reaches the cited threshold."""
    abundant = pl.col("regime") == "abundant"
    at_threshold = pl.col("reserves_to_assets_pct") >= ABUNDANT_RATIO_PCT
    return {"chk_abundant_iff_threshold": pl.when(pl.col("regime").is_not_null()).then(abundant == at_threshold)}


def build_suite() -> gx.ExpectationSuite:
    """Rules for the ampleness mart."""
    return rules.suite(
        DATASET,
        [
            declared_columns(DATASET),
            rules.not_null_all(("week", "reserves_bn")),
            rules.dates(["week"]),
            rules.unique_key(KEY),
            rules.in_set("regime", REGIMES),
            rules.in_set("chk_abundant_iff_threshold", [True]),
            rules.ranges(
                rules.between_all(["reserves_bn"], *LEVEL_BN_BAND),
                rules.between_all(["bank_assets_bn"], *BANK_ASSETS_BN_BAND),
                rules.between_all(["reserves_to_assets_pct"], 0.0, 100.0),
                rules.between_all(["effr_iorb_bp", "sofr_iorb_bp"], *SPREAD_BP_BAND),
            ),
            rules.batch_context("week", gaps=True),
        ],
    )


SUITE = Suite(dataset=DATASET, rules=build_suite, context=context, key=KEY, checks=checks, order_by=ORDER_BY)
