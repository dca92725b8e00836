"""Fixtures for the validation tests: one Validator per session and real recorded batches in CONTRACTS shape."""

import importlib
from pathlib import Path

import polars as pl
import pytest

from expectations import Validator
from expectations.fred_observations import catalog
from tests.conftest import replay_bytes

ROOT = Path(__file__).resolve().parents[2]
# The batches are real recorded responses from the project's replay snapshot (replay/, see its PROVENANCE.md), parsed
# by the same parsers a live run uses; the six FRED series of the original suite tests.
FRED_SERIES = ("WALCL", "WDTGAL", "WRESBAL", "RRPONTSYD", "SOFR", "IORB")


@pytest.fixture(scope="session")
def validator() -> Validator:
    """One Validator for the whole session (GX context set-up paid once)."""
    return Validator()


@pytest.fixture(scope="session")
def fred_batch() -> pl.DataFrame:
    """Six recorded FRED series parsed by transforms.fred, + units from the catalog (as raw lands them)."""
    fred = importlib.import_module("transforms.fred")
    units = {e["series_id"]: e["units"] for e in catalog()}
    frames = [fred.parse_fredgraph_csv(replay_bytes(f"fred/fredgraph/{s}.csv"), s) for s in FRED_SERIES]
    return pl.concat(frames).with_columns(units=pl.col("series_id").replace_strict(units))


@pytest.fixture(scope="session")
def rates_batch() -> pl.DataFrame:
    """NY Fed reference rates of 2026 (all five types, with percentiles and volumes), parsed by transforms.nyfed."""
    nyfed = importlib.import_module("transforms.nyfed")
    rates = nyfed.parse_reference_rates_csv(replay_bytes("nyfed/rates_all.csv"))
    return rates.filter(pl.col("effective_date").dt.year() == 2026)


@pytest.fixture(scope="session")
def rp_batch() -> pl.DataFrame:
    """Recorded ON RRP operations 2022-01..2025-11, parsed by transforms.nyfed."""
    nyfed = importlib.import_module("transforms.nyfed")
    ops = nyfed.parse_rp_operations_json(replay_bytes("nyfed/rp_operations.json.gz"))
    return ops.filter(pl.col("operation_type") == "Reverse Repo")


@pytest.fixture(scope="session")
def dts_batch() -> pl.DataFrame:
    """Recorded DTS Table I (2021-06..2026-06) parsed to DTS_SCHEMA ($ millions) by transforms.fiscal."""
    fiscal = importlib.import_module("transforms.fiscal")
    frame, _meta = fiscal.parse_fiscal_page(replay_bytes("fiscaldata/operating_cash_balance.json.gz"))
    return fiscal.parse_operating_cash_balance(frame)


@pytest.fixture(scope="session")
def auctions_batch(recorded: Path) -> pl.DataFrame:
    """Recorded Fiscal Data auctions_query page (25 bill auctions, Jan 2026) parsed by transforms.fiscal."""
    fiscal = importlib.import_module("transforms.fiscal")
    path = recorded / "treasury_auctions/fiscaldata_openbb_cassette/auctions_query_bills_2026-01.json"
    frame, _meta = fiscal.parse_fiscal_page(path.read_bytes())
    return fiscal.parse_auctions(frame)


@pytest.fixture(scope="session")
def fred_bn(fred_batch: pl.DataFrame) -> pl.DataFrame:
    """The FRED batch + TREAST and WSHOMCB, converted to $ billions by transforms.units (as the marts take it)."""
    fred, units = importlib.import_module("transforms.fred"), importlib.import_module("transforms.units")
    holdings = [fred.parse_fredgraph_csv(replay_bytes(f"fred/fredgraph/{s}.csv"), s) for s in ("TREAST", "WSHOMCB")]
    catalog_frame = pl.read_csv(ROOT / "warehouse/seeds/fred_series.csv")
    return units.to_billions(pl.concat([fred_batch.drop("units"), *holdings]), catalog_frame)


@pytest.fixture(scope="session")
def mart_batches(fred_bn, rates_batch, rp_batch, dts_batch, auctions_batch) -> dict[str, pl.DataFrame]:
    """The five marts built by the project's transforms from the real recorded batches."""
    t = {m: importlib.import_module(f"transforms.{m}") for m in ("liquidity", "runoff", "funding", "tga", "fiscal",
                                                              "auction_health")}
    caps = pl.read_csv(ROOT / "warehouse/seeds/qt_cap_regimes.csv", try_parse_dates=True)
    return {
        "liquidity_weekly": t["liquidity"].build_liquidity_weekly(fred_bn),
        "qt_runoff_monthly": t["runoff"].build_qt_runoff_monthly(fred_bn, caps),
        "funding_daily": t["funding"].build_funding_daily(fred_bn, rates_batch, rp_batch),
        "tga_daily": t["tga"].build_tga_daily(t["fiscal"].tga_closing_balance(dts_batch)),
        "auction_health": t["auction_health"].build_auction_health(auctions_batch),
    }
