"""FRED: keyless fredgraph.csv by default, the FRED API (observations + series units) when a key is set."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path

import duckdb
import polars as pl
import requests

from flows.http import SourceError, get_bytes
from flows.probes import Check, Probe
from flows.probes import window as probe_window
from flows.replay import ReplayCall, date_or_none, filter_dated_csv
from flows.sources import Batch, FetchRequest, Window
from transforms import fred as parse
from transforms.registry import FRED_API_URL, FREDGRAPH_URL, SOURCES, Release, Source, release_of
from transforms.revisions import detect_unit_changes
from transforms.unit_spelling import keep_held_spelling
from warehouse import load
from warehouse.db import seed_rows

SOURCE = "fred"


KEY_HELP = "set FRED_API_KEY (free, https://fred.stlouisfed.org/docs/api/api_key.html) to use the FRED API"
log = logging.getLogger("qtwatch.fred")


class SeriesError(SourceError):
    """One FRED series could not be fetched (unknown series, bad payload) while the host itself answers."""


def fetch_fredgraph(
    session: requests.Session, series_id: str, window: Window, url: str = FREDGRAPH_URL
) -> tuple[pl.DataFrame, str]:
    """One series from the keyless CSV download, observations in [window.start, window.end]."""
    body, final_url = download_fredgraph(session, series_id, window, url)
    return _parse_series(parse.parse_fredgraph_csv, body, series_id, final_url), final_url


def download_fredgraph(
    session: requests.Session, series_id: str, window: Window, url: str = FREDGRAPH_URL
) -> tuple[bytes, str]:
    """One series' keyless CSV download, unparsed, and its final URL; a 400/404 fails that series alone."""
    params = {"id": series_id, "coed": window.end.isoformat()}
    if window.start:
        params["cosd"] = window.start.isoformat()
    try:
        return get_bytes(session, url, params, source=SOURCE, expect="csv")
    except SourceError as exc:
        if exc.cause.startswith("HTTP 403"):
            # fredgraph.csv turns programmatic clients away at times (2026 reports); the API with a key does not.
            raise SourceError(
                SOURCE, exc.url, f"fredgraph.csv refused the keyless download (HTTP 403); {KEY_HELP}"
            ) from None
        if exc.cause.startswith(("HTTP 400", "HTTP 404")):
            raise SeriesError(SOURCE, exc.url, exc.cause) from None
        raise


def fetch_api(
    session: requests.Session, series_id: str, window: Window, api_key: str, base_url: str = FRED_API_URL
) -> tuple[pl.DataFrame, str, str]:
    """One series through the FRED API: returns (observations, URL, units read from the series metadata)."""
    base = {"series_id": series_id, "api_key": api_key, "file_type": "json"}
    meta_body, meta_url = _api_get(session, base_url, "series", base, api_key)
    units = _parse_series(parse.parse_fred_series_meta, meta_body, None, meta_url)["units"]
    params = {**base, "observation_end": window.end.isoformat()}
    if window.start:
        params["observation_start"] = window.start.isoformat()
    body, url = _api_get(session, base_url, "series/observations", params, api_key)
    return _parse_series(parse.parse_fred_api_observations, body, series_id, url), url, units


def _parse_series(parser: Callable, body: bytes, series_id: str | None, url: str):
    """A shared parser on one series' payload; its ParseError fails that series alone (SeriesError)."""
    try:
        return parser(body) if series_id is None else parser(body, series_id)
    except ValueError as exc:
        raise SeriesError(SOURCE, url, str(exc)) from None


# Keyless downloads are parsed together up to this many bytes: a daily run's few-row series in one parse, a backfill
# in parses of ~8 MB of CSV (~300k rows).
PARSE_BYTES = 8_000_000


def fetch_fred(session: requests.Session, request: FetchRequest) -> Batch:
    """Every catalog series over its own window; `units` comes from the API metadata or, keyless, the catalog.

    A series that fails on its own (unknown id, bad payload) is left out and named in `batch.errors`, unless the
    catalog marks it `required`; a refusal or network failure of the host fails FRED as a whole."""
    catalog = request.catalog if request.catalog is not None else pl.DataFrame({"series_id": [], "units": []})
    batch = Batch(SOURCE, request.source.dataset.name, pl.DataFrame(), windows=request.windows)
    frames = (
        _fetch_api(session, request, catalog, batch)
        if request.api_key
        else _fetch_keyless(session, request, catalog, batch)
    )
    empty = pl.DataFrame(schema={**parse.SCHEMA, "units": pl.Utf8, "source_url": pl.Utf8})
    batch.frame = pl.concat(frames).collect() if frames else empty  # one collect for the batch
    return batch


def _fetch_api(session: requests.Session, request: FetchRequest, catalog: pl.DataFrame, batch: Batch) -> list:
    """Each series through the FRED API (its units from its metadata), parsed as it comes."""
    assert request.api_key is not None
    frames = []
    for number, row in enumerate(catalog.iter_rows(named=True), start=1):
        series_id = row["series_id"]
        try:
            frame, url, units = fetch_api(
                session, series_id, request.windows[series_id], request.api_key, request.base_url
            )
        except SeriesError as exc:
            _left_out(batch, row, exc)
            continue
        frames.append(_with_lineage(frame.lazy(), units, url))
        batch.urls.append(url)
        if request.progress:
            request.progress(f"fred: {number}/{catalog.height} {series_id} {frame.height} rows")
    return frames


def _fetch_keyless(session: requests.Session, request: FetchRequest, catalog: pl.DataFrame, batch: Batch) -> list:
    """Each series' CSV download (units from the catalog), parsed together PARSE_BYTES at a time."""
    graph_url = request.urls.get("fredgraph_url", FREDGRAPH_URL)
    frames: list = []
    pending: list[tuple[dict, bytes, str]] = []
    size = 0
    for number, row in enumerate(catalog.iter_rows(named=True), start=1):
        series_id = row["series_id"]
        try:
            body, url = download_fredgraph(session, series_id, request.windows[series_id], graph_url)
        except SeriesError as exc:
            _left_out(batch, row, exc)
            continue
        pending.append((row, body, url))
        size += len(body)
        if request.progress:
            request.progress(f"fred: {number}/{catalog.height} {series_id} {len(body):,} bytes")
        if size >= PARSE_BYTES:
            frames += _parse_downloads(pending, batch)
            pending, size = [], 0
    return frames + _parse_downloads(pending, batch)


def _parse_downloads(pending: list[tuple[dict, bytes, str]], batch: Batch) -> list:
    """Parse keyless downloads in one pass; if one is bad, each alone, so that only the bad one is left out (or fails
    FRED, when required) with its own error."""
    if not pending:
        return []
    try:
        frame = parse.parse_fredgraph_many([(body, row["series_id"]) for row, body, _ in pending])
    except ValueError:
        return [parsed for item in pending if (parsed := _parse_download(item, batch)) is not None]
    units = {row["series_id"]: row["units"] for row, _, _ in pending}
    urls = {row["series_id"]: url for row, _, url in pending}
    batch.urls.extend(urls.values())
    series = pl.col("series_id")
    return [
        frame.lazy().with_columns(
            units=series.replace_strict(units, return_dtype=pl.Utf8),
            source_url=series.replace_strict(urls, return_dtype=pl.Utf8),
        )
    ]


def _parse_download(item: tuple[dict, bytes, str], batch: Batch) -> pl.LazyFrame | None:
    row, body, url = item
    try:
        frame = _parse_series(parse.parse_fredgraph_csv, body, row["series_id"], url)
    except SeriesError as exc:
        _left_out(batch, row, exc)
        return None
    batch.urls.append(url)
    return _with_lineage(frame.lazy(), row["units"], url)


def _with_lineage(frame: pl.LazyFrame, units: str, url: str) -> pl.LazyFrame:
    return frame.with_columns(units=pl.lit(units, dtype=pl.Utf8), source_url=pl.lit(url, dtype=pl.Utf8))


def _left_out(batch: Batch, row: dict, exc: SeriesError) -> None:
    """A series that failed alone: named in `batch.errors`, or FRED fails when the marts require it."""
    if row.get("required"):
        raise SourceError(SOURCE, exc.url, f"{row['series_id']} (required by the marts): {exc.cause}") from None
    batch.errors[row["series_id"]] = f"{exc.cause} [{exc.url}]"
    log.warning("fred: %s not loaded: %s", row["series_id"], exc.cause)


def _api_get(
    session: requests.Session, base_url: str, endpoint: str, params: dict[str, str], api_key: str
) -> tuple[bytes, str]:
    """GET a FRED API endpoint; an error body (`error_code`/`error_message`) becomes FRED's own message, key
    redacted: a key problem fails FRED as a whole, anything else (unknown series) that series alone."""
    try:
        return get_bytes(session, base_url + endpoint, params, source=SOURCE, expect="json")
    except SourceError as exc:
        message = _fred_message(exc.cause)
        if message is None:
            raise
        message = message.replace(api_key, "REDACTED") if api_key else message
        if "api_key" in message:
            raise SourceError(
                SOURCE,
                exc.url,
                f"FRED rejected the API key ({message}); check FRED_API_KEY or unset it to use keyless downloads",
            ) from None
        if exc.transient:
            raise SourceError(SOURCE, exc.url, f"FRED said: {message}", transient=True) from None
        raise SeriesError(SOURCE, exc.url, f"FRED said: {message}") from None


def _fred_message(cause: str) -> str | None:
    """FRED's `error_message` from an `HTTP nnn: {json}` cause, or None when the body is not a FRED error."""
    body = cause.split(":", 1)[-1].strip() if cause.startswith("HTTP ") else ""
    try:
        message = json.loads(body).get("error_message")
    except (ValueError, AttributeError):
        # the cause carries the body's first 400 characters: a long error body is cut, so read the field as text
        found = re.search(r'"error_message"\s*:\s*"((?:[^"\\]|\\.)*)', body)
        message = found.group(1) if found else None
    return str(message) if message else None


# ------------------------------------------------------------------------------------------------ before landing
class UnitChangeError(ValueError):
    """A FRED series changed scale without saying so: landing it would mix units."""


def check_units(
    con: duckdb.DuckDBPyConnection,
    request: FetchRequest,
    frame: pl.DataFrame,
    refetch: Callable[[list[str]], pl.DataFrame],
    log: logging.Logger | logging.LoggerAdapter,
) -> pl.DataFrame:
    """Refuse an undeclared scale change; a declared one (units string changed) revises the whole series: its full
    history is fetched again (`refetch(series) -> frame`) so core never mixes units."""
    if frame.is_empty():
        return frame
    # only the held rows on the batch's keys: both checks compare a batch row with the held one on its date
    held = load.held_latest(con, request.source.dataset, at=frame, columns="series_id, date, value, units")
    frame = keep_held_spelling(frame, held)  # keyless <-> FRED_API_KEY: a respelled unit is no revision
    changes = detect_unit_changes(held, frame)
    undeclared = changes.filter(pl.col("kind") == "undeclared")
    if not undeclared.is_empty():
        row = undeclared.row(0, named=True)
        raise UnitChangeError(
            f"{row['series_id']}: new values are {row['median_ratio']:,.0f}x the held ones on the same dates while "
            f"both are declared '{row['new_units']}'; not landed. Update units in warehouse/seeds/fred_series.csv "
            f"and run `qtwatch run --source fred --full-refresh`"
        )
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
# FRED's API spells units per series, not uniformly (cassettes/PROVENANCE.md: RRPONTSYD is "Billions of US Dollars"
# while the catalog, like WALCL, says "Billions of U.S. Dollars"); the replay serves the recorded spellings.
API_UNITS = {"RRPONTSYD": "Billions of US Dollars"}
_KEY_SHAPE = re.compile(r"^[a-z0-9]{32}$")
_KEY_HINT = "Read https://fred.stlouisfed.org/docs/api/api_key.html for more information."


def replay(call: ReplayCall) -> tuple[int, bytes, str]:
    """Serve fredgraph.csv from `replay/fred/fredgraph/<SERIES>.csv` and the FRED API (`series`,
    `series/observations`, JSON, '.' for missing) from the same files, checking the key's shape like the server."""
    if call.setting == "fred_api_url":
        return _replay_api(call)
    if call.setting != "fredgraph_url":
        return call.not_found()
    series = call.query.get("id", "")
    if series in not_recorded(call.root):  # the snapshot has no recording: no observations, never invented ones
        log.warning("fred: %s is not recorded in the replay snapshot (replay/PROVENANCE.md): no observations", series)
        return 200, f"observation_date,{series}\n".encode(), "text/csv"
    text = (call.root / "fred" / "fredgraph" / f"{series}.csv").read_text()
    low = date_or_none(call.query.get("cosd"))
    release = series_release(series)
    return (
        200,
        filter_dated_csv(text, low, call.upper(call.query.get("coed")), lambda day: call.published(day, release)),
        "text/csv",
    )


def not_recorded(root: Path) -> dict[str, str]:
    """Catalog series the snapshot at `root` lists as not recorded (fred/not_recorded.json), with why."""
    path = root / "fred" / "not_recorded.json"
    return json.loads(path.read_text()) if path.exists() else {}


@cache
def series_release(series_id: str) -> Release:
    """A catalog series' release rule (its `release` in warehouse/seeds/fred_series.csv), else FRED's default."""
    kinds = {entry["series_id"]: entry.get("release") or None for entry in seed_rows("fred_series")}
    return release_of(SOURCES[SOURCE], kinds.get(series_id))


def _replay_api(call: ReplayCall) -> tuple[int, bytes, str]:
    """The FRED API as the server answers it: 400 with FRED's error body for a missing or malformed key, a
    non-JSON file_type or an unknown series."""
    key = call.query.get("api_key")
    if not key:
        return _api_error(f"Bad Request.  Variable api_key is not set.  {_KEY_HINT}")
    if not _KEY_SHAPE.match(key):
        return _api_error(
            "Bad Request.  The value for variable api_key is not a 32 character alpha-numeric "
            f"lower-case string.  {_KEY_HINT}"
        )
    if call.query.get("file_type") != "json":
        return _api_error("Bad Request.  qtwatch's replay serves file_type=json only.")
    series = call.query.get("series_id", "")
    entry = next((e for e in seed_rows("fred_series") if e["series_id"] == series), None)
    path = call.root / "fred" / "fredgraph" / f"{series}.csv"
    unrecorded = series in not_recorded(call.root)  # a real series the snapshot has no recording of
    if entry is None or not (path.exists() or unrecorded):
        return _api_error("Bad Request.  The series does not exist.")
    if call.path == "series":
        return 200, json.dumps({"seriess": [_series_meta(entry, call)]}).encode(), "application/json"
    if call.path == "series/observations":
        return 200, json.dumps(_observations(path, call, unrecorded)).encode(), "application/json"
    return call.not_found()


def _api_error(message: str) -> tuple[int, bytes, str]:
    return 400, json.dumps({"error_code": 400, "error_message": message}).encode(), "application/json"


def _series_meta(entry: dict[str, str], call: ReplayCall) -> dict[str, str]:
    day = (call.as_of or date.today()).isoformat()
    return {
        "id": entry["series_id"],
        "realtime_start": day,
        "realtime_end": day,
        "title": entry["title"],
        "frequency": entry["frequency"].capitalize(),
        "units": API_UNITS.get(entry["series_id"], entry["units"]),
        "last_updated": f"{day} 07:01:06-05",
        "seasonal_adjustment_short": "NSA",
    }


def _observations(path: Path, call: ReplayCall, unrecorded: bool = False) -> dict:
    """`series/observations` JSON over the request's observation_start/_end (and the run's as-of); none for a
    series the snapshot does not record."""
    low = date_or_none(call.query.get("observation_start"))
    release = series_release(path.stem)
    text = f"observation_date,{path.stem}\n" if unrecorded else path.read_text()
    rows = filter_dated_csv(
        text, low, call.upper(call.query.get("observation_end")), lambda day: call.published(day, release)
    ).decode()
    day = (call.as_of or date.today()).isoformat()
    observations = [
        {"realtime_start": day, "realtime_end": day, "date": line[:10], "value": line[11:] or "."}
        for line in rows.splitlines()[1:]
    ]
    return {
        "realtime_start": day,
        "realtime_end": day,
        "units": "lin",
        "output_type": 1,
        "file_type": "json",
        "order_by": "observation_date",
        "sort_order": "asc",
        "count": len(observations),
        "offset": 0,
        "limit": 100000,
        "observations": observations,
    }


# ------------------------------------------------------------------------------------------------ doctor's probe
PROBE_SERIES = "WALCL"  # weekly, small, on every FRED mirror
# Fields FRED's `series` metadata carries today (cassettes/fred/series_*.json): anything else is new.
FRED_SERIES_FIELDS = frozenset(
    {
        "id",
        "realtime_start",
        "realtime_end",
        "title",
        "observation_start",
        "observation_end",
        "frequency",
        "frequency_short",
        "units",
        "units_short",
        "seasonal_adjustment",
        "seasonal_adjustment_short",
        "last_updated",
        "popularity",
        "notes",
        "group_popularity",
    }
)


def probe(source: Source, api_key: str | None, today: date) -> Probe:
    """With a key: the API's `series` metadata of WALCL (checks the key too); keyless: two weeks of fredgraph.csv."""
    if api_key:
        return Probe(
            source.http.base_url_setting,
            "series",
            {"series_id": PROBE_SERIES, "api_key": api_key, "file_type": "json"},
            "json",
            _inspect_meta,
        )
    refused = {403: f"fredgraph.csv refused the keyless download (HTTP 403); {KEY_HELP}"}
    return Probe(
        "fredgraph_url", "", {"id": PROBE_SERIES, "cosd": probe_window(today)[0]}, "csv", _inspect_graph, refused
    )


def _inspect_graph(body: bytes, check: Check) -> None:
    frame = parse.parse_fredgraph_csv(body, PROBE_SERIES)
    check.note = f"{frame.height} rows of {PROBE_SERIES}"


def _inspect_meta(body: bytes, check: Check) -> None:
    check.key = "ok"
    meta = json.loads(body)["seriess"][0]
    check.missing = [k for k in ("id", "title", "units", "frequency", "last_updated") if k not in meta]
    check.new = sorted(set(meta) - FRED_SERIES_FIELDS)
    check.note = f"{PROBE_SERIES} units: {meta.get('units')}"
