"""Replay builder for the NY Fed Primary Dealer Statistics: `nyfed/pd_get.json`, the body `pd/get/{KEYIDS}.json`
returns for every recorded key id (`{"pd": {"timeseries": [{"asofdate", "keyid", "value"}, ...]}}`)."""

import json
from pathlib import Path

RECORDING = "cassettes/nyfed/pd_get_16-keyids_2021-12-01_2022-02-16-excerpt_fetched-2026-09-11.payload.json"
TARGET = "nyfed/pd_get.json"


def observations(real_dir: Path) -> list[dict]:
    """Every recorded observation, fields and values as the API sent them, in recorded order (key id by key id)."""
    wrapper = json.loads((real_dir / RECORDING).read_text())
    return [row for series in wrapper["series"] for row in series["body"]["pd"]["timeseries"]]


def build(real_dir: Path, out_dir: Path) -> list[dict]:
    """Write `nyfed/pd_get.json`; one manifest entry."""
    rows = observations(real_dir)
    (out_dir / "nyfed").mkdir(parents=True, exist_ok=True)
    (out_dir / TARGET).write_text(json.dumps({"pd": {"timeseries": rows}}, indent=1) + "\n")
    dates = sorted({r["asofdate"] for r in rows})
    keyids = sorted({r["keyid"] for r in rows})
    suppressed = sum(r["value"] == "*" for r in rows)
    notes = (f"the recorder's 16 `pd/get/{{keyid}}.json` bodies (class B excerpt: weeks {dates[0]}..{dates[-1]} "
             f"only) merged into the one body `pd/get/{{K1_K2_...}}.json` returns; {len(keyids)} key ids, "
             f"{suppressed} suppressed cells kept as \"*\"; PDPOSGSC-G11L21 and -G21 start 2022-01-05 (SBN2022); "
             "no TIPS or FRN key id was recorded, and no week after 2022-02-16")
    return [{"file": TARGET, "source": "nyfed_pd", "recorded_from": [RECORDING], "rows": len(rows),
             "first_date": dates[0], "last_date": dates[-1], "notes": notes}]
