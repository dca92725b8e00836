"""Source fetchers against the replay adapter: request windows, Fiscal Data pagination, and the as-of cut."""

import csv
import math
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import polars as pl
import pytest
import responses
from polars.testing import assert_frame_equal
from responses import matchers

from flows.replay import resolve
from flows.sources import Window, fiscal, fred, nyfed
from tests.conftest import fetch_request
from tests.support.flow_runs import REPLAY, ROOT, fast_policy, replay_session
from tests.support.reader_loop import RECORDED
from transforms import fiscal as fiscal_parse
from transforms import fred as fred_parse
from transforms import nyfed as nyfed_parse
from transforms.registry import FRED_API_URL, SOURCES

D = date(2025, 6, 4)  # a Wednesday (an H.4.1 date) inside every source's replay range


def replay_rows(series: str) -> list[tuple[date, str]]:
    """(date, value text) of a recorded fredgraph file, read independently of the adapter."""
    with open(REPLAY / "fred" / "fredgraph" / f"{series}.csv") as handle:
        return [(date.fromisoformat(d), v) for d, v in list(csv.reader(handle))[1:]]


def query_of(url: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}


def test_fredgraph_window_is_sliced_by_cosd_and_coed():
    session, adapter = replay_session(None)
    window = Window(date(2025, 5, 1), date(2025, 6, 30))
    frame, url = fred.fetch_fredgraph(session, "WALCL", window)
    expected = [(d, float(v)) for d, v in replay_rows("WALCL") if window.start <= d <= window.end]
    assert list(zip(frame["date"], frame["value"], strict=True)) == expected
    assert len(expected) == 8  # the eight Wednesdays of May and June 2025: the window is not trivial
    assert query_of(adapter.requests[0]) == {"id": "WALCL", "cosd": "2025-05-01", "coed": "2025-06-30"}
    assert url == adapter.requests[0]


def test_fredgraph_without_start_asks_for_full_history():
    session, adapter = replay_session(None)
    frame, _ = fred.fetch_fredgraph(session, "WALCL", Window(None, date(2003, 1, 31)))
    assert "cosd" not in query_of(adapter.requests[0])
    assert frame["date"].min() == replay_rows("WALCL")[0][0]
    assert frame["date"].max() <= date(2003, 1, 31)


def test_fiscal_pages_concatenate_to_the_single_page(monkeypatch):
    window = Window(date(2025, 5, 1), D)
    single, _ = replay_session(D)
    whole = fiscal.fetch_dts(single, fetch_request("dts", window)).frame
    monkeypatch.setattr(fiscal, "PAGE_SIZE", 40)
    paged, adapter = replay_session(D)
    seen: list[str] = []
    batch = fiscal.fetch_dts(paged, fetch_request("dts", window, progress=seen.append))
    pages = math.ceil(whole.height / 40)
    assert pages >= 3
    assert [query_of(u)["page[number]"] for u in adapter.requests] == [str(n) for n in range(1, pages + 1)]
    assert {query_of(u)["page[size]"] for u in adapter.requests} == {"40"}
    assert seen == [f"dts: page {n}/{pages}" for n in range(1, pages + 1)]
    assert batch.urls == adapter.requests
    assert_frame_equal(batch.frame.drop("source_url"), whole.drop("source_url"))
    assert batch.frame["record_date"].is_sorted()


def test_dts_rows_lie_in_the_window_with_the_contract_schema():
    session, adapter = replay_session(None)
    frame = fiscal.fetch_dts(session, fetch_request("dts", Window(date(2025, 6, 2), D))).frame
    assert dict(frame.schema) == {**fiscal_parse.DTS_SCHEMA, "source_url": pl.Utf8}
    assert set(frame["record_date"]) == {date(2025, 6, 2), date(2025, 6, 3), D}
    assert frame.select("record_date", "account_type").is_unique().all()
    assert query_of(adapter.requests[0])["filter"] == "record_date:gte:2025-06-02,record_date:lte:2025-06-04"


def test_nyfed_rates_window_and_grain():
    session, adapter = replay_session(None)
    window = Window(date(2025, 5, 1), D)
    frame = nyfed.fetch_rates(session, fetch_request("nyfed_rates", window)).frame
    assert dict(frame.schema) == {**nyfed_parse.RATES_SCHEMA, "source_url": pl.Utf8}
    assert frame["effective_date"].min() >= window.start and frame["effective_date"].max() == D
    assert {"SOFR", "EFFR", "OBFR", "TGCR", "BGCR"} <= set(frame["rate_type"])
    assert frame.select("rate_type", "effective_date").is_unique().all()
    assert query_of(adapter.requests[0]) == {"startDate": "2025-05-01", "endDate": "2025-06-04"}


def test_nyfed_operations_window_and_grain():
    session, _ = replay_session(None)
    window = Window(date(2025, 5, 1), D)
    frame = nyfed.fetch_operations(session, fetch_request("nyfed_repo", window)).frame
    assert dict(frame.schema) == {**nyfed_parse.RP_SCHEMA, "source_url": pl.Utf8}
    assert frame["operation_date"].min() >= window.start and frame["operation_date"].max() <= D
    assert frame["operation_id"].is_unique().all()
    assert "Reverse Repo" in set(frame["operation_type"])


def test_nyfed_full_history_starts_at_the_documented_first_day():
    session, adapter = replay_session(date(2022, 1, 5))
    nyfed.fetch_operations(session, fetch_request("nyfed_repo", Window(None, date(2022, 1, 5))))
    assert query_of(adapter.requests[0])["startDate"] == SOURCES["nyfed_repo"].history_start.isoformat()


# How a source's fetched rows are dated, where its registered fetch and date column do not say it alone.
FETCHED_DAYS = {
    "fred": lambda s, w: fred.fetch_fredgraph(s, "RRPONTSYD", w)[0].rename({"date": "day"}),  # one series
    # an auction is known from its announcement, or (no announcement date recorded) from the auction itself
    "auctions": lambda s, w: fiscal.fetch_auctions(s, fetch_request("auctions", w)).frame.select(
        day=pl.coalesce("announcemt_date", "auction_date")
    ),
}


def fetched_days(name: str, session, window: Window) -> pl.DataFrame:
    """The dates of the rows a source's registered fetch function returns for `window`, as column `day`."""
    if name in FETCHED_DAYS:
        return FETCHED_DAYS[name](session, window)
    source = SOURCES[name]
    return resolve(source.fetch)(session, fetch_request(name, window)).frame.select(day=source.dataset.date_column)


# The as-of of a source whose snapshot has no rows in the two weeks before D (replay/manifest.json): the CFTC's 2025
# file was recorded up to the report of 2025-04-29; as of Thursday 2025-04-24 the reports of 04-22 and 04-29 exist in
# it but are not yet published (Fridays 04-25 and 05-02).
AS_OF_INSIDE = {"cftc": date(2025, 4, 24)}
# The primary dealers' excerpt holds the weeks 2026-03-25..04-08: as of Thursday 2026-04-02 the week of 03-25 is out
# (16:15 that day) and those of 04-01 and 04-08 are in the file but not yet published.
AS_OF_INSIDE["nyfed_pd"] = date(2026, 4, 2)


@pytest.mark.parametrize("source", [s for s in SOURCES if s in RECORDED])  # none recorded: nothing to cut
def test_nothing_after_as_of_is_visible(source):
    as_of = AS_OF_INSIDE.get(source, D)
    session, _ = replay_session(as_of)
    # The request itself asks a month past as-of (like the auctions look-ahead): only as-of may cut it.
    frame = fetched_days(source, session, Window(as_of - timedelta(days=14), as_of + timedelta(days=30)))
    assert not frame.is_empty()
    assert frame["day"].max() <= as_of


RESULT_COLUMNS = [
    "total_tendered",
    "total_accepted",
    "bid_to_cover_ratio",
    "high_investment_rate",
    "primary_dealer_accepted",
    "soma_accepted",
]


# Coupons announced Thursday 2025-06-05 are auctioned 2025-06-10..12 (the replay's bills carry no announcement
# date, so only coupons can be "announced but not yet held").
ANNOUNCED_AS_OF = date(2025, 6, 6)


def test_auction_announced_before_as_of_but_held_after_has_no_results():
    window = Window(ANNOUNCED_AS_OF - timedelta(days=7), ANNOUNCED_AS_OF + timedelta(days=30))
    as_of_session, _ = replay_session(ANNOUNCED_AS_OF)
    known_then = fiscal.fetch_auctions(as_of_session, fetch_request("auctions", window)).frame
    pending = known_then.filter(pl.col("auction_date") > ANNOUNCED_AS_OF)
    assert pending.height > 0
    assert pending.select(pl.all_horizontal(pl.col(RESULT_COLUMNS).is_null())).to_series().all()
    assert pending["offering_amt"].is_not_null().all()  # the announcement itself is known
    later_session, _ = replay_session(None)
    held = fiscal.fetch_auctions(later_session, fetch_request("auctions", window)).frame.join(
        pending.select("cusip", "auction_date"), on=["cusip", "auction_date"]
    )
    assert held.height == pending.height
    assert held["total_accepted"].is_not_null().all()  # the replay has them: as-of hid them


# FRED API payloads built by hand from real values: the three WALCL observations below are copied from
# replay/fred/fredgraph/WALCL.csv (2025-05-28, 2025-06-04, 2025-06-11); title and units from
# warehouse/seeds/fred_series.csv. `last_updated` is a placeholder (the parser keeps it as text, nothing reads it).
WALCL_SERIES = {
    "seriess": [
        {
            "id": "WALCL",
            "title": "Assets: Total Assets: Total Assets (Less Eliminations from Consolidation): Wednesday Level",
            "units": "Millions of U.S. Dollars",
            "frequency": "Weekly, As of Wednesday",
            "last_updated": "placeholder, not a recorded value",
        }
    ]
}
WALCL_OBSERVATIONS = {
    "observations": [
        {"date": "2025-05-28", "value": "6673244"},
        {"date": "2025-06-04", "value": "6672885"},
        {"date": "2025-06-11", "value": "6677155"},
    ]
}
API_KEY = "abcdefabcdef0123456789spinetests"  # synthetic


def test_fred_api_path_reads_observations_and_units():
    from flows.http import make_session

    window = Window(date(2025, 5, 28), date(2025, 6, 11))
    base = {"series_id": "WALCL", "api_key": API_KEY, "file_type": "json"}
    catalog = pl.read_csv(ROOT / "warehouse" / "seeds" / "fred_series.csv").filter(pl.col("series_id") == "WALCL")
    with responses.RequestsMock() as mocked:
        mocked.get(FRED_API_URL + "series", json=WALCL_SERIES, match=[matchers.query_param_matcher(base)])
        mocked.get(
            FRED_API_URL + "series/observations",
            json=WALCL_OBSERVATIONS,
            match=[
                matchers.query_param_matcher(
                    {**base, "observation_start": "2025-05-28", "observation_end": "2025-06-11"}
                )
            ],
        )
        batch = fred.fetch_fred(
            make_session(fast_policy(), "qtwatch-tests"),
            fetch_request("fred", windows={"WALCL": window}, catalog=catalog, api_key=API_KEY),
        )
    expected = [(d, float(v)) for d, v in replay_rows("WALCL") if window.start <= d <= window.end]
    assert list(zip(batch.frame["date"], batch.frame["value"], strict=True)) == expected
    assert dict(batch.frame.schema) == {**fred_parse.SCHEMA, "units": pl.Utf8, "source_url": pl.Utf8}
    assert set(batch.frame["units"]) == {"Millions of U.S. Dollars"}
    assert all("api_key=REDACTED" in u and API_KEY not in u for u in [*batch.urls, *batch.frame["source_url"]])


def test_replay_answers_unknown_urls_like_a_server():
    session, _ = replay_session(None)
    response = session.get("https://markets.newyorkfed.org/api/nothing/here.json")
    assert response.status_code == 404
