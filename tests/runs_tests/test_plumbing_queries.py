"""The plumbing example queries answer their questions on the bundled recorded history."""

from datetime import date
from pathlib import Path

import duckdb
import pytest

QUERIES = Path(__file__).resolve().parents[2] / "warehouse" / "queries"


@pytest.fixture(scope="module")
def con(marts_db) -> duckdb.DuckDBPyConnection:
    """The session's in-memory warehouse of every mart built from the replay (tests/support/replay_frames.py)."""
    return marts_db


def run(con, name: str, **params) -> list[dict]:
    for key, value in params.items():
        con.execute(f"SET VARIABLE {key} = ?", [value])
    try:
        cursor = con.execute((QUERIES / name).read_text())
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        for key in params:
            con.execute(f"RESET VARIABLE {key}")


def test_dealer_balance_sheets_vs_april_2025(con):
    rows = {r["as_of_date"]: r for r in run(con, "17_dealer_balance_sheets_vs_2025_04.sql")}
    # April 2025 weeks held: 04-02 408.663, 04-09 406.950, 04-16 391.786 ($bn; NY Fed PDPOSGST-TOT) -> avg 402.466
    latest = rows[date(2026, 4, 8)]
    assert latest["reference_avg_bn"] == pytest.approx(402.466, abs=1e-3)
    assert latest["vs_reference_bn"] == pytest.approx(530.718 - 402.4663, abs=1e-3)
    assert latest["pct_of_reference"] == pytest.approx(131.9) and latest["above_reference_peak"] is True
    assert latest["comparable"] is True and latest["coverage"] == "complete"


def test_which_segment_is_paying_up(con):
    rows = run(con, "18_repo_segment_paying_up.sql", start_date=date(2025, 10, 27), end_date=date(2025, 10, 31))
    by_day = {r["date"]: r for r in rows}
    assert by_day[date(2025, 10, 31)]["sofr_tgcr_bp"] == 7.0
    assert by_day[date(2025, 10, 31)]["paying_up"] == "DVP/GCF (NY Fed SOFR over TGCR)"
    assert run(con, "18_repo_segment_paying_up.sql")  # default window: the last 30 days held


def test_what_fired_on_the_last_quarter_end(con):
    rows = run(con, "19_last_quarter_end_events.sql", quarter_end=date(2025, 9, 30))
    assert [r["date"] for r in rows] == [
        date(2025, 9, 25),
        date(2025, 9, 26),
        date(2025, 9, 29),
        date(2025, 9, 30),
        date(2025, 10, 1),
        date(2025, 10, 2),
    ]
    qe = next(r for r in rows if r["is_the_quarter_end"])
    assert qe["signals"] == "sofr_iorb, sofr_p99_iorb, srf" and qe["severity"] == "high" and qe["srf_takeup_bn"] == 6.0
    assert run(con, "19_last_quarter_end_events.sql")  # default: the last quarter end with funding data
