"""Daily Treasury General Account balance from the Daily Treasury Statement (marts.tga_daily).

Grain: one row per DTS business day; $ billions. The change is against the previous DTS day in the data, so the
first day of the frame (and a day after a gap in the data) compares with whatever day precedes it.
"""

import polars as pl

from transforms.schema import SchemaDict
from transforms.units import conform

MN_PER_BN = 1000.0

SCHEMA: SchemaDict = {
    "date": pl.Date,
    "tga_bn": pl.Float64,
    "tga_change_bn": pl.Float64,
}


def build_tga_daily(tga: pl.DataFrame) -> pl.DataFrame:
    """marts.tga_daily: closing TGA balance per DTS day in $ billions and its change from the previous DTS day."""
    return (
        tga.filter(pl.col("tga_mn").is_not_null())
        .unique("date", keep="last")
        .sort("date")
        .with_columns((pl.col("tga_mn") / MN_PER_BN).alias("tga_bn"))
        .with_columns(pl.col("tga_bn").diff().alias("tga_change_bn"))
        .pipe(conform, SCHEMA)
    )
