"""One warehouse writer at a time across every deployment, process and machine that talks to one Prefect API.

A Prefect global concurrency limit (`qtwatch-warehouse-writer`, 1 slot) is held around the whole staged write. A
second run waits for the slot (its log says so) and, if it cannot get it within the wait, fails with `WarehouseBusy`
before touching the warehouse. The OS file lock in `warehouse.db.staged` stays underneath as the last guard (it also
covers runs on another Prefect API, or none).
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterator

from flows.settings import Settings

WRITER_LIMIT = "qtwatch-warehouse-writer"
# As long as the file lock waits: a full live run takes minutes, not hours (Settings.writer_wait_s).
DEFAULT_WAIT_S = Settings.model_fields["writer_wait_s"].default
WAIT_ENV = "QTWATCH_WRITER_WAIT_S"
# The slot is leased and renewed in the background; a run that dies frees it after this long.
LEASE_S = 300.0


class WarehouseBusy(RuntimeError):
    """Another qtwatch run held the warehouse writer slot for longer than this run would wait; nothing was written."""


def ensure_writer_limit() -> bool:
    """Create the 1-slot global concurrency limit on the current Prefect API if it is missing; True when it exists."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
    from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

    try:
        with get_client(sync_client=True) as client:
            try:
                client.read_global_concurrency_limit_by_name(WRITER_LIMIT)
            except ObjectNotFound:
                with contextlib.suppress(ObjectAlreadyExists):  # another process created it meanwhile
                    client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=WRITER_LIMIT, limit=1))
        return True
    except Exception as exc:  # noqa: BLE001 - e.g. no permission on Prefect Cloud: fall back to the file lock
        _logger().warning(
            "cannot create the Prefect concurrency limit %s (%s); relying on the warehouse file lock", WRITER_LIMIT, exc
        )
        return False


@contextlib.contextmanager
def writer_slot(wait_s: float = DEFAULT_WAIT_S) -> Iterator[None]:
    """Hold the warehouse writer slot for the block; raise `WarehouseBusy` (before the block runs) if it stays taken.
    `wait_s` is the run's QTWATCH_WRITER_WAIT_S (the file lock under it waits as long)."""
    from prefect.concurrency.sync import concurrency

    if not _shared_api() or not ensure_writer_limit():
        yield
        return
    logger, clock = _logger(), time.perf_counter()
    logger.info("waiting up to %.0fs for the warehouse writer slot (%s)", wait_s, WRITER_LIMIT)
    stack = contextlib.ExitStack()
    try:
        stack.enter_context(concurrency(WRITER_LIMIT, timeout_seconds=wait_s, strict=True, lease_duration=LEASE_S))
    except TimeoutError:
        raise WarehouseBusy(
            f"another qtwatch run held the warehouse writer slot '{WRITER_LIMIT}' for more than "
            f"{wait_s:.0f}s; this run wrote nothing (the published warehouse is unchanged)"
        ) from None
    with stack:
        logger.info("holding the warehouse writer slot (waited %.1fs)", time.perf_counter() - clock)
        yield


def _shared_api() -> bool:
    """True when runs talk to a configured Prefect API. Without one (`qtwatch run` on Prefect's temporary server)
    nothing else can share the slot, and a slot leaked by a killed run would never be reclaimed there: the file lock
    alone serialises writers."""
    from prefect.settings import PREFECT_API_URL

    from flows.temp_server import OWN_SERVER_ENV

    return bool(PREFECT_API_URL.value()) and not os.environ.get(OWN_SERVER_ENV)


def _logger() -> logging.Logger | logging.LoggerAdapter:
    """The run logger inside a flow or task (so the UI shows it), the module logger elsewhere."""
    from flows.sources import run_logger

    return run_logger(__name__)
