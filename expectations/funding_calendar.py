"""Suite for mart funding_calendar: one row per Fed business day; flags, settlement amounts in $ billions, bp."""

from __future__ import annotations

import great_expectations as gx
import polars as pl

from expectations import rules
from expectations.context import ContextSpec
from expectations.declaration import Suite
from expectations.marts import FACILITY_BN_BAND, declared_columns
from transforms.funding_calendar import SCHEMA

DATASET = "funding_calendar"
KEY = ("date",)
ORDER_BY = "date"
FLAGS = tuple(c for c in SCHEMA if c.startswith("is_"))
# Business days: a weekend plus a holiday is at most 4 calendar days apart (Friday -> Tuesday); 5 leaves one spare.
MAX_GAP_DAYS = 5
# Treasury settlement in one day, $ billions: the heaviest days settle a few hundred billion (bills + coupons at
# month-end); $2tn is out of reach, a $ millions slip is not.
SETTLEMENT_BN_BAND = (0.0, 2e3)
NET_SETTLEMENT_BN_BAND = (-2e3, 2e3)
TGA_CHANGE_BN_BAND = (-1e3, 1e3)


def context() -> ContextSpec:
    """Business days at most MAX_GAP_DAYS apart."""
    return ContextSpec(date_column="date", max_gap_days=MAX_GAP_DAYS)


def checks() -> dict[str, pl.Expr]:
    """Weekdays only; each month has exactly one month-end (complete months: the first and last may be partial)."""
    month = pl.col("date").dt.truncate("1mo")
    inner = (month > month.min()) & (month < month.max())
    return {
        "chk_weekday": (pl.col("date").dt.weekday() <= 5).cast(pl.Int8),
        "chk_month_ends_in_month": pl.when(inner).then(pl.col("is_month_end").sum().over(month)),
    }


def build_suite() -> gx.ExpectationSuite:
    """Rules for the funding calendar mart."""
    return rules.suite(
        DATASET,
        [
            declared_columns(DATASET),
            rules.not_null_all(("date", *FLAGS)),
            rules.dates(["date"]),
            rules.unique_key(KEY),
            rules.ranges(
                rules.between_all(["settlement_gross_bn"], *SETTLEMENT_BN_BAND),
                rules.between_all(["settlement_net_bn"], *NET_SETTLEMENT_BN_BAND),
                rules.between_all(["on_rrp_bn"], *FACILITY_BN_BAND),
                rules.between_all(["srf_takeup_bn"], 0, 1e3),
                rules.between_all(["tga_change_bn"], *TGA_CHANGE_BN_BAND),
            ),
            rules.E.ExpectColumnValuesToBeInSet(column="chk_weekday", value_set=[1], description="date: a weekday"),
            rules.E.ExpectColumnValuesToBeInSet(
                column="chk_month_ends_in_month",
                value_set=[1],
                description="is_month_end: exactly one per complete month",
            ),
            rules.batch_context(
                "date",
                gaps=True,
                also=[
                    ("is_quarter_end", "is_month_end", "is_quarter_end: implies is_month_end"),
                    ("is_year_end", "is_quarter_end", "is_year_end: implies is_quarter_end"),
                ],
            ),
        ],
    )


SUITE = Suite(dataset=DATASET, rules=build_suite, context=context, key=KEY, checks=checks, order_by=ORDER_BY)
