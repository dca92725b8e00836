"""NY Fed Markets parsers: reference-rates CSV (one row per rate type x date, %, $bn) and repo/RRP operations JSON
(one row per operation, amounts in USD)."""

import json
import re
from typing import Any

import polars as pl

from transforms.errors import ParseError, decode_text, first_line, read_text_csv
from transforms.nyfed_details import MIN_BID, detail_extras
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
    # The SOFRAI row (SOFR Averages and Index) carries these instead of a rate; null on every other row.
    "sofr_avg_30d_pct": pl.Float64(),
    "sofr_avg_90d_pct": pl.Float64(),
    "sofr_avg_180d_pct": pl.Float64(),
    "sofr_index": pl.Float64(),
    "extra": pl.Utf8(),  # JSON object of the non-empty fields qtwatch does not model (kept, never a reason to fail)
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
    "extra": pl.Utf8(),  # JSON object of the operation's fields qtwatch does not model (kept, never a reason to fail)
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
    "type": "rate_type",
    "30dayaveragesofr": "sofr_avg_30d_pct",
    "average30day": "sofr_avg_30d_pct",
    "90dayaveragesofr": "sofr_avg_90d_pct",
    "average90day": "sofr_avg_90d_pct",
    "180dayaveragesofr": "sofr_avg_180d_pct",
    "average180day": "sofr_avg_180d_pct",
    "sofrindex": "sofr_index",
    "index": "sofr_index",
}
# Columns a download may lack (older files have no SOFR averages); every other RATES_SCHEMA column is required.
_OPTIONAL_RATE_COLUMNS = ("sofr_avg_30d_pct", "sofr_avg_90d_pct", "sofr_avg_180d_pct", "sofr_index", "extra")
# Rate types qtwatch models; any other (a new benchmark) is kept as it comes and reported by `unknown_rate_types`.
KNOWN_RATE_TYPES = ("EFFR", "OBFR", "SOFR", "BGCR", "TGCR", "SOFRAI")
# Download columns qtwatch knows but does not model: kept in `extra`, not reported as new.
KNOWN_UNMODELLED_RATE_FIELDS = ("Intra Day - Low (%)", "Intra Day - High (%)", "Standard Deviation (%)", "Footnote ID")
_PERCENTILES = {"1", "25", "75", "99"}
_TEXT_COLUMNS = {"rate_type", "revision_indicator", "extra"}

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
# Fields read into columns (details -> award_rate_pct); every other non-empty field goes to `extra` as it came.
_RP_MODELLED = frozenset({*_RP_FIELDS, "details"})
# Operation fields qtwatch knows but does not model: kept in `extra`, not reported as new (NY Fed API docs).
KNOWN_UNMODELLED_RP_FIELDS = (
    "auctionStatus",
    "operationLimit",
    "totalAmtSubmittedPar",
    "totalAmtAcceptedPar",
    "propositions",
    "lastUpdated",
    "settlementType",
    "operationDirection",
    MIN_BID,
)
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
    """Header -> RATES_SCHEMA column for every kept header; ParseError if a required column has no header."""
    mapping = {h: c for h in headers if (c := _rate_column(h)) is not None}
    missing = [c for c in RATES_SCHEMA if c not in mapping.values() and c not in _OPTIONAL_RATE_COLUMNS]
    if missing:
        raise ParseError(f"NY Fed rates CSV lacks the column(s) {', '.join(missing)}; header was {headers[:6]}...")
    return mapping


def _extra_json(frame: pl.DataFrame, columns: list[str]) -> pl.Series:
    """One JSON object per row of the non-empty values of `columns` (fields kept but not modelled), else null."""
    rows = frame.select(columns).to_dicts() if columns else [{}] * frame.height
    texts = [
        json.dumps(kept, sort_keys=True) if (kept := {k: v for k, v in row.items() if v not in (None, "")}) else None
        for row in rows
    ]
    return pl.Series("extra", texts, dtype=pl.Utf8)


def _cast_rates(frame: pl.DataFrame) -> pl.DataFrame:
    """Cast the all-string rates frame to RATES_SCHEMA (dates are MM/DD/YYYY); bad text raises ParseError."""
    numeric = [c for c in RATES_SCHEMA if c not in _TEXT_COLUMNS and c != "effective_date"]
    try:
        return (
            frame.with_columns(
                pl.col("effective_date").str.strip_chars().str.to_date("%m/%d/%Y", strict=True),
                *(pl.col(c).str.strip_chars().cast(pl.Float64, strict=True) for c in numeric),
            )
            .select(list(RATES_SCHEMA))
            .cast(RATES_SCHEMA)
        )
    except pl.exceptions.PolarsError as exc:
        raise ParseError(f"NY Fed rates CSV has an unparseable date or number: {first_line(exc)}") from exc


def parse_reference_rates_csv(payload: bytes) -> pl.DataFrame:
    """Parse `/api/rates/all/search.csv` into one row per (rate_type, effective_date); % and $ billions."""
    frame = read_text_csv(payload, "NY Fed rates CSV")
    mapping = _rename_rate_headers(frame.columns)
    # The download ends with an all-comma line: a row with no field at all, dropped here.
    frame = frame.filter(~pl.all_horizontal(pl.all().is_null()))
    extra = _extra_json(frame, [h for h in frame.columns if h not in mapping])
    frame = frame.rename(mapping).with_columns(extra)
    frame = frame.with_columns(pl.lit(None, pl.Utf8).alias(c) for c in RATES_SCHEMA if c not in frame.columns)
    frame = frame.select(list(RATES_SCHEMA))
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
    if not isinstance(op, dict):
        raise ParseError(f"NY Fed operation is not an object: {str(op)[:120]}")
    missing = [k for k in _RP_REQUIRED if op.get(k) in (None, "")]
    if missing:
        raise ParseError(
            f"NY Fed operation {op.get('operationId') or '(no id)'} lacks required field(s) {', '.join(missing)}"
        )
    row = {column: op.get(field) for field, column in _RP_FIELDS.items()}
    row["award_rate_pct"] = _award_rate(op.get("details"))
    kept = {k: v for k, v in op.items() if k not in _RP_MODELLED and v not in (None, "")}
    kept.update(detail_extras(op.get("details")))  # the SRF minimum bid rate, unknown detail fields
    row["extra"] = json.dumps(kept, sort_keys=True) if kept else None
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
        raise ParseError(f"NY Fed repo operations JSON has a field of the wrong type: {first_line(exc)}") from exc
    return frame.select(list(RP_SCHEMA)).cast(RP_SCHEMA)


def unknown_rate_types(frame: pl.DataFrame) -> list[str]:
    """Rate types in a parsed rates frame that qtwatch does not model (kept in raw; worth one log line)."""
    return sorted(set(frame["rate_type"].drop_nulls().unique().to_list()) - set(KNOWN_RATE_TYPES))


def unknown_fields(frame: pl.DataFrame, known: tuple[str, ...]) -> list[str]:
    """Field names in a parsed frame's `extra` JSON that are not in `known` (new fields the source started sending)."""
    names: set[str] = set()
    for text in frame["extra"].drop_nulls().unique().to_list():
        names.update(json.loads(text))
    return sorted(names - set(known))
