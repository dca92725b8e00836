"""HTTP for every source: one requests.Session per source with timeouts, a User-Agent, polite pacing and
bounded retries (urllib3 Retry, honouring Retry-After on 429/503), and one clear error naming source, URL and cause."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping

import requests
from requests.adapters import BaseAdapter, HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

# The one redaction function lives in flows.secrets (it knows the secret values); imported here so every message
# this module builds goes through it, and `flows.http.redact` keeps working for callers.
from flows.secrets import RedactingFilter, redact
from transforms.registry import HttpPolicy

RETRY_STATUSES = (429, 500, 502, 503, 504)

# urllib3 logs retried URLs (with their query string) at WARNING: redact them on the way out.
for _name in ("urllib3", "urllib3.connectionpool", "urllib3.util.retry", "urllib3.poolmanager", "requests"):
    logging.getLogger(_name).addFilter(RedactingFilter())


class SourceError(RuntimeError):
    """A source could not be fetched or sent something unusable; the message is safe to log (key redacted)."""

    def __init__(self, source: str, url: str, cause: str, *, transient: bool = False) -> None:
        self.source, self.url, self.cause = source, redact(url), redact(cause)
        self.transient = transient  # worth retrying later (network, 429/5xx); False for a bad payload or request
        super().__init__(f"{source}: {self.cause} [{self.url}]")


class PacedAdapter(HTTPAdapter):
    """An HTTPAdapter that keeps at least `min_interval_s` between requests (per-host politeness).

    Written by hand on purpose: ten lines, no extra dependency, and it composes with urllib3's Retry.
    """

    def __init__(self, min_interval_s: float, **kwargs) -> None:
        self._min_interval, self._lock, self._last = min_interval_s, threading.Lock(), 0.0
        super().__init__(**kwargs)

    def send(self, request, *args, **kwargs):
        with self._lock:
            wait = self._last + self._min_interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last = time.monotonic()
        return super().send(request, *args, **kwargs)


def make_retry(policy: HttpPolicy) -> Retry:
    """Bounded retries with exponential backoff on connection errors and 429/5xx, honouring Retry-After."""
    return Retry(
        total=policy.retries,
        connect=policy.retries,
        read=policy.retries,
        status=policy.retries,
        backoff_factor=policy.backoff_factor,
        backoff_max=60,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET"}),
        respect_retry_after_header=True,
        raise_on_status=False,
    )


def make_session(policy: HttpPolicy, user_agent: str, adapter: BaseAdapter | None = None) -> requests.Session:
    """A session for one source; `adapter` (e.g. the replay adapter) replaces the network when given."""
    session = requests.Session()
    session.headers.update({"User-Agent": user_agent, "Accept-Encoding": "gzip"})
    mounted = adapter or PacedAdapter(policy.min_interval_s, max_retries=make_retry(policy))
    session.mount("https://", mounted)
    session.mount("http://", mounted)
    session.qtwatch_policy = policy  # type: ignore[attr-defined]
    return session


def get_bytes(session: requests.Session, url: str, params: Mapping[str, str] | None, *, source: str,
              expect: str) -> tuple[bytes, str]:
    """GET a CSV or JSON payload; returns (body, final URL). Raises SourceError for any failure."""
    policy: HttpPolicy | None = getattr(session, "qtwatch_policy", None)
    timeout = (10.0, policy.timeout_s if policy else 30.0)
    try:
        response = session.get(url, params=params, timeout=timeout)
    except requests.exceptions.RetryError as exc:
        raise SourceError(source, url, f"gave up after retries: {_reason(exc)}", transient=True) from None
    except requests.exceptions.RequestException as exc:
        if _timed_out(exc):
            raise SourceError(source, url, f"timed out (read timeout {timeout[1]:g}s) after retries",
                              transient=True) from None
        raise SourceError(source, url, f"request failed: {_reason(exc)}", transient=True) from None
    final_url = redact(response.url or url)
    if response.status_code != 200:
        snippet = response.text[:400].strip().replace("\n", " ")
        raise SourceError(source, final_url, f"HTTP {response.status_code}: {snippet}",
                          transient=response.status_code in RETRY_STATUSES)
    check_body(response.content, expect, source, final_url)
    return response.content, final_url


def check_body(body: bytes, expect: str, source: str, url: str) -> None:
    """Refuse an empty body or an HTML page where CSV/JSON was expected (a login wall, an error page)."""
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head:
        raise SourceError(source, url, f"empty response where {expect.upper()} was expected")
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<")):
        raise SourceError(source, url, f"received HTML/XML where {expect.upper()} was expected")


def _timed_out(exc: Exception) -> bool:
    """A timeout, however it arrives: requests' Timeout, or urllib3's ReadTimeoutError wrapped by Retry in a
    MaxRetryError that requests re-raises as ConnectionError."""
    reason = getattr(getattr(exc, "args", [None])[0], "reason", None)
    return isinstance(exc, requests.exceptions.Timeout) or isinstance(reason, TimeoutError | ReadTimeoutError)


def _reason(exc: Exception) -> str:
    """The innermost useful reason of a requests/urllib3 exception, without the URL's query string."""
    reason = getattr(getattr(exc, "args", [None])[0], "reason", None) or exc
    return redact(str(reason))[:300]
