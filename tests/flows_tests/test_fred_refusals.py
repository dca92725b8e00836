"""FRED refusals (issue 11 item 2): a keyless 403 says what to do, FRED error bodies become their message with the key
redacted, one bad series fails that series alone (unless the catalog marks it required), and a keyed run through the
replay lands every series."""

import json
from datetime import date

import polars as pl
import pytest
import responses

from flows.http import SourceError, make_session
from flows.replay import ReplayAdapter
from flows.sources import Window, fred
from tests.conftest import fetch_request
from tests.support.flow_runs import FIXTURES, REPLAY, fast_policy
from transforms.registry import FRED_API_URL, FREDGRAPH_URL

API_KEY = "abcdefabcdef0123456789spinetests"  # synthetic, the shape of a FRED key
WINDOW = Window(date(2025, 5, 28), date(2025, 6, 11))
# Real FRED error bodies as quoted in public logs (fixtures/fred/error_bodies_observed_in_logs.txt).
ERROR_BODIES = [
    line.split("\t")[0]
    for line in (FIXTURES / "fred" / "error_bodies_observed_in_logs.txt").read_text().splitlines()[1:]
]
CATALOG = pl.DataFrame(
    {
        "series_id": ["WALCL", "NOSUCH", "SOFR"],
        "units": ["Millions of U.S. Dollars", "Percent", "Percent"],
        "required": [True, False, False],
    }
)


def session():
    return make_session(fast_policy(), "qtwatch-tests")


def replay(as_of: date = WINDOW.end) -> ReplayAdapter:
    return ReplayAdapter(REPLAY, as_of)


def test_keyless_403_fails_fred_with_what_to_do():
    with responses.RequestsMock() as mocked:
        mocked.get(FREDGRAPH_URL, body="<html>Forbidden</html>", status=403, content_type="text/html")
        with pytest.raises(SourceError) as caught:
            fred.fetch_fred(session(), fetch_request("fred", windows={"WALCL": WINDOW}, catalog=CATALOG.head(1)))
    message = str(caught.value)
    assert "HTTP 403" in message and "set FRED_API_KEY" in message
    assert "https://fred.stlouisfed.org/docs/api/api_key.html" in message
    assert "\n" not in message


@pytest.mark.parametrize("body", ERROR_BODIES, ids=["realtime_end", "key-not-set", "key-not-registered", "alfred"])
def test_fred_error_body_becomes_its_message(body: str):
    message = body.split('"error_message":"', 1)[1].rstrip('"}')
    with responses.RequestsMock() as mocked:
        mocked.get(FRED_API_URL + "series", body=body, status=400, content_type="application/json")
        with pytest.raises(SourceError) as caught:
            fred.fetch_api(session(), "WALCL", WINDOW, API_KEY)
    assert message in caught.value.cause
    assert API_KEY not in str(caught.value)


def test_a_key_echoed_in_an_error_body_is_redacted():
    body = f'{{"error_code":400,"error_message":"Bad Request.  The value {API_KEY} is not registered."}}'
    with responses.RequestsMock() as mocked:
        mocked.get(FRED_API_URL + "series", body=body, status=400, content_type="application/json")
        with pytest.raises(SourceError) as caught:
            fred.fetch_api(session(), "WALCL", WINDOW, API_KEY)
    assert API_KEY not in str(caught.value) and "REDACTED" in caught.value.cause


def test_one_unknown_series_fails_alone_on_the_keyed_path():
    adapter = replay()
    request = fetch_request("fred", windows={s: WINDOW for s in CATALOG["series_id"]}, catalog=CATALOG, api_key=API_KEY)
    batch = fred.fetch_fred(make_session(fast_policy(), "t", adapter=adapter), request)
    assert sorted(batch.frame["series_id"].unique()) == ["SOFR", "WALCL"]
    assert list(batch.errors) == ["NOSUCH"] and "The series does not exist" in batch.errors["NOSUCH"]
    assert all(API_KEY not in url for url in adapter.requests)


def test_a_required_series_failing_fails_fred():
    catalog = CATALOG.with_columns(required=pl.col("series_id") == "NOSUCH")
    request = fetch_request("fred", windows={s: WINDOW for s in catalog["series_id"]}, catalog=catalog, api_key=API_KEY)
    with pytest.raises(SourceError, match="NOSUCH .required by the marts."):
        fred.fetch_fred(make_session(fast_policy(), "t", adapter=replay()), request)


@pytest.mark.parametrize(("key", "phrase"), [("", "api_key is not set"), ("NOT-A-KEY", "32 character alpha-numeric")])
def test_replay_checks_the_key_like_the_server(key: str, phrase: str):
    with pytest.raises(SourceError) as caught:
        fred.fetch_api(make_session(fast_policy(), "t", adapter=replay()), "WALCL", WINDOW, key)
    assert phrase in caught.value.cause and "FRED_API_KEY" in caught.value.cause


def test_replay_serves_the_api_with_real_units_and_dots_for_missing():
    session = make_session(fast_policy(), "t", adapter=replay(date(2026, 1, 2)))
    frame, url, units = fred.fetch_api(session, "RRPONTSYD", Window(date(2025, 12, 20), date(2026, 1, 2)), API_KEY)
    assert units == "Billions of US Dollars"  # FRED's own spelling (cassettes/PROVENANCE.md), not the catalog's
    assert "api_key=REDACTED" in url
    held = (REPLAY / "fred" / "fredgraph" / "RRPONTSYD.csv").read_text().splitlines()
    recorded = {line[:10]: line[11:] for line in held[1:] if "2025-12-20" <= line[:10] <= "2026-01-02"}
    assert frame.height == len(recorded)
    assert frame["value"].null_count() == sum(v == "" for v in recorded.values())


def test_flow_records_one_failed_series_as_partial(prefect_harness, tmp_path):
    """A snapshot without DGS10 (not required by a mart): every other catalog series lands, meta.loads says partial."""
    import shutil

    from flows.pipeline import qtwatch_pipeline
    from tests.support.flow_runs import read_loads, warehouse_env
    from warehouse.db import connect_readonly

    snapshot = tmp_path / "replay"
    shutil.copytree(REPLAY, snapshot)
    (snapshot / "fred" / "fredgraph" / "DGS10.csv").unlink()
    warehouse = tmp_path / "qtwatch.duckdb"
    with warehouse_env(warehouse):
        state = qtwatch_pipeline(
            sources=["fred"], replay=True, as_of=date(2025, 6, 13), replay_dir=str(snapshot), return_state=True
        )
    assert state.is_failed()  # the run says something failed ...
    con = connect_readonly(warehouse)
    try:
        run_id = con.execute("SELECT run_id FROM meta.runs").fetchall()[0][0]
        series = {r[0] for r in con.execute("SELECT DISTINCT series_id FROM core.fred_observations").fetchall()}
    finally:
        con.close()
    load = read_loads(warehouse, run_id)["fred"]
    assert load["status"] == "partial" and "DGS10" in load["error"]  # ... and names the one series
    catalog = {
        line.split(",")[0]
        for line in (REPLAY.parent / "warehouse" / "seeds" / "fred_series.csv").read_text().splitlines()[1:]
    }
    unrecorded = set(json.loads((REPLAY / "fred" / "not_recorded.json").read_text()))  # the snapshot serves none
    assert series == catalog - unrecorded - {"DGS10"}  # ... while every other recorded series landed


def test_one_malformed_keyless_download_fails_that_series_alone(monkeypatch):
    """The keyless downloads are parsed together (flows.sources.fred.PARSE_BYTES); a malformed one (SYNTHETIC body
    for SOFR) sends them back one by one: SOFR left out with its own parse error, WALCL landed as recorded."""
    real = fred.replay

    def served(call):
        status, body, content_type = real(call)
        if call.query.get("id") == "SOFR":
            body = b"observation_date,SOFR\n2025-06-02,n/a\n"
        return status, body, content_type

    monkeypatch.setattr(fred, "replay", served)
    catalog = CATALOG.filter(pl.col("series_id") != "NOSUCH")
    request = fetch_request("fred", windows={s: WINDOW for s in catalog["series_id"]}, catalog=catalog)
    batch = fred.fetch_fred(make_session(fast_policy(), "t", adapter=replay()), request)
    assert batch.frame["series_id"].unique().to_list() == ["WALCL"]
    assert list(batch.errors) == ["SOFR"] and "not parseable" in batch.errors["SOFR"]
    assert len(batch.urls) == 1 and "id=WALCL" in batch.urls[0]
    assert set(batch.frame["source_url"]) == set(batch.urls)
    assert set(batch.frame["units"]) == {"Millions of U.S. Dollars"}


def test_keyless_downloads_parsed_together_equal_each_parsed_alone(monkeypatch):
    catalog = CATALOG.filter(pl.col("series_id") != "NOSUCH")
    request = fetch_request("fred", windows={s: WINDOW for s in catalog["series_id"]}, catalog=catalog)
    together = fred.fetch_fred(make_session(fast_policy(), "t", adapter=replay()), request)
    monkeypatch.setattr(fred, "PARSE_BYTES", 1)  # each download parsed as soon as it arrives
    alone = fred.fetch_fred(make_session(fast_policy(), "t", adapter=replay()), request)
    assert together.frame.equals(alone.frame) and together.urls == alone.urls
    assert together.frame.height > 10 and together.frame["series_id"].n_unique() == 2
