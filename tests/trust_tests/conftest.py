"""Core frames of the committed replay snapshot (real recordings, replay/PROVENANCE.md) for the issue-22 tests."""

import gzip
import json
from pathlib import Path

import polars as pl
import pytest

from flows.marts import CoreFrames
from transforms import cftc, fiscal, fred, nyfed
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


def load_replay_core() -> CoreFrames:
    """Every source of the replay snapshot parsed as the pipeline would land it (latest version = the only one)."""
    catalog = pl.read_csv(SEEDS / "fred_series.csv", try_parse_dates=True)
    return CoreFrames(
        fred_bn=to_billions(_fred_series(catalog).drop("units"), catalog),
        cap_regimes=pl.read_csv(SEEDS / "qt_cap_regimes.csv", try_parse_dates=True),
        rates=nyfed.parse_reference_rates_csv((REPLAY / "nyfed" / "rates_all.csv").read_bytes()),
        rp_ops=nyfed.parse_rp_operations_json(gzip.decompress((REPLAY / "nyfed" / "rp_operations.json.gz")
                                                              .read_bytes())),
        auctions=_fiscal("auctions_query.json.gz", fiscal.parse_auctions),
        tga=fiscal.tga_closing_balance(_fiscal("operating_cash_balance.json.gz", fiscal.parse_operating_cash_balance)),
        cftc=pl.concat([cftc.parse_tff_zip(p.read_bytes()) for p in sorted((REPLAY / "cftc").glob("*.zip"))]),
    )


@pytest.fixture(scope="session")
def replay_core() -> CoreFrames:
    """The replay snapshot's core frames, parsed once per session."""
    return load_replay_core()
