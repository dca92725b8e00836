"""Batch-context columns (as_of, gaps, held history) the runner adds before a suite sees the batch."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import polars as pl

from expectations import rules
from transforms.schema import SchemaDict


@dataclass(frozen=True)
class Held:
    """What the warehouse already holds for one key group (or the whole dataset) over the batch's window."""

    rows: int
    first_date: date | None = None


# held = one Held for the whole dataset, or {group value: Held} per key group (e.g. {"WALCL": Held(1233, ...)}).
HeldArg = Held | Mapping[str, Held] | None


@dataclass(frozen=True)
class KnownGap:
    """A reviewed hole in a dataset's history (e.g. in a recording), exempt from the gap rule: dates after
    `after` and up to `before` may be missing. Each one carries the reason a reviewer accepted it."""

    after: date
    before: date
    reason: str


@dataclass(frozen=True)
class ContextSpec:
    """Which column dates a row, which column groups rows into series, and each group's largest allowed gap."""

    date_column: str
    group_column: str | None = None
    max_gap_days: int | Mapping[str, int] | None = None
    known_gaps: tuple[KnownGap, ...] = ()
    as_of_lead_days: int = 0  # rows may be dated this many days after as_of (announced, not yet held)
    # ctx column -> (dtype, {group value: value}): per-group reference values (e.g. a FRED series' band and units)
    # joined to every row, so one rule with per-row bounds replaces one rule per group.
    lookups: Mapping[str, tuple[pl.DataType, Mapping[str, object]]] = field(default_factory=dict)
    # Completeness (expectations.completeness): per coverage group, a batch must bring back every row the warehouse
    # holds in the batch's window, end no earlier, and not turn a held non-null `value_columns` value into NULL.
    coverage_column: str | None = None  # default: group_column (DTS groups by account, not for gaps)
    value_columns: tuple[str, ...] = ()

    @property
    def coverage_group(self) -> str | None:
        """The column completeness is judged per (FRED series, rate type, DTS account), or None: the whole batch."""
        return self.coverage_column or self.group_column


_CONTEXT_TYPES: SchemaDict = {
    rules.AS_OF: pl.Date(),
    rules.GAP_DAYS: pl.Int64(),
    rules.MAX_GAP_DAYS: pl.Int64(),
    rules.GROUP_ROWS: pl.Int64(),
    rules.HELD_ROWS: pl.Int64(),
    rules.GROUP_FIRST_DATE: pl.Date(),
    rules.HELD_FIRST_DATE: pl.Date(),
}


def add_context(frame: pl.DataFrame, spec: ContextSpec | None, as_of: date | None, held: HeldArg) -> pl.DataFrame:
    """Frame + ctx_* columns; all null when a source column is missing (then only its `present` rule fails)."""
    if spec is None:
        return frame
    needed = [spec.date_column] + ([spec.group_column] if spec.group_column else [])
    if any(c not in frame.columns for c in needed) or frame.schema[spec.date_column] != pl.Date:
        return _null_context(frame, spec)
    frame = frame.with_columns(_lookup(spec, column, dtype, values) for column, (dtype, values) in spec.lookups.items())
    day = pl.col(spec.date_column)
    out = frame.sort(needed, nulls_last=True).with_columns(
        pl.lit(as_of + timedelta(days=spec.as_of_lead_days) if as_of else None, dtype=pl.Date).alias(rules.AS_OF),
        _gap_days(day, spec).alias(rules.GAP_DAYS),
        _max_gap_expr(spec).alias(rules.MAX_GAP_DAYS),
        _per_group(pl.len(), spec).alias(rules.GROUP_ROWS),
        _per_group(day.min(), spec).alias(rules.GROUP_FIRST_DATE),
    )
    return _join_held(out, spec, held).cast(_CONTEXT_TYPES)


def _gap_days(day: pl.Expr, spec: ContextSpec) -> pl.Expr:
    """Days since the previous date of the series; null (exempt) when the hole is a reviewed KnownGap."""
    gap = _per_group(day.diff().dt.total_days(), spec)
    previous = _per_group(day.shift(1), spec)
    known = [(previous >= g.after) & (day <= g.before) for g in spec.known_gaps]
    return pl.when(pl.any_horizontal(known)).then(None).otherwise(gap) if known else gap


def _per_group(expr: pl.Expr, spec: ContextSpec) -> pl.Expr:
    """`expr` per series when the dataset is split into series, else over the whole batch."""
    return expr.over(spec.group_column) if spec.group_column else expr


def _max_gap_expr(spec: ContextSpec) -> pl.Expr:
    """Largest allowed gap per row: one number, a per-group lookup (unknown group -> null), or none."""
    limit = spec.max_gap_days
    if isinstance(limit, Mapping) and spec.group_column:
        return pl.col(spec.group_column).replace_strict(dict(limit), default=None, return_dtype=pl.Int64)
    return pl.lit(limit if isinstance(limit, int) else None, dtype=pl.Int64)


def _join_held(frame: pl.DataFrame, spec: ContextSpec, held: HeldArg) -> pl.DataFrame:
    """Attach held rows/first date per group (a single Held applies to every group)."""
    if held is None or isinstance(held, Held) or not spec.group_column:
        held = held if isinstance(held, Held) or held is None else _only(held)
        rows = held.rows if held else None
        first = held.first_date if held else None
        return frame.with_columns(
            pl.lit(rows, dtype=pl.Int64).alias(rules.HELD_ROWS),
            pl.lit(first, dtype=pl.Date).alias(rules.HELD_FIRST_DATE),
        )
    group = pl.col(spec.group_column)
    return frame.with_columns(
        group.replace_strict({k: v.rows for k, v in held.items()}, default=None, return_dtype=pl.Int64).alias(
            rules.HELD_ROWS
        ),
        group.replace_strict({k: v.first_date for k, v in held.items()}, default=None, return_dtype=pl.Date).alias(
            rules.HELD_FIRST_DATE
        ),
    )


def _only(held: Mapping[str, Held]) -> Held:
    """A per-group mapping given for an ungrouped dataset must hold exactly one entry."""
    if len(held) != 1:
        raise ValueError(f"dataset has no key groups; pass one Held, not {len(held)}")
    return next(iter(held.values()))


def _lookup(spec: ContextSpec, column: str, dtype: pl.DataType, values: Mapping[str, object]) -> pl.Expr:
    """The group's reference value on every row (null for a group without one)."""
    if spec.group_column is None:
        raise ValueError(f"{column}: a per-group lookup needs the dataset's group_column")
    return pl.col(spec.group_column).replace_strict(dict(values), default=None, return_dtype=dtype).alias(column)


def _null_context(frame: pl.DataFrame, spec: ContextSpec | None = None) -> pl.DataFrame:
    """Every ctx_* column null: the context rules then skip and the structural rules name the problem."""
    lookups = {c: dtype for c, (dtype, _) in spec.lookups.items()} if spec else {}
    return frame.with_columns(pl.lit(None, dtype=t).alias(c) for c, t in {**_CONTEXT_TYPES, **lookups}.items())


def add_checks(frame: pl.DataFrame, checks: Mapping[str, pl.Expr], order_by: str) -> pl.DataFrame:
    """Frame sorted by `order_by` + one chk_* column per check; null columns if a source column is missing."""
    try:
        return frame.sort(order_by, nulls_last=True).with_columns(e.alias(n) for n, e in checks.items())
    except (pl.exceptions.ColumnNotFoundError, pl.exceptions.InvalidOperationError, pl.exceptions.SchemaError):
        # A missing column (its `present` rule names it) or one of the wrong type (a number that arrived as text:
        # its `numeric` rule names it): the identities then have nothing to say.
        return frame.with_columns(pl.lit(None, dtype=pl.Float64).alias(n) for n in checks)
