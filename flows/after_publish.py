"""Steps that follow the publish (Data Docs, the report): once the warehouse is published a failure there, a full
disk or a read-only folder, must not turn the run into "run failed" with tracebacks. Each failure becomes one line
saying what was not written, the run ends in a Completed state named "Published with warnings" whose message says
what was published and what was not, and the CLI prints those lines."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from prefect.states import Completed, State

from flows.sources import run_logger
from warehouse.meta import RunSummary

T = TypeVar("T")
WARNINGS_STATE = "Published with warnings"
# great-expectations logs every Data Docs page it fails to render at ERROR, a traceback inside the message, and goes on
_GX_LOGGER = "great_expectations"


def after_publish(summary: RunSummary, what: str, step: Callable[[], T]) -> T | None:
    """Run `step` (writing `what`, e.g. "Data Docs in /x"); an exception, or errors great-expectations only logged,
    become one line in summary.warnings and one warning in the run log, without a traceback."""
    with _gx_errors() as errors:
        try:
            result = step()
        except Exception as exc:  # noqa: BLE001 - the data is published: a docs or report problem only warns
            _warn(summary, f"not written: {what} ({_one_line(exc)})")
            return None
    if errors:
        _warn(summary, f"incomplete: {what} ({len(errors)} pages not rendered; first: {errors[0]})")
    return result


def final_state(summary: RunSummary) -> RunSummary | State:
    """The run's result: the summary itself, or, when a step after the publish failed, a Completed state named
    "Published with warnings" whose message has one line for what was published and one per thing that was not."""
    if not summary.warnings:
        return summary
    lines = [f"published: run {summary.run_id} to {summary.warehouse}", *summary.warnings]
    return Completed(name=WARNINGS_STATE, message="\n".join(lines), data=summary)


def _warn(summary: RunSummary, line: str) -> None:
    summary.warnings.append(line)
    run_logger(__name__).warning("%s; run %s was published to %s", line, summary.run_id, summary.warehouse)


def _one_line(exc: BaseException) -> str:
    text = (str(exc).strip().splitlines() or [""])[0][:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@contextmanager
def _gx_errors() -> Iterator[list[str]]:
    """Collect what great-expectations logs at ERROR in the block (first line of each) instead of printing it; its
    other records go on to the parent loggers' handlers as before."""
    found: list[str] = []
    logger = logging.getLogger(_GX_LOGGER)

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.ERROR:
                found.append(_gx_reason(record.getMessage()))
            elif logger.parent is not None:
                logger.parent.handle(record)

    handler, propagate = _Collect(), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield found
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _gx_reason(message: str) -> str:
    """The exception GX names in a rendering error ('... OSError: "[Errno 28] No space left on device". Traceback:
    ...'), else the message's first line."""
    head = message.split("  Traceback:", 1)[0].strip().splitlines()
    return (head[-1].strip() if head else message)[:200]
