"""The analyst guide's answer on the basis trade and the funding calendar: both example queries run on the bundled
snapshot, and every figure the guide states is what they return."""

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from warehouse.query import run_query

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "warehouse" / "queries"
GUIDE = (ROOT / "docs" / "analyst-guide.md").read_text()
# The answer's text with line breaks folded, so a figure may wrap across lines in the guide.
ANSWER = " ".join(GUIDE[GUIDE.index("## The basis trade and the funding calendar") :].split())


def query(con, name: str, **params) -> pl.DataFrame:
    return run_query(con, (QUERIES / f"{name}.sql").read_text(), params)


@pytest.fixture(scope="module")
def weeks(marts_db) -> pl.DataFrame:
    return query(marts_db, "16_basis_trade_positioning")


@pytest.fixture(scope="module")
def days_2025(marts_db) -> dict[str, dict]:
    frame = query(marts_db, "15_sofr_iorb_funding_calendar_days", start_date=date(2025, 1, 1))
    return {r["day_type"]: r for r in frame.filter(pl.col("year") == 2025).iter_rows(named=True)}


def stated(value: float, decimals: int = 1, money: bool = False) -> str:
    text = f"{abs(value):,.{decimals}f}"
    return f"${text}bn" if money else text


def test_shorts_grew_every_week_of_the_sell_off(weeks):
    reported = weeks.filter(pl.col("coverage") == "reported")
    nets = reported["lev_net_total_bn"].to_list()
    assert reported["report_date"].to_list() == [
        date(2025, 3, 25) + i * (date(2025, 4, 1) - date(2025, 3, 25)) for i in range(6)
    ]
    assert nets == sorted(nets, reverse=True)
    assert stated(nets[0], money=True) in ANSWER and stated(nets[-1], money=True) in ANSWER
    first_record = reported.filter(pl.col("pctile_total") == reported["pctile_total"].min())["report_date"].min()
    assert first_record == date(2025, 4, 15) and f"{reported['pctile_total'].min():.4f}" in ANSWER
    assert weeks["coverage"][-1].startswith("gap")  # 2025-05-06: the recording's hole, shown as such


def test_ten_year_week_of_the_shock_and_the_asset_manager_side(weeks):
    by_day = {r["report_date"]: r for r in weeks.iter_rows(named=True)}
    before, shock = by_day[date(2025, 4, 1)]["lev_net_10y_bn"], by_day[date(2025, 4, 8)]["lev_net_10y_bn"]
    assert stated(before - shock, money=True) in ANSWER
    assert f"−${abs(before):.1f}bn → −${abs(shock):.1f}bn" in ANSWER
    assert f"−${abs(by_day[date(2025, 4, 22)]['lev_net_10y_bn']):.1f}bn" in ANSWER
    am = (by_day[date(2025, 3, 25)]["am_net_total_bn"], by_day[date(2025, 4, 29)]["am_net_total_bn"])
    assert f"(${am[0]:,.1f}bn → ${am[1]:,.1f}bn)" in ANSWER
    assert max(weeks["sofr_iorb_max_bp"].to_list()[:-1]) == 2.0 and "peaked at 2 bp" in ANSWER


def test_settlement_and_tax_days_were_wider_than_other_days_in_2025(days_2025):
    settle, tax, quarter, other = (days_2025[k] for k in ("treasury settlement", "tax date", "quarter-end", "other"))
    assert settle["wider_than_other_bp"] > 0 and tax["wider_than_other_bp"] > 0
    assert quarter["wider_than_other_bp"] > settle["wider_than_other_bp"] > tax["wider_than_other_bp"]
    assert f"+{settle['avg_sofr_iorb_bp']:.2f} bp" in ANSWER and f"−{abs(other['avg_sofr_iorb_bp']):.2f} bp" in ANSWER
    assert f"({settle['wider_than_other_bp']:g} bp wider" in ANSWER
    shares = [round(d["share_sofr_above_iorb"] * 100) for d in (settle, other)]
    assert f"SOFR above IORB on {shares[0]}% of them against {shares[1]}%" in ANSWER
    assert f"averaged −{abs(tax['avg_sofr_iorb_bp']):g} bp ({tax['wider_than_other_bp']:g} bp wider" in ANSWER
    assert f"+{quarter['avg_sofr_iorb_bp']:g} bp ({quarter['wider_than_other_bp']:g} bp wider" in ANSWER
    assert tax["days"] == 5
