"""NY Fed drift (issue 11 items 3-4): SOFRAI rows parse into their own columns, unknown rate types and fields are kept
and reported, never quarantined; two standing repo operations a day and a missing award rate are no error."""

import datetime as dt
import json
import logging
from pathlib import Path

import polars as pl
import pytest

from expectations import Validator
from flows.sources import nyfed as fetch_nyfed
from transforms.errors import ParseError
from transforms.funding import sum_srf_takeup
from transforms.nyfed import (
    KNOWN_UNMODELLED_RATE_FIELDS,
    KNOWN_UNMODELLED_RP_FIELDS,
    parse_reference_rates_csv,
    parse_rp_operations_json,
    unknown_fields,
    unknown_rate_types,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "nyfed"
SOFRAI_CSV = FIXTURES / "rates_all_sofrai_2026-02-05_06.csv"
SOFRAI_JSON = FIXTURES / "rates_all_latest_2026-02-06_refRates-extract.json"
OPS_2026 = FIXTURES / "rp_all_all_results_lastTwoWeeks_2026-02-06.json"


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator()


def test_sofrai_row_lands_in_its_own_columns():
    frame = parse_reference_rates_csv(SOFRAI_CSV.read_bytes())
    recorded = next(r for r in json.loads(SOFRAI_JSON.read_text()) if r["type"] == "SOFRAI")
    row = frame.filter(pl.col("rate_type") == "SOFRAI").row(0, named=True)
    assert row["effective_date"] == dt.date.fromisoformat(recorded["effectiveDate"])
    assert (row["sofr_avg_30d_pct"], row["sofr_avg_90d_pct"], row["sofr_avg_180d_pct"], row["sofr_index"]) == (
        recorded["average30day"],
        recorded["average90day"],
        recorded["average180day"],
        recorded["index"],
    )
    assert row["rate_pct"] is None
    assert frame.filter(pl.col("rate_type") != "SOFRAI")["sofr_index"].null_count() == 5


def test_a_batch_with_sofrai_passes_the_rates_suite(validator: Validator):
    frame = parse_reference_rates_csv(SOFRAI_CSV.read_bytes())
    outcome = validator.validate("nyfed_reference_rates", frame, as_of=dt.date(2026, 2, 6))
    assert outcome.success, outcome.failed_rules


def _with_new_type_and_field() -> bytes:
    """The SOFRAI download with one more column and a row of a rate type qtwatch does not know (a drift)."""
    lines = SOFRAI_CSV.read_text().splitlines()
    lines[0] += ",Settlement Window"
    lines[1:-1] = [line + "," for line in lines[1:-1]]
    lines.insert(1, lines[2].replace(",EFFR,", ",NEWRATE,") + "T+0")
    return "\n".join(lines).encode()


def test_unknown_rate_type_and_field_are_kept_not_quarantined(validator: Validator):
    frame = parse_reference_rates_csv(_with_new_type_and_field())
    assert unknown_rate_types(frame) == ["NEWRATE"]
    assert unknown_fields(frame, KNOWN_UNMODELLED_RATE_FIELDS) == ["Settlement Window"]
    new = frame.filter(pl.col("rate_type") == "NEWRATE").row(0, named=True)
    assert json.loads(new["extra"]) == {"Settlement Window": "T+0"} and new["rate_pct"] == 3.64
    outcome = validator.validate("nyfed_reference_rates", frame, as_of=dt.date(2026, 2, 6))
    assert outcome.success, outcome.failed_rules


def test_drift_is_logged_once(caplog):
    frame = parse_reference_rates_csv(_with_new_type_and_field())
    caplog.set_level(logging.WARNING, logger="qtwatch")
    fetch_nyfed.note_drift(
        "nyfed_rates", unknown_fields(frame, KNOWN_UNMODELLED_RATE_FIELDS), unknown_rate_types(frame)
    )
    lines = [r.getMessage() for r in caplog.records if r.name == "qtwatch"]
    assert lines == [
        "nyfed_rates: new field(s) kept in raw extra: Settlement Window; unknown rate type(s) kept as sent: NEWRATE"
    ]


def test_a_known_rate_without_its_rate_still_fails(validator: Validator):
    frame = parse_reference_rates_csv(SOFRAI_CSV.read_bytes()).with_columns(
        rate_pct=pl.when(pl.col("rate_type") == "SOFR").then(None).otherwise(pl.col("rate_pct"))
    )
    outcome = validator.validate("nyfed_reference_rates", frame)
    assert "rate_pct: not null when rate_type = SOFR" in outcome.failed_rules


def test_missing_required_column_names_the_column():
    text = SOFRAI_CSV.read_text().replace("Rate Type,", "Kind,", 1)
    with pytest.raises(ParseError, match="rate_type"):
        parse_reference_rates_csv(text.encode())


def test_two_standing_repo_operations_a_day_parse_and_count():
    frame = parse_rp_operations_json(OPS_2026.read_bytes())
    recorded = json.loads(OPS_2026.read_text())["repo"]["operations"]
    assert frame.height == len(recorded) == 33
    day = frame.filter(pl.col("operation_date") == dt.date(2026, 2, 5))
    repo = day.filter(pl.col("operation_type") == "Repo").sort("release_time")
    assert repo["release_time"].to_list() == ["08:15", "13:30"]
    assert repo["operation_method"].unique().to_list() == ["Full Allotment"]
    # a standing repo operation nobody used has no award rate: null, not an error
    unused = frame.filter(pl.col("operation_id") == "RP 020626 27")
    assert unused["total_amt_accepted_usd"].to_list() == [0.0] and unused["award_rate_pct"].to_list() == [None]
    expected = (
        sum(
            o["totalAmtAccepted"]
            for o in recorded
            if o["operationDate"] == "2026-02-05" and o["operationType"] == "Repo"
        )
        / 1e9
    )
    takeup = sum_srf_takeup(frame).filter(pl.col("date") == dt.date(2026, 2, 5))["srf_takeup_bn"].item()
    assert takeup == pytest.approx(expected)  # morning + afternoon: 0.001 + 0.002
    assert unknown_fields(frame, KNOWN_UNMODELLED_RP_FIELDS) == []


def test_operations_pass_their_suite(validator: Validator):
    frame = parse_rp_operations_json(OPS_2026.read_bytes())
    outcome = validator.validate("nyfed_rp_operations", frame, as_of=dt.date(2026, 2, 6))
    assert outcome.success, outcome.failed_rules
