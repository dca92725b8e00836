"""One step of a run and its row in meta.loads: timed, recorded, and an error mapped to `failed`.

A step's body only sets its outcome (`record.status`, rows, error); `step` times it, stamps `finished_at`, records
the row in meta.loads and turns an exception into a `failed` row (one line, secrets redacted) so the other sources
and marts still publish. A stop signal is never swallowed."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import duckdb

from flows import interrupts, secrets
from flows.sources import run_logger
from warehouse import meta
from warehouse.meta import LoadRecord, LoadStatus


@contextlib.contextmanager
def step(con: duckdb.DuckDBPyConnection, record: LoadRecord) -> Iterator[LoadRecord]:
    """Time the block, record `record` in meta.loads when it ends; an exception in it makes the record `failed`."""
    clock = time.perf_counter()
    try:
        yield record
    except Exception as exc:  # noqa: BLE001 - one failing source or mart must not drop the others
        fail(record, exc)
    record.seconds = round(record.seconds + time.perf_counter() - clock, 3)
    meta.record_load(con, finish(record))


def fail(record: LoadRecord, exc: BaseException) -> LoadRecord:
    """Mark `record` failed with the first line of the error (redacted); a stop signal is raised again instead."""
    interrupts.reraise_if_stopping(exc)  # a signal (e.g. turned into DuckDB's "Query interrupted") stops the run
    record.status = LoadStatus.FAILED
    record.error = secrets.redact(str(exc).splitlines()[0])[:500] if str(exc) else type(exc).__name__
    run_logger(__name__).error("%s failed: %s", record.source, record.error)
    return record


def finish(record: LoadRecord) -> LoadRecord:
    """Stamp the record's end."""
    record.finished_at = datetime.now(UTC)
    return record
