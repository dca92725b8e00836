"""Errors raised by parsers when a payload is not what the source should have sent, and the readers that raise them."""

from __future__ import annotations

import io
import re

import polars as pl


class ParseError(ValueError):
    """A payload could not be parsed: HTML instead of CSV/JSON, a missing column, an unexpected shape."""


def decode_text(payload: bytes, expected: str) -> str:
    """Decode a payload to text, refusing an empty body and an HTML page (error, captcha or maintenance pages)."""
    text = payload.decode("utf-8-sig", errors="replace").strip()
    if not text:
        raise ParseError(f"expected {expected}, received an empty body")
    if text.startswith("<"):
        raise ParseError(f"expected {expected}, received HTML: {text[:80]!r}")
    return text


def first_line(exc: Exception) -> str:
    """The first line of an error (polars names the offending values), whitespace collapsed, for a one-sentence
    ParseError."""
    return re.sub(r"\s+", " ", str(exc).strip().splitlines()[0])[:200]


def read_text_csv(payload: bytes, expected: str) -> pl.DataFrame:
    """A CSV payload read with every column as text (the parser types them); an empty body, an HTML page or a
    malformed CSV is a ParseError naming `expected`."""
    text = decode_text(payload, expected)
    try:
        return pl.read_csv(io.StringIO(text), infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        raise ParseError(f"{expected} is malformed: {first_line(exc)}") from None
