"""Alerts: webhook body and delivery, the failure hook, and the funding-stress rule read from the mart."""

import json
import socket
from datetime import date
from types import SimpleNamespace

import duckdb
import pytest

from flows import alerts
from flows.pipeline import RunConfig
from flows.settings import get_settings
from flows.writer_slot import DEFAULT_WAIT_S, WAIT_ENV

FUNDING_DDL = """
    CREATE SCHEMA marts;
    CREATE TABLE marts.funding_daily (date DATE, sofr_iorb_bp DOUBLE, sofr_p99_iorb_bp DOUBLE, srf_takeup_bn DOUBLE,
        on_rrp_bn DOUBLE, is_month_end BOOLEAN, is_quarter_end BOOLEAN, stress_flag BOOLEAN);
    CREATE TABLE marts.funding_events (date DATE, signals VARCHAR, severity VARCHAR)
"""


@pytest.fixture
def funding():
    """A tiny synthetic funding mart: calm on the 1st-2nd, an event on the 3rd (SOFR 6 bp over IORB)."""
    con = duckdb.connect()
    con.execute(FUNDING_DDL)
    con.execute("""INSERT INTO marts.funding_daily VALUES
        ('2030-01-01', -8.0, 1.0, 0.0, 100.0, false, false, false),
        ('2030-01-02', -7.0, 2.0, 0.0, 100.0, false, false, false),
        ('2030-01-03',  6.0, 9.0, 0.0, 100.0, false, false, true)""")
    con.execute("INSERT INTO marts.funding_events VALUES ('2030-01-03', 'sofr_iorb', 'low')")
    yield con
    con.close()


def test_stress_signal_reports_the_flagged_latest_day(funding):
    signal = alerts.stress_signal(funding, date(2030, 1, 3))
    assert signal["date"] == "2030-01-03" and signal["sofr_iorb_bp"] == 6.0
    assert (signal["stress_days_recent"], signal["recent_days"]) == (1, 3)
    assert "SOFR − IORB +6.0 bp [low: sofr_iorb]" in alerts.stress_text(signal)


def test_stress_follows_the_events_table_not_the_raw_flag(funding):
    funding.execute("UPDATE marts.funding_daily SET stress_flag = true WHERE date = DATE '2030-01-02'")
    assert alerts.stress_signal(funding, date(2030, 1, 2)) is None  # flagged, but no event that day


def test_stress_signal_respects_as_of_and_missing_mart(funding):
    assert alerts.stress_signal(funding, date(2030, 1, 2)) is None
    assert alerts.stress_signal(duckdb.connect(), date(2030, 1, 3)) is None


def test_stress_text_names_srf_take_up_and_quarter_end():
    signal = {
        "date": "2030-03-31",
        "sofr_iorb_bp": -1.0,
        "srf_takeup_bn": 12.5,
        "is_quarter_end": True,
        "is_month_end": True,
        "stress_days_recent": 2,
        "recent_days": 10,
    }
    assert alerts.stress_text(signal) == (
        "qtwatch funding stress on 2030-03-31 (quarter end): SRF take-up $12.5bn; 2 of the last 10 funding days flagged"
    )


def test_failure_payload_is_readable_and_json_safe():
    payload = alerts.failure_payload(
        "qtwatch-pipeline",
        "replay-dts-asof-2030-01-03",
        "Failed",
        "PipelineFailed: dts",
        "http://ui/runs/flow-run/1",
        {"as_of": date(2030, 1, 3), "sources": ["dts"]},
    )
    assert payload["text"].startswith("qtwatch run replay-dts-asof-2030-01-03 (qtwatch-pipeline) ended Failed")
    assert json.loads(json.dumps(payload))["parameters"] == {"as_of": "2030-01-03", "sources": ["dts"]}


def test_post_alert_delivers_json(httpserver):
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    assert alerts.post_alert(httpserver.url_for("/hook"), {"kind": "failure", "text": "x"})
    ((request, _),) = httpserver.log
    assert request.get_json() == {"kind": "failure", "text": "x"}


def test_post_alert_gives_up_quietly(httpserver):
    httpserver.expect_request("/hook").respond_with_data("down", status=503)
    assert not alerts.post_alert(httpserver.url_for("/hook"), {"text": "x"})
    assert len(httpserver.log) == alerts.POST_ATTEMPTS
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    assert not alerts.post_alert(f"http://127.0.0.1:{closed}/hook", {"text": "x"})


def _hook_args(name="replay-fred-asof-2030-01-03"):
    flow = SimpleNamespace(name="qtwatch-pipeline")
    run = SimpleNamespace(id="00000000-0000-0000-0000-000000000001", name=name, parameters={"replay": True})
    state = SimpleNamespace(name="Failed", message="PipelineFailed: fred failed")
    return flow, run, state


def test_failure_hook_posts_when_configured(httpserver, monkeypatch):
    httpserver.expect_request("/alert", method="POST").respond_with_data("ok")
    monkeypatch.setenv("QTWATCH_ALERT_WEBHOOK_URL", httpserver.url_for("/alert"))
    alerts.notify_failure(*_hook_args())
    ((request, _),) = httpserver.log
    body = request.get_json()
    assert (body["kind"], body["state"], body["flow_run"]) == ("failure", "Failed", "replay-fred-asof-2030-01-03")
    assert "PipelineFailed: fred failed" in body["text"]


def test_failure_hook_without_webhook_sends_nothing(httpserver, monkeypatch):
    monkeypatch.delenv("QTWATCH_ALERT_WEBHOOK_URL", raising=False)
    alerts.notify_failure(*_hook_args())
    assert httpserver.log == []


def test_writer_wait_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv(WAIT_ENV, raising=False)

    def wait() -> float:
        return RunConfig.from_settings(get_settings(), replay=True, replay_dir=None).writer_wait_s

    assert wait() == DEFAULT_WAIT_S
    monkeypatch.setenv(WAIT_ENV, "2.5")
    assert wait() == 2.5


def test_the_as_of_day_without_its_sofr_yet_does_not_hide_the_day_before(funding):
    """As of a day the mart holds a row for, but whose SOFR comes the next morning, the newest published day rules:
    as of 2025-07-01 the quarter end 2025-06-30 is the day to alert on (SYNTHETIC rows)."""
    funding.execute(
        "INSERT INTO marts.funding_daily VALUES ('2030-01-04', NULL, NULL, NULL, 90.0, false, false, false)"
    )
    signal = alerts.stress_signal(funding, date(2030, 1, 4))
    assert signal is not None and signal["date"] == "2030-01-03"
