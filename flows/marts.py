"""Build the analyst marts from core with the pure polars transforms; each mart is validated before it is published."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import polars as pl

from transforms import (
    auction_health,
    basis,
    basis_plumbing,
    dealers,
    funding,
    funding_calendar,
    funding_events,
    liquidity,
    nyfed_pd,
    ofr_stfm,
    repo_segments,
    runoff,
    tga,
)
from transforms.calendar import fed_holidays, legal_holidays
from transforms.fiscal import tga_closing_balance
from transforms.registry import source_of
from transforms.units import same_units, to_billions
from warehouse.db import query_pl


@dataclass(frozen=True)
class CoreFrames:
    """The core tables the marts are computed from, read once per run."""

    fred_bn: pl.DataFrame
    cap_regimes: pl.DataFrame
    rates: pl.DataFrame
    rp_ops: pl.DataFrame
    auctions: pl.DataFrame
    tga: pl.DataFrame
    cftc: pl.DataFrame
    # the plumbing sources (issue 24); empty by default so frames built before them still construct
    nyfed_pd: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=nyfed_pd.SCHEMA))
    ofr_stfm: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=ofr_stfm.SCHEMA))


MART_BUILDERS: dict[str, Callable[[CoreFrames], pl.DataFrame]] = {
    "qt_runoff_monthly": lambda c: runoff.build_qt_runoff_monthly(c.fred_bn, c.cap_regimes),
    "liquidity_weekly": lambda c: liquidity.build_liquidity_weekly(c.fred_bn),
    "funding_daily": lambda c: funding.build_funding_daily(c.fred_bn, c.rates, c.rp_ops),
    "auction_health": lambda c: auction_health.build_auction_health(c.auctions),
    "bill_share_monthly": lambda c: auction_health.build_bill_share_monthly(c.auctions),
    "tga_daily": lambda c: tga.build_tga_daily(c.tga),
    "basis_weekly": lambda c: basis_plumbing.add_plumbing_columns(
        basis.build_basis_weekly(c.cftc, _funding_daily(c)), dealers.build_dealer_positions_weekly(c.nyfed_pd),
        _repo_segments(c)),
    "funding_calendar": lambda c: funding_calendar.build_funding_calendar(
        _funding_daily(c), c.auctions, tga.build_tga_daily(c.tga), fed_holidays(), legal_holidays()),
    "dealer_positions_weekly": lambda c: dealers.build_dealer_positions_weekly(c.nyfed_pd),
    "repo_segments_daily": lambda c: _repo_segments(c),
    "funding_events": lambda c: funding_events.build_funding_events(
        _funding_daily(c), _repo_segments(c), dealers.build_dealer_positions_weekly(c.nyfed_pd),
        funding_calendar.build_funding_calendar(_funding_daily(c), c.auctions, tga.build_tga_daily(c.tga),
                                                fed_holidays(), legal_holidays())),
}

# The core datasets each mart is computed from: a mart is not rebuilt in a run where the source of one of them failed,
# nor in one where none of them landed new rows (flows.pipeline maps datasets to sources through the registry). A
# test keeps this in step with the builders.
_FUNDING = ("fred_observations", "nyfed_reference_rates", "nyfed_rp_operations")
MART_INPUTS: dict[str, tuple[str, ...]] = {
    "qt_runoff_monthly": ("fred_observations",),
    "liquidity_weekly": ("fred_observations",),
    "funding_daily": _FUNDING,
    "auction_health": ("treasury_auctions",),
    "bill_share_monthly": ("treasury_auctions",),
    "tga_daily": ("dts_operating_cash_balance",),
    "basis_weekly": ("cftc_tff", *_FUNDING),
    "funding_calendar": (*_FUNDING, "treasury_auctions", "dts_operating_cash_balance"),
    "dealer_positions_weekly": ("nyfed_pd",),
    "repo_segments_daily": ("ofr_stfm", *_FUNDING),
    "funding_events": (*_FUNDING, "treasury_auctions", "dts_operating_cash_balance"),
}
# Datasets a mart also reads but that must not hold it back: a failed OFR or primary dealer fetch would otherwise
# freeze basis_weekly and the funding events the stress alerts read. Their held rows are used as they stand; new ones
# reach these marts at the next run that lands one of the MART_INPUTS (the funding sources land every business day).
MART_SIDE_INPUTS: dict[str, tuple[str, ...]] = {
    "basis_weekly": ("nyfed_pd", "ofr_stfm"),
    "funding_events": ("nyfed_pd", "ofr_stfm"),
}


def mart_sources(mart: str) -> set[str]:
    """The names of the sources a mart is computed from."""
    return {source_of(dataset).name for dataset in MART_INPUTS[mart]}


def _funding_daily(c: CoreFrames) -> pl.DataFrame:
    """marts.funding_daily as computed from core (the CFTC marts put its daily gauges beside their own rows)."""
    return funding.build_funding_daily(c.fred_bn, c.rates, c.rp_ops)


def _repo_segments(c: CoreFrames) -> pl.DataFrame:
    """marts.repo_segments_daily as computed from core (funding_events reads its spreads)."""
    return repo_segments.build_repo_segments_daily(c.ofr_stfm, c.rates, _funding_daily(c))


class CatalogMismatch(ValueError):
    """Core FRED data is in other units than the catalog says: converting would be wrong."""


def read_core(con: duckdb.DuckDBPyConnection) -> CoreFrames:
    """Read core + ref once; FRED values converted to billions by the catalog after checking units agree."""
    catalog = query_pl(con, "SELECT * FROM ref.fred_series")
    fred = query_pl(con, "SELECT series_id, date, value, units FROM core.fred_observations")
    check_units(fred, catalog)
    return CoreFrames(
        fred_bn=to_billions(fred.drop("units"), catalog),
        cap_regimes=query_pl(con, "SELECT * FROM ref.qt_cap_regimes ORDER BY effective_from"),
        rates=query_pl(con, "SELECT * FROM core.nyfed_reference_rates"),
        rp_ops=query_pl(con, "SELECT * FROM core.nyfed_rp_operations"),
        auctions=query_pl(con, "SELECT * FROM core.treasury_auctions"),
        tga=tga_closing_balance(query_pl(con, "SELECT * FROM core.dts_operating_cash_balance")),
        cftc=query_pl(con, "SELECT * FROM core.cftc_tff"),
        nyfed_pd=query_pl(con, "SELECT * FROM core.nyfed_pd"),
        ofr_stfm=query_pl(con, "SELECT * FROM core.ofr_stfm"),
    )


def check_units(fred: pl.DataFrame, catalog: pl.DataFrame) -> None:
    """Every held FRED row must carry the units the catalog declares (the catalog drives the conversion)."""
    joined = fred.select("series_id", "units").unique().join(
        catalog.select("series_id", pl.col("units").alias("catalog_units")), on="series_id", how="left")
    # By meaning: FRED writes "Billions of US Dollars" where the catalog says "Billions of U.S. Dollars".
    differs = [not same_units(a, b) for a, b in joined.select("units", "catalog_units").iter_rows()]
    bad = joined.filter(pl.Series(differs, dtype=pl.Boolean))
    if not bad.is_empty():
        row = bad.row(0, named=True)
        raise CatalogMismatch(f"{row['series_id']} is held in '{row['units']}' but warehouse/seeds/fred_series.csv "
                              f"declares '{row['catalog_units']}': update the catalog's units and unit_scale_bn")
