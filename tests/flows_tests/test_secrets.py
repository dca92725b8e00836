"""Redaction by the secret's value: every encoding, partial echoes, every log record; nothing else is touched."""

from __future__ import annotations

import html
import json
import logging
from urllib.parse import quote, quote_plus

import pytest

from flows import secrets
from flows.http import SourceError, redact

# Synthetic secrets: a FRED-shaped 32-hex key, and one with every character an encoding changes.
HEX_KEY = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
ODD_KEY = 'p@ss+word/with=&"\\ odd%chars'


@pytest.fixture(autouse=True)
def registered():
    secrets.forget_secrets()
    secrets.register_secret(HEX_KEY)
    secrets.register_secret(ODD_KEY)
    yield
    secrets.forget_secrets()


ECHOES = {
    "raw": lambda k: f"key {k} rejected",
    "url_param": lambda k: f"https://api.example/x?series_id=WALCL&api_key={quote(k, safe='')}&file_type=json",
    "quote_plus": lambda k: f"body: api%5Fkey={quote_plus(k)}",
    "lower_hex": lambda k: f"{quote(k, safe='').lower()}",
    "json": lambda k: json.dumps({"error_message": f"api_key {k} is not registered"}),
    "json_twice": lambda k: json.dumps({"body": json.dumps({"api_key": k})}),
    "dict_repr": lambda k: repr({"api_key": k, "series_id": "WALCL"}),
    "html": lambda k: f"<td>{html.escape(k)}</td>",
    "bare_glued": lambda k: f"token{k}end",
    "head": lambda k: f"starts with {k[:10]}…",
    "tail": lambda k: f"…ends with {k[-8:]}",
    "middle": lambda k: f"contains {k[5:17]} somewhere",
}


@pytest.mark.parametrize("key", [HEX_KEY, ODD_KEY], ids=["hex", "odd"])
@pytest.mark.parametrize("form", list(ECHOES), ids=list(ECHOES))
def test_every_echo_of_a_registered_key_is_redacted(key, form) -> None:
    text = redact(ECHOES[form](key))
    assert "REDACTED" in text
    for size in range(8, len(key) + 1):  # no piece of 8+ characters of any encoding survives
        for encoded in secrets.encodings(key):
            assert not any(encoded[i : i + size] in text for i in range(len(encoded) - size + 1)), (form, text)


def test_text_without_secrets_is_untouched() -> None:
    text = "fred: HTTP 400 for WALCL 2025-06-04 [https://api.stlouisfed.org/fred/series?series_id=WALCL]"
    assert redact(text) == text


def test_short_values_are_not_registered() -> None:
    secrets.register_secret("abc123")
    assert redact("abc123 stays") == "abc123 stays"


def test_the_api_key_parameter_pattern_still_applies_to_unregistered_keys() -> None:
    assert redact("https://x/?api_key=unregistered0000&a=1") == "https://x/?api_key=REDACTED&a=1"


def test_source_errors_are_redacted_at_construction() -> None:
    error = SourceError("fred", f"https://api.example/?k={HEX_KEY}", json.dumps({"echo": ODD_KEY}))
    assert HEX_KEY not in str(error) and ODD_KEY[:8] not in str(error) and "REDACTED" in str(error)


def test_log_records_are_redacted_message_args_and_traceback(caplog) -> None:
    secrets.install_log_redaction()
    logger = logging.getLogger("qtwatch.test.secrets")
    with caplog.at_level(logging.INFO, logger="qtwatch.test.secrets"):
        logger.info("fetched %s with %r", f"url?api_key={HEX_KEY}", {"key": ODD_KEY})
        try:
            raise RuntimeError(f"server said {HEX_KEY}")
        except RuntimeError:
            logger.exception("boom")
    text = caplog.text + "".join(r.exc_text or "" for r in caplog.records)
    assert "REDACTED" in text and HEX_KEY[:8] not in text and ODD_KEY[:8] not in text
    assert "server said REDACTED" in text  # the traceback was formatted, then redacted


def test_installing_twice_adds_one_filter() -> None:
    secrets.install_log_redaction()
    secrets.install_log_redaction()
    root = logging.getLogger()
    assert sum(isinstance(f, secrets.RedactingFilter) for f in root.filters) == 1
