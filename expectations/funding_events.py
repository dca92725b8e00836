"""Suite for mart funding_events: one row per day on which at least one signal fired."""

from __future__ import annotations

import great_expectations as gx
import polars as pl

from expectations import rules
from expectations.context import ContextSpec
from expectations.declaration import Suite
from transforms.funding_events import SCHEMA, SIGNALS

DATASET = "funding_events"
KEY = ("date",)
ORDER_BY = "date"


def context() -> ContextSpec:
    """Event days are sparse: no gap rule."""
    return ContextSpec(date_column="date")


def checks() -> dict[str, pl.Expr]:
    """n_signals counts the named signals, every name is a documented signal."""
    names = pl.col("signals").str.split(", ")
    return {
        "chk_count_matches": (names.list.len() == pl.col("n_signals")).cast(pl.Int8),
        "chk_known_signals": names.list.eval(pl.element().is_in(list(SIGNALS))).list.all().cast(pl.Int8),
    }


def build_suite() -> gx.ExpectationSuite:
    """Rules for the funding events mart."""
    return rules.suite(
        DATASET,
        [
            rules.columns_present(list(SCHEMA)),
            rules.not_null_all(("date", "signals", "n_signals", "severity")),
            rules.dates(["date"]),
            rules.unique_key(KEY),
            rules.in_set("severity", ("low", "medium", "high")),
            rules.ranges(rules.between_all(["n_signals"], 1, len(SIGNALS))),
            rules.E.ExpectColumnValuesToBeInSet(
                column="chk_count_matches", value_set=[1], description="n_signals: the number of signals named"
            ),
            rules.E.ExpectColumnValuesToBeInSet(
                column="chk_known_signals", value_set=[1], description="signals: documented names only"
            ),
            rules.batch_context("date", gaps=False),
        ],
    )


SUITE = Suite(dataset=DATASET, rules=build_suite, context=context, key=KEY, checks=checks, order_by=ORDER_BY)
