"""Issue 28 item 12: the Standing Repo Facility's offering rate (its minimum bid rate, in each operation's `details`)
was dropped: in no column, not in `extra`, no warning. It is kept in raw `extra.minimumBidRate` and a change within a
batch is reported; a detail field qtwatch has never seen is kept and named as drift.

Real recorded bodies: the NY Fed cassette of 2026-02-06 (tests/fixtures/nyfed/README.md) and the replay snapshot's
operations (replay/PROVENANCE.md), where the rate moves 4.50% -> 4.25% on 2025-09-18 and -> 4.00% on 2025-10-30,
the day after the FOMC's 2025-09-17 and 2025-10-29 decisions (Federal Reserve implementation notes: "minimum bid
rate of 4.25 percent", "... of 4 percent")."""

from __future__ import annotations

import json
import logging
from datetime import date
from pathlib import Path

import polars as pl

from flows.sources import Window
from flows.sources import nyfed as fetch_nyfed
from tests.conftest import fetch_request
from tests.support.flow_runs import replay_session
from transforms.nyfed import KNOWN_UNMODELLED_RP_FIELDS, parse_rp_operations_json, unknown_fields

OPS_2026 = (
    Path(__file__).resolve().parents[1] / "fixtures" / "nyfed" / "rp_all_all_results_lastTwoWeeks_2026-02-06.json"
)


def _extra(frame: pl.DataFrame, operation_id: str) -> dict:
    return json.loads(frame.filter(pl.col("operation_id") == operation_id)["extra"][0] or "{}")


def test_the_srf_minimum_bid_rate_is_kept_in_extra() -> None:
    frame = parse_rp_operations_json(OPS_2026.read_bytes())
    assert _extra(frame, "RP 020626 25")["minimumBidRate"] == 3.75  # SRF, morning operation, recorded
    assert "minimumBidRate" not in _extra(frame, "RP 020626 26")  # ON RRP: its rate is the award rate
    assert unknown_fields(frame, KNOWN_UNMODELLED_RP_FIELDS) == []  # a known field: no drift line every day


def test_a_change_of_the_srf_rate_is_reported(caplog) -> None:
    session, _ = replay_session(date(2025, 11, 7))
    request = fetch_request("nyfed_repo", window=Window(date(2025, 9, 10), date(2025, 11, 7)))
    with caplog.at_level(logging.WARNING):
        batch = fetch_nyfed.fetch_operations(session, request)
    rates = {json.loads(e)["minimumBidRate"] for e in batch.frame["extra"].drop_nulls() if "minimumBid" in e}
    assert rates == {4.5, 4.25, 4.0}
    text = caplog.text
    assert (
        "SRF minimum bid rate 4.50% -> 4.25% from 2025-09-18; SRF minimum bid rate 4.25% -> 4.00% from 2025-10-30 "
        "(kept in raw extra.minimumBidRate)"
    ) in text
    assert sum("minimumBidRate" in r.getMessage() for r in caplog.records) == 1  # one line for all the changes


def test_an_unknown_detail_field_is_kept_and_named_as_drift() -> None:
    body = json.loads(OPS_2026.read_text())
    body["repo"]["operations"][0]["details"][0]["percentCapRate"] = 4.0  # SYNTHETIC new detail field
    frame = parse_rp_operations_json(json.dumps(body).encode())
    assert _extra(frame, "RP 020626 25")["details.percentCapRate"] == 4.0
    assert unknown_fields(frame, KNOWN_UNMODELLED_RP_FIELDS) == ["details.percentCapRate"]
