"""Suite for mart reserves_weekly: one row per H.4.1 Wednesday, factor levels and the week's attribution, $ bn."""

from __future__ import annotations

import great_expectations as gx
import polars as pl

from expectations import rules
from expectations.context import ContextSpec
from expectations.declaration import Suite
from expectations.marts import LEVEL_BN_BAND, declared_columns, identity
from transforms.reserves import FACTORS, LEVELS, contribution_column

DATASET = "reserves_weekly"
KEY = ("week",)
ORDER_BY = "week"
# H.4.1 is every Wednesday.
MAX_GAP_DAYS = 7
# Each H.4.1 line is published rounded to $1 million, so reserves = supplying - absorbing can miss by up to
# $1.5 million of rounding (three lines); the release says "components may not sum to totals because of rounding".
# $0.005 bn ($5 million) allows that and nothing a data error would produce.
FRED_ROUNDING_BN = 0.005
# Eleven rounded lines enter the attribution (each change of two rounded levels): $0.02 bn covers their rounding.
ATTRIBUTION_ROUNDING_BN = 0.02


def context() -> ContextSpec:
    """Weeks at most MAX_GAP_DAYS apart, none after as_of."""
    return ContextSpec(date_column="week", max_gap_days=MAX_GAP_DAYS)


def checks() -> dict[str, pl.Expr]:
    """Residual of the attribution: the factors' contributions minus the change of reserves."""
    contributions = pl.sum_horizontal(pl.col(contribution_column(c)) for c in FACTORS)
    complete = pl.all_horizontal(pl.col(contribution_column(c)).is_not_null() for c in FACTORS)
    residual = pl.when(complete).then(contributions - pl.col("reserves_change_bn"))
    return {"chk_attribution_residual_bn": residual}


def build_suite() -> gx.ExpectationSuite:
    """Rules for the weekly reserves mart: the H.4.1 identity to FRED's rounding, the attribution adds up."""
    return rules.suite(
        DATASET,
        [
            declared_columns(DATASET),
            rules.not_null_all(("week",)),
            rules.dates(["week"]),
            rules.unique_key(KEY),
            rules.ranges(
                rules.between_all(LEVELS, *LEVEL_BN_BAND),
                identity(
                    "identity_residual_bn",
                    "reserves_bn = factors_supplying_bn - factors_absorbing_bn",
                    FRED_ROUNDING_BN,
                ),
                identity(
                    "chk_attribution_residual_bn", "sum of *_contrib_bn = reserves_change_bn", ATTRIBUTION_ROUNDING_BN
                ),
            ),
            rules.batch_context("week", gaps=True),
        ],
    )


SUITE = Suite(dataset=DATASET, rules=build_suite, context=context, key=KEY, checks=checks, order_by=ORDER_BY)
