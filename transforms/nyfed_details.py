"""What qtwatch keeps of a NY Fed operation's `details` beyond the award rate (issue 28 item 12): the Standing Repo
Facility's minimum bid rate (its offering rate: 4.50% -> 4.25% on 2025-09-18, -> 4.00% on 2025-10-30 in the recorded
operations) goes to `extra.minimumBidRate`, and a detail field qtwatch has never seen to `extra["details.<name>"]`
(then named as drift by `unknown_fields`). Nothing the NY Fed sends is dropped silently."""

from __future__ import annotations

import json
from typing import Any

import polars as pl

MIN_BID = "minimumBidRate"
# Detail fields qtwatch reads (award rates) or knows and leaves out (per-security amounts, the spread of accepted
# rates, the ON RRP offering rate, which equals its award rate): not reported as drift.
KNOWN_DETAIL_FIELDS = frozenset(
    {
        "securityType",
        "amtSubmitted",
        "amtAccepted",
        "percentAwardRate",
        "percentWeightedAverageRate",
        "percentHighRate",
        "percentLowRate",
        "percentStopOutRate",
        "percentOfferingRate",
        MIN_BID,
    }
)


def detail_extras(details: Any) -> dict[str, Any]:
    """The operation's minimum bid rate (one number when every security type has the same, else per type) and any
    unknown detail field (its distinct values), keyed as they go into `extra`."""
    rows = [d for d in details if isinstance(d, dict)] if isinstance(details, list) else []
    kept: dict[str, Any] = {}
    bids = {str(d.get("securityType")): d[MIN_BID] for d in rows if d.get(MIN_BID) not in (None, "")}
    if bids:
        kept[MIN_BID] = next(iter(bids.values())) if len(set(bids.values())) == 1 else bids
    for name in sorted({k for d in rows for k in d} - KNOWN_DETAIL_FIELDS):
        values = list(dict.fromkeys(json.dumps(d[name]) for d in rows if d.get(name) not in (None, "")))
        if values:
            kept[f"details.{name}"] = json.loads(values[0]) if len(values) == 1 else [json.loads(v) for v in values]
    return kept


def minimum_bid_changes(frame: pl.DataFrame) -> list[str]:
    """One line per change of the SRF minimum bid rate within a batch of operations, in date order."""
    if frame.is_empty() or "extra" not in frame.columns:
        return []
    rates = (
        frame.filter(pl.col("extra").str.contains(MIN_BID, literal=True))
        .sort("operation_date", "operation_id")
        .select("operation_date", "extra")
    )
    lines, previous = [], None
    for day, extra in rates.iter_rows():
        rate = json.loads(extra).get(MIN_BID)
        if previous is not None and rate != previous:
            lines.append(f"SRF minimum bid rate {_pct(previous)} -> {_pct(rate)} from {day}")
        previous = rate
    return lines


def _pct(rate: Any) -> str:
    return f"{rate:.2f}%" if isinstance(rate, int | float) else json.dumps(rate)
