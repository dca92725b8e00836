"""NY Fed Markets Data API: reference rates (SOFR, TGCR, BGCR, EFFR, OBFR) and repo / reverse-repo operations."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import requests

from flows.http import SourcePolicy, get_bytes
from flows.sources import Batch, Window, parse_or_raise
from transforms import nyfed as parse

BASE_URL = "https://markets.newyorkfed.org/api/"
RATES_PATH = "rates/all/search.csv"
RP_PATH = "rp/results/search.json"
# No official limit; a public adapter keeps to ~6 req/min and we make a handful of calls a day: 1 req/s.
POLICY = SourcePolicy("nyfed", min_interval_s=1.0)
HISTORY_START = {"nyfed_rates": "2018-04-02", "nyfed_repo": "2013-09-23"}  # SOFR's first day; ON RRP test ops


def _params(window: Window, source: str) -> dict[str, str]:
    start = window.start.isoformat() if window.start else HISTORY_START[source]
    return {"startDate": start, "endDate": window.end.isoformat()}


def fetch_rates(session: requests.Session, window: Window) -> Batch:
    """All reference rates, one row per (rate type, effective date), with percentiles and volumes."""
    return _fetch(session, window, "nyfed_rates", "nyfed_reference_rates", RATES_PATH, "csv",
                  parse.parse_reference_rates_csv)


def fetch_operations(session: requests.Session, window: Window) -> Batch:
    """Repo (standing repo facility) and reverse-repo (ON RRP) operation results, one row per operation."""
    return _fetch(session, window, "nyfed_repo", "nyfed_rp_operations", RP_PATH, "json",
                  parse.parse_rp_operations_json)


def _fetch(session: requests.Session, window: Window, source: str, dataset: str, path: str, expect: str,
           parser: Callable[[bytes], pl.DataFrame]) -> Batch:
    """One NY Fed search request over the window, parsed, each row carrying the request URL."""
    body, url = get_bytes(session, BASE_URL + path, _params(window, source), source=source, expect=expect)
    frame = parse_or_raise(parser, body, source=source, url=url)
    return Batch(source, dataset, frame.with_columns(source_url=pl.lit(url)), [url], {"*": window})
