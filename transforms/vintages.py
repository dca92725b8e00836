"""ALFRED (FRED real-time) parsers: every vintage of every observation, one row per (series_id, date, realtime_start).

A FRED API `series/observations` answer with a real-time window lists, per observation date, each value with the
real-time period `[realtime_start, realtime_end]` it was the published one. `series/vintagedates` lists the days a
series was revised or extended. The parsers check that the answer echoes the window asked for: FRED silently
ignores an unknown parameter (e.g. `vintage_date`, singular) and then serves today's revised values with HTTP 200.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import polars as pl

from transforms.errors import ParseError
from transforms.fred import parse_fred_api_observations
from transforms.schema import SchemaDict

VINTAGE_SCHEMA: SchemaDict = {
    "series_id": pl.Utf8(),
    "date": pl.Date(),
    "value": pl.Float64(),
    "realtime_start": pl.Date(),
    "realtime_end": pl.Date(),
}


def _json(payload: bytes, what: str) -> dict:
    try:
        body = json.loads(payload)
    except ValueError:
        raise ParseError(f"{what} is not JSON") from None
    if not isinstance(body, dict):
        raise ParseError(f"{what} is not a JSON object")
    return body


def parse_vintage_dates(payload: bytes, series_id: str) -> list[date]:
    """`series/vintagedates` JSON -> the series' vintage dates, ascending."""
    dates = _json(payload, f"FRED vintage dates of {series_id}").get("vintage_dates")
    if not isinstance(dates, list):
        raise ParseError(f"FRED vintage dates of {series_id} have no 'vintage_dates' list")
    return sorted(date.fromisoformat(d) for d in dates)


def parse_alfred_observations(payload: bytes, series_id: str, realtime_start: date, realtime_end: str) -> pl.DataFrame:
    """`series/observations` JSON over a real-time window -> VINTAGE_SCHEMA rows; refuses an answer whose window is
    not the one asked for (the parameter was ignored: these would be today's values, not the vintages)."""
    body = _json(payload, f"FRED real-time observations of {series_id}")
    echoed = (body.get("realtime_start"), body.get("realtime_end"))
    if echoed != (realtime_start.isoformat(), realtime_end):
        raise ParseError(
            f"FRED answered {series_id} for real-time {echoed[0]}..{echoed[1]}, not the "
            f"{realtime_start}..{realtime_end} asked: the window was ignored, refusing revised values"
        )
    observations = body.get("observations") or []
    periods = pl.DataFrame(
        {
            "realtime_start": [str(o.get("realtime_start")) for o in observations],
            "realtime_end": [str(o.get("realtime_end")) for o in observations],
        },
        schema={"realtime_start": pl.Utf8, "realtime_end": pl.Utf8},
    )
    values = parse_fred_api_observations(payload, series_id)
    try:
        periods = periods.select(pl.all().str.to_date("%Y-%m-%d", strict=True))
    except pl.exceptions.InvalidOperationError:
        raise ParseError(f"FRED real-time observations of {series_id} carry a bad realtime_start/end") from None
    return pl.concat([values, periods], how="horizontal").select(list(VINTAGE_SCHEMA)).cast(VINTAGE_SCHEMA)


def vintage_windows(vintages: list[date], limit: int = 2000) -> list[tuple[date, str]]:
    """Real-time windows covering every vintage, each holding at most `limit` vintage dates (FRED refuses more than
    2,000 per request); the last runs to '9999-12-31' (FRED refuses a realtime_end after today otherwise)."""
    if not vintages:
        return []
    starts = vintages[::limit]
    ends = [(start - timedelta(days=1)).isoformat() for start in starts[1:]] + ["9999-12-31"]
    return list(zip(starts, ends, strict=True))
