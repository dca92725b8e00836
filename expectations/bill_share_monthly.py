"""Suite for mart bill_share_monthly: one row per month, gross auction issuance and the bills' share of it."""

from __future__ import annotations

import great_expectations as gx
import polars as pl

from expectations import rules
from expectations.context import ContextSpec
from expectations.declaration import Suite
from expectations.marts import IDENTITY_TOLERANCE_BN, LEVEL_BN_BAND, declared_columns, identity

DATASET = "bill_share_monthly"
KEY = ("month",)
ORDER_BY = "month"
# Gross coupon + bill issuance is ~$2-3tn a month; $20tn catches USD left unscaled.
ISSUANCE_BN_BAND = LEVEL_BN_BAND


def context() -> ContextSpec:
    """Months, none after as_of; months without completed auctions simply have no row (no gap rule)."""
    return ContextSpec(date_column="month")


def checks() -> dict[str, pl.Expr]:
    """Residual of bill_share against bills_bn / gross_issuance_bn, scaled to $bn so one tolerance fits."""
    share = pl.col("bills_bn") / pl.col("gross_issuance_bn")
    return {"chk_bill_share_residual": (pl.col("bill_share") - share) * pl.col("gross_issuance_bn")}


def build_suite() -> gx.ExpectationSuite:
    """Rules for the monthly bill-share mart."""
    return rules.suite(
        DATASET,
        [
            declared_columns(DATASET),
            # bills_bn may be NULL: a month without a loaded bill result is missing data (the mart says so), not zero.
            # gross_issuance_bn too: NULL in a month whose auctions are not all loaded (`coverage` says so in the row).
            rules.not_null_all(("month", "auctions", "auctions_expected", "coverage")),
            rules.dates(["month"]),
            rules.unique_key(KEY),
            rules.ranges(
                rules.between_all(("gross_issuance_bn", "bills_bn", "soma_addon_bn"), *ISSUANCE_BN_BAND),
                # A share is a fraction: 0 (no bills) to 1 (only bills), never a percent.
                rules.between_all(["bill_share"], 0.0, 1.0),
                identity("chk_bill_share_residual", "bill_share = bills_bn / gross_issuance_bn", IDENTITY_TOLERANCE_BN),
            ),
            rules.batch_context("month", gaps=False, also=[("bills_bn", "gross_issuance_bn")]),
        ],
    )


SUITE = Suite(dataset=DATASET, rules=build_suite, context=context, key=KEY, checks=checks, order_by=ORDER_BY)
