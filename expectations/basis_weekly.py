"""Suite for mart basis_weekly: one row per report week and tenor (+ total); positions in contracts, $ billions."""

from __future__ import annotations

import great_expectations as gx
import polars as pl

from expectations import rules
from expectations.context import ContextSpec
from expectations.declaration import Suite
from expectations.marts import declared_columns, identity
from transforms import basis
from transforms.cftc import TENORS, TREASURY_CONTRACTS

DATASET = "basis_weekly"
KEY = ("report_date", "tenor")
ORDER_BY = "report_date"
# Weeks are every 7 days (the spine has no holes); a holiday-Monday report sits 6 days after the previous Tuesday.
MAX_GAP_DAYS = 8
# Net notional of one tenor or the total in $ billions: the record total net short is ~$1.2tn; $5tn either way is out
# of reach, while a notional left in dollars (x1e9) or in contracts cannot hide under it.
NET_BN_BAND = (-5e3, 5e3)
# Residual of notional = contracts x face value; rounding to 3 decimals ($1m) leaves at most 0.001.
NOTIONAL_TOLERANCE_BN = 0.01
COVERAGE_PREFIXES = (
    "reported",
    "tenor missing from the week's report",
    "gap: no TFF report loaded for this week",
    "partial: missing ",
)


def context() -> ContextSpec:
    """Report weeks per tenor, at most MAX_GAP_DAYS apart."""
    return ContextSpec(date_column="report_date", group_column="tenor", max_gap_days=MAX_GAP_DAYS)


def checks() -> dict[str, pl.Expr]:
    """Net = long - short; notional = contracts x face value (per tenor); coverage is one of the documented values."""
    faces = {tenor: face / basis.USD_PER_BN for tenor, face in TREASURY_CONTRACTS.values()}
    face = pl.col("tenor").replace_strict(faces, default=None, return_dtype=pl.Float64)
    return {
        "chk_lev_net_residual": pl.col("lev_net_contracts")
        - (pl.col("lev_long_contracts") - pl.col("lev_short_contracts")),
        "chk_lev_notional_residual_bn": pl.col("lev_net_notional_bn") - pl.col("lev_net_contracts") * face,
        "chk_coverage_known": pl.any_horizontal(pl.col("coverage").str.starts_with(p) for p in COVERAGE_PREFIXES).cast(
            pl.Int8
        ),
        "chk_reported_has_positions": (pl.col("coverage") != "reported") | pl.col("lev_net_contracts").is_not_null(),
    }


def build_suite() -> gx.ExpectationSuite:
    """Rules for the weekly basis-trade mart."""
    return rules.suite(
        DATASET,
        [
            declared_columns(DATASET),
            rules.not_null_all(("report_date", "tenor", "coverage", "stress_flag")),
            rules.dates(["report_date"]),
            rules.unique_key(KEY),
            rules.in_set("tenor", (*TENORS, basis.TOTAL)),
            rules.ranges(
                rules.at_least_all(("lev_long_contracts", "lev_short_contracts", "open_interest"), 0),
                rules.between_all(("lev_net_notional_bn", "am_net_notional_bn"), *NET_BN_BAND),
                rules.between_all(("lev_short_share_oi", "lev_net_pctile_since_2017"), 0, 1),
                identity("chk_lev_net_residual", "lev_net_contracts = lev_long_contracts - lev_short_contracts", 0),
                identity(
                    "chk_lev_notional_residual_bn",
                    "lev_net_notional_bn = lev_net_contracts x face value",
                    NOTIONAL_TOLERANCE_BN,
                ),
            ),
            rules.E.ExpectColumnValuesToBeInSet(
                column="chk_coverage_known", value_set=[1], description="coverage: one of the documented values"
            ),
            rules.E.ExpectColumnValuesToBeInSet(
                column="chk_reported_has_positions",
                value_set=[True],
                description="coverage reported: positions present",
            ),
            rules.batch_context("report_date", gaps=True),
        ],
    )


SUITE = Suite(dataset=DATASET, rules=build_suite, context=context, key=KEY, checks=checks, order_by=ORDER_BY)
