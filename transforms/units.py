"""Unit conversion of core FRED observations to billions of USD, driven by the series catalog (never by guesswork)."""

import re

import polars as pl

from transforms.schema import SchemaDict

# FRED `units` text of a dollar amount ("Millions of U.S. Dollars", "Billions of US Dollars"); every other series
# (percent rates, spreads) keeps value_bn null rather than a meaningless scaled number.
DOLLAR_UNIT_PATTERN = r"(?i)dollar"


# FRED spells one unit several ways: "Millions of U.S. Dollars" (WALCL), "Billions of US Dollars" (RRPONTSYD),
# "Mil. of U.S. $" (units_short). A unit is compared by its meaning: the scale word and the currency.
_SCALES = {
    "thousand": "thousands",
    "thous": "thousands",
    "mil": "millions",
    "million": "millions",
    "bil": "billions",
    "billion": "billions",
    "tril": "trillions",
    "trillion": "trillions",
}
_SCALE_WORD = re.compile(r"^(thousands?|thous|millions?|mil|billions?|bil|trillions?|tril)\b\.?\s*(of\s+)?")
_USD = re.compile(r"^(u\.?\s?s\.?\s*)?(dollars?|\$)$")


def unit_meaning(units: str | None) -> str | None:
    """The meaning of a FRED units string: 'USD millions' for every spelling of millions of US dollars, else the
    text lower-cased with spaces and trailing periods normalised ('Percent' -> 'percent'); None stays None."""
    if units is None:
        return None
    text = re.sub(r"\s+", " ", units.strip().lower())
    match = _SCALE_WORD.match(text)
    scale = _SCALES.get(match.group(1).rstrip("s")) if match else None
    rest = text[match.end() :] if match else text
    if _USD.match(rest.strip()):
        return f"USD {scale}" if scale else "USD"
    return text.rstrip(".")


# Non-capturing groups: GX matches with pandas str.contains, which warns about capture groups.
_SCALE_SPELLINGS = {
    "thousands": r"thousands?|thous\.?",
    "millions": r"millions?|mil\.?",
    "billions": r"billions?|bil\.?",
    "trillions": r"trillions?|tril\.?",
}


def unit_pattern(units: str) -> str:
    """A regex matching every spelling FRED uses for the same unit as `units` (a suite's units rule)."""
    meaning = unit_meaning(units) or ""
    if meaning.startswith("USD"):
        scale = meaning.removeprefix("USD").strip()
        prefix = rf"(?:{_SCALE_SPELLINGS[scale]})\s+(?:of\s+)?" if scale else ""
        return rf"(?i)^\s*{prefix}(?:u\.?\s?s\.?\s*)?(?:dollars?|\$)\s*$"
    return rf"(?i)^\s*{re.escape(meaning)}\.?\s*$"


def same_units(a: str | None, b: str | None) -> bool:
    """True when two units strings mean the same unit (scale and currency), however FRED spells them."""
    return unit_meaning(a) == unit_meaning(b)


def meaning_of(frame: pl.DataFrame, column: str) -> pl.Expr:
    """An expression giving `unit_meaning` of `frame[column]` (mapped once per distinct spelling)."""
    spellings = frame[column].unique().drop_nulls().to_list()
    return pl.col(column).replace_strict({s: unit_meaning(s) for s in spellings}, default=None, return_dtype=pl.Utf8)


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
        .with_columns(pl.when(pl.col("is_dollar")).then(pl.col("value") * pl.col("unit_scale_bn")).alias("value_bn"))
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


USD_PER_BN = 1e9  # dollars in a billion: auction and CFTC notional amounts come in dollars
AMOUNT_DECIMALS = 3  # $bn to 3 decimals = $1 million: the precision H.4.1 and the DTS publish in; drops float noise


MEASURE_SIG_FIGS = 12  # other float measures (bp, ratios, t-statistics): far past any published precision


def round_amounts(frame: pl.DataFrame, decimals: int = AMOUNT_DECIMALS) -> pl.DataFrame:
    """Round every float `*_bn` column to `decimals` (e.g. 60.60899999999947 -> 60.609) for readable marts, and
    every other float column to MEASURE_SIG_FIGS significant figures (-9.00000000000003 -> -9.0): a mean's last bits
    depend on how its rows were chunked, and the same rows must give the same published number (an incremental
    build, a lake and a file)."""
    floats = [c for c, t in frame.schema.items() if t.is_float()]
    amounts = [c for c in floats if c.endswith("_bn")]
    measures = [c for c in floats if c not in amounts]
    return frame.with_columns(pl.col(amounts).round(decimals), pl.col(measures).round_sig_figs(MEASURE_SIG_FIGS))
