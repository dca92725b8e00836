"""The run artifact never prints a literal `None`: a month without a cap says so, a missing date is an empty cell."""

from __future__ import annotations

from datetime import date

import duckdb

from flows import artifacts
from warehouse.status import Freshness


def test_runoff_note_without_a_cap_says_no_cap() -> None:
    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts")
    # synthetic: the month after runoff ended has no cap and no attainment
    con.execute(
        "CREATE TABLE marts.qt_runoff_monthly AS SELECT * FROM (VALUES "
        "(DATE '2025-11-01', 4.8, 5.0, 0.96, 'QT2-slow2'), (DATE '2025-12-01', -20.0, NULL, NULL, 'QT2-end')"
        ") t(month, ust_runoff_bn, ust_cap_bn, ust_cap_attainment, regime)"
    )
    row = artifacts._first(con, artifacts.HEADLINES["Treasury runoff vs cap, last month (bn)"])
    assert row[3] == "no cap in force (QT2-end)"
    con.execute(
        "UPDATE marts.qt_runoff_monthly SET ust_cap_bn = 5.0, ust_cap_attainment = 0.5 WHERE month = DATE '2025-12-01'"
    )
    assert (
        artifacts._first(con, artifacts.HEADLINES["Treasury runoff vs cap, last month (bn)"])[3]
        == "cap 5.0 bn, 50% of cap (QT2-end)"
    )


def test_missing_values_are_empty_cells() -> None:
    assert artifacts._cell(None) == "" and artifacts._cell(date(2026, 6, 24)) == "2026-06-24"

    class _Status:
        sources = [type("S", (), {"series": [], "freshness": Freshness("nyfed_repo", None, date(2026, 6, 23), 1)})]

    lines = artifacts._freshness_lines(_Status())
    assert lines[-1] == "| nyfed_repo |  | 2026-06-23 | no data |" and not any("None" in line for line in lines)
