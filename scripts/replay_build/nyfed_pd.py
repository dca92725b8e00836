"""Replay builder for the NY Fed Primary Dealer Statistics: `nyfed/pd_get.json`, the body `pd/get/{KEYIDS}.json`
returns for every recorded key id (`{"pd": {"timeseries": [{"asofdate", "keyid", "value"}, ...]}}`)."""

import csv
import json
from pathlib import Path

RECORDING = "cassettes/nyfed/pd_get_16-keyids_2021-12-01_2022-02-16-excerpt_fetched-2026-09-11.payload.json"
# Lines of the NY Fed's primary-dealer history export kept by eleonorabjornberg/repo-market-model (see
# tests/fixtures/nyfed/README.md): the positions key ids of seven weeks of 2025 and 2026, committed in the checkout.
EXPORT_EXTRACT = (
    Path(__file__).resolve().parents[2]
    / "tests"
    / "fixtures"
    / "nyfed"
    / ("pd_positions_export_extract_2025-03-26_2026-04-08.csv")
)
TARGET = "nyfed/pd_get.json"


def observations(real_dir: Path) -> list[dict]:
    """Every recorded observation, fields and values as the API sent them, in recorded order (key id by key id)."""
    wrapper = json.loads((real_dir / RECORDING).read_text())
    recorded = [row for series in wrapper["series"] for row in series["body"]["pd"]["timeseries"]]
    return recorded + export_rows()


def export_rows() -> list[dict]:
    """The export extract's lines as API observations (asofdate, keyid, value: recorded strings), by key id."""
    with EXPORT_EXTRACT.open(newline="") as handle:
        rows = [{"asofdate": d, "keyid": k, "value": v} for d, k, v in list(csv.reader(handle))[1:]]
    return sorted(rows, key=lambda r: (r["keyid"], r["asofdate"]))


def build(real_dir: Path, out_dir: Path) -> list[dict]:
    """Write `nyfed/pd_get.json`; one manifest entry."""
    rows = observations(real_dir)
    (out_dir / "nyfed").mkdir(parents=True, exist_ok=True)
    (out_dir / TARGET).write_text(json.dumps({"pd": {"timeseries": rows}}, indent=1) + "\n")
    dates = sorted({r["asofdate"] for r in rows})
    keyids = sorted({r["keyid"] for r in rows})
    suppressed = sum(r["value"] == "*" for r in rows)
    notes = (
        f"the recorder's 16 `pd/get/{{keyid}}.json` bodies (class B excerpt: weeks 2021-12-01..2022-02-16) and "
        "the 14 positions key ids (bills, FRNs, coupon and TIPS buckets, total) of 2025-03-26..04-16 and "
        "2026-03-25..04-08 from a public copy of the NY Fed history export (tests/fixtures/nyfed/README.md), "
        f"merged into the one body `pd/get/{{K1_K2_...}}.json` returns; {len(keyids)} key ids, {suppressed} "
        'suppressed cells kept as "*"; no week between 2022-02-16 and 2025-03-26 nor between 2025-04-16 and '
        "2026-03-25; financing and fails only in 2021-22"
    )
    return [
        {
            "file": TARGET,
            "source": "nyfed_pd",
            "recorded_from": [RECORDING, EXPORT_EXTRACT.name],
            "rows": len(rows),
            "first_date": dates[0],
            "last_date": dates[-1],
            "notes": notes,
        }
    ]
