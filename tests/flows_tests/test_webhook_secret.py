"""Issue 28 item 13: a Slack-style webhook URL holds its secret in its path; when the receiver is down the URL must
not reach the log nor the Prefect database (the run's logs as the Prefect API stores them), like the FRED key.

Reproduce: .venv/bin/python -m pytest tests/flows_tests/test_webhook_secret.py -q
"""

from __future__ import annotations

import asyncio
import logging
import socket

import pytest

from flows import alerts, secrets

TOKEN = "T0FAKE000/B0FAKE000/NotARealToken0123456789"  # SYNTHETIC, shaped like a Slack incoming-webhook path


@pytest.fixture
def dead_webhook(monkeypatch) -> str:
    with socket.socket() as sock:  # a port nobody listens on: the receiver is down
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/services/{TOKEN}"
    monkeypatch.setenv("QTWATCH_ALERT_WEBHOOK_URL", url)
    monkeypatch.delenv("QTWATCH_ALERTS_BY_PREFECT", raising=False)  # a run's own hook posts (not served)
    monkeypatch.setattr(alerts, "POST_TIMEOUT_S", 2.0)
    yield url
    secrets.forget_secrets()


def test_a_down_receiver_logs_no_part_of_the_url_secret(dead_webhook, caplog) -> None:
    with caplog.at_level(logging.WARNING):
        assert not alerts.post_alert(dead_webhook, {"text": "x"})
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "unreachable" in logged and "127.0.0.1" in logged
    assert "NotARealToken" not in logged and "B0FAKE000" not in logged and "/services/" not in logged


def test_the_prefect_database_never_gets_the_url(dead_webhook, prefect_harness) -> None:
    from prefect import flow
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    @flow(on_failure=[alerts.notify_failure])
    def failing() -> None:
        raise RuntimeError("a source failed")

    state = failing(return_state=True)
    assert state.is_failed()
    from prefect.logging.handlers import APILogHandler

    APILogHandler().flush()  # the run's logs reach the API (and its database) in batches

    async def stored_logs() -> list[str]:
        async with get_client() as client:
            logs = await client.read_logs(
                LogFilter(flow_run_id=LogFilterFlowRunId(any_=[state.state_details.flow_run_id]))
            )
        return [log.message for log in logs]

    text = " ".join(asyncio.run(stored_logs()))
    assert "unreachable" in text  # the hook ran and its warning was stored
    assert "NotARealToken" not in text and "B0FAKE000" not in text


def test_redaction_leaves_the_host_readable(dead_webhook) -> None:
    secrets.register_webhook(dead_webhook)
    assert secrets.redact(f"posting to {dead_webhook}").endswith("REDACTED")
    assert secrets.webhook_shown(dead_webhook).startswith("http://127.0.0.1:")
