"""The report built from a demo warehouse: every chart in the HTML carries exactly the marts' values."""

from datetime import date

import pytest

from transforms.marts_registry import MARTS
from warehouse.db import connect_readonly

SINCE = "2017-01-01"


@pytest.fixture(scope="module")
def con(demo_warehouse):
    """A read-only connection to the demo warehouse for computing expected values."""
    with connect_readonly(demo_warehouse) as connection:
        yield connection


def column(con, sql: str) -> list[tuple]:
    """Rows of `sql` as (iso date, value, ...) tuples, to compare with the JSON in the page."""
    return [(first.isoformat(), *rest) for first, *rest in con.execute(sql).fetchall()]


def points(figure: dict, name: str) -> list[tuple]:
    """(x, y) points of the trace called `name` in a figure parsed from the page."""
    found = [t for t in figure["data"] if t["name"] == name]
    assert len(found) == 1, [t["name"] for t in figure["data"]]
    return list(zip(found[0]["x"], found[0]["y"], strict=True))


def by_heading(demo_report: dict) -> dict[str, dict]:
    """Parsed figures keyed by the section id they sit in (runoff, liquidity, funding, auctions, basis)."""
    page = demo_report["html"]
    keys = ("runoff", "liquidity", "funding", "auctions", "basis", "reserves")
    starts = sorted((page.index(f'<section id="{k}">'), k) for k in keys)
    out = {}
    for figure in demo_report["figures"]:
        at = page.index(figure["id"])
        out[max((s, k) for s, k in starts if s < at)[1]] = figure
    return out


def test_one_page_with_six_charts_and_one_plotlyjs(demo_report) -> None:
    page = demo_report["html"]
    assert len(demo_report["figures"]) == 7  # runoff, liquidity, funding, auctions, basis, plumbing, reserves
    assert page.count("plotly.js v") == 1
    size_mb = demo_report["path"].stat().st_size / 1e6
    assert size_mb < 8, f"{size_mb:.1f} MB: plotly.js embedded more than once?"
    assert demo_report["seconds"] < 30


@pytest.mark.parametrize(
    ("trace", "col"),
    [
        ("Treasury runoff", "ust_runoff_bn"),
        ("Treasury cap", "ust_cap_bn"),
        ("MBS runoff", "mbs_runoff_bn"),
        ("MBS cap", "mbs_cap_bn"),
    ],
)
def test_runoff_chart_is_the_mart(demo_report, con, trace: str, col: str) -> None:
    expected = column(con, f"SELECT month, {col} FROM marts.qt_runoff_monthly WHERE month >= '{SINCE}' ORDER BY month")
    assert points(by_heading(demo_report)["runoff"], trace) == expected


def test_runoff_june_2025_matches_the_mart(demo_report, con) -> None:
    want = con.execute("SELECT ust_runoff_bn FROM marts.qt_runoff_monthly WHERE month = '2025-06-01'").fetchone()[0]
    assert dict(points(by_heading(demo_report)["runoff"], "Treasury runoff"))["2025-06-01"] == want


def test_runoff_chart_marks_the_regime_changes(demo_report, con) -> None:
    starts = [
        d.isoformat()
        for (d,) in con.execute(
            f"SELECT effective_from FROM ref.qt_cap_regimes WHERE coalesce(effective_to, DATE '9999-12-31') >= "
            f"'{SINCE}' ORDER BY effective_from"
        ).fetchall()
    ]
    shapes = by_heading(demo_report)["runoff"]["layout"]["shapes"]
    assert [s["x0"] for s in shapes if s["type"] == "line"] == starts
    assert "2025-04-01" in starts  # the $25bn -> $5bn Treasury cap cut is on the chart


@pytest.mark.parametrize(
    ("trace", "col"),
    [("Reserves", "reserves_bn"), ("ON RRP", "on_rrp_bn"), ("TGA", "tga_bn"), ("Net liquidity", "net_liquidity_bn")],
)
def test_liquidity_chart_is_the_mart(demo_report, con, trace: str, col: str) -> None:
    expected = column(con, f"SELECT week, {col} FROM marts.liquidity_weekly WHERE week >= '{SINCE}' ORDER BY week")
    assert points(by_heading(demo_report)["liquidity"], trace) == expected


@pytest.mark.parametrize(
    ("trace", "col"),
    [
        ("SOFR - IORB", "sofr_iorb_bp"),
        ("SOFR p1 - IORB", "sofr_p1_iorb_bp"),
        ("SOFR p99 - IORB", "sofr_p99_iorb_bp"),
        ("SRF take-up", "srf_takeup_bn"),
    ],
)
def test_funding_chart_is_the_mart_since_iorb(demo_report, con, trace: str, col: str) -> None:
    expected = column(con, f"SELECT date, {col} FROM marts.funding_daily WHERE date >= DATE '2021-07-29' ORDER BY date")
    got = points(by_heading(demo_report)["funding"], trace)
    assert got == expected
    assert any(y is not None for _, y in got), f"{trace} has no data at all"


def test_auction_chart_has_every_auction_with_a_bid_to_cover(demo_report, con) -> None:
    figure = by_heading(demo_report)["auctions"]
    got = sorted(
        (x, y, cusip)
        for t in figure["data"]
        for x, y, cusip in zip(t["x"], t["y"], t["customdata"], strict=True)
        if y is not None
    )
    expected = sorted(
        column(con, "SELECT auction_date, bid_to_cover, cusip FROM marts.auction_health WHERE bid_to_cover IS NOT NULL")
    )
    assert got == expected
    names = {t["name"] for t in figure["data"]}
    assert {"13-Week", "2-Year", "10-Year"} <= names


def test_header_shows_the_latest_run_and_coverage(demo_report, con) -> None:
    run_id, as_of = con.execute("SELECT run_id, as_of FROM meta.runs ORDER BY started_at DESC LIMIT 1").fetchone()
    page = demo_report["html"]
    observed = [m for m in MARTS.values() if m.in_report and not m.forward]  # the marts of observations
    first_day = min(
        d
        for m in observed
        if (d := con.execute(f"SELECT min({m.date_column}) FROM {m.table}").fetchone()[0]) is not None
    )
    assert run_id in page and f"Data {first_day} to " in page and f", as of {as_of}" in page
    rows, first = con.execute("SELECT count(*), min(week) FROM marts.liquidity_weekly").fetchone()
    assert f"<td>marts.liquidity_weekly</td><td>{rows:,}</td><td>{first}</td>" in page
    assert isinstance(first, date)
