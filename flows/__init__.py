"""Prefect flows and the network: the only package that imports prefect, reads settings or fetches."""

import os

# No network here and no telemetry wanted anywhere: set before prefect / great_expectations are imported.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

import logging  # noqa: E402 - after the environment above, on purpose


class _KnownNoise(logging.Filter):
    """Drop log lines we know and document, so run logs stay useful.

    - Prefect warns on every task that its `timeout_seconds` cannot interrupt a blocking call in a worker thread.
      We know (docs/deploying.md): the HTTP connect/read timeouts bound each request, the task timeout is a backstop.
    - great-expectations announces the temporary folder of its ephemeral Data Docs site at INFO on every run.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("Timeout of") and "worker thread" in message) and not (
            record.name.startswith("great_expectations") and "ephemeral docs site" in message
        )


for _name in ("prefect.task_runs", "great_expectations.data_context.types.base"):
    logging.getLogger(_name).addFilter(_KnownNoise())
