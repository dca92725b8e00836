"""Suite for mart dealer_positions_weekly: one row per FR 2004 as-of Wednesday; $ billions."""

from __future__ import annotations

import great_expectations as gx
import polars as pl

from expectations import rules
from expectations.context import ContextSpec
from expectations.declaration import Suite
from expectations.marts import identity
from expectations.nyfed_pd import KNOWN_GAPS, WEDNESDAY
from transforms import nyfed_pd
from transforms.dealers import SCHEMA

DATASET = "dealer_positions_weekly"
KEY = ("as_of_date",)
ORDER_BY = "as_of_date"
MAX_GAP_DAYS = 7
# Net positions in $ billions: the total reached ~$560bn in 2026 (recorded); +-$5tn is out of reach, while a value
# left in $ millions (x1000) is not.
NET_BN_BAND = (-5e3, 5e3)
# Financing and fails in $ billions: repo ~$1.8tn recorded in 2021-22; $20tn is the ceiling of sanity.
GROSS_BN_BAND = (0.0, 2e4)
# The published total is the sum of its parts in every complete week; the inputs are whole $ millions.
TOTAL_TOLERANCE_BN = 0.001
POSITIONS = tuple(
    c for c in SCHEMA if c.startswith("net_") and not c.endswith("_wow_bn") and c != "net_repo_financing_bn"
)
GROSS = (
    "repo_bn",
    "reverse_repo_bn",
    "securities_borrowed_bn",
    "securities_lent_bn",
    "fails_to_deliver_bn",
    "fails_to_receive_bn",
    "fails_total_bn",
    "transactions_bn",
)


def context() -> ContextSpec:
    """Weekly as-of dates (the recordings' reviewed holes exempt)."""
    return ContextSpec(date_column="as_of_date", max_gap_days=MAX_GAP_DAYS, known_gaps=KNOWN_GAPS)


def checks() -> dict[str, pl.Expr]:
    """Parts = published total where complete; fails total = deliver + receive; Wednesdays; coverage wording."""
    return {
        "chk_total_residual_bn": pl.col("components_sum_bn") - pl.col("net_total_bn"),
        "chk_fails_residual_bn": pl.col("fails_total_bn")
        - pl.col("fails_to_deliver_bn")
        - pl.col("fails_to_receive_bn"),
        "chk_wednesday": (pl.col("as_of_date").dt.weekday() == WEDNESDAY).cast(pl.Int8),
        "chk_coverage_known": ((pl.col("coverage") == "complete") == pl.col("components_sum_bn").is_not_null()).cast(
            pl.Int8
        ),
    }


def build_suite() -> gx.ExpectationSuite:
    """Rules for the weekly dealer positions mart."""
    return rules.suite(
        DATASET,
        [
            rules.columns_present(list(SCHEMA)),
            rules.not_null_all(("as_of_date", "coverage")),
            rules.dates(["as_of_date"]),
            rules.unique_key(KEY),
            rules.in_set("series_break", nyfed_pd.KNOWN_BREAKS),
            rules.ranges(
                rules.between_all(POSITIONS, *NET_BN_BAND),
                rules.between_all(GROSS, *GROSS_BN_BAND),
                identity(
                    "chk_total_residual_bn",
                    "components_sum_bn = net_total_bn (the published total)",
                    TOTAL_TOLERANCE_BN,
                ),
                identity(
                    "chk_fails_residual_bn",
                    "fails_total_bn = fails_to_deliver_bn + fails_to_receive_bn",
                    TOTAL_TOLERANCE_BN,
                ),
            ),
            rules.E.ExpectColumnValuesToBeInSet(
                column="chk_wednesday", value_set=[1], description="as_of_date: a Wednesday"
            ),
            rules.E.ExpectColumnValuesToBeInSet(
                column="chk_coverage_known",
                value_set=[1],
                description="coverage: complete exactly where components_sum_bn is set",
            ),
            rules.batch_context("as_of_date", gaps=True),
        ],
    )


SUITE = Suite(dataset=DATASET, rules=build_suite, context=context, key=KEY, checks=checks, order_by=ORDER_BY)
