"""Suite for raw.nyfed_pd: NY Fed Primary Dealer Statistics, one row per (keyid, as-of Wednesday); $ millions."""

from __future__ import annotations

from datetime import date

import great_expectations as gx
import polars as pl

from expectations import rules
from expectations.context import ContextSpec, KnownGap
from expectations.declaration import Suite
from transforms import nyfed_pd

DATASET = "nyfed_pd"
KEY = nyfed_pd.KEY
ORDER_BY = "as_of_date"
# $ millions. The largest series are dealers' repo financing (securities out, ~1.8e6 = $1.8tn in 2021-22, recorded)
# and weekly transaction volumes (~7e5); net positions reached ~5.5e5 in 2025-26. $10tn (1e7) either way is out of
# reach, while a value landed in dollars (x1e6) or thousands (x1e3 of the largest) is not.
VALUE_MN_BAND = (-1e7, 1e7)
# Weekly, as of Wednesday: a key id's as-of dates are 7 days apart.
MAX_GAP_DAYS = 7
WEDNESDAY = 3  # polars dt.weekday(): Monday=1
# Reviewed holes of the bundled recordings (replay/PROVENANCE.md): the NY Fed published every week in between; a live
# run fills them.
KNOWN_GAPS = (
    KnownGap(date(2022, 2, 16), date(2025, 3, 26), "recordings: 2021-12..2022-02 excerpt, then the 2025 extract"),
    KnownGap(date(2025, 4, 16), date(2026, 3, 25), "recording: extract of 2025-03..04 and 2026-03..04 weeks only"),
)


def context() -> ContextSpec:
    """As-of dates per key id, weekly; completeness per key id (a held value may not come back suppressed)."""
    return ContextSpec(
        date_column="as_of_date",
        group_column="keyid",
        max_gap_days=MAX_GAP_DAYS,
        known_gaps=KNOWN_GAPS,
        value_columns=("value_mn",),
    )


def checks() -> dict[str, pl.Expr]:
    """A suppressed cell has no value and every other cell has one; as-of dates are Wednesdays (1 = fine)."""
    return {
        "chk_suppressed_is_null": (pl.col("suppressed") == pl.col("value_mn").is_null()).cast(pl.Int8),
        "chk_wednesday": (pl.col("as_of_date").dt.weekday() == WEDNESDAY).cast(pl.Int8),
    }


def build_suite() -> gx.ExpectationSuite:
    """Rules for a batch of primary dealer statistics."""
    return rules.suite(
        DATASET,
        [
            rules.columns_present(list(nyfed_pd.SCHEMA)),
            rules.not_null_all((*KEY, "suppressed")),
            rules.dates(["as_of_date"]),
            rules.numeric_all(["value_mn"]),
            rules.unique_key(KEY),
            rules.in_set("series_break", nyfed_pd.KNOWN_BREAKS),
            rules.ranges(rules.between_all(["value_mn"], *VALUE_MN_BAND)),
            rules.E.ExpectColumnValuesToBeInSet(
                column="chk_suppressed_is_null",
                value_set=[1],
                description="value_mn: NULL exactly where the week is suppressed ('*')",
            ),
            rules.E.ExpectColumnValuesToBeInSet(
                column="chk_wednesday",
                value_set=[1],
                description="as_of_date: a Wednesday (FR 2004 reports as of Wednesday)",
            ),
            rules.batch_context("as_of_date", gaps=True),
        ],
    )


SUITE = Suite(dataset=DATASET, rules=build_suite, context=context, key=KEY, checks=checks, order_by=ORDER_BY)
