"""Source fetchers: thin I/O functions (URL, parameters, pagination) that hand payloads to the shared parsers."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from flows.http import SourceError
from transforms.registry import Source


@dataclass(frozen=True)
class Window:
    """The date range one request asks for: `start` None means the source's full history."""

    start: date | None
    end: date


@dataclass(frozen=True)
class FetchRequest:
    """Everything a source's fetch function gets besides its session: `fetch(session, request) -> Batch`.

    `windows` maps group (FRED series id, or '*') to its date range; `base_url` is the source's base URL from the
    settings (default: the registry's); `urls` holds every base-URL setting by field name (FRED reads
    `fredgraph_url` too); `catalog` the rows of the source's `groups_table`; `progress(line)` takes debug lines."""

    source: Source
    windows: dict[str, Window]
    base_url: str
    as_of: date
    urls: Mapping[str, str] = field(default_factory=dict)
    api_key: str | None = None
    catalog: pl.DataFrame | None = None
    progress: Callable[[str], None] | None = None

    @property
    def window(self) -> Window:
        """The one window of a source fetched as a whole."""
        return self.windows["*"]


@dataclass
class Batch:
    """What one source fetched in one run: a typed frame in the parser's schema plus its lineage."""

    source: str
    dataset: str
    frame: pl.DataFrame
    urls: list[str] = field(default_factory=list)
    windows: dict[str, Window] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # group -> why it was left out (one bad FRED series)


def run_logger(fallback: str = "qtwatch") -> logging.Logger | logging.LoggerAdapter:
    """Prefect's run logger inside a flow or task run, else the `fallback` logger (plain calls, tests).

    Never reconfigures logging: `prefect.logging` is imported, not the top-level `prefect` (whose first use runs
    Prefect's logging set-up and replaces the root handlers a caller, or pytest's caplog, installed)."""
    if "prefect" not in sys.modules:  # no run can be active
        return logging.getLogger(fallback)
    from prefect.exceptions import MissingContextError
    from prefect.logging import get_run_logger

    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger(fallback)


def parse_or_raise(parser, payload, *args, source: str, url: str):
    """Run a shared parser; its ParseError (a ValueError) becomes one SourceError naming source and URL."""
    try:
        return parser(payload, *args)
    except ValueError as exc:
        raise SourceError(source, url, str(exc)) from None
