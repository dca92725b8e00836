"""Start Prefect's temporary server early, so the imports a run needs overlap with its start-up.

Without an API configured, the first flow call starts a temporary server and waits for it (seconds: the server
process imports and migrates on its own core). Started from here instead, the same server (Prefect's
`SubprocessASGIServer`, reused by the flow call) comes up while this process imports polars, DuckDB and
great-expectations.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class EarlyServer:
    """The background start of the temporary server; `wait()` before the first flow call."""

    def __init__(self, thread: threading.Thread | None) -> None:
        self._thread = thread

    @property
    def started(self) -> bool:
        """True when a temporary server is being started (no Prefect API configured)."""
        return self._thread is not None

    def wait(self) -> None:
        """Block until the server answers (a failed start is retried, and raised, by the flow call itself)."""
        if self._thread is not None:
            self._thread.join()


def start_temporary_server(then_import: Callable[[], object] | None = None) -> EarlyServer:
    """Start the temporary server in a thread when no Prefect API is configured; meanwhile run `then_import`
    (heavy imports that are free while the server starts). Against a configured API nothing is started or
    imported: there the imports would only add to the run."""
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    if PREFECT_API_URL.value() or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        return EarlyServer(None)
    thread = threading.Thread(target=_start, name="prefect-temporary-server", daemon=True)
    thread.start()
    if then_import is not None:
        then_import()
    return EarlyServer(thread)


def _start() -> None:
    from prefect.server.api.server import SubprocessASGIServer

    try:
        SubprocessASGIServer().start()
    except Exception:  # noqa: BLE001 - the flow call starts it again and reports the error in the run
        return
