"""Suite for raw.treasury_auctions: one row per (cusip, auction_date); amounts in USD, rates in percent."""

from __future__ import annotations

import great_expectations as gx

from expectations import rules
from expectations.context import ContextSpec
from expectations.declaration import Suite
from transforms.registry import DATASETS

DATASET = "treasury_auctions"
KEY = DATASETS["treasury_auctions"].key

AMOUNT_COLUMNS = (
    "offering_amt",
    "total_tendered",
    "total_accepted",
    "primary_dealer_accepted",
    "direct_bidder_accepted",
    "indirect_bidder_accepted",
    "soma_accepted",
    "soma_tendered",
    "soma_holdings",
    "fima_noncomp_accepted",
    "comp_accepted",
    "noncomp_accepted",
)
RATE_COLUMNS = ("bid_to_cover_ratio", "high_yield", "high_discnt_rate", "high_investment_rate", "int_rate")
DATE_COLUMNS = ("auction_date", "issue_date", "maturity_date")

# Bid-to-cover below 1 means the auction failed (never happened for a Treasury); bills run ~2.5-3.5 and
# coupons ~2.3-2.8, so above 10 means a tendered/accepted unit mismatch.
BID_TO_COVER_BAND = (1.0, 10.0)
# Offering sizes in USD: the smallest marketable offering is billions, the largest bill ~$100bn+. An offering
# stated in $ millions reads < 1e6 and one scaled twice reads > 1e12, so [$100mn, $1tn] catches a x1000 slip.
OFFERING_USD_BAND = (1e8, 1e12)
# Yields and discount rates in percent (bills can print at 0, never much below; nothing near 25%).
RATE_PCT_BAND = (-1.0, 25.0)


# Treasury announces auctions up to about four weeks ahead (a 30-year bond is announced ~a week before, the weekly
# bills days before, some coupons ~a month); the flow asks 30 days past as-of, so rows up to 35 days out are legit.
ANNOUNCEMENT_LEAD_DAYS = 35


def context() -> ContextSpec:
    """Auctions are dated by auction_date, announced ones up to ANNOUNCEMENT_LEAD_DAYS after as_of; no gap rule
    (auctions follow Treasury's calendar, not a frequency)."""
    return ContextSpec(
        date_column="auction_date",
        as_of_lead_days=ANNOUNCEMENT_LEAD_DAYS,
        value_columns=("offering_amt", "total_accepted", "bid_to_cover_ratio"),
    )


def build_suite() -> gx.ExpectationSuite:
    """Rules for a batch of auction results (Fiscal Data auctions_query, API field names)."""
    return rules.suite(
        DATASET,
        [
            rules.columns_present(
                ("cusip", "security_type", "security_term", *DATE_COLUMNS, *AMOUNT_COLUMNS, *RATE_COLUMNS)
            ),
            rules.not_null_all(KEY),
            rules.dates_all(DATE_COLUMNS),
            rules.numeric_all((*AMOUNT_COLUMNS, *RATE_COLUMNS)),
            rules.unique_key(KEY),
            rules.in_set("security_type", ["Bill", "Note", "Bond", "TIPS", "FRN", "CMB"]),
            rules.ranges(
                rules.at_least_all(AMOUNT_COLUMNS, 0.0),
                rules.between_all(["offering_amt"], *OFFERING_USD_BAND),
                rules.between_all(["bid_to_cover_ratio"], *BID_TO_COVER_BAND),
                rules.between_all([c for c in RATE_COLUMNS if c != "bid_to_cover_ratio"], *RATE_PCT_BAND),
            ),
            rules.batch_context(
                "auction_date", gaps=False, also=[("auction_date", "issue_date"), ("issue_date", "maturity_date")]
            ),
        ],
    )


SUITE = Suite(dataset=DATASET, rules=build_suite, context=context, key=KEY)
