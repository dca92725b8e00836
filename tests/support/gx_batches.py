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


# The ref tables the marts read besides the datasets; every registered dataset has a recorded batch in mart_batches.
REF_INPUTS = ("ref.qt_cap_regimes",)


def recorded_inputs() -> set[str]:
    """The datasets (as the marts read them) and ref tables the recorded batches of mart_batches stand for."""
    from transforms.registry import DATASETS

    return {*DATASETS, *REF_INPUTS}


def buildable_marts() -> list[str]:
    """The registered marts computable from recorded_inputs() alone (with the marts they read)."""
    from transforms.marts_registry import MARTS, external_inputs, upstream

    return [m for m in MARTS if external_inputs([*upstream(m), m]) <= recorded_inputs()]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test taking `buildable_mart` runs once per mart in buildable_marts()."""
    if "buildable_mart" in metafunc.fixturenames:
        metafunc.parametrize("buildable_mart", buildable_marts())


@pytest.fixture(scope="session")
def mart_batches(fred_bn, rates_batch, rp_batch, dts_batch, auctions_batch) -> dict[str, pl.DataFrame]:
    """Every mart computable from the real recorded batches, built by the registry (each once, in order); CFTC: the
    recorded April 2025 weeks of tests/fixtures/cftc (see its README); primary dealers: replay/nyfed/pd_get.json."""
    from transforms import nyfed_pd, ofr_stfm
    from transforms.cftc import parse_tff_zip
    from transforms.marts_registry import build_marts

    caps = pl.read_csv(ROOT / "warehouse/seeds/qt_cap_regimes.csv", try_parse_dates=True)
    tff = parse_tff_zip((ROOT / "tests/fixtures/cftc/fut_fin_txt_2025_april_weeks.zip").read_bytes())
    dealers = nyfed_pd.parse_pd_json(replay_bytes("nyfed/pd_get.json"))  # the recorded FR 2004 weeks (real)
    ofr = pl.DataFrame(schema=ofr_stfm.SCHEMA)  # no OFR answer is recorded anywhere: none, rather than invented
    # one recorded batch per registered dataset (a case table: which recording stands for it), checked against the
    # registry so that a new dataset without one fails here instead of leaving its marts out
    frames = {
        "fred_observations": fred_bn,
        "nyfed_reference_rates": rates_batch,
        "nyfed_rp_operations": rp_batch,
        "dts_operating_cash_balance": dts_batch,
        "treasury_auctions": auctions_batch,
        "cftc_tff": tff,
        "nyfed_pd": dealers,
        "ofr_stfm": ofr,
        "ref.qt_cap_regimes": caps,
    }
    assert set(frames) == recorded_inputs(), f"no recorded batch for {sorted(recorded_inputs() - set(frames))}"
    return build_marts(frames, buildable_marts())
