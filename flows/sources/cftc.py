"""CFTC Traders in Financial Futures (futures only): the yearly history files `fut_fin_txt_<YYYY>.zip`, live and replay.

The CFTC rewrites the current year's file every Friday (positions of the Tuesday before); earlier years are final.
An incremental run reads the years its window touches (the current one, and the previous one in early January,
when the last December report lands in last year's file); a full history run every year from the history start.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import requests

from flows.http import SourceError, get_bytes, limits_of
from flows.probes import Check, Probe
from flows.replay import ReplayCall
from flows.sources import Batch, FetchRequest, Window, parse_or_raise
from transforms import cftc as parse
from transforms.registry import SOURCES, Source

FILE = "fut_fin_txt_{year}.zip"
# Before the first report of a year is out (first Friday of January, a holiday can push it to the next week) the
# current year's file does not exist yet: a 404 then is not an error. Reports of the last December week are
# published into the previous year's file in these days, so it is read too.
EARLY_JANUARY_DAYS = 14
_FILE_NAME = re.compile(r"fut_fin_txt_(\d{4})\.zip")
ZIP_TYPE = "application/x-zip-compressed"  # what www.cftc.gov sends for the history zips
_NOT_FOUND = (404, b"<html><body>404 - File or directory not found.</body></html>", "text/html")


def years_to_fetch(window: Window, history_start: date) -> list[int]:
    """Calendar years whose files cover the window: from its start (or the history start) to its end; in early
    January the previous year too."""
    first = window.start.year if window.start else history_start.year
    if (window.end - timedelta(days=EARLY_JANUARY_DAYS)).year < window.end.year:
        first = min(first, window.end.year - 1)
    return list(range(first, window.end.year + 1))


def fetch_cftc(session: requests.Session, request: FetchRequest) -> Batch:
    """Treasury-contract rows of every yearly file the window needs, limited to the window's report dates."""
    window, name = request.window, request.source.name
    frames, urls = [], []
    for year in years_to_fetch(window, request.source.history_start):
        url = request.base_url.rstrip("/") + "/" + FILE.format(year=year)
        try:
            body, url = get_bytes(session, url, None, source=name, expect="zip")
        except SourceError as exc:
            if _not_published_yet(exc, year, window.end):
                continue
            raise
        frames.append(
            parse_or_raise(parse.parse_tff_zip, body, limits_of(session).max_bytes, source=name, url=url).with_columns(
                source_url=pl.lit(url)
            )
        )
        urls.append(url)
    frame = pl.concat(frames) if frames else _empty()
    return Batch(name, request.source.dataset.name, _in_window(frame, window), urls, {"*": window})


def _not_published_yet(exc: SourceError, year: int, end: date) -> bool:
    """A 404 for the window's own year in its first days: the CFTC has not created that file yet."""
    early = year == end.year and end <= date(year, 1, EARLY_JANUARY_DAYS)
    return early and exc.cause.startswith("HTTP 404")


def _in_window(frame: pl.DataFrame, window: Window) -> pl.DataFrame:
    day = pl.col(parse.DATE_COLUMN)
    keep = day <= window.end if window.start is None else day.is_between(window.start, window.end)
    return frame.filter(keep).sort(parse.KEY)


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema={**parse.SCHEMA, "source_url": pl.Utf8})


def replay(call: ReplayCall) -> tuple[int, bytes, str]:
    """Serve `replay/cftc/fut_fin_txt_<YYYY>.zip` as the CFTC did on the call's as-of: only reports whose Friday
    release is on or before it; a year with none published yet is a 404, as live."""
    found = _FILE_NAME.fullmatch(call.path)
    file = Path(call.root) / "cftc" / (found.group(0) if found else "-")
    if not found or not file.is_file():
        return _NOT_FOUND
    body = file.read_bytes()
    if call.as_of is None:
        return 200, body, ZIP_TYPE
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        member = archive.namelist()[0]
        header, *rows = archive.read(member).splitlines(keepends=True)
    release = SOURCES["cftc"].release  # Friday 15:30 after the report date, later after a federal holiday
    visible = [row for row in rows if call.published(_report_date(row), release)]
    if not visible:
        return _NOT_FOUND
    return 200, _zip(member, header + b"".join(visible)), ZIP_TYPE


def _report_date(row: bytes) -> date:
    """The report date of a recorded row (its third field)."""
    return date.fromisoformat(row.split(b",")[2].strip().decode("ascii"))


def _zip(member: str, text: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, text)
    return buffer.getvalue()


# ------------------------------------------------------------------------------------------------- doctor's probe
def probe(source: Source, api_key: str | None, today: date) -> Probe:  # noqa: ARG001 - no key
    """The current year's file (last year's in early January, before the first report of the year is out): the
    file an incremental run reads, at most ~0.5 MB."""
    year = (today - timedelta(days=EARLY_JANUARY_DAYS)).year
    return Probe(source.http.base_url_setting, FILE.format(year=year), {}, "zip", _inspect)


def _inspect(body: bytes, check: Check) -> None:
    """Parse the file as a run would; report its columns qtwatch does not model and its newest report."""
    frame = parse.parse_tff_zip(body)  # a missing column raises ParseError: unusable, named
    check.new = [c for c in _header(body) if c not in parse.HEADERS]
    newest = str(frame[parse.DATE_COLUMN].max()) if frame.height else "none"
    check.note = f"{frame.height} Treasury rows, newest report {newest}"


def _header(body: bytes) -> list[str]:
    """The column names of the zip's one text member (its first line)."""
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        member = next(m for m in archive.namelist() if m.lower().endswith(".txt"))
        with archive.open(member) as handle:
            line = handle.readline().decode("utf-8", errors="replace")
    return [c.strip().strip('"') for c in line.strip().split(",")]
