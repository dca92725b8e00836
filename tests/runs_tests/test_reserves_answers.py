"""Issue 23's example queries on the bundled snapshot's marts (the session's marts_db): each returns the answer the
analyst guide promises, and says plainly where the recordings stop."""

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from warehouse.query import run_query

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "warehouse" / "queries"


def query(con, name: str, **params) -> pl.DataFrame:
    return run_query(con, (QUERIES / f"{name}.sql").read_text(), params)


def test_why_reserves_moved_names_the_unrecorded_factor_lines(marts_db) -> None:
    frame = query(marts_db, "22_why_reserves_moved")
    assert frame.height == 9 and frame["week"].n_unique() == 1
    # The snapshot holds no H.4.1 factor lines (replay/PROVENANCE.md "Not recorded"): the week says so, and only a
    # factor whose own lines are recorded (the TGA, WDTGAL) has a contribution; the change of reserves is NULL.
    assert "WRBWFRBL" in frame["missing_inputs"][0] and frame["reserves_change_bn"].null_count() == 9
    assert frame.filter(pl.col("contribution_bn").is_not_null())["factor"].to_list() == ["Treasury General Account"]


def test_are_reserves_ample_on_the_recorded_h8_weeks(marts_db) -> None:
    frame = query(marts_db, "23_are_reserves_ample", n=4)
    assert frame["week"].to_list() == [date(2021, 12, 29), date(2021, 12, 22), date(2021, 12, 15), date(2021, 12, 8)]
    assert set(frame["regime"]) == {"abundant"}  # ~18-19% of bank assets, above SR 1019's 12-13%


def test_rmp_pace_per_round(marts_db) -> None:
    frame = query(marts_db, "24_rmp_pace")
    first = frame.row(0, named=True)
    assert (first["round"], first["securities_growth_bn"], first["attainment"]) == ("RMP-1", 39.637, 0.991)
    assert frame.filter(pl.col("amount_bn").is_null())["attainment"].null_count() == 3


def test_tga_against_treasurys_assumption(marts_db) -> None:
    frame = query(marts_db, "25_tga_vs_treasury_assumption")
    assert frame["quarter_end"].to_list() == [date(2025, 9, 30), date(2025, 12, 31), date(2026, 3, 31)]
    assert frame["gap_to_assumption_bn"].to_list() == pytest.approx([40.825, 22.853, 43.0])
    assert frame["reported_cash_bn"].to_list()[:2] == [891.0, 873.0]  # sb0300, sb0377


def test_debt_limit_state_on_a_day(marts_db) -> None:
    row = query(marts_db, "26_debt_limit_on_date", on_date=date(2025, 5, 1)).row(0, named=True)
    assert (row["debt_limit_regime"], row["debt_limit_since"]) == ("extraordinary_measures", date(2025, 1, 21))
    assert row["citation_url"] == "https://home.treasury.gov/news/press-releases/jy2798"
