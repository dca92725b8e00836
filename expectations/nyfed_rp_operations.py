"""Suite for raw.nyfed_rp_operations: one row per operation_id; amounts in USD, award rate in percent."""

from __future__ import annotations

import great_expectations as gx

from expectations import rules
from expectations.context import ContextSpec
from expectations.declaration import Suite
from transforms.registry import DATASETS

DATASET = "nyfed_rp_operations"
KEY = DATASETS["nyfed_rp_operations"].key
AMOUNT_COLUMNS = ("total_amt_submitted_usd", "total_amt_accepted_usd")
DATE_COLUMNS = ("operation_date", "settlement_date", "maturity_date")

# Amounts in USD: ON RRP peaked at $2.55tn (2.55e12); $10tn (1e13) is out of reach for one operation, while an
# amount accidentally scaled x1000 lands far above it.
AMOUNT_USD_MAX = 1e13
# Award / weighted-average rates in percent.
RATE_PCT_BAND = (-1.0, 25.0)


def context() -> ContextSpec:
    """Operations are dated by operation_date; no gap rule (repo operations were not held every day)."""
    return ContextSpec(date_column="operation_date", value_columns=AMOUNT_COLUMNS)


def build_suite() -> gx.ExpectationSuite:
    """Rules for a batch of repo and reverse-repo operation results."""
    return rules.suite(
        DATASET,
        [
            rules.columns_present(
                (
                    "operation_id",
                    *DATE_COLUMNS,
                    "operation_type",
                    "term_calendar_days",
                    "participating_cpty",
                    "accepted_cpty",
                    *AMOUNT_COLUMNS,
                    "award_rate_pct",
                )
            ),
            rules.not_null_all(("operation_id", "operation_date", "operation_type")),
            rules.dates_all(DATE_COLUMNS),
            rules.numeric_all((*AMOUNT_COLUMNS, "award_rate_pct", "term_calendar_days")),
            rules.unique_key(KEY),
            rules.in_set("operation_type", ["Repo", "Reverse Repo"]),
            rules.ranges(
                rules.at_least_all((*AMOUNT_COLUMNS, "participating_cpty", "accepted_cpty"), 0.0),
                rules.between_all(AMOUNT_COLUMNS, 0.0, AMOUNT_USD_MAX),
                rules.between_all(["award_rate_pct"], *RATE_PCT_BAND),
            ),
            rules.batch_context(
                "operation_date",
                gaps=False,
                also=[
                    ("total_amt_accepted_usd", "total_amt_submitted_usd"),
                    ("accepted_cpty", "participating_cpty"),
                    ("operation_date", "settlement_date"),
                    ("settlement_date", "maturity_date"),
                ],
            ),
        ],
    )


SUITE = Suite(dataset=DATASET, rules=build_suite, context=context, key=KEY)
