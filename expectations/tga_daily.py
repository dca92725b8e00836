"""Suite for mart tga_daily: one row per business day, TGA closing balance and its change in $ billions."""

from __future__ import annotations

import great_expectations as gx
import polars as pl

from expectations import rules
from expectations.context import ContextSpec
from expectations.declaration import Suite
from expectations.marts import FACILITY_BN_BAND, declared_columns, identity, previous

DATASET = "tga_daily"
KEY = ("date",)
ORDER_BY = "date"
# One statement per business day: a weekend plus a holiday is at most 5 days.
MAX_GAP_DAYS = 5


def context() -> ContextSpec:
    """Business days at most MAX_GAP_DAYS apart, none after as_of."""
    return ContextSpec(date_column="date", max_gap_days=MAX_GAP_DAYS)


def checks() -> dict[str, pl.Expr]:
    """Residual of tga_change_bn against the previous row's balance."""
    return {"chk_tga_change_residual_bn": pl.col("tga_change_bn") - (pl.col("tga_bn") - previous("tga_bn"))}


def build_suite() -> gx.ExpectationSuite:
    """Rules for the daily TGA mart."""
    return rules.suite(
        DATASET,
        [
            declared_columns(DATASET),
            rules.not_null_all(("date", "tga_bn")),
            rules.dates(["date"]),
            rules.unique_key(KEY),
            rules.ranges(
                rules.between_all(["tga_bn"], *FACILITY_BN_BAND),
                identity("chk_tga_change_residual_bn", "tga_change_bn = tga_bn - previous tga_bn"),
            ),
            rules.batch_context("date", gaps=True),
        ],
    )


SUITE = Suite(dataset=DATASET, rules=build_suite, context=context, key=KEY, checks=checks, order_by=ORDER_BY)
