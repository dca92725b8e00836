"""The plumbing marts computed from the committed replay snapshot with the shared parsers (no network, no Prefect)."""

import gzip
import json
from pathlib import Path

import polars as pl
import pytest

from flows.marts import MART_BUILDERS, CoreFrames
from transforms import cftc, fiscal, fred, nyfed, nyfed_pd, ofr_stfm
from transforms.units import round_amounts, to_billions

ROOT = Path(__file__).resolve().parents[2]
REPLAY = ROOT / "replay"
SEEDS = ROOT / "warehouse" / "seeds"
PLUMBING = ("funding_daily", "funding_calendar", "dealer_positions_weekly", "repo_segments_daily", "funding_events",
            "basis_weekly")


def _fiscal(name: str, parser) -> pl.DataFrame:
    body = json.loads(gzip.decompress((REPLAY / "fiscaldata" / name).read_bytes()))
    frame, _ = fiscal.parse_fiscal_page(json.dumps({"data": body["data"], "meta": body["meta"]}).encode())
    return parser(frame)


@pytest.fixture(scope="session")
def plumbing_core() -> CoreFrames:
    """Every source of the replay snapshot parsed as the pipeline lands it (no OFR recording: an empty frame)."""
    catalog = pl.read_csv(SEEDS / "fred_series.csv", try_parse_dates=True)
    series = [fred.parse_fredgraph_csv((REPLAY / "fred" / "fredgraph" / f"{s}.csv").read_bytes(), s)
              for s in catalog["series_id"]]
    observations = pl.concat(series).join(catalog.select("series_id", "units"), on="series_id")
    return CoreFrames(
        fred_bn=to_billions(observations.drop("units"), catalog),
        cap_regimes=pl.read_csv(SEEDS / "qt_cap_regimes.csv", try_parse_dates=True),
        rates=nyfed.parse_reference_rates_csv((REPLAY / "nyfed" / "rates_all.csv").read_bytes()),
        rp_ops=nyfed.parse_rp_operations_json(gzip.decompress((REPLAY / "nyfed" / "rp_operations.json.gz")
                                                              .read_bytes())),
        auctions=_fiscal("auctions_query.json.gz", fiscal.parse_auctions),
        tga=fiscal.tga_closing_balance(_fiscal("operating_cash_balance.json.gz", fiscal.parse_operating_cash_balance)),
        cftc=pl.concat([cftc.parse_tff_zip(p.read_bytes()) for p in sorted((REPLAY / "cftc").glob("*.zip"))]),
        nyfed_pd=nyfed_pd.parse_pd_json((REPLAY / "nyfed" / "pd_get.json").read_bytes()),
        ofr_stfm=pl.DataFrame(schema=ofr_stfm.SCHEMA),
    )


@pytest.fixture(scope="session")
def plumbing_marts(plumbing_core: CoreFrames) -> dict[str, pl.DataFrame]:
    """The marts the plumbing work reads or adds, built as publish_marts builds them (rounded amounts)."""
    return {name: round_amounts(MART_BUILDERS[name](plumbing_core)) for name in PLUMBING}
