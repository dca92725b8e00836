"""Dead network (issue 11 item 7): connection-level failures (refused, reset) get a short bounded retry budget and one
clear line; the task is not retried for them; 429/503 still honour Retry-After (test_http)."""

import dataclasses
import socket
import threading
import time
from datetime import date

import pytest
from pytest_httpserver import HTTPServer

from flows.http import CONNECT_RETRIES, SourceError, get_bytes, make_session
from flows.sources import Window, nyfed
from tests.conftest import fetch_request
from transforms.registry import NYFED

# The production policy's retries and backoff (4, factor 1): what a live run really spends.
LIVE = dataclasses.replace(NYFED, min_interval_s=0.0)


def _refusing_url() -> str:
    unused = HTTPServer()
    unused.start()
    url = unused.url_for("/api/")
    unused.stop()  # nothing listens on the port any more
    return url


@pytest.fixture
def resetting_url():
    """A local server that accepts each connection and drops it at once (a reset / broken connection)."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)
    accepted = []

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            accepted.append(1)
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/api/", accepted
    listener.close()


def test_refused_host_gives_up_within_seconds_with_one_line():
    started = time.monotonic()
    request = fetch_request("nyfed_rates", Window(date(2026, 1, 2), date(2026, 1, 9)))
    request = dataclasses.replace(request, base_url=_refusing_url())
    with pytest.raises(SourceError) as caught:
        nyfed.fetch_rates(make_session(LIVE, "qtwatch-tests"), request)
    elapsed = time.monotonic() - started
    error = caught.value
    assert elapsed < 6  # was ~14 s per request (4 connect retries with backoff) plus two task retries
    assert error.connection and "connection refused" in error.cause and "\n" not in str(error)
    assert str(error).startswith("nyfed_rates: cannot reach localhost:")


def test_reset_connections_get_the_same_short_budget(resetting_url):
    url, accepted = resetting_url
    with pytest.raises(SourceError) as caught:
        get_bytes(
            make_session(LIVE, "qtwatch-tests"), url + "rates/all/search.csv", None, source="nyfed_rates", expect="csv"
        )
    assert caught.value.connection and "\n" not in str(caught.value)
    assert len(accepted) <= CONNECT_RETRIES + 1


def test_the_extract_task_is_not_retried_for_an_unreachable_host():
    from flows.pipeline import _is_transient

    class State:
        def __init__(self, exc: Exception) -> None:
            self.exc = exc

        def result(self):
            raise self.exc

    unreachable = SourceError("fred", "http://x/", "cannot reach x", transient=True, connection=True)
    busy = SourceError("fred", "http://x/", "HTTP 503: busy", transient=True)
    assert not _is_transient(None, None, State(unreachable))
    assert _is_transient(None, None, State(busy))
