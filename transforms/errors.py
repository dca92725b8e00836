"""Errors raised by parsers when a payload is not what the source should have sent."""


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
