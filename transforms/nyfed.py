"""NY Fed Markets parsers: reference-rates CSV (one row per rate type x date, %, $bn) and repo/RRP operations JSON
(one row per operation, amounts in USD)."""

import io
import json
import re
from typing import Any

import polars as pl

from transforms.errors import ParseError, decode_text
from transforms.schema import SchemaDict

RATES_SCHEMA: SchemaDict = {
    "effective_date": pl.Date(),
    "rate_type": pl.Utf8(),
    "rate_pct": pl.Float64(),
    "percentile_1_pct": pl.Float64(),
    "percentile_25_pct": pl.Float64(),
    "percentile_75_pct": pl.Float64(),
    "percentile_99_pct": pl.Float64(),
    "volume_bn": pl.Float64(),
    "target_rate_from_pct": pl.Float64(),
    "target_rate_to_pct": pl.Float64(),
    "revision_indicator": pl.Utf8(),
}
RATES_KEY: tuple[str, ...] = ("rate_type", "effective_date")

RP_SCHEMA: SchemaDict = {
    "operation_id": pl.Utf8(),
    "operation_date": pl.Date(),
    "settlement_date": pl.Date(),
    "maturity_date": pl.Date(),
    "operation_type": pl.Utf8(),
    "operation_method": pl.Utf8(),
    "term": pl.Utf8(),
    "term_calendar_days": pl.Int64(),
    "release_time": pl.Utf8(),
    "close_time": pl.Utf8(),
    "participating_cpty": pl.Int64(),
    "accepted_cpty": pl.Int64(),
    "total_amt_submitted_usd": pl.Float64(),
    "total_amt_accepted_usd": pl.Float64(),
    "award_rate_pct": pl.Float64(),
    "note": pl.Utf8(),
}
RP_KEY: tuple[str, ...] = ("operation_id",)
# The module-level names every parser module has; here they are those of the reference-rates dataset.
SCHEMA = RATES_SCHEMA
KEY = RATES_KEY

# Display headers of the CSV download, compared after lower-casing and dropping non-alphanumerics so that
# spelling variants ("Volume ($Billions)", "volumeInBillions", "Percentile 1") map to the same column.
_RATE_HEADERS = {
    "effectivedate": "effective_date",
    "ratetype": "rate_type",
    "rate": "rate_pct",
    "percentrate": "rate_pct",
    "volumebillions": "volume_bn",
    "volumeinbillions": "volume_bn",
    "targetratefrom": "target_rate_from_pct",
    "targetrateto": "target_rate_to_pct",
}
_PERCENTILES = {"1", "25", "75", "99"}
_TEXT_COLUMNS = {"rate_type", "revision_indicator"}

# JSON field -> RP_SCHEMA column, for the fields copied as they are (dates and award rate handled apart).
_RP_FIELDS = {
    "operationId": "operation_id",
    "operationDate": "operation_date",
    "settlementDate": "settlement_date",
    "maturityDate": "maturity_date",
    "operationType": "operation_type",
    "operationMethod": "operation_method",
    "term": "term",
    "termCalenderDays": "term_calendar_days",  # sic: the API spells it "Calender"
    "releaseTime": "release_time",
    "closeTime": "close_time",
    "participatingCpty": "participating_cpty",
    "acceptedCpty": "accepted_cpty",
    "totalAmtSubmitted": "total_amt_submitted_usd",
    "totalAmtAccepted": "total_amt_accepted_usd",
    "note": "note",
}
_RP_REQUIRED = ("operationId", "operationDate", "operationType")
# RRP details carry percentAwardRate; repo (SRF) details carry percentWeightedAverageRate (absent if none accepted).
_AWARD_KEYS = ("percentAwardRate", "percentWeightedAverageRate")



def _rate_column(header: str) -> str | None:
    """Map one display header to its RATES_SCHEMA column, or None for columns qtwatch does not keep."""
    key = re.sub(r"[^a-z0-9]", "", header.lower())
    if key in _RATE_HEADERS:
        return _RATE_HEADERS[key]
    if "percentile" in key:
        digits = re.search(r"\d+", key)
        return f"percentile_{digits.group()}_pct" if digits and digits.group() in _PERCENTILES else None
    return "revision_indicator" if key.startswith("revisionindicator") else None


def _rename_rate_headers(headers: list[str]) -> dict[str, str]:
    """Header -> RATES_SCHEMA column for every kept header; ParseError if a RATES_SCHEMA column has no header."""
    mapping = {h: c for h in headers if (c := _rate_column(h)) is not None}
    missing = [c for c in RATES_SCHEMA if c not in mapping.values()]
    if missing:
        raise ParseError(f"NY Fed rates CSV lacks the column(s) {', '.join(missing)}; header was {headers[:6]}...")
    return mapping


def _cast_rates(frame: pl.DataFrame) -> pl.DataFrame:
    """Cast the all-string rates frame to RATES_SCHEMA (dates are MM/DD/YYYY); bad text raises ParseError."""
    numeric = [c for c in RATES_SCHEMA if c not in _TEXT_COLUMNS and c != "effective_date"]
    try:
        return frame.with_columns(
            pl.col("effective_date").str.strip_chars().str.to_date("%m/%d/%Y", strict=True),
            *(pl.col(c).str.strip_chars().cast(pl.Float64, strict=True) for c in numeric),
        ).select(list(RATES_SCHEMA)).cast(RATES_SCHEMA)
    except pl.exceptions.PolarsError as exc:
        raise ParseError(f"NY Fed rates CSV has an unparseable date or number: {_first_line(exc)}") from exc


def parse_reference_rates_csv(payload: bytes) -> pl.DataFrame:
    """Parse `/api/rates/all/search.csv` into one row per (rate_type, effective_date); % and $ billions."""
    text = decode_text(payload, "NY Fed rates CSV")
    try:
        frame = pl.read_csv(io.StringIO(text), infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        raise ParseError(f"NY Fed rates CSV is malformed: {_first_line(exc)}") from exc
    frame = frame.rename(_rename_rate_headers(frame.columns)).select(list(RATES_SCHEMA))
    # The download ends with an all-comma line: a row with no field at all, dropped here.
    frame = frame.filter(~pl.all_horizontal(pl.all().is_null()))
    if frame.select(pl.any_horizontal(pl.col("effective_date", "rate_type").is_null()).any()).item():
        raise ParseError("NY Fed rates CSV has a row without Effective Date or Rate Type")
    return _cast_rates(frame)


def _award_rate(details: Any) -> float | None:
    """Award rate of the operation's Treasury detail (RRP award rate or repo weighted average), else None."""
    for detail in details if isinstance(details, list) else []:
        if isinstance(detail, dict) and detail.get("securityType") == "Treasury":
            rate = next((detail[k] for k in _AWARD_KEYS if detail.get(k) is not None), None)
            if rate is not None:
                return float(rate)
    return None


def _operation_row(op: Any) -> dict[str, Any]:
    """One API operation object -> one row of RP_SCHEMA column names (dates still ISO strings)."""
    if not isinstance(op, dict) or any(op.get(k) in (None, "") for k in _RP_REQUIRED):
        raise ParseError(f"NY Fed operation lacks one of {', '.join(_RP_REQUIRED)}: {str(op)[:120]}")
    row = {column: op.get(field) for field, column in _RP_FIELDS.items()}
    row["award_rate_pct"] = _award_rate(op.get("details"))
    return row


def _rp_string_schema() -> SchemaDict:
    """RP_SCHEMA with dates as strings: the shape rows are built in before dates are parsed."""
    return {c: (pl.Utf8() if t == pl.Date() else t) for c, t in RP_SCHEMA.items()}


def parse_rp_operations_json(payload: bytes) -> pl.DataFrame:
    """Parse `/api/rp/results/search.json` into one row per operation (amounts USD, rates %)."""
    text = decode_text(payload, "NY Fed repo operations JSON")
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"expected NY Fed repo operations JSON, received non-JSON text: {text[:80]!r}") from exc
    operations = body.get("repo", {}).get("operations") if isinstance(body, dict) else None
    if not isinstance(operations, list):
        raise ParseError("NY Fed repo operations JSON has no repo.operations list")
    rows = [_operation_row(op) for op in operations]
    dates = [c for c, t in RP_SCHEMA.items() if t == pl.Date()]
    try:
        frame = pl.from_dicts(rows, schema=_rp_string_schema(), strict=True)
        frame = frame.with_columns(pl.col(dates).str.to_date("%Y-%m-%d", strict=True))
    except (pl.exceptions.PolarsError, TypeError) as exc:
        raise ParseError(f"NY Fed repo operations JSON has a field of the wrong type: {_first_line(exc)}") from exc
    return frame.select(list(RP_SCHEMA)).cast(RP_SCHEMA)


def _first_line(exc: Exception) -> str:
    """The first line of an error (polars names the offending values), for a one-sentence ParseError."""
    return str(exc).strip().splitlines()[0][:200]
