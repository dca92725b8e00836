"""Read what the marts are built from: the frames of their inputs (declared in transforms.marts_registry).

The marts themselves are declared once, in `transforms.marts_registry.MARTS`; flows.publishing builds them once per
run in dependency order and validates each before it is published."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import duckdb
import polars as pl

from transforms.marts_registry import MARTS, fred_series_read, mart_sources
from transforms.registry import DATASETS
from transforms.units import same_units, to_billions
from warehouse.db import query_pl

__all__ = ["MARTS", "CatalogMismatch", "check_units", "mart_sources", "read_input"]


class CatalogMismatch(ValueError):
    """Core FRED data is in other units than the catalog says: converting would be wrong."""


def _fred_in_billions(con: duckdb.DuckDBPyConnection, series: Sequence[str], start: date | None = None) -> pl.DataFrame:
    """The rows of `series` in core.fred_observations (dated from `start` on, when given) in $ billions by the
    catalog, after checking the held units agree with it (only the series the marts read: the catalog can hold many
    more for SQL)."""
    catalog = query_pl(con, "SELECT * FROM ref.fred_series")
    fred = query_pl(
        con,
        "SELECT series_id, date, value, units FROM core.fred_observations WHERE list_contains(?, series_id) "
        "AND date >= ?",
        [list(series), start or date.min],
    )
    check_units(fred, catalog)
    return to_billions(fred.drop("units"), catalog)


def read_input(
    con: duckdb.DuckDBPyConnection, name: str, wanted: Iterable[str] = MARTS, start: date | None = None
) -> pl.DataFrame:
    """One input of the marts `wanted`: a core dataset (its latest version; of fred_observations the series they
    read), a ref table or a published mart; a dataset or mart only from the rows dated `start` on, when given."""
    if name == "fred_observations":
        return _fred_in_billions(con, fred_series_read(wanted), start)
    since = [start or date.min]
    if name in DATASETS:  # names come from the registries, never from input
        return query_pl(con, f"SELECT * FROM core.{name} WHERE {DATASETS[name].date_column} >= ?", since)
    if name in MARTS:
        return query_pl(con, f"SELECT * FROM marts.{name} WHERE {MARTS[name].date_column} >= ?", since)
    return query_pl(con, f"SELECT * FROM {name}")  # a ref.* table, checked by transforms.marts_registry


def check_units(fred: pl.DataFrame, catalog: pl.DataFrame) -> None:
    """Every held FRED row must carry the units the catalog declares (the catalog drives the conversion)."""
    joined = (
        fred.select("series_id", "units")
        .unique()
        .join(catalog.select("series_id", pl.col("units").alias("catalog_units")), on="series_id", how="left")
    )
    # By meaning: FRED writes "Billions of US Dollars" where the catalog says "Billions of U.S. Dollars".
    differs = [not same_units(a, b) for a, b in joined.select("units", "catalog_units").iter_rows()]
    bad = joined.filter(pl.Series(differs, dtype=pl.Boolean))
    if not bad.is_empty():
        row = bad.row(0, named=True)
        raise CatalogMismatch(
            f"{row['series_id']} is held in '{row['units']}' but warehouse/seeds/fred_series.csv "
            f"declares '{row['catalog_units']}': update the catalog's units and unit_scale_bn"
        )
