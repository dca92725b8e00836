"""Core frames of the committed replay snapshot (real recordings, replay/PROVENANCE.md) for the issue-22 tests."""

import gzip
import json
from pathlib import Path

import polars as pl
import pytest

from transforms import cftc, fiscal, fred, nyfed
from transforms.marts_registry import Frames
from transforms.units import to_billions

ROOT = Path(__file__).resolve().parents[2]
REPLAY = ROOT / "replay"
SEEDS = ROOT / "warehouse" / "seeds"


def _fiscal(name: str, parser) -> pl.DataFrame:
    body = json.loads(gzip.decompress((REPLAY / "fiscaldata" / name).read_bytes()))
    frame, _ = fiscal.parse_fiscal_page(json.dumps({"data": body["data"], "meta": body["meta"]}).encode())
    return parser(frame)


def _fred_series(catalog: pl.DataFrame) -> pl.DataFrame:
    """Every catalog series the snapshot holds, parsed as the pipeline lands it."""
    files = {s: REPLAY / "fred" / "fredgraph" / f"{s}.csv" for s in catalog["series_id"]}
    series = [fred.parse_fredgraph_csv(path.read_bytes(), s) for s, path in files.items() if path.exists()]
    return pl.concat(series).join(catalog.select("series_id", "units"), on="series_id")


def load_replay_core() -> Frames:
    """Every source of the replay snapshot parsed as the pipeline would land it (latest version = the only one), by
    input name as the marts read them (transforms.marts_registry: FRED in $ billions, the ref table they read)."""
    catalog = pl.read_csv(SEEDS / "fred_series.csv", try_parse_dates=True)
    return {
        "fred_observations": to_billions(_fred_series(catalog).drop("units"), catalog),
        "ref.qt_cap_regimes": pl.read_csv(SEEDS / "qt_cap_regimes.csv", try_parse_dates=True),
        "nyfed_reference_rates": nyfed.parse_reference_rates_csv((REPLAY / "nyfed" / "rates_all.csv").read_bytes()),
        "nyfed_rp_operations": nyfed.parse_rp_operations_json(
            gzip.decompress((REPLAY / "nyfed" / "rp_operations.json.gz").read_bytes())
        ),
        "treasury_auctions": _fiscal("auctions_query.json.gz", fiscal.parse_auctions),
        "dts_operating_cash_balance": _fiscal("operating_cash_balance.json.gz", fiscal.parse_operating_cash_balance),
        "cftc_tff": pl.concat([cftc.parse_tff_zip(p.read_bytes()) for p in sorted((REPLAY / "cftc").glob("*.zip"))]),
    }


@pytest.fixture(scope="session")
def replay_core() -> Frames:
    """The replay snapshot's core frames, parsed once per session."""
    return load_replay_core()
