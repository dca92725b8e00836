"""Suite for raw.ofr_stfm: OFR repo series, one row per (mnemonic, trade date); rates in percent, volumes in USD."""

from __future__ import annotations

import great_expectations as gx
import polars as pl

from expectations import rules
from expectations.context import ContextSpec
from expectations.declaration import Suite
from transforms import ofr_stfm

DATASET = "ofr_stfm"
KEY = ofr_stfm.KEY
ORDER_BY = "date"
# Overnight repo rates in percent.
RATE_PCT_BAND = (-1.0, 25.0)
# Daily transaction volume of one segment in USD: DVP, the largest, trades a few $tn a day (SOFR, which covers it,
# was ~$2.5-3tn in 2025-26, NY Fed); $20tn (2e13) is out of reach, and a volume sent in $ billions (< 1e5) cannot
# pass the floor of $100m (1e8).
VOLUME_USD_BAND = (1e8, 2e13)
# Business days: a weekend and a holiday leave at most 5 calendar days between trade dates.
MAX_GAP_DAYS = 5


def context() -> ContextSpec:
    """Trade dates per mnemonic, business-daily; completeness per mnemonic."""
    return ContextSpec(date_column="date", group_column="mnemonic", max_gap_days=MAX_GAP_DAYS, value_columns=("value",))


def checks() -> dict[str, pl.Expr]:
    """The value split by measure, so each gets its own band."""
    return {
        "chk_rate_pct": pl.when(pl.col("measure") == "AR").then(pl.col("value")),
        "chk_volume_usd": pl.when(pl.col("measure") == "TV").then(pl.col("value")),
    }


def build_suite() -> gx.ExpectationSuite:
    """Rules for a batch of OFR repo series."""
    return rules.suite(
        DATASET,
        [
            rules.columns_present(list(ofr_stfm.SCHEMA)),
            rules.not_null_all((*KEY, "segment", "measure", "tenor", "vintage")),
            rules.dates(["date"]),
            rules.numeric_all(["value"]),
            rules.unique_key(KEY),
            rules.in_set("segment", ofr_stfm.SEGMENTS),
            rules.in_set("vintage", ofr_stfm.VINTAGES),
            rules.in_set("measure", ("AR", "TV")),
            rules.ranges(
                rules.between_all(["chk_rate_pct"], *RATE_PCT_BAND),
                rules.between_all(["chk_volume_usd"], *VOLUME_USD_BAND),
            ),
            rules.batch_context("date", gaps=True),
        ],
    )


SUITE = Suite(dataset=DATASET, rules=build_suite, context=context, key=KEY, checks=checks, order_by=ORDER_BY)
