"""A respelled unit is no revision (issue 28 item 11): FRED's API spells RRPONTSYD's unit "Billions of US Dollars"
while the keyless download, through the catalog, says "Billions of U.S. Dollars". Switching between them must not
land a new version of every held row whose value did not change."""

from __future__ import annotations

import polars as pl

from transforms.units import unit_meaning

KEY = ["series_id", "date"]


def keep_held_spelling(batch: pl.DataFrame, held: pl.DataFrame) -> pl.DataFrame:
    """`batch` with the held `units` spelling on every held key whose units mean the same (scale and currency):
    landing compares strings, so only a change of value (or of meaning) then makes a new version."""
    if batch.is_empty() or held.is_empty() or "units" not in batch.columns:
        return batch
    joined = batch.join(held.select(*KEY, pl.col("units").alias("_held_units")), on=KEY, how="left")
    spellings = pl.concat([joined["units"], joined["_held_units"]]).unique().drop_nulls().to_list()
    meanings = {s: unit_meaning(s) for s in spellings}

    def meaning(column: str) -> pl.Expr:
        return pl.col(column).replace_strict(meanings, default=None, return_dtype=pl.Utf8)

    respelled = pl.col("_held_units").is_not_null() & (meaning("units") == meaning("_held_units"))
    return (
        joined.with_columns(units=pl.when(respelled).then(pl.col("_held_units")).otherwise(pl.col("units")))
        .drop("_held_units")
        .select(batch.columns)
    )
