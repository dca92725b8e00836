"""FRED: keyless fredgraph.csv by default, the FRED API (observations + series units) when a key is set."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import duckdb
import polars as pl
import requests

from flows.http import SourceError, get_bytes
from flows.replay import ReplayCall, date_or_none, filter_dated_csv
from flows.sources import Batch, FetchRequest, Window, parse_or_raise
from transforms import fred as parse
from transforms.registry import FRED_API_URL, FREDGRAPH_URL
from transforms.revisions import detect_unit_changes
from warehouse import load

SOURCE = "fred"


def fetch_fredgraph(session: requests.Session, series_id: str, window: Window,
                    url: str = FREDGRAPH_URL) -> tuple[pl.DataFrame, str]:
    """One series from the keyless CSV download, observations in [window.start, window.end]."""
    params = {"id": series_id, "coed": window.end.isoformat()}
    if window.start:
        params["cosd"] = window.start.isoformat()
    body, final_url = get_bytes(session, url, params, source=SOURCE, expect="csv")
    return parse_or_raise(parse.parse_fredgraph_csv, body, series_id, source=SOURCE, url=final_url), final_url


def fetch_api(session: requests.Session, series_id: str, window: Window, api_key: str,
              base_url: str = FRED_API_URL) -> tuple[pl.DataFrame, str, str]:
    """One series through the FRED API: returns (observations, URL, units read from the series metadata)."""
    base = {"series_id": series_id, "api_key": api_key, "file_type": "json"}
    meta_body, meta_url = _api_get(session, base_url, "series", base)
    units = parse_or_raise(parse.parse_fred_series_meta, meta_body, source=SOURCE, url=meta_url)["units"]
    params = {**base, "observation_end": window.end.isoformat()}
    if window.start:
        params["observation_start"] = window.start.isoformat()
    body, url = _api_get(session, base_url, "series/observations", params)
    return parse_or_raise(parse.parse_fred_api_observations, body, series_id, source=SOURCE, url=url), url, units


def fetch_fred(session: requests.Session, request: FetchRequest) -> Batch:
    """Every catalog series over its own window; `units` comes from the API metadata or, keyless, the catalog."""
    catalog = request.catalog if request.catalog is not None else pl.DataFrame({"series_id": [], "units": []})
    graph_url = request.urls.get("fredgraph_url", FREDGRAPH_URL)
    batch = Batch(SOURCE, request.source.dataset.name, pl.DataFrame(), windows=request.windows)
    frames = []
    for number, row in enumerate(catalog.iter_rows(named=True), start=1):
        series_id, window = row["series_id"], request.windows[row["series_id"]]
        if request.api_key:
            frame, url, units = fetch_api(session, series_id, window, request.api_key, request.base_url)
        else:
            (frame, url), units = fetch_fredgraph(session, series_id, window, graph_url), row["units"]
        frames.append(frame.with_columns(units=pl.lit(units), source_url=pl.lit(url)))
        batch.urls.append(url)
        if request.progress:
            request.progress(f"fred: {number}/{catalog.height} {series_id} {frame.height} rows")
    empty = pl.DataFrame(schema={**parse.SCHEMA, "units": pl.Utf8, "source_url": pl.Utf8})
    batch.frame = pl.concat(frames) if frames else empty
    return batch


def _api_get(session: requests.Session, base_url: str, endpoint: str, params: dict[str, str]) -> tuple[bytes, str]:
    """GET a FRED API endpoint; a 400 carries FRED's own message (bad key, unknown series), which we surface."""
    try:
        return get_bytes(session, base_url + endpoint, params, source=SOURCE, expect="json")
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


# ------------------------------------------------------------------------------------------------ before landing
class UnitChangeError(ValueError):
    """A FRED series changed scale without saying so: landing it would mix units."""


def check_units(con: duckdb.DuckDBPyConnection, request: FetchRequest, frame: pl.DataFrame,
                refetch: Callable[[list[str]], pl.DataFrame],
                log: logging.Logger | logging.LoggerAdapter) -> pl.DataFrame:
    """Refuse an undeclared scale change; a declared one (units string changed) revises the whole series: its full
    history is fetched again (`refetch(series) -> frame`) so core never mixes units."""
    if frame.is_empty():
        return frame
    held = load.held_latest(con, request.source.dataset).select("series_id", "date", "value", "units")
    changes = detect_unit_changes(held, frame)
    undeclared = changes.filter(pl.col("kind") == "undeclared")
    if not undeclared.is_empty():
        row = undeclared.row(0, named=True)
        raise UnitChangeError(
            f"{row['series_id']}: new values are {row['median_ratio']:,.0f}x the held ones on the same dates while "
            f"both are declared '{row['new_units']}'; not landed. Update units in warehouse/seeds/fred_series.csv "
            f"and run `qtwatch run --source fred --full-refresh`")
    declared = changes.filter(pl.col("kind") == "declared")["series_id"].to_list()
    if not declared:
        return frame
    log.warning("fred: units changed for %s; reloading their full history as a revision", ", ".join(declared))
    partial = [s for s in declared if request.windows[s].start is not None]
    if partial:
        kept = frame.filter(~pl.col("series_id").is_in(partial))
        frame = pl.concat([kept, refetch(partial).select(kept.columns)])
    return frame


# ------------------------------------------------------------------------------------------------------ replay
def replay(call: ReplayCall) -> tuple[int, bytes, str]:
    """Serve fredgraph.csv from `replay/fred/fredgraph/<SERIES>.csv` (request filters and the run's as-of)."""
    if call.setting != "fredgraph_url":
        return call.not_found()
    series = call.query.get("id", "")
    text = (call.root / "fred" / "fredgraph" / f"{series}.csv").read_text()
    low = date_or_none(call.query.get("cosd"))
    return 200, filter_dated_csv(text, low, call.upper(call.query.get("coed"))), "text/csv"
