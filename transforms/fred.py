"""FRED parsers: fredgraph.csv and FRED API JSON -> one row per (series_id, date), value in the series' native units."""

import io
import json
from typing import Any

import polars as pl

from transforms.errors import ParseError, decode_text, first_line
from transforms.schema import SchemaDict

SCHEMA: SchemaDict = {"series_id": pl.Utf8(), "date": pl.Date(), "value": pl.Float64()}
KEY: tuple[str, ...] = ("series_id", "date")

# fredgraph.csv renamed its first column from DATE to observation_date in late 2024; accept both by position.
_DATE_HEADERS = frozenset({"observation_date", "date"})
# FRED marks a missing observation with '.' (API, legacy CSV) or an empty field (current CSV).
_MISSING = [".", ""]
_META_KEYS = ("id", "title", "units", "frequency", "last_updated")


def _check_header(header: str, series_id: str) -> None:
    """Raise unless the header is `<date column>,<series_id>` (two columns, matched by position)."""
    columns = [c.strip() for c in header.split(",")]
    if len(columns) != 2 or columns[0].lower() not in _DATE_HEADERS:
        raise ParseError(f"expected fredgraph header 'observation_date,{series_id}', received {header[:80]!r}")
    if columns[1] != series_id:
        raise ParseError(f"fredgraph CSV holds series {columns[1]!r}, not the requested {series_id!r}")


def _finish(frame: pl.DataFrame, series_id: str | None) -> pl.DataFrame:
    """Turn string `date`/`value` columns into the typed SCHEMA frame (`series_id`: of every row, or None when the
    frame has a series_id column); bad text raises ParseError."""
    value = pl.col("value").str.strip_chars()
    series = pl.col("series_id") if series_id is None else pl.lit(series_id).alias("series_id")
    try:
        return (  # one lazy query: a daily run parses hundreds of short series, and each collect has a fixed cost
            frame.lazy()
            .with_columns(
                series,
                pl.col("date").str.strip_chars().str.to_date("%Y-%m-%d", strict=True),
                pl.when(~value.is_in(_MISSING)).then(value).cast(pl.Float64, strict=True).alias("value"),
            )
            .select(list(SCHEMA))
            .cast(SCHEMA)
            .collect()
        )
    except pl.exceptions.PolarsError as exc:
        raise ParseError(f"FRED {series_id or 'batch'}: a date or value is not parseable: {first_line(exc)}") from exc


def check_fredgraph_csv(payload: bytes, series_id: str) -> list[str]:
    """The rows of a fredgraph.csv download after its header, which must name `series_id` (else ParseError)."""
    lines = decode_text(payload, "fredgraph CSV").splitlines()
    _check_header(lines[0] if lines else "", series_id)
    return lines[1:]


def parse_fredgraph_many(payloads: list[tuple[bytes, str]]) -> pl.DataFrame:
    """Several fredgraph.csv downloads, (payload, series_id) each, parsed in one pass: the rows parsing each with
    parse_fredgraph_csv and concatenating them gives (a daily run's hundreds of few-row series cost one parse, not
    hundreds: a polars read and collect cost ~1 ms each whatever the size). Any bad payload raises ParseError for
    the lot: parse each to tell which."""
    rows = [  # a blank line is a row of nulls, as polars reads it in one download
        f"{series_id},{line or ','}"
        for payload, series_id in payloads
        for line in check_fredgraph_csv(payload, series_id)
    ]
    if not rows:
        return pl.DataFrame(schema=SCHEMA)
    text = "\n".join(["series_id,date,value", *rows])
    try:
        frame = pl.read_csv(io.StringIO(text), infer_schema=False, schema_overrides={"series_id": pl.Utf8})
    except pl.exceptions.PolarsError as exc:
        raise ParseError(f"fredgraph CSV batch is malformed: {first_line(exc)}") from exc
    return _finish(frame, None)


def parse_fredgraph_csv(payload: bytes, series_id: str) -> pl.DataFrame:
    """Parse a fredgraph.csv download (current or legacy header) into SCHEMA rows; '' and '.' -> null."""
    text = decode_text(payload, "fredgraph CSV")
    _check_header(text.splitlines()[0], series_id)
    try:
        frame = pl.read_csv(io.StringIO(text), new_columns=["date", "value"], infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        raise ParseError(f"fredgraph CSV for {series_id} is malformed: {first_line(exc)}") from exc
    return _finish(frame, series_id)


def _load_json(payload: bytes, expected: str) -> dict[str, Any]:
    """Load a FRED API JSON object; an API error body becomes a ParseError carrying its message."""
    text = decode_text(payload, expected)
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"expected {expected}, received text that is not JSON: {text[:80]!r}") from exc
    if not isinstance(body, dict):
        raise ParseError(f"expected {expected} object, received a JSON {type(body).__name__}")
    if "error_message" in body or "error_code" in body:
        raise ParseError(f"FRED API error {body.get('error_code')}: {body.get('error_message')}")
    return body


def _text_or_none(value: object) -> str | None:
    """API values are strings; tolerate a bare number, keep JSON null as null."""
    return None if value is None else str(value)


def parse_fred_api_observations(payload: bytes, series_id: str) -> pl.DataFrame:
    """Parse FRED API `series/observations` JSON (`value` strings, '.' = missing) into SCHEMA rows."""
    observations = _load_json(payload, "FRED API observations JSON").get("observations")
    if not isinstance(observations, list):
        raise ParseError(f"FRED API JSON for {series_id} has no 'observations' list")
    if any(not isinstance(o, dict) or "date" not in o or "value" not in o for o in observations):
        raise ParseError(f"FRED API JSON for {series_id} has an observation without 'date' and 'value'")
    frame = pl.DataFrame(
        {"date": [str(o["date"]) for o in observations], "value": [_text_or_none(o["value"]) for o in observations]},
        schema={"date": pl.Utf8, "value": pl.Utf8},
    )
    return _finish(frame, series_id)


def parse_fred_series_meta(payload: bytes) -> dict:
    """Parse FRED API `series` JSON -> {id, title, units, frequency, last_updated} of `seriess[0]`."""
    seriess = _load_json(payload, "FRED API series JSON").get("seriess")
    if not isinstance(seriess, list) or not seriess or not isinstance(seriess[0], dict):
        raise ParseError("FRED API series JSON has no 'seriess' entry")
    missing = [k for k in _META_KEYS if k not in seriess[0]]
    if missing:
        raise ParseError(f"FRED API series JSON lacks {', '.join(missing)}")
    return {k: seriess[0][k] for k in _META_KEYS}
