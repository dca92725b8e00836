"""Issue 25 item 7: alerts go through Prefect's own mechanisms — a notification block (`qtwatch-alerts`, from
QTWATCH_ALERT_WEBHOOK_URL a Custom Webhook block, or any notification block a user saved under that name) and
automations on qtwatch-pipeline runs entering Failed/Crashed and on a newly flagged funding-stress day — made by
`qtwatch serve` or `qtwatch alerts`; served runs then leave failure alerts to the automation (one message each).

Reproduce: .venv/bin/python -m pytest tests/flows_tests/test_prefect_alerts.py -q
"""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from flows import alerts, notifications, secrets

URL = "http://127.0.0.1:9/services/T0FAKE000/B0FAKE000/NotARealToken0123456789"  # SYNTHETIC


@pytest.fixture
def made(prefect_harness, monkeypatch):
    monkeypatch.delenv(notifications.ALERTS_BY_PREFECT, raising=False)
    result = notifications.ensure_alerting(URL)
    notifications.ensure_alerting(URL)  # again: updates, never duplicates
    yield result
    secrets.forget_secrets()
    os.environ.pop(notifications.ALERTS_BY_PREFECT, None)  # ensure_alerting sets it for the serving process


def test_serve_makes_the_block_and_two_automations(made) -> None:
    from prefect.client.orchestration import get_client

    assert made is not None and made.block == "qtwatch-alerts" and made.block_type == "Custom Webhook"
    with get_client(sync_client=True) as client:
        failed = client.read_automations_by_name(notifications.FAILED)
        stress = client.read_automations_by_name(notifications.STRESS)
        block = client.read_block_document_by_name("qtwatch-alerts", "custom-webhook", include_secrets=False)
    assert len(failed) == 1 and len(stress) == 1
    trigger = failed[0].trigger
    assert trigger.expect == {"prefect.flow-run.Failed", "prefect.flow-run.Crashed"}
    related = trigger.match_related.model_dump()
    assert related == {"prefect.resource.role": "flow", "prefect.resource.name": "qtwatch-pipeline"}
    (action,) = failed[0].actions
    assert action.type == "send-notification" and action.block_document_id == block.id
    assert "flow_run.state.message" in action.body
    assert stress[0].trigger.expect == {notifications.STRESS_NEW_EVENT}
    assert "NotARealToken" not in str(block.data)  # the URL is a secret value of the block, not plain data


def test_served_runs_leave_failure_alerts_to_the_automation(made, httpserver, monkeypatch) -> None:
    assert os.environ.get(notifications.ALERTS_BY_PREFECT) == "1"
    monkeypatch.setenv("QTWATCH_ALERT_WEBHOOK_URL", httpserver.url_for("/alert"))
    flow = SimpleNamespace(name="qtwatch-pipeline")
    run = SimpleNamespace(id="00000000-0000-0000-0000-000000000001", name="live-all", parameters={})
    alerts.notify_failure(flow, run, SimpleNamespace(name="Failed", message="fred failed"))
    assert httpserver.log == []  # one failure, one message: the automation's


def test_without_a_url_or_a_saved_block_nothing_is_made(prefect_harness, monkeypatch) -> None:
    monkeypatch.setattr(notifications, "BLOCK", "qtwatch-alerts-none-saved")
    monkeypatch.delenv(notifications.ALERTS_BY_PREFECT, raising=False)
    assert notifications.ensure_alerting(None) is None


def test_alerts_command_without_an_api_says_what_to_set(monkeypatch) -> None:
    from typer.testing import CliRunner

    from qtwatch.cli import app

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    result = CliRunner().invoke(app, ["alerts"])
    assert result.exit_code == 1 and "set PREFECT_API_URL" in result.output
