"""HTTP client: retries honour Retry-After, exhausted retries and timeouts become one transient SourceError, bad
payloads a permanent one, and an API key never reaches an exception or a log record."""

import json
import logging
import time
from datetime import date

import pytest
import responses
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from flows.http import SourceError, get_bytes, make_session, redact
from flows.sources import Window, fiscal, fred
from tests.conftest import fetch_request
from tests.support.flow_runs import FIXTURES, fast_policy
from transforms.registry import FISCALDATA, FRED_API_URL, FREDGRAPH_URL

# Obviously synthetic: 32 lowercase alphanumerics, the shape of a FRED key.
API_KEY = "abcdefabcdef0123456789spinetests"
MAINTENANCE_HTML = (FIXTURES / "fiscal" / "maintenance_page.html").read_bytes()
FRED_KEY_ERROR = (FIXTURES / "http" / "fred_api_error_api_key_not_registered.json").read_bytes()


def session(**policy):
    return make_session(fast_policy(**policy), "qtwatch-tests")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "https://x/y?series_id=A&api_key=k1&file_type=json",
            "https://x/y?series_id=A&api_key=REDACTED&file_type=json",
        ),
        ("?APIKEY=k2", "?APIKEY=REDACTED"),
        ("token=k3 failed", "token=REDACTED failed"),
        ("'api_key=k4'", "'api_key=REDACTED'"),
        ("no secret here", "no secret here"),
    ],
    ids=["url", "upper-case", "message", "quoted", "nothing"],
)
def test_redact_hides_secret_parameters(text, expected):
    assert redact(text) == expected


def test_429_with_retry_after_waits_then_succeeds(httpserver: HTTPServer):
    httpserver.expect_ordered_request("/rates.csv").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "1"}
    )
    httpserver.expect_ordered_request("/rates.csv").respond_with_data("a,b\n1,2\n", content_type="text/csv")
    started = time.monotonic()
    body, _ = get_bytes(session(), httpserver.url_for("/rates.csv"), None, source="nyfed_rates", expect="csv")
    elapsed = time.monotonic() - started
    assert body == b"a,b\n1,2\n"
    assert len(httpserver.log) == 2
    assert elapsed >= 0.9  # backoff_factor=0: only Retry-After can account for the wait


def test_server_errors_exhaust_retries_into_one_transient_error(httpserver: HTTPServer):
    httpserver.expect_request("/rp.json").respond_with_data("upstream broke", status=500)
    url = httpserver.url_for("/rp.json")
    with pytest.raises(SourceError) as caught:
        get_bytes(session(retries=2), url, {"startDate": "2025-06-04"}, source="nyfed_repo", expect="json")
    assert len(httpserver.log) == 3  # first try + 2 retries
    assert caught.value.transient
    message = str(caught.value)
    assert message.startswith("nyfed_repo: ")
    assert "HTTP 500" in message and url in message
    assert len(message.splitlines()) == 1


@pytest.fixture
def slow_server():
    """A threaded server whose handler outlives a tiny read timeout (threaded: the sleeper blocks nobody)."""
    server = HTTPServer(threaded=True)
    server.start()

    def sleepy(_request: Request) -> Response:
        time.sleep(0.3)
        return Response("a,b\n1,2\n", content_type="text/csv")

    server.expect_request("/slow.csv").respond_with_handler(sleepy)
    yield server
    server.clear()
    server.stop()


def test_read_timeout_becomes_transient_source_error(slow_server):
    with pytest.raises(SourceError) as caught:
        get_bytes(
            session(retries=1, timeout_s=0.05), slow_server.url_for("/slow.csv"), None, source="fred", expect="csv"
        )
    assert caught.value.transient
    assert "timed out" in str(caught.value).lower()
    assert str(caught.value).startswith("fred: ")


def test_read_timeout_uses_the_timeout_wording(slow_server):
    with pytest.raises(SourceError) as caught:
        get_bytes(
            session(retries=1, timeout_s=0.05), slow_server.url_for("/slow.csv"), None, source="fred", expect="csv"
        )
    assert "timed out (read timeout" in caught.value.cause


@pytest.mark.parametrize(("body", "phrase"), [(MAINTENANCE_HTML, "HTML"), (b"  \n", "empty")], ids=["html", "empty"])
def test_unusable_body_where_json_expected_is_a_permanent_error(body, phrase):
    with responses.RequestsMock() as mocked:
        mocked.get(FISCALDATA.base_url + fiscal.DTS_ENDPOINT, body=body, content_type="text/html")
        with pytest.raises(SourceError) as caught:
            fiscal.fetch_dts(session(), fetch_request("dts", Window(date(2025, 6, 2), date(2025, 6, 4))))
    assert str(caught.value).startswith("dts: ")
    assert phrase in caught.value.cause and "JSON" in caught.value.cause
    assert not caught.value.transient


def test_fred_api_key_rejection_says_what_to_do_without_the_key(caplog):
    caplog.set_level(logging.DEBUG)
    with responses.RequestsMock() as mocked:
        mocked.get(FRED_API_URL + "series", body=FRED_KEY_ERROR, status=400, content_type="application/json")
        with pytest.raises(SourceError) as caught:
            fred.fetch_api(session(), "WALCL", Window(date(2025, 5, 28), date(2025, 6, 11)), API_KEY)
    error = caught.value
    assert "check FRED_API_KEY" in str(error)
    assert not error.transient  # a bad key will be just as bad on retry
    for text in (str(error), error.url, error.cause, repr(error.args), caplog.text):
        assert API_KEY not in text
    assert "api_key=REDACTED" in error.url


def test_retried_request_never_logs_the_api_key(httpserver: HTTPServer, caplog):
    caplog.set_level(logging.DEBUG)  # urllib3 logs each retried URL (with its query string) at DEBUG or WARNING
    httpserver.expect_ordered_request("/fred/series").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/fred/series").respond_with_json({"seriess": []})
    body, url = get_bytes(
        session(),
        httpserver.url_for("/fred/series"),
        {"series_id": "WALCL", "api_key": API_KEY},
        source="fred",
        expect="json",
    )
    assert len(httpserver.log) == 2 and json.loads(body) == {"seriess": []}
    assert API_KEY not in url
    retry_records = [r for r in caplog.records if r.name.startswith("urllib3")]
    assert retry_records, "urllib3 logged nothing: the test no longer exercises redaction"
    # werkzeug is the test server's own access log, not the client's
    leaking = [
        f"{r.name}: {r.getMessage()}"
        for r in caplog.records
        if API_KEY in r.getMessage() and not r.name.startswith("werkzeug")
    ]
    assert leaking == []


@pytest.mark.parametrize(
    ("csv", "phrase"),
    [(b"observation_date\n2025-06-04\n", "header"), (b"observation_date,WALCL\n2025-06-04,1\n", "WALCL")],
    ids=["value-column-missing", "other-series"],
)
def test_fredgraph_csv_without_the_series_column_names_the_source(csv, phrase):
    with responses.RequestsMock() as mocked:
        mocked.get(FREDGRAPH_URL, body=csv, content_type="text/csv")
        with pytest.raises(SourceError) as caught:
            fred.fetch_fredgraph(session(), "WRESBAL", Window(None, date(2025, 6, 4)))
    assert str(caught.value).startswith("fred: ")
    assert "WRESBAL" in str(caught.value) and phrase in caught.value.cause
    assert "fredgraph.csv?id=WRESBAL" in caught.value.url
    assert not caught.value.transient


def test_paced_adapter_keeps_the_minimum_interval(httpserver: HTTPServer):
    httpserver.expect_request("/x").respond_with_data("a\n1\n")
    paced = session(min_interval_s=0.1)
    started = time.monotonic()
    for _ in range(3):
        get_bytes(paced, httpserver.url_for("/x"), None, source="test", expect="csv")
    assert time.monotonic() - started >= 0.2  # three requests, two enforced gaps


def test_connection_refused_is_transient():
    unused = HTTPServer()
    unused.start()
    url = unused.url_for("/gone")
    unused.stop()  # nothing listens on the port any more
    with pytest.raises(SourceError) as caught:
        get_bytes(session(retries=0), url, None, source="nyfed_rates", expect="csv")
    assert caught.value.transient and "connection refused" in caught.value.cause


def test_unusable_fred_series_metadata_is_a_source_error():
    with responses.RequestsMock() as mocked:
        mocked.get(FRED_API_URL + "series", json={"seriess": []})
        with pytest.raises(SourceError) as caught:
            fred.fetch_api(session(), "WALCL", Window(date(2025, 5, 28), date(2025, 6, 11)), API_KEY)
    assert str(caught.value).startswith("fred: ") and "seriess" in caught.value.cause
    assert API_KEY not in str(caught.value) and not caught.value.transient


def test_the_session_reads_the_environment_once_per_host_with_requests_own_answer(monkeypatch):
    """The proxy and CA-bundle settings a request gets are requests' own, per host (NO_PROXY honoured), though the
    environment is read once per host: a second request to the host does not read it again."""
    import requests

    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("NO_PROXY", "api.fiscaldata.treasury.gov")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
    session, plain = make_session(fast_policy(), "qtwatch-tests"), requests.Session()
    fred_api, fiscal_data = "https://api.stlouisfed.org/fred/", "https://api.fiscaldata.treasury.gov/services/api/"
    for url in (fred_api + "series", fred_api + "series/observations", fiscal_data + "v1/x"):
        assert session.merge_environment_settings(url, {}, None, None, None) == plain.merge_environment_settings(
            url, {}, None, None, None
        )
    reads = []
    monkeypatch.setattr("requests.sessions.get_environ_proxies", lambda *a, **k: reads.append(a) or {})
    session.merge_environment_settings(fred_api + "series?x=1", {}, None, None, None)
    assert reads == []  # the host's settings were kept
