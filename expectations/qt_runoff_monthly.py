"""Suite for mart qt_runoff_monthly: one row per calendar month; holdings, runoff and caps in $ billions."""

from __future__ import annotations

import great_expectations as gx
import polars as pl

from expectations import rules
from expectations.context import ContextSpec
from expectations.declaration import Suite
from expectations.marts import LEVEL_BN_BAND, declared_columns, identity, previous

DATASET = "qt_runoff_monthly"
KEY = ("month",)
ORDER_BY = "month"
# Consecutive months are at most 31 days apart.
MAX_GAP_DAYS = 31
# Monthly runoff in $ billions: the largest cap was $60bn (UST, 2022-09..2024-05), so $500bn a month is out of
# reach; purchases read as negative runoff (March 2020: UST holdings up $838bn in the month), $2tn is twice that.
# A runoff left in $ millions lands thousands of times outside.
RUNOFF_BN_BAND = (-2e3, 5e2)
# Caps in $ billions: at most $60bn (UST) and $35bn (MBS).
CAP_BN_BAND = (0.0, 100.0)
# Treasury redemptions may exceed the fall in holdings by the TIPS inflation accretion (~$1-2bn a month;
# June 2025: ~$5bn redeemed, holdings down ~$3.8bn). $5bn of slack covers that and nothing more.
UST_RUNOFF_SLACK_BN = 5.0


def context() -> ContextSpec:
    """Months at most MAX_GAP_DAYS apart, none after as_of."""
    return ContextSpec(date_column="month", max_gap_days=MAX_GAP_DAYS)


def checks() -> dict[str, pl.Expr]:
    """Runoff beyond what the fall in Treasury holdings allows, and the total-runoff identity residual."""
    holdings_fall = (previous("ust_holdings_bn") - pl.col("ust_holdings_bn")).clip(lower_bound=0)
    return {
        "chk_ust_runoff_excess_bn": pl.col("ust_runoff_bn") - holdings_fall,
        "chk_total_runoff_residual_bn": pl.col("total_runoff_bn") - pl.col("ust_runoff_bn") - pl.col("mbs_runoff_bn"),
    }


def build_suite() -> gx.ExpectationSuite:
    """Rules for the monthly QT runoff mart."""
    holdings = ("ust_holdings_bn", "mbs_holdings_bn")
    runoffs = ("ust_runoff_bn", "mbs_runoff_bn", "total_runoff_bn")
    return rules.suite(
        DATASET,
        [
            declared_columns(DATASET),
            rules.not_null_all(("month", *holdings)),
            rules.dates(["month"]),
            rules.unique_key(KEY),
            rules.ranges(
                rules.between_all(holdings, *LEVEL_BN_BAND),
                rules.between_all(runoffs, *RUNOFF_BN_BAND),
                rules.between_all(("ust_cap_bn", "mbs_cap_bn"), *CAP_BN_BAND),
                rules.E.ExpectColumnValuesToBeBetween(
                    column="chk_ust_runoff_excess_bn",
                    max_value=UST_RUNOFF_SLACK_BN,
                    description=f"ust_runoff_bn: <= fall in ust_holdings_bn + {UST_RUNOFF_SLACK_BN:g} (TIPS accretion)",
                ),
                identity("chk_total_runoff_residual_bn", "total_runoff_bn = ust_runoff_bn + mbs_runoff_bn"),
            ),
            rules.batch_context("month", gaps=True),
        ],
    )


SUITE = Suite(dataset=DATASET, rules=build_suite, context=context, key=KEY, checks=checks, order_by=ORDER_BY)
