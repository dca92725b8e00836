"""Bounds on one HTTP request (issue 28 items 3, 7, 14): its total time (connect, retries, waits and body; a read
timeout only bounds one socket read), the `Retry-After` a server may ask for, the decompressed size of its body, and
a stop on SIGTERM/SIGINT that reaches a worker thread blocked in a socket read.

How: every connection qtwatch opens registers itself, per thread, while it sends a request; a watchdog timer (the
request's deadline) and a watcher of `flows.interrupts.STOP` shut that socket down, which wakes the blocked read at
once. Retry waits (backoff, Retry-After, pacing) wait on STOP instead of sleeping."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from flows import interrupts

MB = 1024 * 1024
CHUNK = 64 * 1024
_ACTIVE: dict[int, HTTPConnection] = {}  # thread id -> the connection it is using now
_LOCK = threading.Lock()
_local = threading.local()


@dataclass(frozen=True)
class Limits:
    """Per request: total seconds, the longest Retry-After honoured, the largest decompressed body in bytes."""

    total_s: float = 300.0
    max_retry_after_s: float = 120.0
    max_bytes: int = 256 * MB

    @classmethod
    def from_settings(cls) -> Limits:
        """From QTWATCH_HTTP_TOTAL_S, QTWATCH_HTTP_MAX_RETRY_AFTER_S and QTWATCH_MAX_RESPONSE_MB."""
        from flows.settings import get_settings

        settings = get_settings()
        return cls(settings.http_total_s, settings.http_max_retry_after_s, int(settings.max_response_mb * MB))


class Guard:
    """The running request of one thread: its deadline and why it was cut short, if it was."""

    def __init__(self, total_s: float) -> None:
        self.total_s, self.deadline = total_s, time.monotonic() + total_s
        self.expired = False

    def remaining(self) -> float:
        """Seconds left before the deadline (0 when past it)."""
        return max(0.0, self.deadline - time.monotonic())

    def over(self) -> bool:
        """Past the deadline or told to stop."""
        return self.expired or interrupts.STOP.is_set() or time.monotonic() >= self.deadline


def current() -> Guard | None:
    """This thread's running request, if any."""
    return getattr(_local, "guard", None)


@contextlib.contextmanager
def guarded(total_s: float) -> Iterator[Guard]:
    """Bound this thread's request to `total_s`: at the deadline its socket is shut down (a blocked read ends)."""
    _start_stop_watcher()
    guard = Guard(total_s)
    ident = threading.get_ident()

    def expire() -> None:
        guard.expired = True
        abort(ident)

    timer = threading.Timer(total_s, expire)
    timer.daemon = True
    _local.guard = guard
    timer.start()
    try:
        yield guard
    finally:
        timer.cancel()
        _local.guard = None
        with _LOCK:
            _ACTIVE.pop(ident, None)


def wait(seconds: float) -> None:
    """Sleep `seconds`, cut to the request's deadline, ended at once by a stop signal (no sleeping through one)."""
    guard = current()
    if guard is not None:
        seconds = min(seconds, guard.remaining())
    if seconds > 0:
        interrupts.STOP.wait(seconds)


def abort(ident: int | None = None) -> None:
    """Shut down the socket of one thread's request (every one when `ident` is None)."""
    with _LOCK:
        connections = list(_ACTIVE.values()) if ident is None else [_ACTIVE.get(ident)]
    for connection in connections:
        # http.client drops `sock` from a connection whose response will close it; the request kept it
        sock = getattr(connection, "qtwatch_sock", None) or getattr(connection, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


_watcher: list[threading.Thread] = []


def _start_stop_watcher() -> None:
    """One daemon thread per process: when a signal sets STOP, abort every request in flight."""
    with _LOCK:
        if _watcher and _watcher[0].is_alive():
            return
        thread = threading.Thread(target=_watch_stop, name="qtwatch-http-stop", daemon=True)
        _watcher[:] = [thread]
    thread.start()


def _watch_stop() -> None:
    while True:
        interrupts.STOP.wait()
        abort()
        time.sleep(0.2)  # STOP stays set until the next run clears it: keep aborting what starts meanwhile


class _Tracked:
    """Mixin: the connection registers itself for its thread while it sends a request and reads the answer."""

    def request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201 - urllib3's signature
        with _LOCK:
            _ACTIVE[threading.get_ident()] = self
        guard = current()
        if guard is not None and guard.over():
            abort(threading.get_ident())
        try:
            return super().request(*args, **kwargs)
        finally:
            self.qtwatch_sock = getattr(self, "sock", None)


class TrackedHTTPConnection(_Tracked, HTTPConnection):
    """urllib3's HTTPConnection, registered while in use."""


class TrackedHTTPSConnection(_Tracked, HTTPSConnection):
    """urllib3's HTTPSConnection, registered while in use."""


class TrackedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = TrackedHTTPConnection


class TrackedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = TrackedHTTPSConnection


POOL_CLASSES = {"http": TrackedHTTPConnectionPool, "https": TrackedHTTPSConnectionPool}
