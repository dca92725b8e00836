"""What the docs claim about the data is computed from the data: auction coverage, the IORB carry-forward limit."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

from transforms.funding import IORB_MAX_STALENESS
from transforms.marts_registry import MARTS

ROOT = Path(__file__).resolve().parents[1]


def _coverage() -> tuple[Counter, Counter, str, str]:
    records = json.loads(gzip.decompress((ROOT / "replay/fiscaldata/auctions_query.json.gz").read_bytes()))["data"]
    held, with_results = Counter(), Counter()
    for r in records:
        key = (r["auction_date"][:4], "bill" if r["security_type"] in ("Bill", "CMB") else "coupon")
        held[key] += 1
        with_results[key] += r["bid_to_cover_ratio"] != "null"
    dates = sorted(r["auction_date"] for r in records if r["bid_to_cover_ratio"] != "null")
    return held, with_results, dates[0], dates[-1]


def test_readme_states_the_auction_result_coverage_of_the_snapshot() -> None:
    held, results, first, last = _coverage()
    line = next(line for line in (ROOT / "README.md").read_text().splitlines() if "Treasury auctions (Fiscal" in line)
    assert f"{first} → {last}" in line
    assert f"{results['2025', 'coupon']} of the {held['2025', 'coupon']} note and bond auctions of 2025" in line
    assert f"{results['2025', 'bill']} of its {held['2025', 'bill']} bill auctions" in line
    total_2026 = held["2026", "bill"] + held["2026", "coupon"]
    assert results["2026", "bill"] + results["2026", "coupon"] == total_2026
    assert f"all {total_2026} auctions recorded for 2026 ({held['2026', 'bill']} bills" in line


def test_iorb_column_comment_states_the_carry_forward_limit() -> None:
    comment = MARTS["funding_daily"].columns["iorb_pct"]  # the registry's comment is the DDL's (generated)
    assert f"at most {IORB_MAX_STALENESS.days} days" in comment


def test_analyst_guide_does_not_claim_the_pypi_cli_cannot_open_the_file() -> None:
    guide = (ROOT / "docs/analyst-guide.md").read_text()
    assert "cannot open it" not in guide and "`.venv/bin/duckdb`" in guide
