"""Contract tests: each real recorded body (tests/fixtures/*/README.md) goes through the real fetcher and parser
over HTTP (`responses`), and the values asserted are read from the recording itself."""

import csv
import gzip
import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import responses

from flows.http import make_session
from flows.replay import ReplayAdapter
from flows.sources import Window, fiscal, fred, nyfed
from tests.conftest import fetch_request
from tests.support.flow_runs import FIXTURES, REPLAY, fast_policy
from transforms.registry import FISCALDATA, FRED_API_URL, FREDGRAPH_URL, NYFED, SOURCES

API_KEY = "abcdefabcdef0123456789spinetests"  # synthetic, the shape of a FRED key


def session():
    return make_session(fast_policy(), "qtwatch-tests")


def test_fredgraph_walcl_download():
    body = (FIXTURES / "fred" / "fredgraph_WALCL_fetched-2025-08-11.csv").read_bytes()
    rows = list(csv.reader(body.decode().splitlines()))[1:]
    with responses.RequestsMock() as mocked:
        mocked.get(FREDGRAPH_URL, body=body, content_type="text/csv")
        frame, url = fred.fetch_fredgraph(session(), "WALCL", Window(None, date(2025, 8, 11)))
    assert frame.height == len(rows)
    assert frame.row(-1) == ("WALCL", date.fromisoformat(rows[-1][0]), float(rows[-1][1]))
    assert "id=WALCL" in url


def test_fred_api_series_and_observations_with_dots():
    meta = (FIXTURES / "fred" / "series_SOFR.json").read_bytes()
    body = (FIXTURES / "fred" / "series_observations_RIFSPPAAAD30NB_2024-01-01_2024-02-01.json").read_bytes()
    recorded = json.loads(body)["observations"]
    with responses.RequestsMock() as mocked:
        mocked.get(FRED_API_URL + "series", body=meta, content_type="application/json")
        mocked.get(FRED_API_URL + "series/observations", body=body, content_type="application/json")
        frame, url, units = fred.fetch_api(
            session(), "RIFSPPAAAD30NB", Window(date(2024, 1, 1), date(2024, 2, 1)), API_KEY
        )
    assert units == json.loads(meta)["seriess"][0]["units"] == "Percent"
    assert frame.height == len(recorded)
    assert frame["value"].null_count() == sum(o["value"] == "." for o in recorded) > 0
    assert frame.filter(pl.col("value").is_not_null())["value"].to_list() == [
        float(o["value"]) for o in recorded if o["value"] != "."
    ]
    assert API_KEY not in url


def test_nyfed_rates_download_with_sofrai():
    body = (FIXTURES / "nyfed" / "rates_all_sofrai_2026-02-05_06.csv").read_bytes()
    recorded = json.loads((FIXTURES / "nyfed" / "rates_all_latest_2026-02-06_refRates-extract.json").read_text())
    with responses.RequestsMock() as mocked:
        mocked.get(NYFED.base_url + nyfed.RATES_PATH, body=body, content_type="text/csv")
        batch = nyfed.fetch_rates(session(), fetch_request("nyfed_rates", Window(date(2026, 2, 5), date(2026, 2, 6))))
    by_type = {r["rate_type"]: r for r in batch.frame.iter_rows(named=True)}
    assert set(by_type) == {r["type"] for r in recorded}
    for rec in recorded:
        if "percentRate" in rec:
            assert by_type[rec["type"]]["rate_pct"] == rec["percentRate"]
            assert by_type[rec["type"]]["volume_bn"] == rec["volumeInBillions"]
    assert by_type["SOFRAI"]["sofr_index"] == next(r["index"] for r in recorded if r["type"] == "SOFRAI")


def test_nyfed_rates_csv_download_2026():
    body = (FIXTURES / "nyfed" / "rates_all_2026-08-03.csv").read_bytes()
    rows = [r for r in csv.DictReader(body.decode().splitlines()) if r["Rate Type"]]
    with responses.RequestsMock() as mocked:
        mocked.get(NYFED.base_url + nyfed.RATES_PATH, body=body, content_type="text/csv")
        batch = nyfed.fetch_rates(session(), fetch_request("nyfed_rates", Window(date(2026, 8, 3), date(2026, 8, 3))))
    assert sorted(zip(batch.frame["rate_type"], batch.frame["rate_pct"], strict=True)) == sorted(
        (r["Rate Type"], float(r["Rate (%)"])) for r in rows
    )


def test_nyfed_operations_2026():
    body = (FIXTURES / "nyfed" / "rp_all_all_results_lastTwoWeeks_2026-02-06.json").read_bytes()
    recorded = json.loads(body)["repo"]["operations"]
    with responses.RequestsMock() as mocked:
        mocked.get(NYFED.base_url + nyfed.RP_PATH, body=body, content_type="application/json")
        batch = nyfed.fetch_operations(
            session(), fetch_request("nyfed_repo", Window(date(2026, 1, 23), date(2026, 2, 6)))
        )
    frame = batch.frame
    assert frame.height == len(recorded)
    for op in recorded:
        row = frame.filter(pl.col("operation_id") == op["operationId"]).row(0, named=True)
        assert row["total_amt_accepted_usd"] == op["totalAmtAccepted"]
        assert row["term_calendar_days"] == op["termCalenderDays"]
        assert json.loads(row["extra"])["settlementType"] == op["settlementType"]


def test_fiscal_dts_operating_cash_balance():
    body = (FIXTURES / "fiscal" / "dts_operating_cash_balance_2025-07-07_2025-07-11.json").read_bytes()
    recorded = json.loads(body)["data"]
    with responses.RequestsMock() as mocked:
        mocked.get(FISCALDATA.base_url + fiscal.DTS_ENDPOINT, body=body, content_type="application/json")
        batch = fiscal.fetch_dts(session(), fetch_request("dts", Window(date(2025, 7, 7), date(2025, 7, 11))))
    frame = batch.frame
    assert frame.height == len(recorded)
    closing = [r for r in recorded if r["account_type"].endswith("Closing Balance")]
    assert closing and all(r["close_today_bal"] == "null" for r in closing)  # the balance sits in open_today_bal
    got = frame.filter(pl.col("account_type").str.ends_with("Closing Balance")).sort("record_date")
    assert got["open_today_bal"].to_list() == [
        float(r["open_today_bal"]) for r in sorted(closing, key=lambda r: r["record_date"])
    ]


def test_fiscal_auctions_single_recorded_page():
    body = gzip.decompress((FIXTURES / "fiscal" / "auctions_query_bills_2026-01.json.gz").read_bytes())
    recorded = json.loads(body)["data"]
    with responses.RequestsMock() as mocked:
        mocked.get(FISCALDATA.base_url + fiscal.AUCTIONS_ENDPOINT, body=body, content_type="application/json")
        batch = fiscal.fetch_auctions(session(), fetch_request("auctions", Window(date(2026, 1, 1), date(2026, 1, 31))))
    assert batch.frame.height == len(recorded) == 25
    assert sorted(batch.frame["cusip"]) == sorted(r["cusip"] for r in recorded)


@pytest.mark.parametrize(("setting", "status"), [("fredgraph_url", 403), ("nyfed_url", 429), ("fiscaldata_url", 503)])
def test_replay_injects_refusals_per_host(setting: str, status: int):
    adapter = ReplayAdapter(REPLAY, date(2026, 1, 5), refusals={setting: status})
    url = {
        "fredgraph_url": FREDGRAPH_URL + "?id=WALCL",
        "nyfed_url": NYFED.base_url + nyfed.RATES_PATH,
        "fiscaldata_url": FISCALDATA.base_url + fiscal.DTS_ENDPOINT,
    }[setting]
    response = make_session(fast_policy(retries=0), "t", adapter=adapter).get(url)
    assert response.status_code == status
    assert (response.headers.get("Retry-After") == "1") == (status in (429, 503))
    other = make_session(fast_policy(), "t", adapter=adapter).get(FREDGRAPH_URL + "?id=WALCL&coed=2026-01-05")
    assert (other.status_code == 200) == (setting != "fredgraph_url")


# Where each source's fetcher meets a real recorded body over HTTP (or its replay): this file for the first five, the
# source's own package for the later ones. A source registered without an entry fails the guard below.
CONTRACTS = {
    "fred": "tests/flows_tests/test_contracts.py::test_fredgraph_walcl_download",
    "nyfed_rates": "tests/flows_tests/test_contracts.py::test_nyfed_rates_download_with_sofrai",
    "nyfed_repo": "tests/flows_tests/test_contracts.py::test_nyfed_operations_2026",
    "dts": "tests/flows_tests/test_contracts.py::test_fiscal_dts_operating_cash_balance",
    "auctions": "tests/flows_tests/test_contracts.py::test_fiscal_auctions_single_recorded_page",
    "cftc": "tests/flows_tests/test_source_cftc.py::test_full_history_through_the_replay_adapter_is_every_recorded_row",
    "nyfed_pd": "tests/flows_tests/test_source_nyfed_pd.py::test_replay_adapter_serves_the_fetcher",
    "ofr_stfm": "tests/flows_tests/test_source_ofr_recordings.py::test_fetcher_over_http_lands_every_recorded_pair",
}


def test_every_source_has_a_contract_case_on_a_recorded_body():
    assert set(CONTRACTS) == set(SOURCES), "name the new source's recorded-body contract test in CONTRACTS"
    root = Path(__file__).resolve().parents[2]
    for node in CONTRACTS.values():
        path, _, name = node.partition("::")
        assert f"def {name}(" in (root / path).read_text(), f"{node} does not exist"
