"""Suite for raw.dts_operating_cash_balance: one row per (record_date, account_type); balances in $ millions."""

from __future__ import annotations

import great_expectations as gx

from expectations import rules
from expectations.context import ContextSpec
from expectations.declaration import Suite
from transforms.registry import DATASETS

DATASET = "dts_operating_cash_balance"
KEY = DATASETS["dts_operating_cash_balance"].key
BALANCE_COLUMNS = ("open_today_bal", "close_today_bal", "open_month_bal", "open_fiscal_year_bal")

# Daily balances and flows in $ millions: TGA record ~1.04e6 ($1.04tn), largest daily flow ~5.8e5. $5tn (5e6)
# is 5x the record, and the smallest non-zero real entry (9,152) x1000 lands above it.
DAY_MN_BAND = (0.0, 5e6)
# Month- and fiscal-year-to-date totals in $ millions: FY deposits reach ~3.7e7 ($37tn); $100tn leaves room.
TO_DATE_MN_BAND = (0.0, 1e8)
# One statement per business day: a weekend plus a holiday is at most 5 calendar days between record dates.
MAX_GAP_DAYS = 5


def context() -> ContextSpec:
    """Record dates over the whole batch (account labels changed 2022-04-18), at most MAX_GAP_DAYS apart;
    completeness per account."""
    return ContextSpec(
        date_column="record_date",
        max_gap_days=MAX_GAP_DAYS,
        coverage_column="account_type",
        value_columns=("open_today_bal", "close_today_bal"),
    )


def build_suite() -> gx.ExpectationSuite:
    """Rules for a batch of Daily Treasury Statement Table I rows."""
    return rules.suite(
        DATASET,
        [
            rules.columns_present((*KEY, *BALANCE_COLUMNS)),
            rules.not_null_all((*KEY, "open_today_bal")),
            rules.dates(["record_date"]),
            rules.numeric_all(BALANCE_COLUMNS),
            rules.unique_key(KEY),
            rules.ranges(
                rules.between_all(("open_today_bal", "close_today_bal"), *DAY_MN_BAND),
                rules.between_all(("open_month_bal", "open_fiscal_year_bal"), *TO_DATE_MN_BAND),
            ),
            rules.batch_context("record_date", gaps=True),
        ],
    )


SUITE = Suite(dataset=DATASET, rules=build_suite, context=context, key=KEY)
