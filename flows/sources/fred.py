"""FRED: keyless fredgraph.csv by default, the FRED API (observations + series units) when a key is set."""

from __future__ import annotations

import json
from collections.abc import Callable

import polars as pl
import requests

from flows.http import SourceError, SourcePolicy, get_bytes
from flows.sources import Batch, Window, parse_or_raise
from transforms import fred as parse

SOURCE = "fred"
DATASET = "fred_observations"
GRAPH_URL = "https://fred.stlouisfed.org/graph/fredgraph.csv"
API_URL = "https://api.stlouisfed.org/fred/"
# FRED enforces about 2 requests/second per key (OpenBB PR #7527); stay under it.
POLICY = SourcePolicy(SOURCE, min_interval_s=0.55)


def fetch_fredgraph(session: requests.Session, series_id: str, window: Window) -> tuple[pl.DataFrame, str]:
    """One series from the keyless CSV download, observations in [window.start, window.end]."""
    params = {"id": series_id, "coed": window.end.isoformat()}
    if window.start:
        params["cosd"] = window.start.isoformat()
    body, url = get_bytes(session, GRAPH_URL, params, source=SOURCE, expect="csv")
    return parse_or_raise(parse.parse_fredgraph_csv, body, series_id, source=SOURCE, url=url), url


def fetch_api(session: requests.Session, series_id: str, window: Window, api_key: str) -> tuple[pl.DataFrame, str, str]:
    """One series through the FRED API: returns (observations, URL, units read from the series metadata)."""
    base = {"series_id": series_id, "api_key": api_key, "file_type": "json"}
    meta_body, meta_url = _api_get(session, "series", base)
    units = parse_or_raise(parse.parse_fred_series_meta, meta_body, source=SOURCE, url=meta_url)["units"]
    params = {**base, "observation_end": window.end.isoformat()}
    if window.start:
        params["observation_start"] = window.start.isoformat()
    body, url = _api_get(session, "series/observations", params)
    return parse_or_raise(parse.parse_fred_api_observations, body, series_id, source=SOURCE, url=url), url, units


def fetch_fred(session: requests.Session, catalog: pl.DataFrame, windows: dict[str, Window],
               api_key: str | None = None, on_series: Callable[[str], None] | None = None) -> Batch:
    """Every catalog series over its own window; `units` comes from the API metadata or, keyless, the catalog."""
    batch = Batch(SOURCE, DATASET, pl.DataFrame(), windows=windows)
    frames = []
    for number, row in enumerate(catalog.iter_rows(named=True), start=1):
        series_id, window = row["series_id"], windows[row["series_id"]]
        if api_key:
            frame, url, units = fetch_api(session, series_id, window, api_key)
        else:
            (frame, url), units = fetch_fredgraph(session, series_id, window), row["units"]
        frames.append(frame.with_columns(units=pl.lit(units), source_url=pl.lit(url)))
        batch.urls.append(url)
        if on_series:
            on_series(f"fred: {number}/{catalog.height} {series_id} {frame.height} rows")
    empty = pl.DataFrame(schema={**parse.SCHEMA, "units": pl.Utf8, "source_url": pl.Utf8})
    batch.frame = pl.concat(frames) if frames else empty
    return batch


def _api_get(session: requests.Session, endpoint: str, params: dict[str, str]) -> tuple[bytes, str]:
    """GET a FRED API endpoint; a 400 carries FRED's own message (bad key, unknown series), which we surface."""
    try:
        return get_bytes(session, API_URL + endpoint, params, source=SOURCE, expect="json")
    except SourceError as exc:
        if "HTTP 400" in exc.cause:
            raise SourceError(SOURCE, exc.url, _fred_message(exc.cause)) from None
        raise


def _fred_message(cause: str) -> str:
    body = cause.split(":", 1)[-1].strip()
    try:
        message = json.loads(body).get("error_message", body)
    except ValueError:
        message = body
    if "api_key" in message:
        return f"FRED rejected the API key ({message}); check FRED_API_KEY or unset it to use keyless downloads"
    return f"FRED said: {message}"
