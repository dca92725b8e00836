"""marts.funding_calendar on tiny literal frames (synthetic, labelled) and on the real holiday calendars."""

from datetime import date

import pandas as pd
import polars as pl
import pytest

from transforms import funding_calendar as fc
from transforms.calendar import fed_holidays, legal_holidays

NO_FUNDING = pl.DataFrame(
    schema={
        "date": pl.Date,
        "sofr_iorb_bp": pl.Float64,
        "sofr_p99_iorb_bp": pl.Float64,
        "srf_takeup_bn": pl.Float64,
        "on_rrp_bn": pl.Float64,
    }
)
NO_AUCTIONS = pl.DataFrame(
    schema={
        "cusip": pl.Utf8,
        "auction_date": pl.Date,
        "issue_date": pl.Date,
        "maturity_date": pl.Date,
        "security_type": pl.Utf8,
        "reopening": pl.Utf8,
        "total_accepted": pl.Float64,
    }
)


def tga(first: date, last: date) -> pl.DataFrame:
    """SYNTHETIC TGA days spanning the calendar wanted (the calendar runs over the inputs' dates)."""
    return pl.DataFrame({"date": [first, last], "tga_bn": [800.0, 810.0], "tga_change_bn": [None, 10.0]})


def calendar(first: date, last: date, auctions: pl.DataFrame = NO_AUCTIONS, funding=NO_FUNDING) -> pl.DataFrame:
    return fc.build_funding_calendar(funding, auctions, tga(first, last), fed_holidays(), legal_holidays())


def flagged(frame: pl.DataFrame, column: str) -> list[date]:
    return frame.filter(pl.col(column))["date"].to_list()


def test_business_days_skip_weekends_and_fed_holidays():
    days = calendar(date(2025, 10, 9), date(2025, 10, 14))["date"].to_list()
    assert days == [date(2025, 10, 9), date(2025, 10, 10), date(2025, 10, 14)]  # Columbus Day: Fedwire closed


def test_period_ends_are_the_last_business_days_by_the_calendar():
    year = calendar(date(2025, 1, 2), date(2025, 12, 31))
    assert len(flagged(year, "is_month_end")) == 12
    assert date(2025, 5, 30) in flagged(year, "is_month_end")  # May 31 is a Saturday
    assert flagged(year, "is_quarter_end") == [
        date(2025, 3, 31),
        date(2025, 6, 30),
        date(2025, 9, 30),
        date(2025, 12, 31),
    ]
    assert flagged(year, "is_year_end") == [date(2025, 12, 31)]


def test_a_span_ending_mid_month_does_not_make_its_last_day_a_month_end():
    assert flagged(calendar(date(2025, 6, 2), date(2025, 6, 18)), "is_month_end") == []


def test_mid_month_settlement_moves_past_a_weekend():
    days = calendar(date(2025, 6, 2), date(2025, 11, 28))
    # June 15 2025 is a Sunday, November 15 a Saturday.
    assert flagged(days, "is_mid_month_settlement") == [
        date(2025, 6, 16),
        date(2025, 7, 15),
        date(2025, 8, 15),
        date(2025, 9, 15),
        date(2025, 10, 15),
        date(2025, 11, 17),
    ]


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2025, [date(2025, 1, 15), date(2025, 4, 15), date(2025, 6, 16), date(2025, 9, 15), date(2025, 12, 15)]),
        (2017, [date(2017, 1, 17), date(2017, 4, 18), date(2017, 6, 15), date(2017, 9, 15), date(2017, 12, 15)]),
        (2022, [date(2022, 1, 18), date(2022, 4, 18), date(2022, 6, 15), date(2022, 9, 15), date(2022, 12, 15)]),
    ],
    ids=["2025", "2017-emancipation-day", "2022-emancipation-day-observed"],
)
def test_tax_dates_follow_the_irs_calendar(year, expected):
    # 2017: Jan 15 Sunday, Jan 16 MLK day; April 15 Saturday, April 17 DC Emancipation Day observed -> April 18
    # (IRS: returns due April 18, 2017). 2022: January 17 MLK day; April 15 is Emancipation Day observed -> April 18.
    days = calendar(date(year, 1, 3), date(year, 12, 30))
    assert flagged(days, "is_tax_date") == expected


AUCTIONS = pl.DataFrame(  # SYNTHETIC auctions: a reopened note, a bill, a bill without amounts yet
    {
        "cusip": ["N1", "N1", "B1", "B2", "B3"],
        "auction_date": [date(2025, 1, 8), date(2025, 2, 10), date(2025, 2, 11), date(2025, 2, 12), date(2025, 2, 20)],
        "issue_date": [date(2025, 1, 15), date(2025, 2, 18), date(2025, 2, 18), date(2025, 2, 20), date(2025, 2, 25)],
        "maturity_date": [date(2035, 2, 15), date(2035, 2, 15), date(2025, 2, 20), date(2025, 5, 22), date(2025, 3, 4)],
        "security_type": ["Note", "Note", "Bill", "Bill", "Bill"],
        "reopening": ["No", "Yes", "No", "No", "No"],
        "total_accepted": [40e9, 20e9, 60e9, 65e9, None],
    }
)


def test_settlement_flags_and_gross_net_amounts():
    days = calendar(date(2025, 1, 13), date(2025, 2, 28), AUCTIONS).to_pandas().set_index("date")
    day = days.loc[pd_day(2025, 2, 18)]
    assert bool(day.is_treasury_settlement) and day.settlement_gross_bn == pytest.approx(80.0)
    assert day.settlement_net_bn == pytest.approx(80.0)  # nothing matures that day
    bill_day = days.loc[pd_day(2025, 2, 20)]  # B2 settles 65, B1 (60) matures: bills only, no coupon
    assert not bool(bill_day.is_treasury_settlement)
    assert bill_day.settlement_gross_bn == pytest.approx(65.0) and bill_day.settlement_net_bn == pytest.approx(5.0)
    assert days.loc[pd_day(2025, 2, 19)].settlement_gross_bn == 0.0  # covered, nothing settles
    assert pd.isna(days.loc[pd_day(2025, 2, 25)].settlement_gross_bn)  # B3 has no amount yet
    assert pd.isna(days.loc[pd_day(2025, 1, 13)].settlement_gross_bn)  # before any auction with amounts


def test_unknown_maturing_amount_leaves_net_null():
    reopened_only = AUCTIONS.filter(pl.col("cusip") != "B1").vstack(
        pl.DataFrame(
            {
                "cusip": ["B1"],
                "auction_date": [date(2025, 2, 11)],
                "issue_date": [date(2025, 2, 18)],
                "maturity_date": [date(2025, 2, 20)],
                "security_type": ["Bill"],
                "reopening": ["Yes"],
                "total_accepted": [60e9],
            }
        )
    )  # B1's original auction is not in the data
    days = calendar(date(2025, 1, 13), date(2025, 2, 28), reopened_only)
    assert days.filter(pl.col("date") == date(2025, 2, 20))["settlement_net_bn"].to_list() == [None]


def test_gauges_are_that_days_values():
    funding = pl.DataFrame(
        {
            "date": [date(2025, 9, 15)],
            "sofr_iorb_bp": [11.0],
            "sofr_p99_iorb_bp": [25.0],
            "srf_takeup_bn": [1.5],
            "on_rrp_bn": [16.9],
        }
    )  # SYNTHETIC
    days = calendar(date(2025, 9, 12), date(2025, 9, 16), funding=funding)
    sept15 = days.filter(pl.col("date") == date(2025, 9, 15)).row(0, named=True)
    assert (sept15["sofr_iorb_bp"], sept15["sofr_p99_iorb_bp"], sept15["srf_takeup_bn"]) == (11.0, 25.0, 1.5)
    assert sept15["is_tax_date"] and sept15["is_mid_month_settlement"]


def test_no_input_gives_an_empty_calendar_of_the_schema():
    empty_tga = pl.DataFrame(schema={"date": pl.Date, "tga_bn": pl.Float64, "tga_change_bn": pl.Float64})
    out = fc.build_funding_calendar(NO_FUNDING, NO_AUCTIONS, empty_tga, fed_holidays(), legal_holidays())
    assert out.is_empty() and out.schema == pl.Schema(fc.SCHEMA)


def pd_day(y: int, m: int, d: int):
    return pd.Timestamp(y, m, d)
