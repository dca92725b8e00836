"""Check columns of the multi-column rules (rules.numeric_all & co.): per row, how many underlying checks fail.

One GX rule per check column replaces one GX rule per listed column (GX pays ~10 ms per rule whatever the rows); the
runner names each failing column from the batch with the name its per-column rule had. The flags below reproduce
what the per-column GX rules did on the pandas frame the runner hands GX:
- a type rule looks at the column's pandas dtype (text is pandas' `str` and fails; an object column, e.g. Booleans
  with nulls or a column of nulls only, is checked value by value, so only its non-null values fail);
- not null treats NaN as null (pandas does); a range rule skips nulls and NaN and fails every non-null value of a
  non-numeric column (GX cannot compare text with a number and fails the rule);
- an order `lower <= upper` skips rows where either is null or NaN and fails rows of two incomparable columns (a date
  that arrived as text against a date);
- a listed column that is missing fails on every row (the per-column rule errored); `columns present` names it too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

# Spec keys (rules._combined writes them into the rule's meta): the kind, the check column and one entry per
# underlying check, [column, failure name], for ranges [column, failure name, low, high] (a column may have two), for
# orders [lower column, failure name, upper column].
KIND, CHECK, ENTRIES, TYPES = "combined", "check", "entries", "types"
TYPE_KINDS = ("numeric", "date")


def add_check_columns(frame: pl.DataFrame, specs: Sequence[Mapping]) -> pl.DataFrame:
    """Frame + one UInt32 column per spec: the number of its underlying checks failing on that row (0 = fine)."""
    if not specs:
        return frame
    try:
        return frame.with_columns(_count(flags(spec, frame)).alias(spec[CHECK]) for spec in specs)
    except pl.exceptions.PolarsError:
        return frame.with_columns(_count_or_fail(frame, spec).alias(spec[CHECK]) for spec in specs)


def _count_or_fail(frame: pl.DataFrame, spec: Mapping) -> pl.Expr:
    """The spec's count, or 1 on every row when polars cannot compute it on this batch: the rule then fails under its
    own name instead of crashing the run (what a per-column GX rule that raised did)."""
    try:
        frame.head(1).select(_count(flags(spec, frame)))
    except pl.exceptions.PolarsError:
        return pl.lit(1, dtype=pl.UInt32)
    return _count(flags(spec, frame))


def failing_names(spec: Mapping, batch: pl.DataFrame) -> list[str]:
    """The failure names of the underlying checks failing on some row of `batch`, in the rule's order."""
    named = flags(spec, batch)
    if batch.height == 0:
        return []
    hits = batch.select(flag.any().alias(str(i)) for i, (_, flag) in enumerate(named)).row(0)
    return [name for (name, _), hit in zip(named, hits, strict=True) if hit]


def flags(spec: Mapping, frame: pl.DataFrame) -> list[tuple[str, pl.Expr]]:
    """Per underlying check, its failure name and a Boolean expression: this row fails it."""
    kind, entries = spec[KIND], spec[ENTRIES]
    schema = frame.schema
    present = [entry[0] for entry in entries if entry[0] in schema]
    if kind in TYPE_KINDS:
        made = _type_flags(frame, present, spec[TYPES])
        return [(name, made.get(column, pl.lit(True))) for column, name in entries]
    if kind == "not_null":
        return [
            (name, _missing(column, schema[column]) if column in schema else pl.lit(True)) for column, name in entries
        ]
    if kind == "between":
        return [
            (name, _out_of_range(column, schema[column], low, high) if column in schema else pl.lit(True))
            for column, name, low, high in entries
        ]
    if kind == "ordered":
        return [(name, _out_of_order(lower, upper, schema)) for lower, name, upper in entries]
    raise ValueError(f"unknown combined rule kind {kind!r}")


def _count(named: Sequence[tuple[str, pl.Expr]]) -> pl.Expr:
    """How many of the flags are true on the row."""
    return pl.sum_horizontal(flag.cast(pl.UInt32) for _, flag in named).cast(pl.UInt32)


def _type_flags(frame: pl.DataFrame, columns: list[str], accepted: Sequence[str]) -> dict[str, pl.Expr]:
    """Columns whose pandas dtype is not accepted (an object column: its non-null values)."""
    if not columns:
        return {}
    # The dtypes of the very conversion the runner makes (an integer column with nulls becomes float64, Date becomes
    # datetime64[ms]): cheaper to convert the listed columns than to re-implement pyarrow's mapping.
    dtypes = frame.select(columns).to_pandas().dtypes
    out = {}
    for c in columns:
        dtype = str(dtypes[c])
        out[c] = pl.lit(False) if dtype in accepted else pl.col(c).is_not_null() if dtype == "object" else pl.lit(True)
    return out


def _missing(column: str, dtype: pl.DataType) -> pl.Expr:
    """Null, or NaN in a float column (pandas reads both as missing)."""
    value = pl.col(column)
    return value.is_null() | value.is_nan() if dtype.is_float() else value.is_null()


def _out_of_range(column: str, dtype: pl.DataType, low: float | None, high: float | None) -> pl.Expr:
    """Outside [low, high] (an open bound is None); nulls and NaN pass, non-numeric values fail."""
    value = pl.col(column)
    if dtype == pl.Boolean:
        value = value.cast(pl.Int8)  # pandas compares True/False as 1/0
    elif not dtype.is_numeric():
        return value.is_not_null()
    outside = pl.lit(False)
    if low is not None:
        outside = outside | (value < low)
    if high is not None:
        outside = outside | (value > high)
    known = value.is_not_null() & ~value.is_nan() if dtype.is_float() else value.is_not_null()
    return known & outside


def _out_of_order(lower: str, upper: str, schema: pl.Schema) -> pl.Expr:
    """lower > upper on a row where both are known; any such row of two incomparable columns."""
    if lower not in schema or upper not in schema:
        return pl.lit(True)
    low, high = _comparable(lower, schema[lower]), _comparable(upper, schema[upper])
    both = ~_missing(lower, schema[lower]) & ~_missing(upper, schema[upper])
    if low is None or high is None or low[1] != high[1]:
        return both
    return both & (low[0] > high[0])


def _comparable(column: str, dtype: pl.DataType) -> tuple[pl.Expr, str] | None:
    """The column as a value pandas compares alike (Booleans as 0/1, every date and time as a datetime) and its
    family; None for a type the old rule could not compare with a number or a date."""
    value = pl.col(column)
    if dtype == pl.Boolean:
        return value.cast(pl.Int8), "number"
    if dtype.is_numeric():
        return value, "number"
    if dtype.is_temporal() and dtype != pl.Duration and dtype != pl.Time:
        return value.cast(pl.Datetime("us")), "datetime"
    if dtype == pl.String:
        return value, "text"
    return None
