"""Treasury Fiscal Data parsers: a generic API page, auctions_query (one row per auction) and the DTS TGA table.

Fiscal Data sends every value as a JSON string and missing values as the string "null"; `meta.dataTypes` says how
to read each field. Auction amounts are USD and rates percent; DTS balances are $ millions.
"""

from __future__ import annotations

import json

import polars as pl

from transforms.errors import ParseError
from transforms.schema import SchemaDict

AUCTIONS_SCHEMA: SchemaDict = {
    "cusip": pl.Utf8,
    "auction_date": pl.Date,
    "security_type": pl.Utf8,
    "security_term": pl.Utf8,
    "original_security_term": pl.Utf8,
    "announcemt_date": pl.Date,
    "issue_date": pl.Date,
    "maturity_date": pl.Date,
    "reopening": pl.Utf8,  # "Yes"/"No" as the API sends it
    "cash_management_bill_cmb": pl.Utf8,  # "Yes"/"No"
    "offering_amt": pl.Float64,  # USD
    "total_tendered": pl.Float64,  # USD
    "total_accepted": pl.Float64,  # USD
    "bid_to_cover_ratio": pl.Float64,  # ratio
    "high_yield": pl.Float64,  # percent; null for bills
    "high_discnt_rate": pl.Float64,  # percent; bills only
    "high_investment_rate": pl.Float64,  # percent; bills only
    "int_rate": pl.Float64,  # percent coupon; null for bills
    "primary_dealer_accepted": pl.Float64,  # USD
    "direct_bidder_accepted": pl.Float64,  # USD
    "indirect_bidder_accepted": pl.Float64,  # USD
    "soma_accepted": pl.Float64,  # USD, Fed rollover add-ons
    "soma_tendered": pl.Float64,  # USD
    "soma_holdings": pl.Float64,  # USD
    "soma_included": pl.Utf8,  # "Yes"/"No"
    "fima_noncomp_accepted": pl.Float64,  # USD
    "comp_accepted": pl.Float64,  # USD
    "noncomp_accepted": pl.Float64,  # USD
    # What kind of coupon: TIPS and FRNs come as security_type Note/Bond and are told apart by these.
    "inflation_index_security": pl.Utf8,  # "Yes" for TIPS
    "floating_rate": pl.Utf8,  # "Yes" for FRNs
    "ref_cpi_on_dated_date": pl.Float64,  # reference CPI of a TIPS (index points); null for every other security
}
AUCTIONS_KEY: tuple[str, ...] = ("cusip", "auction_date")

DTS_SCHEMA: SchemaDict = {
    "record_date": pl.Date,
    "account_type": pl.Utf8,
    "open_today_bal": pl.Float64,  # $ millions
    "close_today_bal": pl.Float64,  # $ millions
    "open_month_bal": pl.Float64,  # $ millions
    "open_fiscal_year_bal": pl.Float64,  # $ millions
    "sub_table_name": pl.Utf8,
    "src_line_nbr": pl.Int64,
}
DTS_KEY: tuple[str, ...] = ("record_date", "account_type")

TGA_SCHEMA: SchemaDict = {"date": pl.Date, "tga_mn": pl.Float64}

# Row labels of the DTS operating cash balance table (Table I) that carry the Treasury General Account.
TGA_CLOSING_ROW = "Treasury General Account (TGA) Closing Balance"  # from 2022-04-18
TGA_OPENING_ROWS = (
    "Treasury General Account (TGA) Opening Balance",  # from 2022-04-18
    "Treasury General Account (TGA)",  # 2021-10-01 .. 2022-04-15
    "Federal Reserve Account",  # up to 2021-09-30
)
OLD_ERA_TGA_ROWS = TGA_OPENING_ROWS[1:]
# The longest gap between two DTS record dates is a holiday weekend (4 days; 5 with back-to-back Christmas Eve and
# Christmas closures). A longer gap means the frame has a hole, so the next row is not the next business day.
MAX_NEXT_RECORD_GAP_DAYS = 5

_NULL = "null"
_DATE_TYPES = {"DATE"}
_NUMBER_TYPES = {"NUMBER", "PERCENTAGE"}
# A comma is only a thousands separator in this exact shape; "1,75754E+11" (an Excel-mangled value) is not one.
_THOUSANDS = r"^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$"


def parse_fiscal_page(payload: bytes) -> tuple[pl.DataFrame, dict]:
    """One Fiscal Data page -> (one row per record typed by meta.dataTypes, meta with total-count/-pages, links)."""
    body = _load_envelope(payload)
    data_types: dict = body["meta"].get("dataTypes") or {}
    fields = list(body["data"][0]) if body["data"] else list(data_types)
    columns = [_typed_column(name, _raw_values(body["data"], name), data_types.get(name, "STRING")) for name in fields]
    return pl.DataFrame(columns), _page_meta(body)


def parse_auctions(frame: pl.DataFrame) -> pl.DataFrame:
    """auctions_query records -> AUCTIONS_SCHEMA, one row per (cusip, auction_date); amounts USD, rates percent."""
    _require_fields(frame, AUCTIONS_SCHEMA, "auctions_query")
    _require_key(frame, AUCTIONS_KEY, "auctions_query")
    return _select_cast(frame, AUCTIONS_SCHEMA, "auctions_query")


def parse_operating_cash_balance(frame: pl.DataFrame) -> pl.DataFrame:
    """DTS operating_cash_balance records -> DTS_SCHEMA, one row per (record_date, account_type); $ millions."""
    _require_fields(frame, DTS_SCHEMA, "operating_cash_balance")
    _require_key(frame, DTS_KEY, "operating_cash_balance")
    return _select_cast(frame, DTS_SCHEMA, "operating_cash_balance")


def tga_closing_balance(dts: pl.DataFrame) -> pl.DataFrame:
    """TGA closing balance per DTS record date: `date, tga_mn` ($ millions), one row per record_date of `dts`.

    Rule, the same in both eras of the table: the closing balance the DTS reports wins (from 2022-04-18 the
    `... Closing Balance` row, whose value sits in open_today_bal when close_today_bal is null; before that
    close_today_bal of the `Treasury General Account (TGA)` / `Federal Reserve Account` row when present). Where none
    is reported (the old-era rows of the recorded CSV carry only the opening balance), the closing balance of day D
    is the TGA opening balance of the next record date, provided that date is at most MAX_NEXT_RECORD_GAP_DAYS
    later; otherwise (last date of the frame, or a hole) it is null, never estimated. The identity holds exactly on
    every recorded new-era day and matches FRED WDTGAL on every recorded Wednesday.
    `dts` must hold every record date of its window, as the DTS does (a missing day would shift the successor).
    """
    days = dts.select(pl.col("record_date").unique().sort().alias("date"))
    chained = days.join(_tga_opening(dts), on="date", how="left").join(_tga_reported_close(dts), on="date", how="left")
    gap_days = (pl.col("date").shift(-1) - pl.col("date")).dt.total_days()
    next_opening = pl.when(gap_days <= MAX_NEXT_RECORD_GAP_DAYS).then(pl.col("opening_mn").shift(-1))
    result = chained.sort("date").with_columns(tga_mn=pl.coalesce("reported_close_mn", next_opening))
    return result.select(list(TGA_SCHEMA)).cast(TGA_SCHEMA)


def _tga_opening(dts: pl.DataFrame) -> pl.DataFrame:
    """The TGA opening balance of each record date (either era), one row per date."""
    rows = dts.filter(pl.col("account_type").is_in(TGA_OPENING_ROWS)).sort("record_date", "src_line_nbr")
    rows = rows.unique("record_date", keep="first", maintain_order=True)
    return rows.select(pl.col("record_date").alias("date"), pl.col("open_today_bal").alias("opening_mn"))


def _tga_reported_close(dts: pl.DataFrame) -> pl.DataFrame:
    """The TGA closing balance where the DTS itself reports one, one row per date."""
    is_new_close = pl.col("account_type") == TGA_CLOSING_ROW
    value = pl.when(is_new_close).then(pl.coalesce("close_today_bal", "open_today_bal")).otherwise("close_today_bal")
    rows = dts.filter(is_new_close | pl.col("account_type").is_in(OLD_ERA_TGA_ROWS))
    rows = rows.select(pl.col("record_date").alias("date"), value.alias("reported_close_mn"), "src_line_nbr")
    rows = rows.drop_nulls("reported_close_mn").sort("date", "src_line_nbr")
    return rows.unique("date", keep="first", maintain_order=True).drop("src_line_nbr")


def _load_envelope(payload: bytes) -> dict:
    """The decoded `{data, meta, links}` envelope, or ParseError for HTML, non-JSON, API errors or a wrong shape."""
    text = _decode(payload)
    if text.lstrip().startswith("<"):
        raise ParseError("Fiscal Data sent HTML instead of JSON (an error or maintenance page).")
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"Fiscal Data payload is not JSON: {exc.msg} at position {exc.pos}.") from None
    if isinstance(body, dict) and "error" in body:
        raise ParseError(f"Fiscal Data API error: {body.get('error')}: {body.get('message', '(no message)')}")
    return _check_shape(body)


def _decode(payload: bytes) -> str:
    if not payload or not payload.strip():
        raise ParseError("Fiscal Data payload is empty.")
    try:
        return payload.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ParseError("Fiscal Data payload is not UTF-8 text.") from None


def _check_shape(body: object) -> dict:
    if not isinstance(body, dict):
        raise ParseError("Fiscal Data payload is not a JSON object with data and meta.")
    for key, kind in (("data", list), ("meta", dict)):
        if not isinstance(body.get(key), kind):
            raise ParseError(f"Fiscal Data payload has no `{key}` {kind.__name__}.")
    if not all(isinstance(record, dict) for record in body["data"]):
        raise ParseError("Fiscal Data `data` holds something other than records.")
    return body


def _raw_values(records: list[dict], name: str) -> list[str | None]:
    """One field across records as strings; the API's "null" (or an absent field) becomes None."""
    values = (record.get(name) for record in records)
    return [None if value is None or value == _NULL else str(value) for value in values]


def _typed_column(name: str, values: list[str | None], data_type: str) -> pl.Series:
    """A string column read as its Fiscal Data type: DATE -> Date, NUMBER/CURRENCY*/PERCENTAGE -> Float64."""
    text = pl.Series(name, values, dtype=pl.Utf8)
    try:
        if data_type in _DATE_TYPES:
            return text.str.to_date("%Y-%m-%d")
        if data_type in _NUMBER_TYPES or data_type.startswith("CURRENCY"):
            return _number(text.str.strip_chars())
    except (pl.exceptions.PolarsError, ValueError):
        raise ParseError(f"Fiscal Data field `{name}` has a value that is not a valid {data_type}.") from None
    return text


def _number(text: pl.Series) -> pl.Series:
    """Numeric text -> Float64; thousands separators are display formatting and dropped, other commas refused."""
    misplaced = text.str.contains(",", literal=True) & ~text.str.contains(_THOUSANDS)
    if misplaced.any():
        raise ValueError("comma that is not a thousands separator")
    return text.str.replace_all(",", "", literal=True).cast(pl.Float64)


def _page_meta(body: dict) -> dict:
    meta = dict(body["meta"])
    return {
        **meta,
        "total-count": meta.get("total-count"),
        "total-pages": meta.get("total-pages"),
        "links": body.get("links") or {},
    }


def _require_fields(frame: pl.DataFrame, schema: SchemaDict, dataset: str) -> None:
    missing = [name for name in schema if name not in frame.columns]
    if missing:
        raise ParseError(f"Fiscal Data {dataset} records lack required field(s): {', '.join(missing)}.")


def _select_cast(frame: pl.DataFrame, schema: SchemaDict, dataset: str) -> pl.DataFrame:
    try:
        return frame.select(list(schema)).cast(schema)
    except pl.exceptions.PolarsError as exc:
        # e.g. a date field the page did not declare as DATE (polars 2 will not cast text to Date).
        raise ParseError(f"Fiscal Data {dataset} records do not fit the schema: {str(exc).splitlines()[0]}") from None


def _require_key(frame: pl.DataFrame, key: tuple[str, ...], dataset: str) -> None:
    for name in key:
        if frame[name].null_count():
            raise ParseError(f"Fiscal Data {dataset} has {frame[name].null_count()} record(s) with no `{name}`.")
