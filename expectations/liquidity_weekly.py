"""Suite for mart liquidity_weekly: one row per week (Wednesday), all amounts in $ billions."""

from __future__ import annotations

import great_expectations as gx
import polars as pl

from expectations import rules
from expectations.context import ContextSpec
from expectations.declaration import Suite
from expectations.marts import FACILITY_BN_BAND, LEVEL_BN_BAND, declared_columns, identity

DATASET = "liquidity_weekly"
KEY = ("week",)
ORDER_BY = "week"
# H.4.1 is every Wednesday.
MAX_GAP_DAYS = 7


def context() -> ContextSpec:
    """Weeks at most MAX_GAP_DAYS apart, none after as_of."""
    return ContextSpec(date_column="week", max_gap_days=MAX_GAP_DAYS)


def checks() -> dict[str, pl.Expr]:
    """Residual of the net-liquidity identity (WALCL - TGA - ON RRP, all Wednesday levels)."""
    recomputed = pl.col("total_assets_bn") - pl.col("tga_bn") - pl.col("on_rrp_bn")
    return {"chk_net_liquidity_residual_bn": pl.col("net_liquidity_bn") - recomputed}


def build_suite() -> gx.ExpectationSuite:
    """Rules for the weekly liquidity mart."""
    levels = ("total_assets_bn", "reserves_bn", "net_liquidity_bn", "reserves_wed_bn", "net_liquidity_h41_bn")
    return rules.suite(
        DATASET,
        [
            declared_columns(DATASET),
            rules.not_null_all(("week", "total_assets_bn")),
            rules.dates(["week"]),
            rules.unique_key(KEY),
            rules.ranges(
                rules.between_all(levels, *LEVEL_BN_BAND),
                rules.between_all(("on_rrp_bn", "tga_bn"), *FACILITY_BN_BAND),
                identity("chk_net_liquidity_residual_bn", "net_liquidity_bn = total_assets_bn - tga_bn - on_rrp_bn"),
            ),
            rules.batch_context("week", gaps=True),
        ],
    )


SUITE = Suite(dataset=DATASET, rules=build_suite, context=context, key=KEY, checks=checks, order_by=ORDER_BY)
