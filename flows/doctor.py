"""`qtwatch doctor`: one small request per registered source, to check a live setup before the first run.

For each source in the registry: is the host reachable, what status it answers, how long it took, whether the API
key works, and whether the payload still has what the parsers expect (missing fields: unusable; new fields:
reported, they are kept in raw). What to ask and how to read the answer is the source's own probe, declared in its
registry entry (`Source(probe="flows.sources.<x>:probe")`, see flows.probes); a source without one is reported "not
probed". Each probe gets at most `timeout_s` in total (a slow or dripping server cannot hang doctor) and each result
is handed to `on_check` as soon as it is known. Reads settings passed in as plain values; writes nothing.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Mapping
from datetime import date

from flows.http import SourceError, get_bytes, make_session, redact
from flows.probes import NOT_PROBED, Check, Probe
from flows.replay import resolve
from transforms.errors import ParseError
from transforms.registry import SOURCES, Source

NO_PROBE = f"{NOT_PROBED}: its registry entry declares no probe (Source(probe=...)); a live run is its first check"


def run_doctor(
    urls: Mapping[str, str],
    *,
    api_keys: Mapping[str, str],
    user_agent: str,
    timeout_s: float = 15.0,
    today: date | None = None,
    sources: Mapping[str, Source] = SOURCES,
    on_check: Callable[[Check], None] | None = None,
) -> list[Check]:
    """Probe every registered source once, in registry order, each bounded to `timeout_s` in total."""
    today = today or date.today()
    checks = []
    for source in sources.values():
        check = probe_source(source, urls, api_keys.get(source.name), user_agent, timeout_s, today)
        if on_check is not None:
            on_check(check)
        checks.append(check)
    return checks


def probe_source(
    source: Source, urls: Mapping[str, str], api_key: str | None, user_agent: str, timeout_s: float, today: date
) -> Check:
    """One small request to one source, in at most `timeout_s`; every failure is caught into the Check."""
    check = Check(source.name)
    if source.probe is None:  # said, never a reason to fail, never a "usable: yes"
        check.reachable, check.note = True, NO_PROBE
        return check
    probe: Probe = resolve(source.probe)(source, api_key, today)
    base = urls.get(probe.setting) or source.http.url_settings()[probe.setting]
    check.url = redact(base + probe.path)
    if source.api_key_setting and not api_key:
        check.key = "not set"
    return _bounded(
        lambda: _request(source, probe, base + probe.path, api_key, user_agent, timeout_s, check), check, timeout_s
    )


def _bounded(work: Callable[[], None], check: Check, timeout_s: float) -> Check:
    """Run `work` (which fills `check`) on a daemon thread; past `timeout_s` give up on it with a Check that says so.

    The abandoned request ends with its read timeout or with the process (the CLI exits right after)."""
    worker = threading.Thread(target=work, name=f"doctor-{check.source}", daemon=True)
    worker.start()
    worker.join(timeout_s)
    if not worker.is_alive():
        return check
    return Check(
        check.source,
        url=check.url,
        key=check.key,
        latency_ms=round(timeout_s * 1000, 1),
        timed_out=True,
        note=f"no complete answer within {timeout_s:g}s: the server is slow or throttling, a run would "
        f"wait on it (try again, or raise --timeout)",
    )


def _request(
    source: Source, probe: Probe, url: str, api_key: str | None, user_agent: str, timeout_s: float, check: Check
) -> None:
    """The probe's one request (no retries, no pacing) and its inspection, recorded in `check`."""
    policy = dataclasses.replace(source.http, retries=0, timeout_s=timeout_s, min_interval_s=0.0)
    clock = time.perf_counter()
    try:
        body, check.url = get_bytes(
            make_session(policy, user_agent), url, probe.params, source=source.name, expect=probe.expect
        )
        check.reachable, check.status = True, 200
    except SourceError as exc:
        _record_failure(check, exc, probe, api_key)
        return
    except Exception as exc:  # noqa: BLE001 - a thread's error must reach the user as one line, not a traceback
        check.note = f"probe failed: {type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}"
        return
    finally:
        check.latency_ms = round((time.perf_counter() - clock) * 1000, 1)
    _inspect(probe, body, check)


def _inspect(probe: Probe, body: bytes, check: Check) -> None:
    """The source's own reading of the body; a body it cannot read makes the source unusable, in one line."""
    try:
        probe.inspect(body, check)
    except (ParseError, ValueError, KeyError, TypeError) as exc:
        check.missing.append("(payload)")
        check.note = (str(exc).splitlines() or [type(exc).__name__])[0][:200]


def _record_failure(check: Check, exc: SourceError, probe: Probe, api_key: str | None) -> None:
    """A failed request: unreachable, or the status and what the server said."""
    check.url, check.note = exc.url, exc.cause[:200]
    if exc.connection:
        return
    check.reachable = True
    check.status = _status_of(exc.cause)
    if api_key and "api_key" in exc.cause:
        check.key = "rejected"
    elif check.status is not None and check.status in probe.refused:
        check.note = probe.refused[check.status]


def _status_of(cause: str) -> int | None:
    head = cause.split(":", 1)[0]
    return int(head[5:]) if head.startswith("HTTP ") and head[5:].isdigit() else None
