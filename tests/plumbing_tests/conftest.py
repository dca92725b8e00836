"""The plumbing marts computed from the committed replay snapshot with the shared parsers (no network, no Prefect)."""

import gzip
import json
from pathlib import Path

import polars as pl
import pytest

from transforms import cftc, fiscal, fred, nyfed, nyfed_pd, ofr_stfm
from transforms.marts_registry import build_marts
from transforms.units import to_billions

ROOT = Path(__file__).resolve().parents[2]
REPLAY = ROOT / "replay"
SEEDS = ROOT / "warehouse" / "seeds"
# The plumbing marts that read the others: building them builds every mart they read (funding_daily,
# funding_calendar, dealer_positions_weekly, repo_segments_daily, ...), each once, through the mart registry.
READERS = ("funding_events", "basis_weekly")


def _fiscal(name: str, parser) -> pl.DataFrame:
    body = json.loads(gzip.decompress((REPLAY / "fiscaldata" / name).read_bytes()))
    frame, _ = fiscal.parse_fiscal_page(json.dumps({"data": body["data"], "meta": body["meta"]}).encode())
    return parser(frame)


@pytest.fixture(scope="session")
def plumbing_core() -> dict[str, pl.DataFrame]:
    """Every source of the replay snapshot parsed as the pipeline lands it, by input name as the mart registry reads
    it (FRED in $ billions; no OFR recording: an empty frame)."""
    catalog = pl.read_csv(SEEDS / "fred_series.csv", try_parse_dates=True)
    series = [
        fred.parse_fredgraph_csv((REPLAY / "fred" / "fredgraph" / f"{s}.csv").read_bytes(), s)
        for s in catalog["series_id"]
        if (REPLAY / "fred" / "fredgraph" / f"{s}.csv").exists()
    ]  # recorded
    observations = pl.concat(series).join(catalog.select("series_id", "units"), on="series_id")
    return {
        "fred_observations": to_billions(observations.drop("units"), catalog),
        "ref.qt_cap_regimes": pl.read_csv(SEEDS / "qt_cap_regimes.csv", try_parse_dates=True),
        "nyfed_reference_rates": nyfed.parse_reference_rates_csv((REPLAY / "nyfed" / "rates_all.csv").read_bytes()),
        "nyfed_rp_operations": nyfed.parse_rp_operations_json(
            gzip.decompress((REPLAY / "nyfed" / "rp_operations.json.gz").read_bytes())
        ),
        "treasury_auctions": _fiscal("auctions_query.json.gz", fiscal.parse_auctions),
        "dts_operating_cash_balance": _fiscal("operating_cash_balance.json.gz", fiscal.parse_operating_cash_balance),
        "cftc_tff": pl.concat([cftc.parse_tff_zip(p.read_bytes()) for p in sorted((REPLAY / "cftc").glob("*.zip"))]),
        "nyfed_pd": nyfed_pd.parse_pd_json((REPLAY / "nyfed" / "pd_get.json").read_bytes()),
        "ofr_stfm": pl.DataFrame(schema=ofr_stfm.SCHEMA),
    }


@pytest.fixture(scope="session")
def plumbing_marts(plumbing_core: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The plumbing marts and every mart they read, built as publish_marts builds them (each once, amounts rounded)."""
    return build_marts(plumbing_core, READERS)
