"""SIGTERM and SIGINT stop a `qtwatch run` cleanly: nothing half-done is published, and the CLI can say so.

The CLI installs `handling_signals()` around the run. A signal sets `STOP` and raises `Interrupted` in the main
thread. Prefect swaps its own SIGTERM handler in while a flow runs, and DuckDB turns an exception raised inside a
query into its own "Query interrupted" error, which a per-source `except Exception` would record as one failed
source and carry on; so the flow re-arms the handler (`rearm`) and the pipeline re-raises (`reraise_if_stopping`)
and checks (`check`) before it publishes.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

STOP = threading.Event()
SIGNALS = (signal.SIGTERM, signal.SIGINT)
_received: list[int] = []
_armed = threading.Event()


class Interrupted(BaseException):
    """The run was told to stop by a signal (a BaseException, like KeyboardInterrupt: no `except Exception` eats it)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"interrupted by {signal.Signals(signum).name}")


def _handler(signum: int, frame) -> None:  # noqa: ARG001 - signal handler signature
    _received.append(signum)
    STOP.set()
    raise Interrupted(signum)


@contextlib.contextmanager
def handling_signals() -> Iterator[None]:
    """Turn SIGTERM/SIGINT into `Interrupted` for the block (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _handler) for s in SIGNALS}
    STOP.clear()
    _received.clear()
    _armed.set()
    try:
        yield
    finally:
        _armed.clear()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def rearm() -> None:
    """Inside the flow: put our handler back in place of Prefect's, but only when the CLI asked for it (a
    deployment run keeps Prefect's, which reports a runner's cancellation)."""
    if _armed.is_set() and threading.current_thread() is threading.main_thread():
        for signum in SIGNALS:
            signal.signal(signum, _handler)


def check() -> None:
    """Raise `Interrupted` if a signal arrived (even one whose exception something swallowed)."""
    if STOP.is_set():
        raise Interrupted(_received[-1] if _received else signal.SIGTERM)


def reraise_if_stopping(exc: BaseException) -> None:
    """In an `except Exception` that records and carries on: stop instead if a signal is what caused `exc`."""
    if STOP.is_set():
        raise Interrupted(_received[-1] if _received else signal.SIGTERM) from exc


def received() -> int | None:
    """The last signal received during `handling_signals`, if any."""
    return _received[-1] if _received else None
