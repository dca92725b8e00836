"""Suite for mart rmp_rounds: one row per announced reserve-management purchase round, $ billions."""

from __future__ import annotations

import great_expectations as gx
import polars as pl

from expectations import rules
from expectations.context import ContextSpec
from expectations.declaration import Suite
from expectations.marts import declared_columns

DATASET = "rmp_rounds"
KEY = ("round",)
ORDER_BY = "window_from"
# A monthly round buys tens of billions; $500bn in one window would be a unit slip, not a purchase.
ROUND_BN_BAND = (-500.0, 500.0)
# Attainment of a round that is measured at all: far outside [−1, 3] the window or the amount is wrong.
ATTAINMENT_BAND = (-1.0, 3.0)
STATUSES = ("complete", "in_progress", "not_started")


def context() -> ContextSpec:
    """Rounds are not a time series with a fixed step: no gap rule, none after as_of."""
    return ContextSpec(date_column="window_from")


def checks() -> dict[str, pl.Expr]:
    """The measure starts before the window and ends on or before its close."""
    return {
        "chk_start_before_window": pl.col("start_wednesday") < pl.col("window_from"),
        "chk_end_within_window": pl.col("end_wednesday").is_null() | (pl.col("end_wednesday") <= pl.col("window_to")),
    }


def build_suite() -> gx.ExpectationSuite:
    """Rules for the RMP rounds mart."""
    growth = ("securities_growth_bn", "treasury_growth_bn", "mbs_change_bn", "bills_growth_bn")
    return rules.suite(
        DATASET,
        [
            declared_columns(DATASET),
            rules.not_null_all(("round", "window_from", "window_to", "start_wednesday", "status")),
            rules.dates(["window_from", "window_to", "start_wednesday", "end_wednesday"]),
            rules.unique_key(KEY),
            rules.in_set("status", STATUSES),
            rules.in_set("chk_start_before_window", [True]),
            rules.in_set("chk_end_within_window", [True]),
            rules.ranges(
                rules.between_all(growth, *ROUND_BN_BAND),
                rules.between_all(["attainment"], *ATTAINMENT_BAND),
            ),
        ],
    )


SUITE = Suite(dataset=DATASET, rules=build_suite, context=context, key=KEY, checks=checks, order_by=ORDER_BY)
