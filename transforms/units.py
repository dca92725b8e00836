"""Unit conversion of core FRED observations to billions of USD, driven by the series catalog (never by guesswork)."""

import polars as pl

from transforms.schema import SchemaDict

# FRED `units` text of a dollar amount ("Millions of U.S. Dollars", "Billions of US Dollars"); every other series
# (percent rates, spreads) keeps value_bn null rather than a meaningless scaled number.
DOLLAR_UNIT_PATTERN = r"(?i)dollar"


def _dollar_scales(catalog: pl.DataFrame) -> pl.DataFrame:
    """Catalog rows -> series_id, is_dollar, unit_scale_bn; a dollar series without a scale is an error."""
    scales = catalog.select(
        pl.col("series_id"),
        pl.col("units").str.contains(DOLLAR_UNIT_PATTERN).fill_null(False).alias("is_dollar"),
        pl.col("unit_scale_bn").cast(pl.Float64),
    )
    unscaled = scales.filter(pl.col("is_dollar") & pl.col("unit_scale_bn").is_null())["series_id"].to_list()
    if unscaled:
        raise ValueError(f"catalog has dollar series without unit_scale_bn: {sorted(unscaled)}")
    return scales


def to_billions(fred: pl.DataFrame, catalog: pl.DataFrame) -> pl.DataFrame:
    """Core FRED rows (series_id, date, value) + value_bn = value x catalog unit_scale_bn (null for rate series)."""
    scales = _dollar_scales(catalog)
    unknown = sorted(set(fred["series_id"].unique().to_list()) - set(scales["series_id"].to_list()))
    if unknown:
        raise ValueError(f"series not in the FRED catalog, unit unknown: {unknown}")
    return (
        fred.join(scales, on="series_id", how="left")
        .with_columns(
            pl.when(pl.col("is_dollar")).then(pl.col("value") * pl.col("unit_scale_bn")).alias("value_bn")
        )
        .drop("is_dollar", "unit_scale_bn")
    )


def select_series(fred_bn: pl.DataFrame, series_id: str, name: str, column: str = "value_bn") -> pl.DataFrame:
    """One series as (date, <name>), nulls dropped, sorted by date; `column` is value_bn or value (rates)."""
    return (
        fred_bn.filter((pl.col("series_id") == series_id) & pl.col(column).is_not_null())
        .select("date", pl.col(column).alias(name))
        .unique("date", keep="last")
        .sort("date")
    )


def conform(frame: pl.DataFrame, schema: SchemaDict) -> pl.DataFrame:
    """The frame's `schema` columns, in that order and cast to those types (a mart's last step)."""
    return frame.select(list(schema)).cast(schema)


AMOUNT_DECIMALS = 3  # $bn to 3 decimals = $1 million: the precision H.4.1 and the DTS publish in; drops float noise


def round_amounts(frame: pl.DataFrame, decimals: int = AMOUNT_DECIMALS) -> pl.DataFrame:
    """Round every float `*_bn` column to `decimals` (e.g. 60.60899999999947 -> 60.609) for readable marts."""
    amounts = [c for c, t in frame.schema.items() if c.endswith("_bn") and t.is_float()]
    return frame.with_columns(pl.col(amounts).round(decimals)) if amounts else frame
