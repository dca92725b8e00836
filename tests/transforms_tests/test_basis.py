"""marts.basis_weekly on tiny literal frames (synthetic, labelled): a contract rename mid-year, a gap week, a tenor
missing in a week, notionals, week-over-week change, percentile, the funding window and the stress flag."""

from datetime import date, timedelta

import polars as pl
import pytest

from transforms import basis, cftc

T1, T2, T3 = date(2022, 2, 1), date(2022, 2, 8), date(2022, 2, 15)  # three report Tuesdays
TEN, TWO = "043602", "042601"


def tff(rows: list[tuple]) -> pl.DataFrame:
    """SYNTHETIC core.cftc_tff rows: (report_date, code, name, lev_long, lev_short, am_long, am_short, oi)."""
    names = (
        "report_date",
        "cftc_contract_market_code",
        "market_and_exchange_names",
        "lev_money_positions_long_all",
        "lev_money_positions_short_all",
        "asset_mgr_positions_long_all",
        "asset_mgr_positions_short_all",
        "open_interest_all",
    )
    frame = pl.DataFrame(rows, schema=[(n, cftc.SCHEMA[n]) for n in names], orient="row")
    return frame.with_columns(
        dealer_positions_long_all=pl.lit(10, pl.Int64), dealer_positions_short_all=pl.lit(30, pl.Int64)
    )


def all_six(day: date, ten_name: str = "UST 10Y NOTE - CHICAGO BOARD OF TRADE", ten_short: int = 500) -> list[tuple]:
    """One week of all six contracts (SYNTHETIC): every contract 100 long / 300 short, the 10-year's short varies."""
    return [
        (day, code, ten_name if code == TEN else "X", 100, ten_short if code == TEN else 300, 400, 100, 2000)
        for code in cftc.TREASURY_CONTRACTS
    ]


NO_FUNDING = pl.DataFrame(
    schema={"date": pl.Date, "sofr_iorb_bp": pl.Float64, "srf_takeup_bn": pl.Float64, "on_rrp_bn": pl.Float64}
)


def row(mart: pl.DataFrame, day: date, tenor: str) -> dict:
    return mart.filter((pl.col("report_date") == day) & (pl.col("tenor") == tenor)).row(0, named=True)


def test_rename_mid_year_is_one_series_joined_on_the_code():
    core = tff(all_six(T1, "10-YEAR U.S. TREASURY NOTES - CHICAGO BOARD OF TRADE", 500) + all_six(T2, ten_short=450))
    mart = basis.build_basis_weekly(core, NO_FUNDING)
    ten = mart.filter(pl.col("tenor") == "10y").sort("report_date")
    assert ten["lev_net_contracts"].to_list() == [-400, -350]
    assert ten["lev_net_contracts_wow"].to_list() == [None, 50]
    assert ten["cftc_contract_market_code"].to_list() == [TEN, TEN]


def test_notional_uses_the_face_value_of_each_contract():
    mart = basis.build_basis_weekly(tff(all_six(T1)), NO_FUNDING)
    assert row(mart, T1, "2y")["lev_net_notional_bn"] == pytest.approx(-200 * 200_000 / 1e9)
    assert row(mart, T1, "10y")["lev_net_notional_bn"] == pytest.approx(-400 * 100_000 / 1e9)
    total = row(mart, T1, "total")
    assert total["lev_net_contracts"] == -400 - 5 * 200
    assert total["lev_net_notional_bn"] == pytest.approx((-200 * 200_000 - 400 * 100_000 - 4 * 200 * 100_000) / 1e9)
    assert total["am_net_contracts"] == 6 * 300 and total["open_interest"] == 6 * 2000
    assert total["lev_short_share_oi"] == pytest.approx((500 + 5 * 300) / 12000)
    assert total["coverage"] == "reported"


def test_a_gap_week_is_a_row_of_nulls_and_breaks_the_weekly_change():
    mart = basis.build_basis_weekly(tff(all_six(T1) + all_six(T3, ten_short=600)), NO_FUNDING)
    gap = row(mart, T2, "10y")
    assert gap["coverage"] == "gap: no TFF report loaded for this week"
    assert gap["lev_net_contracts"] is None and gap["lev_net_notional_bn"] is None
    assert row(mart, T2, "total")["coverage"] == "gap: no TFF report loaded for this week"
    assert row(mart, T3, "10y")["lev_net_contracts_wow"] is None  # never across the gap
    assert mart.height == 3 * 7


def test_a_tenor_missing_in_a_week_leaves_the_total_null_and_says_which():
    week2 = [r for r in all_six(T2) if r[1] != TWO]
    mart = basis.build_basis_weekly(tff(all_six(T1) + week2), NO_FUNDING)
    assert row(mart, T2, "2y")["coverage"] == "tenor missing from the week's report"
    assert row(mart, T2, "2y")["lev_net_contracts"] is None
    total = row(mart, T2, "total")
    assert total["coverage"] == "partial: missing 2y" and total["lev_net_notional_bn"] is None
    assert row(mart, T2, "10y")["coverage"] == "reported"


def test_holiday_monday_report_belongs_to_its_week():
    monday = T2 - timedelta(days=1)
    mart = basis.build_basis_weekly(tff(all_six(T1) + all_six(monday, ten_short=450)), NO_FUNDING)
    assert sorted(mart["report_date"].unique().to_list()) == [T1, monday]
    assert row(mart, monday, "10y")["lev_net_contracts_wow"] == 50


def test_percentile_counts_only_weeks_up_to_the_row():
    core = tff(all_six(T1, ten_short=500) + all_six(T2, ten_short=700) + all_six(T3, ten_short=600))
    ten = basis.build_basis_weekly(core, NO_FUNDING).filter(pl.col("tenor") == "10y").sort("report_date")
    # nets -400, -600, -500: each week ranks against itself and the weeks before it only (no look-ahead).
    assert ten["lev_net_pctile_since_2017"].to_list() == pytest.approx([1.0, 0.5, 2 / 3])


def test_funding_week_is_wednesday_to_tuesday_and_the_stress_flag_needs_both_signals():
    funding = pl.DataFrame(
        {  # SYNTHETIC daily gauges around T2
            "date": [T1, T1 + timedelta(days=1), T2 - timedelta(days=1), T2, T2 + timedelta(days=1)],
            "sofr_iorb_bp": [50.0, -2.0, 3.0, 1.0, 90.0],
            "srf_takeup_bn": [0.0, 0.0, 1.5, 0.5, 9.0],
            "on_rrp_bn": [100.0, 80.0, 70.0, 60.0, 50.0],
        }
    )
    core = tff(all_six(T1, ten_short=500) + all_six(T2, ten_short=450))  # 10y net short cut by 12.5%
    mart = basis.build_basis_weekly(core, funding)
    ten = row(mart, T2, "10y")
    assert (ten["sofr_iorb_avg_bp"], ten["sofr_iorb_max_bp"]) == (pytest.approx(2 / 3), 3.0)  # T1 itself excluded
    assert ten["srf_takeup_sum_bn"] == pytest.approx(2.0)
    assert ten["on_rrp_wed_bn"] == 80.0  # the Wednesday after T1
    assert ten["stress_flag"] is True
    assert row(mart, T2, "2y")["stress_flag"] is False  # no unwind in the 2-year
    assert row(mart, T1, "10y")["stress_flag"] is False  # no previous week: never raised on missing inputs


def test_empty_input_gives_an_empty_mart_of_the_schema():
    empty = pl.DataFrame(schema=cftc.SCHEMA)
    mart = basis.build_basis_weekly(empty, NO_FUNDING)
    assert mart.is_empty() and mart.schema == pl.Schema(basis.SCHEMA)
