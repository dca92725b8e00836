"""HTTP for every source: one requests.Session per source with timeouts, a User-Agent, polite pacing and
bounded retries (urllib3 Retry, honouring Retry-After on 429/503), and one clear error naming source, URL and cause."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter, HTTPAdapter
from urllib3.exceptions import InvalidHeader, MaxRetryError, ReadTimeoutError, ResponseError
from urllib3.util.retry import Retry

from flows import http_limits
from flows.http_limits import Limits

# The one redaction function lives in flows.secrets (it knows the secret values); imported here so every message
# this module builds goes through it, and `flows.http.redact` keeps working for callers.
from flows.secrets import RedactingFilter, redact
from transforms.registry import HttpPolicy

RETRY_STATUSES = (429, 500, 502, 503, 504)
# Connection-level failures (DNS, refused, reset) are retried this often, at most: a host that cannot be reached
# twice in two seconds will not be reached in the next two minutes either. 429/5xx keep the policy's own budget
# (and honour Retry-After): those are a server asking us to wait, not a dead network.
CONNECT_RETRIES = 2


# urllib3 logs retried URLs (with their query string) at WARNING: redact them on the way out.
for _name in ("urllib3", "urllib3.connectionpool", "urllib3.util.retry", "urllib3.poolmanager", "requests"):
    logging.getLogger(_name).addFilter(RedactingFilter())


class SourceError(RuntimeError):
    """A source could not be fetched or sent something unusable; the message is safe to log (key redacted)."""

    def __init__(self, source: str, url: str, cause: str, *, transient: bool = False, connection: bool = False) -> None:
        self.source, self.url, self.cause = source, redact(url), redact(cause)
        self.transient = transient  # worth retrying later (network, 429/5xx); False for a bad payload or request
        self.connection = connection  # the host could not be reached at all: its retry budget is already spent
        super().__init__(f"{source}: {self.cause} [{self.url}]")


class PacedAdapter(HTTPAdapter):
    """An HTTPAdapter that keeps at least `min_interval_s` between requests (per-host politeness).

    Written by hand on purpose: ten lines, no extra dependency, and it composes with urllib3's Retry.
    """

    def __init__(self, min_interval_s: float, **kwargs) -> None:
        self._min_interval, self._lock, self._last = min_interval_s, threading.Lock(), 0.0
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs) -> None:
        """urllib3's pool manager, its connections registered while in use (flows.http_limits can abort them)."""
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = http_limits.POOL_CLASSES

    def send(self, request, *args, **kwargs):
        with self._lock:
            wait = self._last + self._min_interval - time.monotonic()
            if wait > 0:
                http_limits.wait(wait)  # a stop signal ends the wait
            self._last = time.monotonic()
        return super().send(request, *args, **kwargs)


class GaveUp(ResponseError):
    """Retrying stopped early: the request's total time is spent, a stop signal came, or the server asked to wait
    longer than the limit (Retry-After)."""


class BoundedRetry(Retry):
    """urllib3 Retry whose connection-level failures (connect, read, other: DNS, refused, reset, read timeout) share
    one budget of CONNECT_RETRIES, however urllib3 files each one; 429/5xx keep the status budget."""

    def increment(
        self,
        method=None,
        url=None,
        response=None,
        error=None,
        _pool=None,  # noqa: ANN001 - as urllib3's
        _stacktrace=None,
    ) -> BoundedRetry:
        """Count the attempt like Retry does; past CONNECT_RETRIES connection-level failures, past the request's
        total time, on a stop signal, or on a Retry-After longer than the limit, give up."""
        retry = super().increment(method, url, response, error, _pool, _stacktrace)
        if error is not None and sum(h.error is not None for h in retry.history) > CONNECT_RETRIES:
            raise MaxRetryError(_pool, url, reason=error) from error
        if (why := self._give_up(response)) is not None:
            raise MaxRetryError(_pool, url, reason=GaveUp(why))
        return retry

    max_retry_after_s: float = 120.0

    def new(self, **kw) -> BoundedRetry:  # noqa: ANN003 - as urllib3's
        """A copy that keeps the Retry-After limit (urllib3's new() passes its own fields only)."""
        retry = super().new(**kw)
        retry.max_retry_after_s = self.max_retry_after_s
        return retry

    def _give_up(self, response) -> str | None:  # noqa: ANN001 - urllib3's response
        guard = http_limits.current()
        if http_limits.interrupts.STOP.is_set():
            return "stopped by a signal"
        if guard is not None and guard.over():
            return "out of time"
        try:
            asked = self.get_retry_after(response) if response is not None else None
        except InvalidHeader:
            asked = None  # a Retry-After we cannot read: the backoff applies
        if asked is not None and asked > self.max_retry_after_s:
            return (
                f"the server asked to wait {asked:,.0f}s (Retry-After), longer than QTWATCH_HTTP_MAX_RETRY_AFTER_S"
                f"={self.max_retry_after_s:g}s"
            )
        if guard is not None and asked is not None and asked > guard.remaining():
            return f"the server asked to wait {asked:,.0f}s (Retry-After), past the request's total time"
        return None

    def sleep_for_retry(self, response) -> bool:  # noqa: ANN001 - urllib3's response
        """Honour Retry-After (already checked against the limit) in a wait a stop signal ends."""
        asked = self.get_retry_after(response)
        if asked:
            http_limits.wait(asked)
            return True
        return False

    def _sleep_backoff(self) -> None:
        http_limits.wait(self.get_backoff_time())


def make_retry(policy: HttpPolicy, limits: Limits | None = None) -> Retry:
    """Bounded retries with exponential backoff on connection errors and 429/5xx, honouring Retry-After up to
    the limit (a longer one gives up at once)."""
    retry = BoundedRetry(
        total=policy.retries,
        connect=min(policy.retries, CONNECT_RETRIES),
        read=min(policy.retries, CONNECT_RETRIES),  # a reset mid-request or a read timeout: same short budget
        other=min(policy.retries, CONNECT_RETRIES),  # a reset urllib3 files under neither (dropped while sending)
        status=policy.retries,
        backoff_factor=policy.backoff_factor,
        backoff_max=60,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET"}),
        respect_retry_after_header=True,
        retry_after_max=10**9,  # read as asked: _give_up compares it with the limit
        raise_on_status=False,
    )
    retry.max_retry_after_s = (limits or Limits()).max_retry_after_s
    return retry


class Session(requests.Session):
    """A requests.Session that reads the environment's proxy and CA-bundle settings once per host (and per request
    arguments), not on every request: requests walks the whole environment each time (about 0.8 ms a request, 0.3 s
    for 400 FRED series). Written by hand on purpose: requests has no switch for it. The answer is requests' own
    (`merge_environment_settings`), computed at the first request to a host; a run does not change its environment."""

    def __init__(self) -> None:
        super().__init__()
        self._environment: dict[tuple, dict] = {}

    def merge_environment_settings(self, url, proxies, stream, verify, cert):
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc, tuple(sorted((proxies or {}).items())), stream, verify, cert)
        if key not in self._environment:
            self._environment[key] = super().merge_environment_settings(url, proxies, stream, verify, cert)
        settings = self._environment[key]
        return {**settings, "proxies": dict(settings["proxies"])}


def make_session(
    policy: HttpPolicy, user_agent: str, adapter: BaseAdapter | None = None, limits: Limits | None = None
) -> requests.Session:
    """A session for one source; `adapter` (e.g. the replay adapter) replaces the network when given; `limits`
    default to the QTWATCH_HTTP_TOTAL_S / _MAX_RETRY_AFTER_S / QTWATCH_MAX_RESPONSE_MB settings."""
    limits = limits or Limits.from_settings()
    session = Session()
    session.headers.update({"User-Agent": user_agent, "Accept-Encoding": "gzip"})
    mounted = adapter or PacedAdapter(policy.min_interval_s, max_retries=make_retry(policy, limits))
    session.mount("https://", mounted)
    session.mount("http://", mounted)
    session.qtwatch_policy = policy  # type: ignore[attr-defined]
    session.qtwatch_limits = limits  # type: ignore[attr-defined]
    return session


def limits_of(session: requests.Session) -> Limits:
    """The session's request limits (defaults for a session make_session did not build)."""
    return getattr(session, "qtwatch_limits", None) or Limits()


def get_bytes(
    session: requests.Session, url: str, params: Mapping[str, str] | None, *, source: str, expect: str
) -> tuple[bytes, str]:
    """GET a CSV or JSON payload within the session's limits (total time, Retry-After, decompressed size); a body
    cut mid-transfer is asked for again. Returns (body, final URL). Raises SourceError for any failure."""
    limits = limits_of(session)
    with http_limits.guarded(limits.total_s) as guard:
        for attempt in range(CONNECT_RETRIES + 1):
            try:
                response, body = _get_once(session, url, params, source=source, limits=limits, guard=guard)
                break
            except CutBody as cut:
                if attempt == CONNECT_RETRIES or guard.over():
                    raise SourceError(
                        source,
                        url,
                        f"the body was cut mid-transfer ({cut}), {attempt + 1} times; try again later",
                        transient=True,
                    ) from None
                http_limits.wait(2.0**attempt)
    final_url = redact(response.url or url)
    if (refusal := _retry_after_refusal(response, limits)) is not None:
        raise SourceError(source, final_url, refusal, transient=True)
    if response.status_code != 200:
        snippet = body[:400].decode("utf-8", "replace").strip().replace("\n", " ")
        raise SourceError(
            source,
            final_url,
            f"HTTP {response.status_code}: {snippet}",
            transient=response.status_code in RETRY_STATUSES,
        )
    check_body(body, expect, source, final_url)
    return body, final_url


def _retry_after_refusal(response: requests.Response, limits: Limits) -> str | None:
    """The one line for a 429/503 whose Retry-After is longer than the limit (urllib3 gave up without waiting)."""
    if response.status_code not in RETRY_STATUSES or "Retry-After" not in response.headers:
        return None
    try:
        asked = Retry(retry_after_max=10**9).get_retry_after(response.raw) or 0.0
    except Exception:  # noqa: BLE001 - an unreadable header is no refusal of ours
        return None
    if asked <= limits.max_retry_after_s:
        return None
    return (
        f"HTTP {response.status_code}: the server asked to wait {asked:,.0f}s (Retry-After), longer than "
        f"QTWATCH_HTTP_MAX_RETRY_AFTER_S={limits.max_retry_after_s:g}s: not waited; try again later"
    )


class CutBody(Exception):
    """The connection ended before the whole body arrived (says how much did)."""


def _get_once(
    session: requests.Session,
    url: str,
    params: Mapping[str, str] | None,
    *,
    source: str,
    limits: Limits,
    guard: http_limits.Guard,
) -> tuple[requests.Response, bytes]:
    """One request (urllib3 retries its connection and 429/5xx failures) and its whole body, read within limits."""
    policy: HttpPolicy | None = getattr(session, "qtwatch_policy", None)
    timeout = (10.0, policy.timeout_s if policy else 30.0)
    clock = time.monotonic()
    try:
        response = session.get(url, params=params, timeout=timeout, stream=True)
    except requests.exceptions.RetryError as exc:
        raise _out_of_bounds(source, url, guard) or SourceError(
            source, url, f"gave up after retries: {_reason(exc)}", transient=True
        ) from None
    except requests.exceptions.RequestException as exc:
        if (bounded := _out_of_bounds(source, url, guard)) is not None:
            raise bounded from None
        if _timed_out(exc):
            raise SourceError(
                source, url, f"timed out (read timeout {timeout[1]:g}s) after retries", transient=True
            ) from None
        spent = time.monotonic() - clock
        raise SourceError(
            source,
            url,
            f"cannot reach {_host(url)}: {_connection_reason(exc)} (gave up after "
            f"{spent:.1f}s; check the network, a proxy, or the source's base-URL setting)",
            transient=True,
            connection=True,
        ) from None
    try:
        return response, read_body(response, limits.max_bytes, source=source, url=url, guard=guard)
    finally:
        response.close()


def read_body(
    response: requests.Response, max_bytes: int, *, source: str, url: str, guard: http_limits.Guard | None = None
) -> bytes:
    """The decompressed body, refused past `max_bytes` (a gzip bomb never inflates further than that); a cut
    connection raises CutBody, a request past its total time or stopped by a signal a SourceError."""
    body = bytearray()
    try:
        for chunk in response.iter_content(http_limits.CHUNK):
            body += chunk
            if len(body) > max_bytes:
                raise SourceError(
                    source,
                    url,
                    f"response larger than {max_bytes / http_limits.MB:g} MB decompressed "
                    "(QTWATCH_MAX_RESPONSE_MB): refused; raise the setting only if the source really "
                    "grew",
                )
    except requests.exceptions.ContentDecodingError as exc:
        raise SourceError(source, url, f"the body could not be decompressed: {_reason(exc)[:200]}") from None
    except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError) as exc:
        if guard is not None and (bounded := _out_of_bounds(source, url, guard)) is not None:
            raise bounded from None
        if _timed_out(exc):
            raise CutBody(
                f"no byte within the read timeout (QTWATCH_HTTP_TIMEOUT_S) after {len(body):,} bytes"
            ) from None
        expected = response.headers.get("Content-Length")
        got = f"after {len(body):,} bytes" if body else "early"
        raise CutBody(
            f"ended {got}, of {int(expected):,} announced"
            if expected and expected.isdigit()
            else f"ended {got}: {_reason(exc)[:120]}"
        ) from None
    if guard is not None and (bounded := _out_of_bounds(source, url, guard)) is not None:
        raise bounded  # the deadline shut the socket of a body without a length: what came is not all of it
    return bytes(body)


def _out_of_bounds(source: str, url: str, guard: http_limits.Guard) -> SourceError | None:
    """The error of a request ended by its total time or a stop signal, else None."""
    if http_limits.interrupts.STOP.is_set():
        return SourceError(source, url, "stopped by a signal")
    if guard.expired or guard.remaining() <= 0:
        return SourceError(
            source,
            url,
            f"gave up after {guard.total_s:g}s in all (QTWATCH_HTTP_TOTAL_S bounds "
            "one request with its retries and body); the source is too slow now, try later",
            transient=True,
        )
    return None


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


def _host(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc or url


def _connection_reason(exc: Exception) -> str:
    """A short name for a connection-level failure: DNS, refused, reset, else the innermost reason."""
    text = _reason(exc)
    for marker, name in (
        ("Failed to resolve", "DNS lookup failed"),
        ("Name or service not known", "DNS lookup failed"),
        ("Temporary failure in name resolution", "DNS lookup failed"),
        ("Connection refused", "connection refused"),
        ("Connection reset", "connection reset"),
        ("Connection aborted", "connection reset"),
        ("Network is unreachable", "no route to host"),
        ("No route to host", "no route to host"),
    ):
        if marker in text:
            return name
    return text


def _reason(exc: Exception) -> str:
    """The innermost useful reason of a requests/urllib3 exception, without the URL's query string."""
    reason = getattr(getattr(exc, "args", [None])[0], "reason", None) or exc
    return redact(str(reason))[:300]
