"""Secret hygiene: hide registered secret values (FRED_API_KEY) in every form they can take, in any text qtwatch
writes — exceptions, meta tables, Prefect logs, states, events and artifacts, the alert webhook, the report.

A server may echo the request in its error body, so matching `api_key=...` is not enough: the key can come back
URL-encoded, JSON- or repr-escaped, HTML-escaped, bare, or cut. `redact` knows each registered value and replaces it
in all those encodings, and any fragment of 8 or more characters of one. Secrets are registered at the flow's entry
from the settings (`register_secret`); `install_log_redaction` makes every log record pass through `redact`.
"""

from __future__ import annotations

import html
import json
import logging
import re
import threading
from urllib.parse import quote, quote_plus, urlsplit

REDACTED = "REDACTED"
# A fragment this long is as good as a leak (and no English word or date is that long inside a 32-char hex key);
# shorter secrets are not registered: hunting 3-char fragments would shred every message.
MIN_FRAGMENT = 8
_SECRET_PARAMS = re.compile(r"(api_key|apikey|token)=([^&\s'\"]+)", re.IGNORECASE)

_lock = threading.Lock()
_forms: tuple[str, ...] = ()  # every encoding of every registered secret, longest first
_windows: frozenset[str] = frozenset()  # every MIN_FRAGMENT-long slice of those forms


def register_secret(value: str | None) -> None:
    """Remember a secret value so `redact` hides it from now on (None, empty and values under 8 chars are ignored)."""
    global _forms, _windows
    if not value or len(value) < MIN_FRAGMENT:
        return
    with _lock:
        forms = set(_forms) | encodings(value)
        _forms = tuple(sorted(forms, key=len, reverse=True))
        _windows = frozenset(f[i : i + MIN_FRAGMENT] for f in forms for i in range(len(f) - MIN_FRAGMENT + 1))


def register_webhook(url: str | None) -> None:
    """Register the secret part of a webhook URL (its path and query: a Slack/Teams incoming-webhook URL holds its
    token there) so `redact` hides it; the scheme and host stay readable ("cannot reach hooks.slack.com")."""
    if not url:
        return
    parts = urlsplit(url)
    register_secret(parts.path + (f"?{parts.query}" if parts.query else ""))
    if parts.username or parts.password:
        register_secret(parts.netloc.rsplit("@", 1)[0])


def webhook_shown(url: str) -> str:
    """A webhook URL as it may be printed: scheme and host, the secret path replaced."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}/{REDACTED}"


def forget_secrets() -> None:
    """Drop every registered value (tests)."""
    global _forms, _windows
    with _lock:
        _forms, _windows = (), frozenset()


def encodings(value: str) -> set[str]:
    """The ways `value` can appear in text: raw, URL-encoded (either hex case, + or %20), JSON-, repr- and
    HTML-escaped, and JSON-escaped twice (a JSON body quoted inside another JSON string)."""
    json_once = json.dumps(value)[1:-1]
    forms = {
        value,
        quote(value, safe=""),
        quote_plus(value, safe=""),
        quote(value),
        json_once,
        repr(value)[1:-1],
        html.escape(value),
        json.dumps(json_once)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
    }
    forms |= {re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), f) for f in forms}
    return {f for f in forms if len(f) >= MIN_FRAGMENT}


def redact(text: str) -> str:
    """`text` with every registered secret (any encoding, any 8+ char fragment) and any `api_key=...` hidden."""
    if not isinstance(text, str):
        text = str(text)
    if _windows:
        text = _redact_values(text, _forms, _windows)
    return _SECRET_PARAMS.sub(rf"\1={REDACTED}", text)


def _redact_values(text: str, forms: tuple[str, ...], windows: frozenset[str]) -> str:
    """Replace each maximal stretch of `text` that lies inside one of `forms` and is at least MIN_FRAGMENT long."""
    out, start, i = [], 0, 0
    while i <= len(text) - MIN_FRAGMENT:
        if text[i : i + MIN_FRAGMENT] not in windows:
            i += 1
            continue
        end = i + MIN_FRAGMENT
        while end < len(text) and any(text[i : end + 1] in f for f in forms):
            end += 1
        out += [text[start:i], REDACTED]
        start = i = end
    return "".join([*out, text[start:]])


class RedactingFilter(logging.Filter):
    """Rewrite a log record so its message, arguments, traceback and stack carry no secret (always passes it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        scrub(record)
        return True


def scrub(record: logging.LogRecord) -> logging.LogRecord:
    """Redact a record in place: the formatted message replaces msg/args; a traceback is formatted and redacted
    now (exc_text), and exc_info dropped so no handler renders the raw exception itself."""
    if getattr(record, "_qtwatch_scrubbed", False):
        return record
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a malformed record still must not leak its raw arguments
        message = f"{record.msg} {record.args}"
    record.msg, record.args = redact(message), ()
    if record.exc_info and record.exc_info[0] is None:  # exc_info=True outside an except block: no traceback
        record.exc_info = None  # (formatted, it would add "NoneType: None" to the log)
    elif record.exc_info:
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        record.exc_info = None
    elif record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    record._qtwatch_scrubbed = True
    return record


_installed = False


def install_log_redaction() -> None:
    """Make every log record of the process pass through `redact` (idempotent): the record factory scrubs records
    of any logger, and the filter on the root and Prefect loggers' handlers catches records made elsewhere."""
    global _installed
    with _lock:
        if not _installed:
            previous = logging.getLogRecordFactory()

            def factory(*args, **kwargs) -> logging.LogRecord:
                return scrub(previous(*args, **kwargs))

            logging.setLogRecordFactory(factory)
            _installed = True
    names = ("", "prefect", "prefect.flow_runs", "prefect.task_runs", "urllib3", "requests")
    for logger in map(logging.getLogger, names):
        for target in (logger, *logger.handlers):
            if not any(isinstance(f, RedactingFilter) for f in target.filters):
                target.addFilter(RedactingFilter())
