"""Core frames built from the committed replay snapshot (real recordings, replay/PROVENANCE.md) with the shared
parsers (no network, no Prefect), and the marts computed from them: one parse per session for every test that needs
them (a pytest plugin, registered in tests/conftest.py)."""

import gzip
import json
from pathlib import Path

import duckdb
import polars as pl
import pytest

from transforms import cftc, fiscal, fred, nyfed, nyfed_pd, ofr_stfm
from transforms.marts_registry import build_marts
from transforms.registry import DATASETS
from transforms.units import to_billions
from warehouse import load
from warehouse.db import apply_schema, load_seeds

ROOT = Path(__file__).resolve().parents[2]
REPLAY = ROOT / "replay"
SEEDS = ROOT / "warehouse" / "seeds"


def _fiscal(name: str, parser) -> pl.DataFrame:
    body = json.loads(gzip.decompress((REPLAY / "fiscaldata" / name).read_bytes()))
    frame, _ = fiscal.parse_fiscal_page(json.dumps({"data": body["data"], "meta": body["meta"]}).encode())
    return parser(frame)


def load_replay_core() -> dict[str, pl.DataFrame]:
    """Every source of the replay snapshot parsed as the pipeline would land it (latest version = the only one), by
    dataset name as the marts read them (FRED in $ billions), with the ref table they read (OFR: none recorded)."""
    catalog = pl.read_csv(SEEDS / "fred_series.csv", try_parse_dates=True)
    series = [
        fred.parse_fredgraph_csv((REPLAY / "fred" / "fredgraph" / f"{s}.csv").read_bytes(), s)
        for s in catalog["series_id"]
        if (REPLAY / "fred" / "fredgraph" / f"{s}.csv").exists()
    ]
    observations = pl.concat(series).join(catalog.select("series_id", "units"), on="series_id")
    frames = {
        "fred_observations": to_billions(observations.drop("units"), catalog),
        "ref.qt_cap_regimes": pl.read_csv(SEEDS / "qt_cap_regimes.csv", try_parse_dates=True),
        "ref.rmp_rounds": pl.read_csv(SEEDS / "rmp_rounds.csv", try_parse_dates=True),
        "ref.debt_limit_events": pl.read_csv(SEEDS / "debt_limit_events.csv", try_parse_dates=True),
        "ref.treasury_cash_assumptions": pl.read_csv(SEEDS / "treasury_cash_assumptions.csv", try_parse_dates=True),
        "nyfed_reference_rates": nyfed.parse_reference_rates_csv((REPLAY / "nyfed" / "rates_all.csv").read_bytes()),
        "nyfed_rp_operations": nyfed.parse_rp_operations_json(
            gzip.decompress((REPLAY / "nyfed" / "rp_operations.json.gz").read_bytes())
        ),
        "treasury_auctions": _fiscal("auctions_query.json.gz", fiscal.parse_auctions),
        "dts_operating_cash_balance": _fiscal("operating_cash_balance.json.gz", fiscal.parse_operating_cash_balance),
        "cftc_tff": pl.concat([cftc.parse_tff_zip(p.read_bytes()) for p in sorted((REPLAY / "cftc").glob("*.zip"))]),
        "nyfed_pd": nyfed_pd.parse_pd_json((REPLAY / "nyfed" / "pd_get.json").read_bytes()),
        "ofr_stfm": pl.DataFrame(schema=ofr_stfm.SCHEMA),  # the snapshot holds no OFR recording: no rows
    }
    # how each recording is parsed is a case table, one per dataset: a new dataset without one fails here
    assert set(DATASETS) <= set(frames), f"the replay frames lack {sorted(set(DATASETS) - set(frames))}"
    return frames


@pytest.fixture(scope="session")
def replay_core() -> dict[str, pl.DataFrame]:
    """The replay snapshot's core frames, parsed once per session."""
    return load_replay_core()


@pytest.fixture(scope="session")
def replay_marts(replay_core: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Every mart built from the replay core as publish_marts builds it (once each, rounded amounts)."""
    return build_marts(replay_core)


@pytest.fixture(scope="session")
def marts_db(replay_marts: dict[str, pl.DataFrame]) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse (schema + seeds) holding the replay marts, for the example queries."""
    con = duckdb.connect()
    apply_schema(con)
    load_seeds(con)
    for name, frame in replay_marts.items():
        load.replace_table(con, f"marts.{name}", frame)
    return con
