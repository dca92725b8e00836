"""What a suite module declares: one `SUITE = Suite(...)`, read by the runner through typed fields.

`expectations/<dataset>.py` keeps its rules and constants as functions and names; its `SUITE` points to them:

    SUITE = Suite(DATASET, build_suite, context, key=KEY, checks=checks, order_by=ORDER_BY)

`expectations.suites` finds the module through the source and mart registries and refuses one whose `SUITE` is
missing or declares another dataset.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import great_expectations as gx
import polars as pl

from expectations.context import ContextSpec


@dataclass(frozen=True)
class Suite:
    """One dataset's (or mart's) suite: its GX rules, the context columns they read, the batch's key, and the
    per-row check columns (mart identities, per-group regexes) added to a batch sorted by `order_by`."""

    dataset: str  # = the table name, and the module's name
    rules: Callable[[], gx.ExpectationSuite]  # the GX suite (rules.suite(...)), built from constants
    context: Callable[[], ContextSpec]  # date, group and gap columns of the ctx_* columns; completeness groups
    key: tuple[str, ...] = ()  # a bad row is shown by these columns
    checks: Callable[[], Mapping[str, pl.Expr]] | None = None  # chk_* column -> polars expression
    order_by: str | None = None  # the batch is sorted by it before the checks (a previous row's value)

    def __post_init__(self) -> None:
        """Checks come with the column that orders the batch for them."""
        if self.checks is not None and self.order_by is None:
            raise ValueError(f"suite {self.dataset!r}: checks need order_by (the batch is sorted before them)")
