"""Shared thresholds and rule builders for the mart suites (amounts in $ billions, rates in percent)."""

from __future__ import annotations

import polars as pl
from great_expectations.expectations import Expectation

from expectations import rules
from transforms.marts_registry import MARTS

# Balance-sheet levels in $ billions: WALCL peaked at ~$8,965bn; $20tn is the ceiling of sanity and an
# unscaled $ millions value (thousands of times larger) cannot hide under it.
LEVEL_BN_BAND = (0.0, 2e4)
# ON RRP and TGA in $ billions: records ~$2,554bn and ~$1,816bn.
FACILITY_BN_BAND = (0.0, 5e3)
# Identities are recomputed from the mart's own columns; half a billion absorbs rounding to 0.1 bn.
IDENTITY_TOLERANCE_BN = 0.5
# Overnight rates in percent.
RATE_PCT_BAND = (-1.0, 25.0)


def declared_columns(mart: str) -> list[Expectation]:
    """`<column>: present` for every column the mart's registry entry declares (transforms.marts_registry)."""
    return rules.columns_present(MARTS[mart].schema)


def identity(check: str, text: str, tolerance: float = IDENTITY_TOLERANCE_BN) -> Expectation:
    """`<text> (+-tolerance)`: the chk_* residual column stays within +-tolerance (nulls skip)."""
    return rules.E.ExpectColumnValuesToBeBetween(
        column=check, min_value=-tolerance, max_value=tolerance, description=f"{text} (+-{tolerance:g})"
    )


def previous(column: str) -> pl.Expr:
    """The column's value on the previous row (the runner sorts marts by their date first)."""
    return pl.col(column).shift(1)
