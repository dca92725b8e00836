"""Errors raised by parsers when a payload is not what the source should have sent."""


class ParseError(ValueError):
    """A payload could not be parsed: HTML instead of CSV/JSON, a missing column, an unexpected shape."""
