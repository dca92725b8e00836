"""CFTC TFF: the parser on recorded rows and broken payloads, the fetcher's years and windows, the replay's as-of."""

import io
import logging
import zipfile
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import responses

from flows.http import SourceError, make_session
from flows.replay import ReplayAdapter, ReplayCall
from flows.sources import FetchRequest, Window
from flows.sources import cftc as source
from transforms import cftc
from transforms.errors import ParseError
from transforms.registry import SOURCES, HttpPolicy

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "cftc"
RENAME_WEEKS = FIXTURES / "FinFutYY_2022_rename_weeks.txt"
APRIL_ZIP = FIXTURES / "fut_fin_txt_2025_april_weeks.zip"
REPLAY = ROOT / "replay"
BASE = "https://www.cftc.gov/files/dea/history/"
FAST = HttpPolicy("test", BASE, "cftc_url", min_interval_s=0.0, retries=0, backoff_factor=0.0, timeout_s=5.0)


def zipped(text: bytes, member: str = "FinFutYY.txt") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, text)
    return buffer.getvalue()


def request(window: Window, as_of: date | None = None) -> FetchRequest:
    return FetchRequest(SOURCES["cftc"], {"*": window}, BASE, as_of or window.end)


# ------------------------------------------------------------------------------------------------ parser
def test_treasury_rows_keep_every_column_and_join_on_the_code_across_the_rename():
    frame = cftc.parse_tff_text(RENAME_WEEKS.read_bytes())
    assert frame.schema == pl.Schema(cftc.SCHEMA) and len(cftc.SCHEMA) == 87
    assert frame.height == 24  # 6 contracts x 4 weeks; the Canadian dollar rows are dropped
    names = frame.group_by("cftc_contract_market_code").agg(pl.col("market_and_exchange_names").unique().sort())
    ten_year = names.filter(pl.col("cftc_contract_market_code") == "043602")["market_and_exchange_names"][0]
    assert ten_year.to_list() == [
        "10-YEAR U.S. TREASURY NOTES - CHICAGO BOARD OF TRADE",
        "UST 10Y NOTE - CHICAGO BOARD OF TRADE",
    ]
    assert frame.group_by("cftc_contract_market_code").len()["len"].to_list() == [4] * 6


def test_recorded_row_values():
    frame = cftc.parse_tff_zip(APRIL_ZIP.read_bytes())
    row = frame.filter(
        (pl.col("cftc_contract_market_code") == "043602") & (pl.col("report_date") == date(2025, 4, 8))
    ).row(0, named=True)
    # The recorded line: "UST 10Y NOTE - CHICAGO BOARD OF TRADE",250408,2025-04-08,043602,CBT ,00,043 , ...
    assert (row["as_of_date_yymmdd"], row["cftc_market_code"], row["cftc_commodity_code"]) == ("250408", "CBT", "043")
    assert row["contract_units"] == "(CONTRACTS OF $100,000 FACE VALUE)"
    assert row["futonly_or_combined"] == "FutOnly"
    oi = row["open_interest_all"]
    longs = (
        sum(
            row[f"{g}_positions_{s}_all"]
            for g in ("dealer", "asset_mgr", "lev_money", "other_rept")
            for s in ("long", "spread")
        )
        + row["nonrept_positions_long_all"]
    )
    assert longs == oi


def test_suppressed_trader_counts_are_null_not_zero():
    frame = cftc.parse_tff_text(RENAME_WEEKS.read_bytes())
    raw_dots = sum(
        line.count(b",.,") + line.count(b",.\n")
        for line in RENAME_WEEKS.read_bytes().splitlines(keepends=True)[1:]
        if line.split(b",")[3] in {c.encode() for c in cftc.TREASURY_CONTRACTS}
    )
    traders = [c for c in cftc.SCHEMA if c.startswith("traders_")]
    assert raw_dots > 0
    assert frame.select(pl.sum_horizontal(pl.col(traders).null_count())).item() >= raw_dots


def test_lf_and_crlf_files_parse_the_same():
    crlf = RENAME_WEEKS.read_bytes().replace(b"\n", b"\r\n")
    assert cftc.parse_tff_text(crlf).equals(cftc.parse_tff_text(RENAME_WEEKS.read_bytes()))


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "empty"),
        (b"<!DOCTYPE html><html><body>Page not found</body></html>", "HTML"),
        (b"PK\x03\x04 this is not really a zip", "corrupt"),
        (zipped(b"a,b\n1,2\n", "one.txt") + b"", "lacks the column"),
    ],
    ids=["empty", "html", "bad-zip", "missing-columns"],
)
def test_bad_payloads_raise_one_clear_parse_error(payload, message):
    with pytest.raises(ParseError, match=message):
        cftc.parse_tff_zip(payload)


def test_zip_with_two_members_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "x")
        archive.writestr("b.txt", "y")
    with pytest.raises(ParseError, match="one .txt file"):
        cftc.parse_tff_zip(buffer.getvalue())


def test_missing_column_is_named():
    lines = RENAME_WEEKS.read_text().splitlines()
    cut = [",".join(f for i, f in enumerate(line.split(",")) if i != 15) for line in lines]  # Lev_Money short
    with pytest.raises(ParseError, match="Lev_Money_Positions_Short_All"):
        cftc.parse_tff_text("\n".join(cut).encode())


def test_extra_columns_are_dropped_and_logged_once(caplog):
    lines = RENAME_WEEKS.read_text().splitlines()
    extra = [lines[0] + ',"New_Column_2027"'] + [line + ",42" for line in lines[1:]]
    payload = "\n".join(extra).encode()
    with caplog.at_level(logging.WARNING, logger="transforms.cftc"):
        first = cftc.parse_tff_text(payload)
        cftc.parse_tff_text(payload)
    assert first.columns == list(cftc.SCHEMA)
    assert [r.getMessage() for r in caplog.records].count(caplog.records[0].getMessage()) == 1
    assert "New_Column_2027" in caplog.records[0].getMessage()


def test_unparseable_number_is_a_parse_error():
    lines = RENAME_WEEKS.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if line.split(",")[3] == "043602")
    fields = lines[at].split(",")
    fields[7] = " 12x4"  # Open_Interest_All
    lines[at] = ",".join(fields)
    with pytest.raises(ParseError, match="unparseable"):
        cftc.parse_tff_text("\n".join(lines).encode())


@pytest.mark.parametrize(
    ("report", "published"),
    [
        (date(2025, 4, 29), date(2025, 5, 2)),
        (date(2018, 12, 31), date(2019, 1, 4)),
        (date(2023, 7, 3), date(2023, 7, 7)),
    ],
    ids=["tuesday", "holiday-monday-new-year", "holiday-monday-july-4"],
)
def test_publication_friday(report, published):
    assert cftc.published_on(report) == published
    frame = pl.DataFrame({"d": [report]})
    assert frame.select(cftc.release_date(pl.col("d"))).item() == published


# ------------------------------------------------------------------------------------------------ fetcher
@pytest.mark.parametrize(
    ("window", "years"),
    [
        (Window(date(2026, 7, 20), date(2026, 8, 4)), [2026]),
        (Window(date(2026, 12, 20), date(2027, 1, 5)), [2026, 2027]),
        (Window(date(2027, 1, 2), date(2027, 1, 9)), [2026, 2027]),
        (Window(None, date(2019, 3, 1)), [2017, 2018, 2019]),
    ],
    ids=["incremental", "window-spans-new-year", "early-january", "full-history"],
)
def test_years_to_fetch(window, years):
    assert source.years_to_fetch(window, date(2017, 1, 1)) == years


@responses.activate
def test_fetch_reads_the_years_of_the_window_and_keeps_its_dates():
    responses.get(BASE + "fut_fin_txt_2025.zip", body=APRIL_ZIP.read_bytes())
    session = make_session(FAST, "qtwatch-tests")
    batch = source.fetch_cftc(session, request(Window(date(2025, 4, 5), date(2025, 4, 12))))
    assert batch.dataset == "cftc_tff" and batch.urls == [BASE + "fut_fin_txt_2025.zip"]
    assert set(batch.frame["report_date"]) == {date(2025, 4, 8)}
    assert batch.frame.height == 6
    assert set(batch.frame["source_url"]) == {BASE + "fut_fin_txt_2025.zip"}


@responses.activate
def test_current_year_file_not_there_yet_in_early_january_is_not_an_error():
    responses.get(BASE + "fut_fin_txt_2025.zip", body=APRIL_ZIP.read_bytes())
    responses.get(BASE + "fut_fin_txt_2026.zip", status=404, body="<html>404 - File or directory not found.</html>")
    session = make_session(FAST, "qtwatch-tests")
    batch = source.fetch_cftc(session, request(Window(date(2025, 4, 1), date(2026, 1, 3))))
    assert batch.urls == [BASE + "fut_fin_txt_2025.zip"] and batch.frame.height == 18


@responses.activate
def test_missing_file_later_in_the_year_fails_with_one_line():
    responses.get(BASE + "fut_fin_txt_2025.zip", status=404, body="<html>404 - File or directory not found.</html>")
    session = make_session(FAST, "qtwatch-tests")
    with pytest.raises(SourceError, match=r"^cftc: HTTP 404.*fut_fin_txt_2025.zip\]$"):
        source.fetch_cftc(session, request(Window(date(2025, 4, 1), date(2025, 6, 1))))


@responses.activate
def test_html_instead_of_a_zip_fails_with_one_line():
    responses.get(BASE + "fut_fin_txt_2025.zip", body=b"<html><body>Maintenance</body></html>")
    session = make_session(FAST, "qtwatch-tests")
    with pytest.raises(SourceError, match="HTML"):
        source.fetch_cftc(session, request(Window(date(2025, 4, 1), date(2025, 6, 1))))


@responses.activate
def test_base_url_setting_is_used():
    responses.get("http://mirror.test/cot/fut_fin_txt_2025.zip", body=APRIL_ZIP.read_bytes())
    session = make_session(FAST, "qtwatch-tests")
    req = FetchRequest(
        SOURCES["cftc"],
        {"*": Window(date(2025, 4, 1), date(2025, 4, 30))},
        "http://mirror.test/cot/",
        date(2025, 4, 30),
    )
    assert source.fetch_cftc(session, req).frame.height == 18


# ------------------------------------------------------------------------------------------------ replay
def _served(name: str, as_of: date | None) -> tuple[int, pl.DataFrame | None]:
    status, body, _ = source.replay(ReplayCall(REPLAY, "cftc_url", name, {}, as_of))
    return status, (cftc.parse_tff_zip(body) if status == 200 else None)


def test_replay_serves_the_recorded_year_whole_without_as_of():
    status, frame = _served("fut_fin_txt_2024.zip", None)
    assert status == 200 and frame.height == 144
    assert frame["report_date"].max() == date(2024, 6, 11)  # the recording's end: the gap is not filled


@pytest.mark.parametrize(
    ("as_of", "last"),
    [
        (date(2025, 4, 24), date(2025, 4, 15)),
        (date(2025, 4, 25), date(2025, 4, 22)),
        (date(2025, 6, 30), date(2025, 4, 29)),
    ],
    ids=["thursday-before-release", "release-friday", "after-the-recording"],
)
def test_replay_shows_a_report_only_from_its_friday(as_of, last):
    status, frame = _served("fut_fin_txt_2025.zip", as_of)
    assert status == 200 and frame["report_date"].max() == last


def test_replay_404_for_a_year_not_published_yet_or_not_recorded():
    assert _served("fut_fin_txt_2026.zip", date(2026, 1, 8))[0] == 404  # the first 2026 report came out 01-09
    assert _served("fut_fin_txt_2016.zip", None)[0] == 404
    assert _served("other.zip", None)[0] == 404


def test_full_history_through_the_replay_adapter_is_every_recorded_row():
    adapter = ReplayAdapter(REPLAY, date(2026, 8, 10))
    session = make_session(FAST, "qtwatch-tests", adapter=adapter)
    batch = source.fetch_cftc(session, request(Window(None, date(2026, 8, 10))))
    assert adapter.requests == [BASE + f"fut_fin_txt_{y}.zip" for y in range(2017, 2027)]
    assert batch.frame.height == 2526  # every Treasury row of the ten recorded years (replay/manifest.json)
    assert batch.frame.select(cftc.KEY).is_unique().all()
