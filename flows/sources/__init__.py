"""Source fetchers: thin I/O functions (URL, parameters, pagination) that hand payloads to the shared parsers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl

from flows.http import SourceError


@dataclass(frozen=True)
class Window:
    """The date range one request asks for: `start` None means the source's full history."""

    start: date | None
    end: date


@dataclass
class Batch:
    """What one source fetched in one run: a typed frame in the parser's schema plus its lineage."""

    source: str
    dataset: str
    frame: pl.DataFrame
    urls: list[str] = field(default_factory=list)
    windows: dict[str, Window] = field(default_factory=dict)


def parse_or_raise(parser, payload, *args, source: str, url: str):
    """Run a shared parser; its ParseError (a ValueError) becomes one SourceError naming source and URL."""
    try:
        return parser(payload, *args)
    except ValueError as exc:
        raise SourceError(source, url, str(exc)) from None
