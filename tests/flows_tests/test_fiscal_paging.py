"""Fiscal Data paging (issue 11 item 5): a unique sort key, `fields=` always holding it, `links.next` followed, and a
replay as strict as the API (400 for what it does not know, ties reshuffled between pages)."""

import gzip
import json
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs

import polars as pl
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from flows.http import SourceError, make_session
from flows.replay import ReplayAdapter, ReplayCall, fiscal_response
from flows.sources import Window, fiscal
from tests.conftest import fetch_request
from tests.support.flow_runs import FIXTURES, REPLAY, fast_policy
from transforms import fiscal as parse
from transforms.registry import FISCALDATA, SOURCES

CASSETTE = FIXTURES / "fiscal" / "auctions_query_bills_2026-01.json.gz"
PASTED = next((FIXTURES / "fiscal").glob("debt_to_penny_v2_*_page-size-2_2026-05-12.pasted.json"))
JANUARY = Window(date(2026, 1, 1), date(2026, 1, 31))


def replay_session(**adapter) -> tuple:
    replay = ReplayAdapter(REPLAY, JANUARY.end, **adapter)
    return make_session(fast_policy(), "qtwatch-tests", adapter=replay), replay


def recorded_keys(window: Window) -> set[tuple[str, str]]:
    """(cusip, auction_date) of every snapshot auction in the window, read from the file itself."""
    data = json.loads(gzip.decompress((REPLAY / "fiscaldata" / "auctions_query.json.gz").read_bytes()))["data"]
    return {
        (r["cusip"], r["auction_date"])
        for r in data
        if window.start.isoformat() <= r["auction_date"] <= window.end.isoformat()
    }


def test_requests_sort_by_the_unique_key_and_name_it_in_fields():
    session, replay = replay_session()
    fiscal.fetch_auctions(session, fetch_request("auctions", JANUARY))
    query = parse_qs(replay.requests[0].split("?", 1)[1])
    assert query["sort"] == ["auction_date,cusip"]
    assert {"auction_date", "cusip"} <= set(query["fields"][0].split(","))
    session, replay = replay_session()
    fiscal.fetch_dts(session, fetch_request("dts", JANUARY))
    assert parse_qs(replay.requests[0].split("?", 1)[1])["sort"] == ["record_date,account_type"]


def test_multi_page_read_with_ties_returns_every_auction_once(monkeypatch):
    monkeypatch.setattr(fiscal, "PAGE_SIZE", 7)  # January 2026 holds ~40 auctions, several per date: 5+ pages
    session, replay = replay_session(seed=11)
    batch = fiscal.fetch_auctions(session, fetch_request("auctions", JANUARY))
    keys = list(zip(batch.frame["cusip"], batch.frame["auction_date"].cast(pl.Utf8), strict=True))
    assert len(replay.requests) >= 5
    assert len(keys) == len(set(keys)) and set(keys) == recorded_keys(JANUARY)


def test_a_date_only_sort_loses_rows_on_the_strict_replay(monkeypatch):
    """The hazard itself: sorting on a non-unique field, ties come in another order on each page."""
    session, _ = replay_session(seed=11)
    monkeypatch.setattr(fiscal, "PAGE_SIZE", 7)
    frame, _ = fiscal.fetch_pages(
        session,
        FISCALDATA.base_url + fiscal.AUCTIONS_ENDPOINT,
        "auction_date",
        JANUARY,
        "auctions",
        parse.parse_auctions,
        list(parse.AUCTIONS_SCHEMA),
        key=(),
    )
    keys = set(zip(frame["cusip"], frame["auction_date"].cast(pl.Utf8), strict=True))
    assert frame.height != len(keys) or keys != recorded_keys(JANUARY)


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("sorts", "auction_date"),
        ("filter", "auction_day:gte:2026-01-01"),
        ("sort", "-auction_day"),
        ("fields", "cusip,yield_pct"),
        ("format", "xml"),
    ],
    ids=["unknown-parameter", "unknown-filter-field", "unknown-sort", "unknown-field", "format"],
)
def test_strict_replay_answers_400_like_the_api(param: str, value: str):
    session, _ = replay_session()
    url = FISCALDATA.base_url + fiscal.AUCTIONS_ENDPOINT
    response = session.get(url, params={param: value, "page[size]": "10"})
    assert response.status_code == 400
    assert response.json()["error"] == "Invalid Query Param" and param in response.json()["message"]


def _cassette_server(
    httpserver: HTTPServer, tmp_path: Path, page_size_cap: int | None = None, links: bool = True
) -> None:
    """A local Fiscal Data serving the real cassette's 25 records with the replay's API rules (paging, ties)."""
    (tmp_path / "fiscaldata").mkdir()
    body = json.loads(gzip.decompress(CASSETTE.read_bytes()))
    dataset = {"data": body["data"], "meta": {k: body["meta"][k] for k in ("labels", "dataTypes", "dataFormats")}}
    (tmp_path / "fiscaldata" / "a.json.gz").write_bytes(gzip.compress(json.dumps(dataset).encode()))

    def handler(request: Request) -> Response:
        query = {k: v for k, v in request.args.items()}
        if page_size_cap:
            query["page[size]"] = str(page_size_cap)  # the server pages smaller than asked, as a proxy might
        page = fiscal_response(
            ReplayCall(tmp_path, "fiscaldata_url", "", query, None, seed=5),
            "fiscaldata/a.json.gz",
            auctions=False,
            release=SOURCES["auctions"].release,
        )
        if not links:
            page.pop("links")
        elif page_size_cap:
            page["meta"].pop("total-pages")  # only links.next says there is more
        return Response(json.dumps(page), content_type="application/json")

    httpserver.expect_request("/services/api/fiscal_service/v1/accounting/od/auctions_query").respond_with_handler(
        handler
    )


def test_contract_real_auctions_over_several_pages_with_ties(httpserver: HTTPServer, tmp_path: Path):
    _cassette_server(httpserver, tmp_path, page_size_cap=4)
    request = fetch_request("auctions", JANUARY)
    request = type(request)(**{**request.__dict__, "base_url": httpserver.url_for("/services/api/fiscal_service/")})
    batch = fiscal.fetch_auctions(make_session(fast_policy(), "qtwatch-tests"), request)
    recorded = json.loads(gzip.decompress(CASSETTE.read_bytes()))["data"]
    assert len(httpserver.log) == 7  # 25 records, 4 a page, followed through links.next alone
    assert batch.frame.height == len(recorded) == 25
    by_cusip = {(r["cusip"], r["auction_date"]): r for r in recorded}
    for row in batch.frame.iter_rows(named=True):
        wire = by_cusip[(row["cusip"], row["auction_date"].isoformat())]
        assert row["high_discnt_rate"] == float(wire["high_discnt_rate"])
        assert row["bid_to_cover_ratio"] == float(wire["bid_to_cover_ratio"])
        assert row["total_accepted"] == float(wire["total_accepted"])
        assert row["inflation_index_security"] == wire["inflation_index_security"] == "No"
        assert row["floating_rate"] == wire["floating_rate"]


def test_next_page_reads_the_real_links_fragment():
    meta = json.loads(PASTED.read_text())
    links = meta["links"]
    assert fiscal.next_page(links, 1, meta["meta"]["total-pages"]) == 2
    assert fiscal.next_page({**links, "next": None}, 1, 4153) is None
    assert fiscal.next_page({}, 3, 3) is None and fiscal.next_page({}, 2, 3) == 3


def test_a_missing_required_field_names_source_field_and_url(httpserver: HTTPServer):
    body = json.loads(gzip.decompress(CASSETTE.read_bytes()))
    for record in body["data"]:
        del record["bid_to_cover_ratio"]
    httpserver.expect_request("/x/v1/accounting/od/auctions_query").respond_with_json(body)
    request = fetch_request("auctions", JANUARY)
    request = type(request)(**{**request.__dict__, "base_url": httpserver.url_for("/x/")})
    with pytest.raises(SourceError) as caught:
        fiscal.fetch_auctions(make_session(fast_policy(), "qtwatch-tests"), request)
    message = str(caught.value)
    assert message.startswith("auctions: ") and "bid_to_cover_ratio" in message and httpserver.url_for("/x/") in message


@pytest.mark.parametrize("fields", ["security_type", "security_type,security_term"], ids=["one-field", "two-fields"])
def test_fields_returns_one_record_per_distinct_value_even_where_a_record_lacks_the_field(tmp_path: Path, fields):
    """`fields=` on the real cassette's records, one of which lost `security_type` (as a record of another dataset
    version might): distinct plain values, "null" for the missing one — never a value wrapped in a tuple."""
    (tmp_path / "fiscaldata").mkdir()
    body = json.loads(gzip.decompress(CASSETTE.read_bytes()))
    records = [dict(r) for r in body["data"]]
    del records[0]["security_type"]
    dataset = {"data": records, "meta": {k: body["meta"][k] for k in ("labels", "dataTypes", "dataFormats")}}
    (tmp_path / "fiscaldata" / "a.json.gz").write_bytes(gzip.compress(json.dumps(dataset).encode()))
    query = {"fields": fields, "page[size]": "100"}
    page = fiscal_response(
        ReplayCall(tmp_path, "fiscaldata_url", "", query, None),
        "fiscaldata/a.json.gz",
        auctions=False,
        release=SOURCES["auctions"].release,
    )
    names = fields.split(",")
    expected = {tuple(r.get(f, "null") for f in names) for r in records}
    assert [list(r) for r in page["data"]] == [names] * len(page["data"])
    assert {tuple(r[f] for f in names) for r in page["data"]} == expected and len(page["data"]) == len(expected)
    assert all(isinstance(r[f], str) for r in page["data"] for f in names)
