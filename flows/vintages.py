"""FRED vintages (ALFRED): land every published version of the catalog series, each stamped with when it became
public, so `core.fred_observations_known_on(day)` is right even for days before qtwatch first ran.

Needs a FRED API key (FRED_API_KEY): ALFRED has no keyless download. Per series: `series/vintagedates`, then
`series/observations` over real-time windows of at most 2,000 vintage dates (FRED's cap), the last one open-ended
('9999-12-31', since a realtime_end after today is refused). The windows are named with realtime_start/realtime_end
(`vintage_date`, singular, is silently ignored by FRED) and every answer must echo its window. Chunk boundaries cut
real-time periods; equal consecutive values are merged again when landing (warehouse.pit.land_vintages).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl
import requests
from prefect import flow, get_run_logger
from prefect.states import Failed, State

from flows.http import SourceError, get_bytes, make_session
from flows.settings import BaseQtwatchSettings, get_settings
from flows.sources import parse_or_raise
from flows.writer_slot import writer_slot
from transforms import vintages as parse
from transforms.calendar import NEW_YORK, at_new_york
from transforms.registry import SOURCES, release_of
from warehouse import db, load, meta
from warehouse.meta import LoadRecord, LoadStatus
from warehouse.pit import land_vintages

SOURCE = SOURCES["fred"]
MAX_VINTAGES = 2000  # FRED: "exceeds the maximum number of vintage dates allowed (2000)"


class VintagesNeedAKey(ValueError):
    """ALFRED is only served through the FRED API, which takes a key."""


def fetch_series_vintages(
    session: requests.Session, series_id: str, api_key: str, base_url: str, limit: int = MAX_VINTAGES
) -> tuple[pl.DataFrame, list[str]]:
    """Every vintage of one series (VINTAGE_SCHEMA rows) and the URLs read (key redacted)."""
    base = {"series_id": series_id, "api_key": api_key, "file_type": "json"}
    body, url = get_bytes(
        session, base_url + "series/vintagedates", {**base, "limit": "10000"}, source="fred", expect="json"
    )
    dates = parse_or_raise(parse.parse_vintage_dates, body, series_id, source="fred", url=url)
    frames, urls = [], [url]
    for start, end in parse.vintage_windows(dates, limit):
        params = {**base, "realtime_start": start.isoformat(), "realtime_end": end}
        body, url = get_bytes(session, base_url + "series/observations", params, source="fred", expect="json")
        frames.append(
            parse_or_raise(
                parse.parse_alfred_observations, body, series_id, start, end, source="fred", url=url
            ).with_columns(source_url=pl.lit(url))
        )
        urls.append(url)
    empty = pl.DataFrame(schema={**parse.VINTAGE_SCHEMA, "source_url": pl.Utf8})
    return (pl.concat(frames) if frames else empty), urls


def stamp_vintages(frame: pl.DataFrame, release_kind: str | None, units: str) -> pl.DataFrame:
    """Observation rows as raw.fred_observations lands them: `published_at` = the start of the vintage's real-time
    period (New York midnight), never before the observation's own release time; `units` from the catalog."""
    release = release_of(SOURCE, release_kind)
    pairs = frame.select("date", "realtime_start").unique()
    stamps = [
        max(release.published_at(d), at_new_york(start, "00:00")).astimezone(UTC) for d, start in pairs.iter_rows()
    ]
    pairs = pairs.with_columns(published_at=pl.Series(stamps, dtype=pl.Datetime("us", "UTC")))
    return (
        frame.join(pairs, on=["date", "realtime_start"], how="left", maintain_order="left")
        .with_columns(units=pl.lit(units))
        .select("series_id", "date", "value", "units", "source_url", "published_at")
    )


def load_vintages(
    con: duckdb.DuckDBPyConnection,
    session: requests.Session,
    catalog: pl.DataFrame,
    *,
    api_key: str,
    base_url: str,
    load_id: str,
    fetched_at: datetime,
    as_of: date,
    limit: int = MAX_VINTAGES,
) -> tuple[int, int]:
    """Fetch and land every vintage of every catalog series in one transaction; returns (rows fetched, landed)."""
    fetched = landed = 0
    with db.transaction(con):
        for row in catalog.iter_rows(named=True):
            frame, _ = fetch_series_vintages(session, row["series_id"], api_key, base_url, limit)
            frame = stamp_vintages(frame, row.get("release"), row["units"])
            fetched += frame.height
            landed += land_vintages(con, SOURCE.dataset, frame, load_id=load_id, fetched_at=fetched_at, as_of=as_of)
    return fetched, landed


@flow(name="qtwatch-fred-vintages", log_prints=False)
def fred_vintages(series: list[str] | None = None) -> LoadRecord | State:
    """Land every ALFRED vintage of the FRED catalog series (or `series`) with its publication time; rebuild core
    and publish. Needs FRED_API_KEY."""
    logger = get_run_logger()
    settings = get_settings()
    api_key = settings.fred_api_key.get_secret_value() if settings.fred_api_key else None
    if api_key is None:
        message = (
            "FRED vintages need an API key: set FRED_API_KEY (free at "
            "https://fred.stlouisfed.org/docs/api/api_key.html); ALFRED has no keyless download"
        )
        logger.error(message)
        return Failed(message=message)
    run_id = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"
    today, started = datetime.now(NEW_YORK).date(), datetime.now(UTC)
    record = LoadRecord(
        f"{run_id}-fred-vintages", run_id, "fred", SOURCE.dataset.name, LoadStatus.FAILED, started_at=started
    )
    session = make_session(SOURCE.http, settings.user_agent)
    warehouse = Path(settings.warehouse)
    try:
        _publish_vintages(warehouse, settings, session, record, series, today, api_key)
    except SourceError as exc:  # nothing is published: the staged copy is dropped
        logger.error("fred vintages failed: %s", exc)
        return Failed(message=f"fred vintages failed: {exc}")
    logger.info(
        "fred vintages: %s rows fetched, %s versions landed in %s",
        f"{record.rows_fetched:,}",
        f"{record.rows_landed:,}",
        warehouse,
    )
    return record


def _publish_vintages(
    warehouse: Path,
    settings: BaseQtwatchSettings,
    session: requests.Session,
    record: LoadRecord,
    series: list[str] | None,
    today: date,
    api_key: str,
) -> None:
    started = record.started_at or datetime.now(UTC)
    with writer_slot(settings.writer_wait_s), db.staged(warehouse, wait_s=settings.writer_wait_s) as con:
        catalog = db.query_pl(con, "SELECT * FROM ref.fred_series ORDER BY series_id")
        if series:
            catalog = catalog.filter(pl.col("series_id").is_in(series))
        record.rows_fetched, record.rows_landed = load_vintages(
            con,
            session,
            catalog,
            api_key=api_key,
            base_url=settings.base_urls()[SOURCE.http.base_url_setting],
            load_id=record.load_id,
            fetched_at=started,
            as_of=today,
        )
        load.rebuild_core(con)
        record.status = LoadStatus.PUBLISHED if record.rows_landed else LoadStatus.UNCHANGED
        record.finished_at = datetime.now(UTC)
        meta.record_load(con, record)
        meta.record_run(
            con,
            run_id=record.run_id,
            flow_run_id=None,
            mode="vintages",
            as_of=today,
            started_at=started,
            finished_at=record.finished_at,
            status="Completed",
            sources=["fred"],
        )
