"""Alerts: a webhook message when a run fails or crashes, and a Prefect event (plus a message) on funding stress.

The webhook URL comes from the environment (QTWATCH_ALERT_WEBHOOK_URL); the body is JSON with a Slack-compatible
`text` line plus structured fields, so a Slack/Teams/Mattermost incoming webhook or any HTTP receiver can take it.
Alerting never changes a run's outcome: a receiver that is down is logged, not raised.

Stress rule: the newest day of `marts.funding_daily` on or before the run's as-of whose SOFR is published (the as-of
day's own SOFR comes the next morning) is a day of `marts.funding_events`
(signals and thresholds documented in transforms/funding_events.py: SOFR - IORB, SOFR p99 - IORB, SRF take-up,
segment spreads, dealer fails; with a severity). Then every run emits
the Prefect event `qtwatch.funding.stress` (visible in the UI's event feed; an automation can trigger on it) and the
first run that sees a newly flagged day posts a `stress` message to the webhook.
"""

from __future__ import annotations

import logging
import os
from datetime import date
from pathlib import Path
from typing import Any

import requests

from flows.notifications import ALERTS_BY_PREFECT, FAILED, STRESS_NEW_EVENT
from flows.secrets import redact, register_webhook, webhook_shown
from flows.settings import get_settings
from warehouse.db import WarehouseError, connect_readonly

STRESS_EVENT = "qtwatch.funding.stress"
STRESS_RESOURCE = {"prefect.resource.id": "qtwatch.mart.funding_daily", "prefect.resource.name": "funding_daily"}
STRESS_VARIABLE = "qtwatch_last_stress_alert"
POST_TIMEOUT_S = 10.0
POST_ATTEMPTS = 2
RECENT_DAYS = 10  # how many recent funding days the stress message counts, for context

STRESS_SQL = """
    SELECT f.date, f.sofr_iorb_bp, f.sofr_p99_iorb_bp, f.srf_takeup_bn, f.on_rrp_bn, f.is_month_end, f.is_quarter_end,
           e.signals, e.severity, e.date IS NOT NULL AS fired
    FROM marts.funding_daily f LEFT JOIN marts.funding_events e ON e.date = f.date
    WHERE f.date <= ? AND (f.sofr_iorb_bp IS NOT NULL OR e.date IS NOT NULL)  -- a day whose SOFR is published
    ORDER BY f.date DESC LIMIT ?
"""


def post_alert(url: str, payload: dict[str, Any]) -> bool:
    """POST `payload` as JSON to `url` (two attempts, 10 s timeout each); True when the receiver answered 2xx. The
    URL's secret part (its path: a Slack-style URL holds its token there) is never logged nor stored."""
    register_webhook(url)  # from here on redact() hides it, whichever process or hook posts
    shown = webhook_shown(url)
    for attempt in range(1, POST_ATTEMPTS + 1):
        try:
            response = requests.post(url, json=payload, timeout=POST_TIMEOUT_S)
            if response.ok:
                return True
            _logger().warning("alert webhook %s answered HTTP %s (attempt %s)", shown, response.status_code, attempt)
        except requests.RequestException as exc:
            _logger().warning(
                "alert webhook %s unreachable (attempt %s): %s", shown, attempt, redact(f"{type(exc).__name__}: {exc}")
            )
    return False


def failure_payload(
    flow_name: str, run_name: str, state_name: str, message: str | None, run_url: str | None, parameters: dict[str, Any]
) -> dict[str, Any]:
    """The webhook body for a failed or crashed run: one readable `text` line plus the fields it was built from."""
    message = redact(message) if message else message  # a state message may quote a server's echo of the key
    text = f"qtwatch run {run_name} ({flow_name}) ended {state_name}: {(message or 'no message').strip()[:500]}"
    if run_url:
        text += f" — {run_url}"
    return {
        "kind": "failure",
        "text": text,
        "flow": flow_name,
        "flow_run": run_name,
        "state": state_name,
        "message": message,
        "url": run_url,
        "parameters": {k: _plain(v) for k, v in parameters.items()},
    }


def notify_failure(flow, flow_run, state) -> None:
    """Prefect on_failure / on_crashed hook: post the failure to QTWATCH_ALERT_WEBHOOK_URL when it is set."""
    url = get_settings().alert_webhook_url
    if os.environ.get(ALERTS_BY_PREFECT):  # served runs: the `qtwatch: run failed` automation sends it
        _logger().info("run %s ended %s; the Prefect automation %r alerts", flow_run.name, state.name, FAILED)
        return
    if not url:
        _logger().info("run %s ended %s; no QTWATCH_ALERT_WEBHOOK_URL set, no alert sent", flow_run.name, state.name)
        return
    payload = failure_payload(
        flow.name, flow_run.name, state.name, state.message, _run_url(flow_run.id), dict(flow_run.parameters or {})
    )
    if post_alert(url, payload):
        _logger().info("failure alert for %s sent", flow_run.name)


def stress_signal(con, as_of: date, recent: int = RECENT_DAYS) -> dict[str, Any] | None:
    """The newest funding day on or before `as_of` when it is a funding event (see module doc), with context; else
    None (also when the marts are not built yet)."""
    try:
        rows = con.execute(STRESS_SQL, [as_of, recent]).fetchall()
    except Exception:  # noqa: BLE001 - no funding mart yet: nothing to signal
        return None
    if not rows or not rows[0][-1]:
        return None
    day, spread, p99, srf, on_rrp, month_end, quarter_end, signals, severity, _ = rows[0]
    return {
        "date": day.isoformat(),
        "sofr_iorb_bp": spread,
        "sofr_p99_iorb_bp": p99,
        "srf_takeup_bn": srf,
        "on_rrp_bn": on_rrp,
        "is_month_end": month_end,
        "is_quarter_end": quarter_end,
        "signals": signals,
        "severity": severity,
        "stress_days_recent": sum(1 for r in rows if r[-1]),
        "recent_days": len(rows),
    }


def stress_text(signal: dict[str, Any]) -> str:
    """One line saying why the day is flagged, in the mart's units (bp, $ billions)."""
    reasons = []
    if signal["sofr_iorb_bp"] is not None and signal["sofr_iorb_bp"] > 0:
        reasons.append(f"SOFR − IORB {signal['sofr_iorb_bp']:+.1f} bp")
    if signal["srf_takeup_bn"]:
        reasons.append(f"SRF take-up ${signal['srf_takeup_bn']:,.1f}bn")
    when = " (quarter end)" if signal["is_quarter_end"] else " (month end)" if signal["is_month_end"] else ""
    fired = f" [{signal['severity']}: {signal['signals']}]" if signal.get("signals") else ""
    return (
        f"qtwatch funding stress on {signal['date']}{when}: {', '.join(reasons) or 'stress_flag set'}{fired}; "
        f"{signal['stress_days_recent']} of the last {signal['recent_days']} funding days flagged"
    )


def raise_stress_event(warehouse: Path, as_of: date, webhook_url: str | None = None) -> dict[str, Any] | None:
    """Read the published funding mart; on stress emit `qtwatch.funding.stress` and post it to the webhook."""
    try:
        con = connect_readonly(warehouse)
    except WarehouseError:
        return None
    with con:
        signal = stress_signal(con, as_of)
    if signal is None:
        return None
    from prefect.events import emit_event

    text = stress_text(signal)
    _logger().warning(text)
    emit_event(event=STRESS_EVENT, resource=STRESS_RESOURCE, payload={**signal, "text": text})
    if (webhook_url or os.environ.get(ALERTS_BY_PREFECT)) and _first_alert_for(signal["date"]):
        # a newly flagged day: the `qtwatch: funding stress` automation reacts to this event; without one, post
        emit_event(event=STRESS_NEW_EVENT, resource=STRESS_RESOURCE, payload={**signal, "text": text})
        if webhook_url and not os.environ.get(ALERTS_BY_PREFECT):
            post_alert(webhook_url, {"kind": "stress", "text": text, **signal})
    return signal


def _first_alert_for(day: str) -> bool:
    """True once per flagged day: the deployments running each day must not post the same stress once per run (the
    event, cheap and searchable, is still emitted every run). Remembered in the Prefect Variable
    `qtwatch_last_stress_alert`."""
    from prefect.variables import Variable

    try:
        if Variable.get(STRESS_VARIABLE) == day:
            return False
        Variable.set(STRESS_VARIABLE, day, overwrite=True)
    except Exception as exc:  # noqa: BLE001 - no variable store: better a repeated message than none
        _logger().warning("cannot read/write Prefect variable %s (%s)", STRESS_VARIABLE, exc)
    return True


def _logger() -> logging.Logger | logging.LoggerAdapter:
    """The run logger inside a flow run or its hooks (so the UI shows the line), the module logger elsewhere."""
    from flows.sources import run_logger

    return run_logger(__name__)


def _run_url(flow_run_id) -> str | None:
    """The run's page in the Prefect UI, when the UI address is known."""
    from prefect.settings import PREFECT_UI_URL

    base = PREFECT_UI_URL.value()
    return f"{base.rstrip('/')}/runs/flow-run/{flow_run_id}" if base else None


def _plain(value: Any) -> Any:
    """JSON-safe parameter value (dates become ISO strings)."""
    return value if value is None or isinstance(value, bool | int | float | str | list | dict) else str(value)
