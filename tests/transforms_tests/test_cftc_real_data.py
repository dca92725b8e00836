"""The CFTC marts on the full recorded data (replay snapshot) against figures published at the time, and the mart
suites on them.

Published figures (each checked against the CFTC rows, not against our own output):
- Reuters, 2025-01-17, "Hedge funds, non-commercials less bearish on 10-year Treasury futures -CFTC data": in the
  week ended Jan. 14 (2025) leveraged funds' net short in 10-year note futures fell to 1,267,611 contracts, asset
  managers' net long to 1,633,891 (https://tradingkey.com/news/commodities/250306083-reuters, a copy of the story).
- Pensions & Investments, "Leveraged funds indicate bearish view on Treasuries": for the week ended May 31 (2022)
  leveraged funds had 353,883 long and 396,679 short 10-year contracts, a net short of 42,796, "the first time ...
  since January 2021" (https://www.pionline.com/interactive/leveraged-funds-indicate-bearish-view-treasuries).
- Risk.net, "Hedge funds cut short US Treasury futures exposure - CFTC data": leveraged funds' short 10-year futures
  had a face value of $113.9 billion as of March 17 (2020), down from a 12-month peak of $148.3 billion on
  July 30, 2019 (https://www.risk.net/risk-quantum/7507761/hedge-funds-cut-short-us-treasury-futures-exposure-cftc-data).
"""

from datetime import date

import polars as pl
import pytest

from expectations import Validator
from transforms.marts_registry import MARTS


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator()


@pytest.fixture(scope="module")
def basis_weekly(replay_marts) -> pl.DataFrame:
    return replay_marts["basis_weekly"]


def at(mart: pl.DataFrame, day: date, tenor: str) -> dict:
    return mart.filter((pl.col("report_date") == day) & (pl.col("tenor") == tenor)).row(0, named=True)


def test_reuters_10y_net_short_week_of_2025_01_14(basis_weekly):
    week = at(basis_weekly, date(2025, 1, 14), "10y")
    assert week["lev_net_contracts"] == -1_267_611
    assert week["am_net_contracts"] == 1_633_891
    assert week["lev_net_notional_bn"] == pytest.approx(-126.761, abs=0.001)


def test_pionline_10y_first_net_short_since_january_2021(basis_weekly):
    week = at(basis_weekly, date(2022, 5, 31), "10y")
    assert (week["lev_long_contracts"], week["lev_short_contracts"], week["lev_net_contracts"]) == (
        353_883,
        396_679,
        -42_796,
    )
    before = basis_weekly.filter(
        (pl.col("tenor") == "10y")
        & pl.col("report_date").is_between(date(2021, 2, 1), date(2022, 5, 24))
        & pl.col("lev_net_contracts").is_not_null()
    )
    assert before.height > 60 and before["lev_net_contracts"].min() >= 0  # net long every week in between


def test_risk_net_10y_short_face_value_and_its_12_month_peak(basis_weekly):
    ten = basis_weekly.filter(pl.col("tenor") == "10y")
    march = at(basis_weekly, date(2020, 3, 17), "10y")
    assert march["lev_short_contracts"] * 100_000 / 1e9 == pytest.approx(113.9, abs=0.05)
    year = ten.filter(pl.col("report_date").is_between(date(2019, 3, 17), date(2020, 3, 17)))
    peak = year.sort("lev_short_contracts").row(-1, named=True)
    assert peak["report_date"] == date(2019, 7, 30)
    assert peak["lev_short_contracts"] * 100_000 / 1e9 == pytest.approx(148.3, abs=0.05)


def test_april_2025_sell_off_shorts_grew_to_a_record_since_2017(basis_weekly):
    total = basis_weekly.filter(
        (pl.col("tenor") == "total") & pl.col("report_date").is_between(date(2025, 3, 25), date(2025, 4, 29))
    ).sort("report_date")
    nets = total["lev_net_notional_bn"].to_list()
    assert nets == sorted(nets, reverse=True)  # the net short grew every week of the sell-off
    assert total["lev_net_pctile_since_2017"][-1] < 0.01  # a near-record short since 2017
    assert -1_100 < nets[-1] < -1_000  # ~ $1.07tn net short across the six contracts on 2025-04-29


def test_recording_gaps_are_rows_that_say_so(basis_weekly):
    gap = at(basis_weekly, date(2025, 6, 3), "total")
    assert gap["coverage"] == "gap: no TFF report loaded for this week" and gap["lev_net_notional_bn"] is None
    assert gap["sofr_iorb_avg_bp"] is not None  # the funding side of the week is still there


def test_funding_calendar_2025_09_15_tax_and_settlement_day(replay_marts):
    day = replay_marts["funding_calendar"].filter(pl.col("date") == date(2025, 9, 15)).row(0, named=True)
    assert day["is_tax_date"] and day["is_mid_month_settlement"] and day["is_treasury_settlement"]
    assert day["sofr_iorb_bp"] > 0  # SOFR printed above IORB that day (domain.md: tax date + heavy settlement)


def test_qt_runoff_monthly_labels_the_growth_months_by_the_post_qt_regime(replay_marts):
    months = replay_marts["qt_runoff_monthly"].filter(pl.col("month") >= date(2025, 12, 1)).sort("month")
    assert months["regime"].to_list()[:3] == ["QT2-end", "RMP-1", "RMP"]
    assert (months["total_runoff_bn"] < 0).all()  # holdings grew every month of purchases
    dec = months.row(0, named=True)
    assert dec["purchase_target_bn"] == 40.0  # the first round, cited in the seed
    assert dec["purchase_attainment"] == pytest.approx(-dec["total_runoff_bn"] / 40.0)
    assert months["purchase_target_bn"].to_list()[1:] == [None] * (months.height - 1)  # no amount cited after


@pytest.mark.parametrize("mart", list(MARTS))
def test_mart_suites_pass_on_the_recorded_data(validator, replay_marts, mart):
    outcome = validator.validate(mart, replay_marts[mart])
    assert outcome.success, outcome.failed_rules


BREAKS = [
    ("basis_weekly", lambda f: pl.concat([f, f.head(1)]), "key (report_date, tenor): unique"),
    (
        "basis_weekly",
        lambda f: f.with_columns(lev_net_notional_bn=pl.col("lev_net_notional_bn") * 1e9),
        "lev_net_notional_bn = lev_net_contracts x face value",
    ),
    ("basis_weekly", lambda f: f.with_columns(coverage=pl.lit("ok")), "coverage: one of the documented values"),
    ("funding_calendar", lambda f: f.with_columns(is_quarter_end=pl.lit(False)), "is_year_end: implies is_quarter_end"),
    ("funding_calendar", lambda f: f.with_columns(date=pl.col("date") + pl.duration(days=1)), "date: a weekday"),
    (
        "funding_calendar",
        lambda f: f.with_columns(is_month_end=pl.lit(False)),
        "is_month_end: exactly one per complete month",
    ),
]


@pytest.mark.parametrize(("mart", "brk", "rule"), BREAKS, ids=[f"{m}-{i}" for i, (m, _, _) in enumerate(BREAKS)])
def test_mart_break_fails_with_its_rule(validator, replay_marts, mart, brk, rule):
    outcome = validator.validate(mart, brk(replay_marts[mart]))
    assert any(r.startswith(rule) for r in outcome.failed_rules), outcome.failed_rules
