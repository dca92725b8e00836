"""Suite for mart treasury_cash_daily: one row per DTS day, the TGA beside the debt-limit regime and the assumed
end-of-quarter cash, $ billions."""

from __future__ import annotations

import great_expectations as gx
import polars as pl

from expectations import rules
from expectations.context import ContextSpec
from expectations.declaration import Suite
from expectations.marts import FACILITY_BN_BAND, declared_columns, identity

DATASET = "treasury_cash_daily"
KEY = ("date",)
ORDER_BY = "date"
# One statement per business day: a weekend plus a holiday is at most 5 days (as marts.tga_daily).
MAX_GAP_DAYS = 5
REGIMES = ("suspended", "limit_in_force", "extraordinary_measures")


def context() -> ContextSpec:
    """Business days at most MAX_GAP_DAYS apart, none after as_of."""
    return ContextSpec(date_column="date", max_gap_days=MAX_GAP_DAYS)


def checks() -> dict[str, pl.Expr]:
    """Residual of the quarter-end gap against its parts (null on other days)."""
    return {"chk_gap_residual_bn": pl.col("gap_to_assumption_bn") - (pl.col("tga_bn") - pl.col("assumed_cash_bn"))}


def build_suite() -> gx.ExpectationSuite:
    """Rules for the Treasury cash context mart."""
    return rules.suite(
        DATASET,
        [
            declared_columns(DATASET),
            rules.not_null_all(("date", "tga_bn", "quarter_end", "is_quarter_end")),
            rules.dates(["date", "debt_limit_since", "quarter_end"]),
            rules.unique_key(KEY),
            rules.in_set("debt_limit_regime", REGIMES),
            rules.ranges(
                rules.between_all(["tga_bn", "assumed_cash_bn", "reported_cash_bn"], *FACILITY_BN_BAND),
                identity("chk_gap_residual_bn", "gap_to_assumption_bn = tga_bn - assumed_cash_bn"),
            ),
            rules.batch_context("date", gaps=True),
        ],
    )


SUITE = Suite(dataset=DATASET, rules=build_suite, context=context, key=KEY, checks=checks, order_by=ORDER_BY)
