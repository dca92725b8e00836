"""`qtwatch doctor` against local fakes serving real recorded bodies: reachability, status, latency, key, schema
drift; writes nothing; exit 1 when a source is unusable."""

import os
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from flows.doctor import run_doctor
from qtwatch.cli import app
from tests import fake_servers

API_KEY = "abcdefabcdef0123456789spinetests"  # synthetic, the shape of a FRED key
TODAY = date(2026, 2, 6)  # the NY Fed recordings' last day


def checks(server: HTTPServer, **kw) -> dict:
    return {c.source: c for c in run_doctor(fake_servers.base_urls(server), user_agent="qtwatch-tests", today=TODAY,
                                            **{"api_keys": {}, **kw})}


def test_every_source_usable_against_real_bodies(httpserver: HTTPServer, tmp_path: Path):
    fake_servers.serve(httpserver, tmp_path)
    found = checks(httpserver)
    assert all(c.usable for c in found.values()), {s: c.note for s, c in found.items() if not c.usable}
    assert found["fred"].key == "not set" and found["fred"].status == 200
    probed = {s: c for s, c in found.items() if c.probed}
    assert set(probed) == {"fred", "auctions", "nyfed_rates", "nyfed_repo", "dts", "nyfed_pd", "ofr_stfm"}
    assert "19 weeks of PDPOSGST-TOT" in found["nyfed_pd"].note and "SBN2022, SBN2024" in found["nyfed_pd"].note
    assert all(c.latency_ms is not None and c.latency_ms >= 0 for c in probed.values())
    assert found["nyfed_rates"].new == [] and "SOFRAI" in found["nyfed_rates"].note
    assert found["auctions"].missing == [] and "114 fields" in found["auctions"].note
    assert all(c.url.startswith("http://localhost:") for c in probed.values())


def test_keyed_fred_says_the_key_works_and_redacts_it(httpserver: HTTPServer, tmp_path: Path):
    fake_servers.serve(httpserver, tmp_path)
    fred = checks(httpserver, api_keys={"fred": API_KEY})["fred"]
    assert fred.key == "ok" and fred.usable and "units: Millions of U.S. Dollars" in fred.note
    assert API_KEY not in fred.url


def test_a_rejected_key_is_unusable(httpserver: HTTPServer, tmp_path: Path):
    fake_servers.serve(httpserver, tmp_path)
    fred = checks(httpserver, api_keys={"fred": "NOT-A-KEY"})["fred"]
    assert fred.key == "rejected" and not fred.usable and "32 character" in fred.note


def test_keyless_403_and_drift_are_reported(httpserver: HTTPServer, tmp_path: Path):
    rates = (fake_servers.FIXTURES / "nyfed" / "rates_all_2026-08-03.csv").read_text().splitlines()
    drifted = "\n".join([rates[0].replace("Rate Type,", "Kind,") + ",Settlement Window", *rates[1:]]).encode()
    fake_servers.serve(httpserver, tmp_path, refuse={"/fredgraph.csv": 403},
                       overrides={"/nyfed/rates/all/search.csv": drifted})
    found = checks(httpserver)
    assert not found["fred"].usable and found["fred"].status == 403 and "set FRED_API_KEY" in found["fred"].note
    assert not found["nyfed_rates"].usable and "rate_type" in found["nyfed_rates"].note
    assert found["auctions"].usable and found["dts"].usable and found["nyfed_repo"].usable


def test_unreachable_host_is_unusable_quickly(httpserver: HTTPServer, tmp_path: Path):
    fake_servers.serve(httpserver, tmp_path)
    urls = {**fake_servers.base_urls(httpserver), "nyfed_url": "http://127.0.0.1:9/api/"}
    found = {c.source: c for c in run_doctor(urls, api_keys={}, user_agent="t", today=TODAY)}
    assert not found["nyfed_rates"].reachable and "connection refused" in found["nyfed_rates"].note
    assert found["dts"].usable


@pytest.mark.parametrize(("refuse", "code"), [({}, 0), ({"/fiscal/": 503}, 1)], ids=["healthy", "fiscal-down"])
def test_cli_doctor_exit_code_and_writes_nothing(httpserver: HTTPServer, tmp_path: Path, refuse, code):
    fake_servers.serve(httpserver, tmp_path, refuse=refuse)
    env = {**fake_servers.environment(httpserver), "QTWATCH_WAREHOUSE": str(tmp_path / "w.duckdb")}
    with mock.patch.dict(os.environ, env), mock.patch("flows.doctor.date") as fake_date:
        fake_date.today.return_value = TODAY
        result = CliRunner().invoke(app, ["doctor", "--timeout", "5"])
    assert result.exit_code == code, result.output
    assert "qtwatch doctor" in result.output and "nyfed_repo" in result.output
    assert not (tmp_path / "w.duckdb").exists()
