"""Alerts through Prefect's own mechanisms: a notification block and automations on flow-run states and events.

`ensure_alerting()` (run by `qtwatch serve`, or `qtwatch alerts` against any Prefect API) makes:
- the notification block `qtwatch-alerts`: from QTWATCH_ALERT_WEBHOOK_URL, a Custom Webhook block posting a
  Slack/Teams-compatible `{"text": ...}` body, the URL kept in the block's secret values (never in plain block data,
  logs or the UI); or any notification block a user saved under that name (Slack, Microsoft Teams, email, ...);
- the automation `qtwatch: run failed`: a qtwatch-pipeline flow run entering Failed or Crashed sends the block a
  message naming the run, its state and its message, with its link;
- the automation `qtwatch: funding stress`: the first `qtwatch.funding.stress.new` event of a flagged day (see
  flows.alerts) sends the block the stress line.

Runs served that way leave alerting to Prefect (ALERTS_BY_PREFECT in their environment): the flow's own failure
hook then posts nothing, so one failure is one message. `qtwatch run` on its temporary server, which stops with the
process, keeps the hook (flows.alerts.notify_failure).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from uuid import UUID

from flows.secrets import register_webhook

BLOCK = "qtwatch-alerts"
FLOW = "qtwatch-pipeline"
FAILED = "qtwatch: run failed"
STRESS = "qtwatch: funding stress"
STRESS_NEW_EVENT = "qtwatch.funding.stress.new"
ALERTS_BY_PREFECT = "QTWATCH_ALERTS_BY_PREFECT"
FAILED_SUBJECT = "qtwatch run {{ flow_run.name }} ended {{ flow_run.state.name }}"
FAILED_BODY = "{{ flow_run.state.message }} ({{ flow_run|ui_url }})"
STRESS_BODY = "{{ event.payload.text }}"


@dataclass(frozen=True)
class Alerting:
    """What ensure_alerting set up: the block used and the automations, by name."""

    block: str
    block_type: str
    automations: tuple[str, ...]


def ensure_alerting(webhook_url: str | None) -> Alerting | None:
    """Create or update the notification block and both automations on the current Prefect API; None (nothing
    made) when there is neither a webhook URL nor a saved `qtwatch-alerts` block."""
    block_id, block_type = _block(webhook_url)
    if block_id is None:
        return None
    for name, automation in _automations(block_id).items():
        _upsert(name, automation)
    os.environ[ALERTS_BY_PREFECT] = "1"  # runs served from this process leave failure alerts to the automation
    return Alerting(BLOCK, block_type, (FAILED, STRESS))


def _block(webhook_url: str | None) -> tuple[UUID | None, str]:
    """The id and type of the `qtwatch-alerts` block: saved from the URL when one is set, else a user's own."""
    from prefect.blocks.notifications import CustomWebhookNotificationBlock

    if webhook_url:
        register_webhook(webhook_url)
        block = CustomWebhookNotificationBlock(
            name="qtwatch",
            url="{{ webhook_url }}",
            secrets={"webhook_url": webhook_url},  # type: ignore[arg-type]
            json_data={"text": "{{ subject }}: {{ body }}", "subject": "{{ subject }}", "body": "{{ body }}"},
            headers=None,
            cookies=None,
        )
        return block.save(BLOCK, overwrite=True), "Custom Webhook"  # type: ignore[return-value]
    try:
        saved = _load_any(BLOCK)
    except ValueError:
        return None, ""
    return saved._block_document_id, saved.get_block_type_name()  # noqa: SLF001 - the saved document's id


def _load_any(name: str):
    """A saved notification block named `name`, whatever its type (Slack, Teams, Custom Webhook, email, ...)."""
    from prefect.blocks.core import Block
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        for document in client.read_block_documents():
            if document.name == name and document.block_type is not None:
                return Block.load(f"{document.block_type.slug}/{name}")
    raise ValueError(f"no block named {name}")


def _automations(block_id: UUID) -> dict:
    """The two automations, sending to the block `block_id`."""
    from prefect.automations import Automation, EventTrigger, Posture
    from prefect.events.actions import SendNotification

    failed = Automation(
        name=FAILED,
        description="A qtwatch-pipeline run failed or crashed: send its state and message.",
        trigger=EventTrigger(
            expect={"prefect.flow-run.Failed", "prefect.flow-run.Crashed"},
            match_related={"prefect.resource.role": "flow", "prefect.resource.name": FLOW},
            posture=Posture.Reactive,
            threshold=1,
        ),
        actions=[SendNotification(block_document_id=block_id, subject=FAILED_SUBJECT, body=FAILED_BODY)],
    )
    stress = Automation(
        name=STRESS,
        description="A newly flagged funding-stress day (SOFR above IORB, or SRF take-up above $5bn).",
        trigger=EventTrigger(expect={STRESS_NEW_EVENT}, posture=Posture.Reactive, threshold=1),
        actions=[SendNotification(block_document_id=block_id, subject="qtwatch funding stress", body=STRESS_BODY)],
    )
    return {FAILED: failed, STRESS: stress}


def _upsert(name: str, automation) -> None:
    """Create the automation, or replace the one(s) of that name (so running this again changes nothing)."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        for old in client.read_automations_by_name(name):
            client.delete_automation(old.id)
    automation.create()
