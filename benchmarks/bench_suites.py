"""Per-suite validation cost on the bundled replay's full recorded history: rules and median seconds per suite.

Run: .venv/bin/python -m benchmarks.bench_suites [--repeats N] [--json PATH]. Batches come from `replay/` (the
project's own recorded snapshot) through the project's parsers and mart builders; prints one line per suite.
"""

# A command-line report, not library code: printing is its output.
# ruff: noqa: T201

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
REPLAY = ROOT / "replay"


def _replay(rel: str) -> bytes:
    """One replay file, gunzipped when it is a .gz file."""
    data = (REPLAY / rel).read_bytes()
    return gzip.decompress(data) if rel.endswith(".gz") else data


def raw_batches() -> dict[str, pl.DataFrame]:
    """Every raw dataset's full recorded history, parsed as a live run parses it."""
    from expectations.fred_observations import catalog
    from transforms import cftc, fiscal, fred, nyfed

    units = {e["series_id"]: e["units"] for e in catalog()}
    observations = pl.concat(
        [
            fred.parse_fredgraph_csv(p.read_bytes(), p.stem)
            for p in sorted((REPLAY / "fred/fredgraph").glob("*.csv"))
            if p.stem in units
        ]
    )
    auctions, _ = fiscal.parse_fiscal_page(_replay("fiscaldata/auctions_query.json.gz"))
    dts, _ = fiscal.parse_fiscal_page(_replay("fiscaldata/operating_cash_balance.json.gz"))
    return {
        "fred_observations": observations.with_columns(units=pl.col("series_id").replace_strict(units)),
        "treasury_auctions": fiscal.parse_auctions(auctions),
        "nyfed_reference_rates": nyfed.parse_reference_rates_csv(_replay("nyfed/rates_all.csv")),
        "nyfed_rp_operations": nyfed.parse_rp_operations_json(_replay("nyfed/rp_operations.json.gz")),
        "dts_operating_cash_balance": fiscal.parse_operating_cash_balance(dts),
        "cftc_tff": pl.concat([cftc.parse_tff_zip(p.read_bytes()) for p in sorted((REPLAY / "cftc").glob("*.zip"))]),
    }


def mart_batches(raw: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The marts the transforms build from those batches alone (no warehouse needed)."""
    from transforms import auction_health, basis, fiscal, funding, liquidity, runoff, tga, units

    catalog = pl.read_csv(ROOT / "warehouse/seeds/fred_series.csv")
    caps = pl.read_csv(ROOT / "warehouse/seeds/qt_cap_regimes.csv", try_parse_dates=True)
    fred_bn = units.to_billions(raw["fred_observations"].drop("units"), catalog)
    daily = funding.build_funding_daily(fred_bn, raw["nyfed_reference_rates"], raw["nyfed_rp_operations"])
    return {
        "liquidity_weekly": liquidity.build_liquidity_weekly(fred_bn),
        "qt_runoff_monthly": runoff.build_qt_runoff_monthly(fred_bn, caps),
        "funding_daily": daily,
        "tga_daily": tga.build_tga_daily(fiscal.tga_closing_balance(raw["dts_operating_cash_balance"])),
        "auction_health": auction_health.build_auction_health(raw["treasury_auctions"]),
        "basis_weekly": basis.build_basis_weekly(raw["cftc_tff"], daily),
    }


def main() -> None:
    """Validate every batch `--repeats` times (after one warm-up) and print rules and median seconds per suite."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    from expectations import Validator

    validator = Validator()
    raw = raw_batches()
    batches = {**raw, **mart_batches(raw)}
    figures = {}
    for dataset, frame in batches.items():
        validator.validate(dataset, frame)  # builds the suite and its validation definition
        seconds = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            verdict = validator.validate(dataset, frame)
            seconds.append(time.perf_counter() - started)
        median = sorted(seconds)[len(seconds) // 2]
        figures[dataset] = {
            "rows": frame.height,
            "rules": verdict.evaluated,
            "seconds": round(median, 3),
            "success": verdict.success,
        }
        print(
            f"{dataset:28s} rows={frame.height:7d} rules={verdict.evaluated:4d} median={median:6.3f} s "
            f"success={verdict.success}"
        )
    total = sum(f["seconds"] for f in figures.values())
    print(f"{'all suites':28s} rules={sum(f['rules'] for f in figures.values()):4d} sum of medians={total:6.3f} s")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
