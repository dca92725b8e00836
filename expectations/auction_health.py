"""Suite for mart auction_health: one row per auction (cusip, auction_date); amounts in $bn, rates in percent."""

from __future__ import annotations

import great_expectations as gx

from expectations import rules
from expectations.context import ContextSpec
from expectations.declaration import Suite
from expectations.marts import RATE_PCT_BAND, declared_columns
from expectations.treasury_auctions import BID_TO_COVER_BAND

DATASET = "auction_health"
KEY = ("cusip", "auction_date")
# Offerings in $ billions: $0.1bn..$1tn (the raw USD band divided by 1e9); USD left unscaled lands far above.
OFFERING_BN_BAND = (0.1, 1e3)
SECURITY_CLASSES = ("bill", "nominal", "TIPS", "FRN", "CMB")


def context() -> ContextSpec:
    """Auctions dated by auction_date, none after as_of; no gap rule."""
    return ContextSpec(date_column="auction_date")


def build_suite() -> gx.ExpectationSuite:
    """Rules for the auction-health mart."""
    return rules.suite(
        DATASET,
        [
            declared_columns(DATASET),
            rules.not_null_all((*KEY, "security_type", "security_class")),
            rules.in_set("security_class", SECURITY_CLASSES),
            rules.dates(["auction_date"]),
            rules.unique_key(KEY),
            rules.ranges(
                rules.between_all(["offering_bn"], *OFFERING_BN_BAND),
                rules.between_all(["bid_to_cover"], *BID_TO_COVER_BAND),
                rules.between_all(["high_yield_pct"], *RATE_PCT_BAND),
            ),
            rules.batch_context("auction_date", gaps=False),
        ],
    )


SUITE = Suite(dataset=DATASET, rules=build_suite, context=context, key=KEY)
