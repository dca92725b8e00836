"""Check columns of the multi-column rules (rules.numeric_all & co.): per row, how many listed columns fail.

One GX rule per check column replaces one GX rule per listed column (GX pays ~10 ms per rule whatever the rows); the
runner names each failing column from the batch with the name its per-column rule had. The flags below reproduce
what the per-column GX rules did on the pandas frame the runner hands GX:
- a type rule looks at the column's pandas dtype (an object column is checked value by value, so only its non-null
  values fail: an all-null text column passes, as GX's map check lets it);
- not null treats NaN as null (pandas does); a range rule skips nulls and NaN and fails every non-null value of a
  non-numeric column (GX cannot compare text with a number and fails the rule);
- a listed column that is missing fails on every row (the per-column rule errored); `columns present` names it too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

# Spec keys (rules._combined writes them into the rule's meta).
KIND, COLUMNS, CHECK, NAME, TYPES, LOW, HIGH = "combined", "columns", "check", "name", "types", "low", "high"
TYPE_KINDS = ("numeric", "date")


def add_check_columns(frame: pl.DataFrame, specs: Sequence[Mapping]) -> pl.DataFrame:
    """Frame + one UInt32 column per spec: the number of its listed columns failing on that row (0 = fine)."""
    if not specs:
        return frame
    return frame.with_columns(_count(flags(spec, frame)).alias(spec[CHECK]) for spec in specs)


def failing_columns(spec: Mapping, batch: pl.DataFrame) -> list[str]:
    """The listed columns failing on some row of `batch`, in the rule's order."""
    column_flags = flags(spec, batch)
    if batch.height == 0:
        return []
    hits = batch.select(flag.any().alias(str(i)) for i, flag in enumerate(column_flags.values())).row(0)
    return [column for column, hit in zip(column_flags, hits, strict=True) if hit]


def flags(spec: Mapping, frame: pl.DataFrame) -> dict[str, pl.Expr]:
    """Per listed column, a Boolean expression: this row fails that column's check."""
    kind = spec[KIND]
    present = [c for c in spec[COLUMNS] if c in frame.columns]
    if kind in TYPE_KINDS:
        made = _type_flags(frame, present, spec[TYPES])
    elif kind == "not_null":
        made = {c: _missing(c, frame.schema[c]) for c in present}
    elif kind == "between":
        made = {c: _out_of_range(c, frame.schema[c], spec[LOW], spec[HIGH]) for c in present}
    else:
        raise ValueError(f"unknown combined rule kind {kind!r}")
    return {c: made.get(c, pl.lit(True)) for c in spec[COLUMNS]}


def _count(column_flags: Mapping[str, pl.Expr]) -> pl.Expr:
    """How many of the flags are true on the row."""
    return pl.sum_horizontal(f.cast(pl.UInt32) for f in column_flags.values()).cast(pl.UInt32)


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
