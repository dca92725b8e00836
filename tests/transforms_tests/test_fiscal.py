"""Fiscal Data parsers on recorded payloads and literal edge cases; the Fiscal Data replay snapshot round-trips."""

import csv
import datetime as dt
import gzip
import json
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from flows.http import make_session
from flows.replay import ReplayAdapter
from flows.sources import Window
from flows.sources import fiscal as fiscal_source
from scripts.replay_build import fiscal as replay_fiscal
from tests.conftest import fetch_request
from transforms.errors import ParseError
from transforms.fiscal import (
    AUCTIONS_KEY,
    AUCTIONS_SCHEMA,
    DTS_KEY,
    DTS_SCHEMA,
    TGA_SCHEMA,
    parse_auctions,
    parse_fiscal_page,
    parse_operating_cash_balance,
    tga_closing_balance,
)
from transforms.registry import SOURCES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fiscal"
ONE_BILL = FIXTURES / "auctions_query_13week_2026-01-05.json"


def _page(data: list[dict], data_types: dict[str, str]) -> bytes:
    """A literal Fiscal Data page (synthetic) with the given records and meta.dataTypes."""
    meta = {"count": len(data), "dataTypes": data_types, "total-count": len(data), "total-pages": 1}
    return json.dumps({"data": data, "meta": meta, "links": {"self": "&page%5Bnumber%5D=1"}}).encode()


def _raw_page(recorded: Path) -> dict:
    return json.loads((recorded / replay_fiscal.AUCTIONS_RAW).read_text())


# ---------------------------------------------------------------- parse_fiscal_page


def test_recorded_page_envelope(recorded):
    frame, meta = parse_fiscal_page((recorded / replay_fiscal.AUCTIONS_RAW).read_bytes())
    assert frame.shape == (25, 114)
    assert (meta["total-count"], meta["total-pages"], meta["links"]["next"]) == (25, 1, None)
    assert frame.columns == list(_raw_page(recorded)["data"][0])
    assert frame.schema["auction_date"] == pl.Date and frame.schema["offering_amt"] == pl.Float64
    assert frame.schema["price_per100"] == pl.Utf8  # the API declares it STRING


def test_recorded_13_week_bill_values():
    auctions = parse_auctions(parse_fiscal_page(ONE_BILL.read_bytes())[0])
    row = auctions.row(0, named=True)
    assert (row["cusip"], row["auction_date"], row["security_term"]) == ("912797SL2", dt.date(2026, 1, 5), "13-Week")
    assert row["offering_amt"] == 86_000_000_000  # USD
    assert row["total_accepted"] == 90_430_132_400
    assert row["bid_to_cover_ratio"] == 2.84
    assert (row["high_discnt_rate"], row["high_investment_rate"]) == (3.54, 3.622)  # percent
    assert row["high_yield"] is None and row["int_rate"] is None  # bills have neither
    assert (row["reopening"], row["cash_management_bill_cmb"]) == ("Yes", "No")


def test_recorded_auctions_schema_and_key(recorded):
    auctions = parse_auctions(parse_fiscal_page((recorded / replay_fiscal.AUCTIONS_RAW).read_bytes())[0])
    assert auctions.schema == pl.Schema(AUCTIONS_SCHEMA)
    assert auctions.height == 25 and auctions.select(AUCTIONS_KEY).is_unique().all()
    assert auctions["security_type"].unique().to_list() == ["Bill"]
    assert auctions["high_yield"].null_count() == 25


def test_null_strings_and_thousands_separators():
    page = _page(
        [
            {"d": "2026-01-05", "n": "1,234,567", "c": "86000000000", "p": "2.5", "s": "null"},
            {"d": "null", "n": "null", "c": "null", "p": "null", "s": "text"},
        ],
        {"d": "DATE", "n": "NUMBER", "c": "CURRENCY0", "p": "PERCENTAGE", "s": "STRING"},
    )
    frame, _ = parse_fiscal_page(page)
    expected = pl.DataFrame(
        {
            "d": [dt.date(2026, 1, 5), None],
            "n": [1234567.0, None],
            "c": [86e9, None],
            "p": [2.5, None],
            "s": [None, "text"],
        },
        schema={"d": pl.Date, "n": pl.Float64, "c": pl.Float64, "p": pl.Float64, "s": pl.Utf8},
    )
    assert_frame_equal(frame, expected)


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,234,567", 1234567.0), ("-12,345.50", -12345.5), ("78680000000.000000", 7.868e10), (" 42 ", 42.0)],
    ids=["thousands", "negative-decimal", "six-decimals", "padded"],
)
def test_numeric_text_accepted(text, value):
    frame, _ = parse_fiscal_page(_page([{"x": text}], {"x": "NUMBER"}))
    assert frame["x"].to_list() == [value]


def test_page_with_zero_rows_is_valid(recorded):
    raw = _raw_page(recorded)
    empty = {"data": [], "meta": {**raw["meta"], "count": 0, "total-count": 0, "total-pages": 0}, "links": {}}
    frame, meta = parse_fiscal_page(json.dumps(empty).encode())
    assert frame.height == 0 and meta["total-count"] == 0
    assert frame.width == 114 and frame.schema["auction_date"] == pl.Date
    assert parse_auctions(frame).schema == pl.Schema(AUCTIONS_SCHEMA)


def test_html_body_is_refused():
    with pytest.raises(ParseError, match="HTML"):
        parse_fiscal_page((FIXTURES / "maintenance_page.html").read_bytes())


def test_api_error_object_carries_its_message():
    with pytest.raises(ParseError, match=r"Invalid Query Param: Invalid query parameter 'sorts'"):
        parse_fiscal_page((FIXTURES / "api_error_invalid_query_param.json").read_bytes())


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b'{"data": [', "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"meta": {"dataTypes": {}}}', "no `data`"),
        (b'{"data": []}', "no `meta`"),
        (b'{"data": ["x"], "meta": {}}', "other than records"),
    ],
    ids=["empty", "blank", "truncated", "array", "no-data", "no-meta", "bad-records"],
)
def test_malformed_payloads(payload, message):
    with pytest.raises(ParseError, match=message):
        parse_fiscal_page(payload)


@pytest.mark.parametrize(
    ("value", "data_type"),
    [("1,75754E+11", "NUMBER"), ("abc", "CURRENCY0"), ("2026-13-01", "DATE")],
    ids=["excel-mangled", "text-as-currency", "bad-date"],
)
def test_value_not_of_declared_type_names_the_field(value, data_type):
    with pytest.raises(ParseError, match=f"`x` has a value that is not a valid {data_type}"):
        parse_fiscal_page(_page([{"x": value}], {"x": data_type}))


# ---------------------------------------------------------------- parse_auctions / parse_operating_cash_balance


def test_auctions_missing_field_is_named():
    frame = parse_fiscal_page(ONE_BILL.read_bytes())[0].drop("bid_to_cover_ratio")
    with pytest.raises(ParseError, match="bid_to_cover_ratio"):
        parse_auctions(frame)


def test_auctions_record_without_key_is_refused():
    frame = parse_fiscal_page(ONE_BILL.read_bytes())[0].with_columns(cusip=pl.lit(None, pl.Utf8))
    with pytest.raises(ParseError, match="no `cusip`"):
        parse_auctions(frame)


def test_auctions_undeclared_date_type_is_a_parse_error():
    frame = parse_fiscal_page(ONE_BILL.read_bytes())[0].with_columns(pl.col("issue_date").cast(pl.Utf8))
    with pytest.raises(ParseError, match="do not fit the schema"):
        parse_auctions(frame)


def test_dts_missing_field_is_named():
    page = _page([{"record_date": "2026-06-23", "account_type": "x"}], {"record_date": "DATE"})
    with pytest.raises(ParseError, match="open_today_bal"):
        parse_operating_cash_balance(parse_fiscal_page(page)[0])


# ---------------------------------------------------------------- tga_closing_balance (synthetic)

OLD, NEW_OPEN, NEW_CLOSE = (
    "Treasury General Account (TGA)",
    "Treasury General Account (TGA) Opening Balance",
    ("Treasury General Account (TGA) Closing Balance"),
)


def _dts(rows: list[tuple]) -> pl.DataFrame:
    """Synthetic DTS rows (record_date, account_type, open_today_bal, close_today_bal, src_line_nbr)."""
    frame = pl.DataFrame(
        rows, schema=["record_date", "account_type", "open_today_bal", "close_today_bal", "src_line_nbr"], orient="row"
    )
    return (
        frame.with_columns(
            open_month_bal=pl.lit(None), open_fiscal_year_bal=pl.lit(None), sub_table_name=pl.lit("synthetic")
        )
        .select(list(DTS_SCHEMA))
        .cast(DTS_SCHEMA)
    )


def test_tga_seam_synthetic():
    d = dt.date
    dts = _dts(
        [
            (d(2022, 4, 14), OLD, 100.0, None, 1),
            (d(2022, 4, 14), "Supplementary Financing Program Account", 0.0, None, 2),
            (d(2022, 4, 15), OLD, 110.0, None, 1),
            (d(2022, 4, 18), NEW_OPEN, 120.0, None, 1),
            (d(2022, 4, 18), "Total TGA Deposits (Table II)", 50.0, None, 2),
            (d(2022, 4, 18), NEW_CLOSE, 170.0, None, 4),
            (d(2022, 4, 19), NEW_OPEN, 170.0, None, 1),
            (d(2022, 4, 19), NEW_CLOSE, 175.0, 180.0, 4),  # a reported close_today_bal wins over open_today_bal
        ]
    )
    expected = pl.DataFrame(
        {
            "date": [d(2022, 4, 14), d(2022, 4, 15), d(2022, 4, 18), d(2022, 4, 19)],
            "tga_mn": [110.0, 120.0, 170.0, 180.0],
        },
        schema=TGA_SCHEMA,
    )
    assert_frame_equal(tga_closing_balance(dts), expected)


def test_tga_old_era_never_invented():
    d = dt.date
    dts = _dts(
        [
            (d(2021, 9, 30), "Federal Reserve Account", 100.0, None, 1),
            (d(2021, 10, 1), OLD, 200.0, 205.0, 1),  # the live API's old-era rows carry close_today_bal
            (d(2021, 10, 4), OLD, 205.0, None, 1),
            (d(2021, 10, 20), OLD, 300.0, None, 1),  # a 16-day hole: 10-04's successor is not its next business day
        ]
    )
    assert tga_closing_balance(dts)["tga_mn"].to_list() == [200.0, 205.0, None, None]


def test_tga_unordered_input_and_empty_frame():
    d = dt.date
    rows = [(d(2022, 4, 19), NEW_OPEN, 2.0, None, 1), (d(2022, 4, 18), OLD, 1.0, None, 1)]
    assert tga_closing_balance(_dts(rows))["tga_mn"].to_list() == [2.0, None]
    assert tga_closing_balance(_dts([])).schema == pl.Schema(TGA_SCHEMA)


# ---------------------------------------------------------------- replay builder helpers (synthetic)


@pytest.mark.parametrize(
    ("cell", "api_text"),
    [
        ("", "null"),
        ("1,75754E+11", "null"),
        ("2026-06-30T00:00:00", "2026-06-30"),
        ("1:00 PM", "01:00 PM"),
        ("11:30 AM", "11:30 AM"),
        ("3.770000", "3.770000"),
        ("R_20260624_1.pdf, R_20260624_2.pdf", "R_20260624_1.pdf, R_20260624_2.pdf"),
    ],
    ids=["empty", "excel-mangled", "midnight-stamp", "unpadded-time", "padded-time", "rate-kept", "file-list"],
)
def test_treasurydirect_cells(cell, api_text):
    assert replay_fiscal.treasurydirect_value(cell) == api_text


def test_treasurydirect_timestamp_with_a_time_is_refused():
    with pytest.raises(ValueError, match="not a plain date"):
        replay_fiscal.treasurydirect_value("2026-06-30T11:30:00")


def test_merge_precedence_and_clash():
    better = [{"cusip": "X", "auction_date": "2026-01-02", "v": "2.840000", "w": "null"}]
    lower = [
        {"cusip": "X", "auction_date": "2026-01-02", "v": "2.84", "w": "kept-out"},
        {"cusip": "Y", "auction_date": "2026-01-01", "v": "1", "w": "null"},
    ]
    merged, counts = replay_fiscal.merge_by_key([("better", better), ("lower", lower)])
    assert merged == [lower[1], better[0]] and counts == {"better": 1, "lower": 1}
    with pytest.raises(ValueError, match="lower disagrees"):
        replay_fiscal.merge_by_key([("better", better), ("lower", [{**lower[0], "v": "2.85"}])])


# ---------------------------------------------------------------- replay snapshot round trip (real data)


@pytest.fixture(scope="module")
def built(tmp_path_factory, recorded) -> tuple[Path, list[dict]]:
    """The Fiscal Data replay files built from the recordings into a temporary directory, and their manifest."""
    out = tmp_path_factory.mktemp("replay")
    return out, replay_fiscal.build(recorded, out)


def _snapshot_page(built, rel: str) -> tuple[pl.DataFrame, dict]:
    return parse_fiscal_page(gzip.decompress((built[0] / rel).read_bytes()))


def _dts_csv_rows(recorded: Path) -> list[dict]:
    with (recorded / replay_fiscal.DTS_CSV).open(newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_manifest_entries(built):
    out, manifest = built
    assert [m["file"] for m in manifest] == [replay_fiscal.AUCTIONS_FILE, replay_fiscal.DTS_FILE]
    for entry in manifest:
        assert set(entry) == {"file", "source", "recorded_from", "rows", "first_date", "last_date", "notes"}
        document = json.loads(gzip.decompress((out / entry["file"]).read_bytes()))
        assert len(document["data"]) == entry["rows"] and set(document) == {"data", "meta"}
        assert set(document["meta"]) == {"labels", "dataTypes", "dataFormats"}
        assert all(isinstance(v, str) for record in document["data"][:50] for v in record.values())
        assert (out / entry["file"]).stat().st_size < 1_500_000


def test_build_is_deterministic(built, recorded, tmp_path):
    again = replay_fiscal.build(recorded, tmp_path)
    assert again == built[1]
    for entry in again:
        first, second = (built[0] / entry["file"]).read_bytes(), (tmp_path / entry["file"]).read_bytes()
        assert first == second and first[4:8] == b"\0\0\0\0"  # gzip mtime 0


def test_snapshot_auctions_cover_every_recorded_auction(built, recorded):
    raw = _raw_page(recorded)
    with (recorded / replay_fiscal.AUCTIONS_TREASURYDIRECT).open(newline="") as fh:
        td = list(csv.DictReader(fh, delimiter=";"))
    with gzip.open(recorded / replay_fiscal.AUCTIONS_WEBSITE, "rt", encoding="utf-8-sig") as fh:
        web = list(csv.DictReader(fh))
    keys = (
        {(r["cusip"], r["auction_date"]) for r in raw["data"]}
        | {(r["Cusip"], r["AuctionDate"][:10]) for r in td}
        | {(r["CUSIP"], r["Auction Date"]) for r in web}
    )
    auctions = parse_auctions(_snapshot_page(built, replay_fiscal.AUCTIONS_FILE)[0])
    assert auctions.height == len(keys) and auctions.select(AUCTIONS_KEY).is_unique().all()
    assert auctions["auction_date"].min() == min(dt.date.fromisoformat(k[1]) for k in keys)


def test_snapshot_keeps_raw_records_exactly(built, recorded):
    raw = _raw_page(recorded)
    document = json.loads(gzip.decompress((built[0] / replay_fiscal.AUCTIONS_FILE).read_bytes()))
    by_key = {(r["cusip"], r["auction_date"]): r for r in document["data"]}
    assert all(by_key[(r["cusip"], r["auction_date"])] == r for r in raw["data"])
    assert document["meta"] == {k: raw["meta"][k] for k in ("labels", "dataTypes", "dataFormats")}


def test_snapshot_treasurydirect_and_website_values(built, recorded):
    with (recorded / replay_fiscal.AUCTIONS_TREASURYDIRECT).open(newline="") as fh:
        td = next(csv.DictReader(fh, delimiter=";"))  # first row: 17-week bill auctioned 2026-06-24
    auctions = parse_auctions(_snapshot_page(built, replay_fiscal.AUCTIONS_FILE)[0])
    row = auctions.filter(pl.col("cusip") == td["Cusip"], pl.col("auction_date") == dt.date(2026, 6, 24)).row(
        0, named=True
    )
    assert row["offering_amt"] == float(td["OfferingAmount"])
    assert row["bid_to_cover_ratio"] == float(td["BidToCoverRatio"])
    assert "E+" in td["TotalTendered"] and row["total_tendered"] is None  # Excel-mangled -> null, not a guess
    oldest = auctions.sort("auction_date").row(0, named=True)
    assert (oldest["cusip"], oldest["security_term"], oldest["bid_to_cover_ratio"]) == ("912827KC5", "10-Year", None)


def test_snapshot_dts_round_trip(built, recorded):
    rows = _dts_csv_rows(recorded)
    dts = parse_operating_cash_balance(_snapshot_page(built, replay_fiscal.DTS_FILE)[0])
    assert dts.schema == pl.Schema(DTS_SCHEMA) and dts.height == len(rows)
    assert dts.select(DTS_KEY).is_unique().all() and dts["close_today_bal"].null_count() == dts.height
    assert dts["record_date"].is_sorted()
    close = dts.filter(pl.col("record_date") == dt.date(2026, 6, 23), pl.col("account_type") == NEW_CLOSE)
    assert close["open_today_bal"].to_list() == [925876.0]


@pytest.fixture(scope="module")
def snapshot_dts(replay_dir) -> pl.DataFrame:
    """The full recorded DTS history of the committed snapshot (replay/), parsed."""
    payload = gzip.decompress((replay_dir / replay_fiscal.DTS_FILE).read_bytes())
    return parse_operating_cash_balance(parse_fiscal_page(payload)[0])


def test_tga_seam_on_recorded_dts(snapshot_dts):
    tga = tga_closing_balance(snapshot_dts)
    opening = {
        r["record_date"]: r["open_today_bal"]
        for r in snapshot_dts.iter_rows(named=True)
        if r["account_type"] in (OLD, NEW_OPEN, "Federal Reserve Account")
    }
    by_date = dict(tga.iter_rows())
    # Old era: closing of D = opening of the next record date (2022-04-15's comes from the first new-era row).
    assert by_date[dt.date(2022, 4, 14)] == opening[dt.date(2022, 4, 15)]
    assert by_date[dt.date(2022, 4, 15)] == opening[dt.date(2022, 4, 18)]
    assert by_date[dt.date(2022, 4, 18)] == 841253.0  # the reported Closing Balance row of 2022-04-18
    assert by_date[dt.date(2026, 6, 23)] == 925876.0
    assert tga["tga_mn"].null_count() == 0 and tga.height == len(opening)


def test_tga_rule_reproduces_reported_closings(snapshot_dts):
    """On the new-era days the derived rule (next opening) equals the reported closing balance, every day."""
    reported = tga_closing_balance(snapshot_dts)
    derived = tga_closing_balance(snapshot_dts.filter(pl.col("account_type") != NEW_CLOSE))
    new_era = pl.col("date") >= dt.date(2022, 4, 18)
    compared = reported.filter(new_era).join(derived.filter(new_era), on="date", suffix="_derived")
    mismatched = compared.filter(pl.col("tga_mn") != pl.col("tga_mn_derived"))
    assert compared.height > 1000 and mismatched.height == 0
    assert compared["tga_mn_derived"].null_count() == 1  # only the last recorded day has no successor


def test_tga_matches_fred_wdtgal_on_wednesdays(snapshot_dts, replay_dir):
    """FRED WDTGAL is the Wednesday TGA level: it must equal our closing balance on every shared Wednesday."""
    wdtgal = pl.read_csv(
        replay_dir / "fred/fredgraph/WDTGAL.csv", try_parse_dates=True, schema_overrides={"WDTGAL": pl.Float64}
    )
    tga = tga_closing_balance(snapshot_dts)
    both = tga.join(wdtgal.rename({"observation_date": "date"}), on="date")
    assert both.height > 250
    assert both.filter(pl.col("tga_mn") != pl.col("WDTGAL")).height == 0


def test_replay_adapter_serves_the_snapshot_to_the_fetchers(built):
    """The lead's replay adapter + fetchers read these files like the live API (pagination, filter, as-of)."""
    session = make_session(SOURCES["auctions"].http, "qtwatch-test", adapter=ReplayAdapter(built[0]))
    january = fiscal_source.fetch_auctions(
        session, fetch_request("auctions", Window(dt.date(2026, 1, 1), dt.date(2026, 1, 31)))
    ).frame
    assert january.filter(pl.col("security_type") == "Bill").height == 25
    dts = fiscal_source.fetch_dts(
        session, fetch_request("dts", Window(dt.date(2022, 4, 11), dt.date(2022, 4, 22)))
    ).frame
    tga = tga_closing_balance(dts)
    assert tga.filter(pl.col("date") == dt.date(2022, 4, 15))["tga_mn"].to_list() == [578473.0]
