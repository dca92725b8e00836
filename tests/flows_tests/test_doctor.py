"""`qtwatch doctor` against local fakes serving real recorded bodies: reachability, status, latency, key, schema
drift; writes nothing; exit 1 when a source is unusable."""

import contextlib
import dataclasses
import io
import os
import threading
import time
import zipfile
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from unittest import mock

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from flows.doctor import run_doctor
from qtwatch.cli import app
from tests.support.fake_host import FIXTURES, ROUTES, wire_urls
from transforms.registry import SOURCES

API_KEY = "abcdefabcdef0123456789spinetests"  # synthetic, the shape of a FRED key
TODAY = date(2026, 2, 6)  # the NY Fed recordings' last day


def checks(server: HTTPServer, **kw) -> dict:
    return {
        c.source: c
        for c in run_doctor(wire_urls(server), user_agent="qtwatch-tests", today=TODAY, **{"api_keys": {}, **kw})
    }


def test_every_source_usable_against_real_bodies(httpserver: HTTPServer, fake_host):
    fake_host(None, fixtures=True).on_wire(httpserver)
    found = checks(httpserver)
    assert all(c.usable for c in found.values()), {s: c.note for s, c in found.items() if not c.usable}
    assert found["fred"].key == "not set" and found["fred"].status == 200
    probed = {s: c for s, c in found.items() if c.probed}
    assert set(probed) == {n for n, s in SOURCES.items() if s.probe} and "cftc" in probed  # as declared
    assert "19 weeks of PDPOSGST-TOT" in found["nyfed_pd"].note and "SBN2022, SBN2024" in found["nyfed_pd"].note
    assert all(c.latency_ms is not None and c.latency_ms >= 0 for c in probed.values())
    assert found["nyfed_rates"].new == [] and "SOFRAI" in found["nyfed_rates"].note
    assert found["auctions"].missing == [] and "114 fields" in found["auctions"].note
    assert all(c.url.startswith("http://localhost:") for c in probed.values())


def test_keyed_fred_says_the_key_works_and_redacts_it(httpserver: HTTPServer, fake_host):
    fake_host(None, fixtures=True).on_wire(httpserver)
    fred = checks(httpserver, api_keys={"fred": API_KEY})["fred"]
    assert fred.key == "ok" and fred.usable and "units: Millions of U.S. Dollars" in fred.note
    assert API_KEY not in fred.url


def test_a_rejected_key_is_unusable(httpserver: HTTPServer, fake_host):
    fake_host(None, fixtures=True).on_wire(httpserver)
    fred = checks(httpserver, api_keys={"fred": "NOT-A-KEY"})["fred"]
    assert fred.key == "rejected" and not fred.usable and "32 character" in fred.note


def test_keyless_403_and_drift_are_reported(httpserver: HTTPServer, fake_host):
    rates = (FIXTURES / "nyfed" / "rates_all_2026-08-03.csv").read_text().splitlines()
    drifted = "\n".join([rates[0].replace("Rate Type,", "Kind,") + ",Settlement Window", *rates[1:]]).encode()
    fake_host(
        None, fixtures=True, refuse={"/fredgraph.csv": 403}, overrides={"/nyfed/rates/all/search.csv": drifted}
    ).on_wire(httpserver)
    found = checks(httpserver)
    assert not found["fred"].usable and found["fred"].status == 403 and "set FRED_API_KEY" in found["fred"].note
    assert not found["nyfed_rates"].usable and "rate_type" in found["nyfed_rates"].note
    assert found["auctions"].usable and found["dts"].usable and found["nyfed_repo"].usable


def test_unreachable_host_is_unusable_quickly(httpserver: HTTPServer, fake_host):
    fake_host(None, fixtures=True).on_wire(httpserver)
    urls = {**wire_urls(httpserver), "nyfed_url": "http://127.0.0.1:9/api/"}
    found = {c.source: c for c in run_doctor(urls, api_keys={}, user_agent="t", today=TODAY)}
    assert not found["nyfed_rates"].reachable and "connection refused" in found["nyfed_rates"].note
    assert found["dts"].usable


@pytest.mark.parametrize(("refuse", "code"), [({}, 0), ({"/fiscal/": 503}, 1)], ids=["healthy", "fiscal-down"])
def test_cli_doctor_exit_code_and_writes_nothing(httpserver: HTTPServer, fake_host, tmp_path: Path, refuse, code):
    wire = fake_host(None, fixtures=True, refuse=refuse).on_wire(httpserver)
    env = {**wire, "QTWATCH_WAREHOUSE": str(tmp_path / "w.duckdb")}
    with mock.patch.dict(os.environ, env), mock.patch("flows.doctor.date") as fake_date:
        fake_date.today.return_value = TODAY
        result = CliRunner().invoke(app, ["doctor", "--timeout", "5"])
    assert result.exit_code == code, result.output
    assert "qtwatch doctor" in result.output and "nyfed_repo" in result.output
    assert not (tmp_path / "w.duckdb").exists()


# ---------------------------------------------------------------- CFTC, unprobed sources, slow servers (issues 25, 28)
def _zip(member: str, text: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, text)
    return buffer.getvalue()


def test_cftc_is_probed_with_the_current_yearly_file(httpserver: HTTPServer, fake_host):
    fake_host(TODAY, fixtures=True).on_wire(httpserver)
    cftc = checks(httpserver)["cftc"]
    assert cftc.probed and cftc.usable and cftc.verdict == "yes", cftc.note
    assert cftc.url.endswith("/cftc/fut_fin_txt_2026.zip") and cftc.new == []
    # the snapshot's 2026 file as published by Friday 2026-02-06: the report of Tuesday 2026-02-03 is the newest
    assert "newest report 2026-02-03" in cftc.note


def test_cftc_probe_reads_last_years_file_in_early_january(httpserver: HTTPServer, fake_host):
    fake_host(None, fixtures=True).on_wire(httpserver)
    found = {
        c.source: c for c in run_doctor(wire_urls(httpserver), api_keys={}, user_agent="t", today=date(2026, 1, 5))
    }
    assert found["cftc"].url.endswith("/cftc/fut_fin_txt_2025.zip") and found["cftc"].usable, found["cftc"].note


def test_cftc_file_that_lost_a_column_is_unusable(httpserver: HTTPServer, fake_host):
    real = zipfile.ZipFile(FIXTURES / "cftc" / "fut_fin_txt_2025_april_weeks.zip")
    header, *rows = real.read("FinFutYY.txt").splitlines(keepends=True)
    drifted = _zip("FinFutYY.txt", header.replace(b"Lev_Money_Positions_Long_All", b"LevMoney_Long") + b"".join(rows))
    fake_host(None, fixtures=True, overrides={"/cftc/fut_fin_txt_2026.zip": drifted}).on_wire(httpserver)
    cftc = checks(httpserver)["cftc"]
    assert not cftc.usable and cftc.verdict == "NO" and cftc.missing == ["(payload)"]
    assert "Lev_Money_Positions_Long_All" in cftc.note


def test_a_source_without_a_probe_says_not_probed_never_usable_yes(httpserver: HTTPServer, fake_host):
    fake_host(None, fixtures=True).on_wire(httpserver)
    sources = {name: dataclasses.replace(s, probe=None) if name == "cftc" else s for name, s in SOURCES.items()}
    found = checks(httpserver, sources=sources)
    assert found["cftc"].verdict == "not probed" and not found["cftc"].probed
    assert found["cftc"].url == "" and found["cftc"].status is None


class _Drip(BaseHTTPRequestHandler):
    """Answers 200 and then one byte every 0.2 s (a server throttling to a trickle), until told to stop or 10 s."""

    stop: threading.Event

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        deadline = time.monotonic() + 10
        with contextlib.suppress(OSError):
            while not self.stop.wait(0.2) and time.monotonic() < deadline:
                self.wfile.write(b"x")
                self.wfile.flush()

    def log_message(self, *args) -> None:  # quiet
        pass


@pytest.fixture
def slow_server():
    """A local server on 127.0.0.1 whose every answer drips (bounded: it stops by itself after 10 s per request)."""
    stop = threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Drip", (_Drip,), {"stop": stop}))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    stop.set()
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_a_slow_source_is_bounded_and_each_source_reported_as_it_goes(httpserver, fake_host, slow_server):
    fake_host(None, fixtures=True).on_wire(httpserver)
    urls = {**wire_urls(httpserver), "nyfed_url": slow_server + "api/"}
    reported: list[tuple[str, float]] = []
    clock = time.monotonic()
    found = {
        c.source: c
        for c in run_doctor(
            urls,
            api_keys={},
            user_agent="t",
            today=TODAY,
            timeout_s=1.0,
            on_check=lambda c: reported.append((c.source, time.monotonic())),
        )
    }
    spent = time.monotonic() - clock
    assert [s for s, _ in reported] == list(SOURCES)  # one report per source, in registry order, as each ends
    assert spent < 8, spent  # the NY Fed's slow probes of at most 1 s each, plus quick ones; unbounded it was minutes
    for name in (n for n, s in SOURCES.items() if s.http.base_url_setting == "nyfed_url"):  # rates, repo, dealers
        assert found[name].timed_out and not found[name].usable
        assert "no complete answer within 1s" in found[name].note
    assert found["auctions"].usable and found["dts"].usable and found["cftc"].usable
    at = dict(reported)
    assert at["auctions"] < at["nyfed_rates"] - 0.5  # auctions was reported before the slow probe ended


def test_cli_doctor_prints_each_source_and_ends_on_a_slow_source(httpserver, fake_host, tmp_path, slow_server):
    env = {
        **fake_host(None, fixtures=True).on_wire(httpserver),
        "QTWATCH_NYFED_URL": slow_server + "api/",
        "QTWATCH_WAREHOUSE": str(tmp_path / "w.duckdb"),
    }
    clock = time.monotonic()
    with mock.patch.dict(os.environ, env), mock.patch("flows.doctor.date") as fake_date:
        fake_date.today.return_value = TODAY
        result = CliRunner().invoke(app, ["doctor", "--timeout", "1"])
    assert time.monotonic() - clock < 15
    assert result.exit_code == 1, result.output
    assert all(f"  {name}: " in result.output for name in SOURCES)
    assert "nyfed_rates: NO (status timed out, 1000 ms)" in result.output
    assert "no complete answer within 1s" in result.output


def test_a_source_added_later_is_served_by_its_replay_handler(httpserver: HTTPServer, fake_host, monkeypatch):
    """A base-URL setting with no route of its own on the fake host (a new source's) answers under /<setting>/,
    from its replay handler."""
    monkeypatch.delitem(ROUTES, "cftc_url")
    fake_host(TODAY, fixtures=True).on_wire(httpserver)
    cftc = checks(httpserver)["cftc"]
    assert cftc.usable and cftc.url.endswith("/cftc_url/fut_fin_txt_2026.zip"), cftc.note
    assert "newest report 2026-02-03" in cftc.note
