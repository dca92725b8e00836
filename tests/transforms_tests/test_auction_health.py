"""build_auction_health / build_bill_share_monthly on tiny synthetic auctions_query rows."""

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from transforms.auction_health import (
    BILL_SHARE_SCHEMA,
    SCHEMA,
    add_btc_vs_previous,
    build_auction_health,
    build_bill_share_monthly,
    classify_security,
)

d = dt.date
COLUMNS = {
    "cusip": pl.Utf8,
    "auction_date": pl.Date,
    "issue_date": pl.Date,
    "security_type": pl.Utf8,
    "security_term": pl.Utf8,
    "original_security_term": pl.Utf8,
    "reopening": pl.Utf8,
    "cash_management_bill_cmb": pl.Utf8,
    "offering_amt": pl.Float64,
    "total_accepted": pl.Float64,
    "bid_to_cover_ratio": pl.Float64,
    "high_yield": pl.Float64,
    "high_discnt_rate": pl.Float64,
    "primary_dealer_accepted": pl.Float64,
    "direct_bidder_accepted": pl.Float64,
    "indirect_bidder_accepted": pl.Float64,
    "soma_accepted": pl.Float64,
}
# Synthetic rows in USD: a 13-week bill (reopening of a 26-week bill), a new 10-year note, a CMB and an announced
# 10-year reopening without results yet.
AUCTIONS = pl.DataFrame(
    [
        (
            "BILL0001",
            d(2026, 1, 5),
            d(2026, 1, 8),
            "Bill",
            "13-Week",
            "26-Week",
            "Yes",
            "No",
            80e9,
            84e9,
            2.8,
            None,
            3.5,
            20e9,
            10e9,
            50e9,
            4e9,
        ),
        (
            "NOTE0001",
            d(2026, 1, 12),
            d(2026, 1, 15),
            "Note",
            "10-Year",
            "10-Year",
            "No",
            "No",
            40e9,
            40e9,
            2.5,
            4.2,
            None,
            5e9,
            7e9,
            28e9,
            0.0,
        ),
        (
            "CMB00001",
            d(2026, 1, 27),
            d(2026, 2, 3),
            "Bill",
            "42-Day",
            "42-Day",
            "No",
            "Yes",
            30e9,
            30e9,
            3.0,
            None,
            3.6,
            15e9,
            0.0,
            15e9,
            None,
        ),
        (
            "NOTE0001",
            d(2026, 2, 10),
            d(2026, 2, 17),
            "Note",
            "9-Year 11-Month",
            "10-Year",
            "Yes",
            "No",
            39e9,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            None,
        ),
    ],
    schema=COLUMNS,
    orient="row",
)


def test_auction_health_one_row_per_completed_auction() -> None:
    out = build_auction_health(AUCTIONS)
    expected = pl.DataFrame(
        {
            "auction_date": [d(2026, 1, 5), d(2026, 1, 12), d(2026, 1, 27)],
            "cusip": ["BILL0001", "NOTE0001", "CMB00001"],
            "security_type": ["Bill", "Note", "Bill"],
            "security_term": ["13-Week", "10-Year", "42-Day"],
            "security_kind": ["Bill", "Note", "CMB"],
            "security_class": ["bill", "nominal", "CMB"],
            "tenor": ["13-Week", "10-Year", "42-Day"],  # the bill compares with 13-week auctions, not 26-week
            "is_cmb": [False, False, True],
            "is_reopening": [True, False, False],
            "offering_bn": [80.0, 40.0, 30.0],
            "total_accepted_bn": [84.0, 40.0, 30.0],
            "bid_to_cover": [2.8, 2.5, 3.0],
            "high_yield_pct": [3.5, 4.2, 3.6],
            "rate_basis": ["high_discount_rate", "high_yield", "high_discount_rate"],
            "primary_dealer_share": [0.25, 0.125, 0.5],
            "direct_share": [0.125, 0.175, 0.0],
            "indirect_share": [0.625, 0.7, 0.5],
            "soma_addon_bn": [4.0, 0.0, None],
            "btc_vs_prev6": [None, None, None],  # fewer than 6 earlier auctions of the same kind
            "baseline_auctions": [0, 0, 0],
            "baseline_coverage": ["incomplete: 0 of the 6 previous auctions have results"] * 3,
        },
        schema=SCHEMA,
    )
    assert_frame_equal(out, expected)


def test_btc_vs_prev6_compares_with_six_previous_of_same_kind_only() -> None:
    dates = [d(2025, 11, 4) + dt.timedelta(weeks=i) for i in range(7)]
    frame = pl.DataFrame(
        {
            "auction_date": dates + [d(2025, 12, 9)],
            "cusip": [f"B{i}" for i in range(8)],
            "security_class": ["bill"] * 8,
            "tenor": ["4-Week"] * 7 + ["8-Week"],  # the 8-week auction must not enter the 4-week baseline
            "bid_to_cover": [2.5, 2.6, 2.7, 2.8, 2.9, 3.0, 3.3, 9.9],
        }
    )
    out = add_btc_vs_previous(frame).sort("cusip")["btc_vs_prev6"].to_list()
    assert out[:6] == [None] * 6
    assert out[6] == pytest.approx(3.3 - 2.75)
    assert out[7] is None


def test_btc_vs_prev6_is_null_when_a_previous_auction_lacks_results_or_a_week_is_missing() -> None:
    """SYNTHETIC weekly 4-week bills: the baseline never reaches past an announced auction without results, nor over
    a week the data does not hold (the regular calendar says a 4-week bill is auctioned every week)."""
    dates = [d(2025, 11, 4) + dt.timedelta(weeks=i) for i in range(8)]
    btc = [2.5, 2.6, None, 2.8, 2.9, 3.0, 3.3, 3.1]  # the 3rd was announced, its results are not loaded
    frame = pl.DataFrame(
        {
            "auction_date": dates,
            "cusip": [f"B{i}" for i in range(8)],
            "security_class": "bill",
            "tenor": "4-Week",
            "bid_to_cover": btc,
        }
    )
    out = add_btc_vs_previous(frame).sort("cusip")
    assert out["btc_vs_prev6"][6] is None and out["baseline_auctions"][6] == 5
    assert out["baseline_coverage"][6] == "incomplete: 5 of the 6 previous auctions have results"
    assert out["btc_vs_prev6"][7] is None  # the 6 before the 8th still include the 3rd
    skipped = frame.filter(pl.col("cusip") != "B2").with_columns(pl.col("bid_to_cover").fill_null(2.7))
    late = add_btc_vs_previous(skipped).sort("cusip").row(-1, named=True)
    assert late["btc_vs_prev6"] is None and late["baseline_auctions"] == 6
    assert late["baseline_coverage"] == (
        "incomplete: the 6 previous auctions span 49 days; auctions missing from the data"
    )


def test_bill_share_monthly_by_issue_month_excludes_unauctioned() -> None:
    # The same synthetic rows ten years earlier, before the bill calendar is applied (auction_coverage.CALENDAR_FROM):
    # a month is complete when every auction the data announces for it has results.
    early = AUCTIONS.with_columns(pl.col("auction_date", "issue_date").dt.offset_by("-10y"))
    out = build_bill_share_monthly(early)
    expected = pl.DataFrame(
        {
            "month": [d(2016, 1, 1), d(2016, 2, 1)],
            # February also settles the announced 10-year reopening, still without results: its sums are NULL
            "gross_issuance_bn": [124.0, None],
            "bills_bn": [84.0, None],  # the CMB auctioned in January settles in February
            "bill_share": [84 / 124, None],
            "soma_addon_bn": [4.0, None],
            "auctions": [2, 1],
            "bill_auctions": [1, 1],
            "auctions_expected": [2, 2],
            "bill_auctions_expected": [1, 1],
            "coverage": [
                "complete: 2 of 2 auctions have results (bills 1 of 1)",
                "incomplete: 1 of 2 auctions have results (bills 1 of 1)",
            ],
        },
        schema=BILL_SHARE_SCHEMA,
    )
    assert_frame_equal(out, expected)


def test_bill_share_is_null_when_the_bill_calendar_says_auctions_are_missing() -> None:
    """SYNTHETIC: January 2026 holds one 13-week bill result; Treasury's calendar settles 28 regular bills that month
    (4 Tuesdays x 4-, 8-, 17-week, 5 Thursdays x 6-, 13-, 26-week, one 52-week on Jan 22)."""
    out = build_bill_share_monthly(AUCTIONS).row(0, named=True)
    assert (out["month"], out["bill_auctions"], out["bill_auctions_expected"]) == (d(2026, 1, 1), 1, 28)
    assert out["gross_issuance_bn"] is None and out["bill_share"] is None
    assert out["coverage"] == "incomplete: 2 of 29 auctions have results (bills 1 of 28)"


def test_bill_share_is_missing_not_zero_when_no_bill_result_is_loaded() -> None:
    coupons_only = AUCTIONS.filter(~pl.col("security_type").is_in(["Bill", "CMB"]))
    out = build_bill_share_monthly(coupons_only)
    assert out.height >= 1
    assert out["bill_auctions"].to_list() == [0] * out.height
    assert out["bills_bn"].null_count() == out.height and out["bill_share"].null_count() == out.height


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, ["Note", "FRN", "Note"]),  # without the optional fields a TIPS cannot be told from a nominal note
        (
            {"floating_rate": ["No", "Yes", "No"], "inflation_index_security": [None, None, "Yes"]},
            ["Note", "FRN", "TIPS"],
        ),
        ({"ref_cpi_on_dated_date": [None, None, 321.1]}, ["Note", "FRN", "TIPS"]),
    ],
    ids=["schema-fields-only", "api-flags", "reference-cpi"],
)
def test_classify_security_separates_tips_and_frn_from_nominal_notes(extra: dict, expected: list[str]) -> None:
    coupons = pl.DataFrame(
        {
            "cusip": ["NOTE0001", "FRN00001", "TIPS0001"],
            "security_type": ["Note", "Note", "Note"],
            "cash_management_bill_cmb": ["No", "No", "No"],
            "high_yield": [4.1, None, 1.8],  # the FRN is priced on a discount margin, no high yield
            **extra,
        }
    )
    assert classify_security(coupons)["security_kind"].to_list() == expected


def test_tips_and_frn_get_their_class_from_the_fields_or_their_cusip() -> None:
    """Synthetic 10-year coupons: a TIPS (flag), its reopening without flags (same CUSIP), an FRN, a nominal note."""
    rows = pl.DataFrame(
        {
            "cusip": ["TIPS0001", "TIPS0001", "FRN00001", "NOTE0002"],
            "security_type": ["Note"] * 4,
            "inflation_index_security": ["Yes", None, "No", "No"],
            "ref_cpi_on_dated_date": [321.1, None, None, None],
            "floating_rate": ["No", None, "Yes", "No"],
            "high_yield": [1.73, 1.84, None, 4.2],
            "total_accepted": [19e9, 17e9, 28e9, 42e9],
            "cash_management_bill_cmb": ["No"] * 4,
        }
    )
    assert classify_security(rows)["security_class"].to_list() == ["TIPS", "TIPS", "FRN", "nominal"]


def test_tips_never_enter_the_nominal_baseline() -> None:
    """Six synthetic nominal 10-year notes then a TIPS reopening: the TIPS has no baseline of its own yet."""
    dates = [d(2025, 1, 8) + dt.timedelta(weeks=4 * i) for i in range(7)]
    frame = pl.DataFrame(
        {
            "auction_date": dates,
            "cusip": [f"N{i}" for i in range(6)] + ["T0"],
            "security_class": ["nominal"] * 6 + ["TIPS"],
            "tenor": ["10-Year"] * 7,
            "bid_to_cover": [2.5] * 6 + [2.3],
        }
    )
    assert add_btc_vs_previous(frame).sort("cusip")["btc_vs_prev6"].to_list()[-1] is None


def test_weakest_2025_auctions_hold_no_tips_among_nominal_notes() -> None:
    """Issue 11 item 6 on the bundled replay's real auctions: 3 of the old "10 weakest of 2025" were TIPS."""
    import gzip
    import json
    from pathlib import Path

    from transforms.fiscal import AUCTIONS_SCHEMA

    path = Path(__file__).resolve().parents[2] / "replay" / "fiscaldata" / "auctions_query.json.gz"
    records = json.loads(gzip.decompress(path.read_bytes()))["data"]
    frame = pl.DataFrame(
        [{k: (None if r.get(k) in (None, "null") else r[k]) for k in AUCTIONS_SCHEMA} for r in records],
        schema={k: pl.Utf8 for k in AUCTIONS_SCHEMA},
        orient="row",
    )
    frame = frame.with_columns(
        pl.col(c).str.to_date() if t == pl.Date else pl.col(c).cast(t) for c, t in AUCTIONS_SCHEMA.items()
    )
    mart = build_auction_health(frame).filter(pl.col("auction_date").dt.year() == 2025)
    weakest = mart.drop_nulls("btc_vs_prev6").sort("btc_vs_prev6").head(10)
    tips = mart.filter(pl.col("security_class") == "TIPS")
    assert tips.height >= 8  # the 2025 TIPS auctions the recording identifies (ref CPI)
    nominal_notes = weakest.filter(pl.col("security_class") == "nominal")
    assert not set(nominal_notes["cusip"]) & set(tips["cusip"])
    # TIPS are compared with TIPS of the same tenor only
    for row in weakest.filter(pl.col("security_class") == "TIPS").iter_rows(named=True):
        peers = mart.filter((pl.col("security_class") == "TIPS") & (pl.col("tenor") == row["tenor"]))
        assert peers.height > 1
