"""Detect a change of units between what is held and a new FRED batch (FRED moved WRESBAL/WTREGEN from billions
to millions): either declared (the units string changed) or undeclared (same units, values ~1000x apart)."""

from __future__ import annotations

import polars as pl

from transforms.schema import SchemaDict
from transforms.units import same_units

# A scale slip is a power of 1000 (billions <-> millions); real revisions are a few percent at most.
SCALE_STEPS = (1e-6, 1e-3, 1e3, 1e6)
SCALE_TOLERANCE = 0.05
UNIT_CHANGE_SCHEMA: SchemaDict = {
    "series_id": pl.Utf8,
    "held_units": pl.Utf8,
    "new_units": pl.Utf8,
    "median_ratio": pl.Float64,
    "kind": pl.Utf8,
}


def detect_unit_changes(held: pl.DataFrame, batch: pl.DataFrame) -> pl.DataFrame:
    """One row per series whose units differ between `held` and `batch` (columns series_id, date, value, units)."""
    joined = batch.join(held, on=["series_id", "date"], how="inner", suffix="_held")
    per_series = joined.group_by("series_id").agg(
        held_units=pl.col("units_held").last(),
        new_units=pl.col("units").last(),
        median_ratio=(pl.col("value") / pl.col("value_held")).filter(pl.col("value_held") != 0).median(),
    )
    # Declared = the units' meaning changed (scale or currency); a respelling ("U.S." -> "US") is no change.
    meaning_changed = [not same_units(h, n) for h, n in per_series.select("held_units", "new_units").iter_rows()]
    per_series = per_series.with_columns(meaning_changed=pl.Series(meaning_changed, dtype=pl.Boolean))
    declared = pl.col("meaning_changed")
    undeclared = _is_scale_step(pl.col("median_ratio"))
    return (
        per_series.filter(declared | undeclared)
        .with_columns(kind=pl.when(declared).then(pl.lit("declared")).otherwise(pl.lit("undeclared")))
        .select(UNIT_CHANGE_SCHEMA.keys())
        .cast(UNIT_CHANGE_SCHEMA)
        .sort("series_id")
    )


def _is_scale_step(ratio: pl.Expr) -> pl.Expr:
    hits = [((ratio / step) - 1).abs() < SCALE_TOLERANCE for step in SCALE_STEPS]
    return pl.any_horizontal(hits).fill_null(False)
