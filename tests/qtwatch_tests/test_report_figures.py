"""Each chart function on small literal (synthetic) frames: traces carry exactly the frame's values."""

from datetime import date

import polars as pl
import pytest

from qtwatch import report

RUNOFF = pl.DataFrame(
    {
        "month": [date(2030, 1, 1), date(2030, 2, 1), date(2030, 3, 1)],
        "ust_runoff_bn": [9.0, 11.0, -300.0],
        "ust_cap_bn": [10.0, 10.0, None],
        "mbs_runoff_bn": [4.0, None, 1.0],
        "mbs_cap_bn": [5.0, 5.0, None],
        "regime": ["T-1", "T-1", "T-end"],
    }
)
REGIMES = pl.DataFrame(
    {
        "regime": ["T-1", "T-end"],
        "episode": ["T", "end"],
        "effective_from": [date(2030, 1, 1), date(2030, 3, 1)],
        "effective_to": [date(2030, 2, 28), None],
        "ust_cap_bn": [10.0, None],
        "mbs_cap_bn": [5.0, None],
    }
)
LIQUIDITY = pl.DataFrame(
    {
        "week": [date(2030, 1, 2), date(2030, 1, 9)],
        "reserves_bn": [3000.0, 2990.5],
        "on_rrp_bn": [100.0, None],
        "tga_bn": [800.0, 810.0],
        "net_liquidity_bn": [6000.0, None],
    }
)
FUNDING = pl.DataFrame(
    {
        "date": [date(2030, 1, 2), date(2030, 1, 3)],
        "sofr_iorb_bp": [-5.0, 3.0],
        "sofr_p1_iorb_bp": [None, -10.0],
        "sofr_p99_iorb_bp": [None, 20.0],
        "srf_takeup_bn": [0.0, 12.5],
    }
)
AUCTIONS = pl.DataFrame(
    {
        "auction_date": [date(2030, 1, 2), date(2030, 1, 3), date(2030, 1, 9), date(2030, 1, 10), date(2030, 1, 11)],
        "cusip": ["SYN000001", "SYN000002", "SYN000003", "SYN000004", "SYN000005"],
        "security_term": ["10-Year", "13-Week", "13-Week", "9-Year 11-Month", "2-Year"],
        "security_kind": ["Note", "Bill", "Bill", "Note", "FRN"],
        "tenor": ["10-Year", "13-Week", "13-Week", "10-Year", "2-Year"],
        "bid_to_cover": [2.5, 3.0, 2.8, 2.4, 3.1],
    }
)


def trace(fig, name: str):
    """The one trace of `fig` called `name`."""
    found = [t for t in fig.data if t.name == name]
    assert len(found) == 1, [t.name for t in fig.data]
    return found[0]


def test_runoff_traces_carry_the_frame_values() -> None:
    fig = report.runoff_figure(RUNOFF, REGIMES)
    assert [t.name for t in fig.data] == ["Treasury runoff", "Treasury cap", "MBS runoff", "MBS cap"]
    assert list(trace(fig, "Treasury runoff").y) == [9.0, 11.0, -300.0]
    assert list(trace(fig, "Treasury cap").y) == [10.0, 10.0, None]
    assert list(trace(fig, "MBS runoff").y) == [4.0, None, 1.0]
    assert list(trace(fig, "MBS cap").x) == RUNOFF["month"].to_list()


def test_runoff_marks_every_regime_start_and_shades_capped_episodes() -> None:
    fig = report.runoff_figure(RUNOFF, REGIMES)
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert [s.x0 for s in lines] == [date(2030, 1, 1), date(2030, 3, 1)]
    assert {a.text for a in fig.layout.annotations} >= {"T-1", "T-end", "T"}
    bands = [s for s in fig.layout.shapes if s.type == "rect"]
    assert {(s.x0, s.x1) for s in bands} == {(date(2030, 1, 1), date(2030, 2, 28))}


def test_runoff_axis_is_clipped_to_the_caps_so_purchases_do_not_flatten_qt() -> None:
    fig = report.runoff_figure(RUNOFF, REGIMES)
    assert list(fig.layout.yaxis.range) == [-15.0, 15.0]  # 1.5 x the $10bn Treasury cap
    assert list(fig.layout.yaxis2.range) == [-7.5, 7.5]


def test_liquidity_has_the_four_series_in_bn() -> None:
    fig = report.liquidity_figure(LIQUIDITY)
    assert {t.name: list(t.y) for t in fig.data} == {
        "Net liquidity": [6000.0, None],
        "Reserves": [3000.0, 2990.5],
        "ON RRP": [100.0, None],
        "TGA": [800.0, 810.0],
    }


def test_funding_spreads_on_top_and_srf_takeup_below() -> None:
    fig = report.funding_figure(FUNDING)
    assert list(trace(fig, "SOFR - IORB").y) == [-5.0, 3.0]
    assert list(trace(fig, "SOFR p99 - IORB").y) == [None, 20.0]
    assert list(trace(fig, "SOFR p1 - IORB").y) == [None, -10.0]
    srf = trace(fig, "SRF take-up")
    assert list(srf.y) == [0.0, 12.5] and srf.yaxis == "y2"


def test_auctions_one_panel_per_security_class_one_trace_per_tenor() -> None:
    fig = report.auction_figure(AUCTIONS)
    assert [t.name for t in fig.data] == ["13-Week", "10-Year", "2-Year FRN"]  # panel by panel, shortest first
    assert [a.text for a in fig.layout.annotations] == list(report.AUCTION_CLASSES)
    bills, tenyear, frn = trace(fig, "13-Week"), trace(fig, "10-Year"), trace(fig, "2-Year FRN")
    assert list(bills.y) == [3.0, 2.8] and bills.yaxis == "y"
    assert list(tenyear.y) == [2.5, 2.4] and tenyear.yaxis == "y2"
    assert frn.yaxis == "y3" and frn.legend == "legend3"  # each panel has its own legend beside it
    assert list(tenyear.customdata) == ["SYN000001", "SYN000004"]  # a reopening stays with its original tenor


def test_auction_colours_are_distinct_within_a_panel() -> None:
    tenors = ["4-Week", "6-Week", "8-Week", "13-Week", "17-Week", "26-Week", "52-Week"]
    bills = pl.DataFrame(
        {  # synthetic: one bill auction per tenor, and a TIPS
            "auction_date": [date(2030, 1, 2)] * 8,
            "cusip": [f"SYN{i:06d}" for i in range(8)],
            "security_term": [*tenors, "10-Year"],
            "security_kind": ["Bill"] * 7 + ["TIPS"],
            "tenor": [*tenors, "10-Year"],
            "bid_to_cover": [3.0] * 8,
        }
    )
    fig = report.auction_figure(bills)
    colours = [t.line.color for t in fig.data if t.yaxis == "y"]
    assert len(colours) == 7 and len(set(colours)) == 7
    assert trace(fig, "10-Year TIPS").yaxis == "y2"  # only the panels that have auctions are drawn


def test_security_class_of_the_mart_wins_over_the_kind() -> None:
    assert report.auction_class("Note", "TIPS") == "TIPS and FRN"
    assert report.auction_class("Note", None) == "Nominal coupons (notes and bonds)"
    assert report.auction_class("CMB") == "Bills" and report.auction_class("FRN") == "TIPS and FRN"


def test_a_tenor_line_stops_across_missing_auctions() -> None:
    weekly = [date(2030, 1, 2), date(2030, 1, 9), date(2030, 1, 16), date(2030, 3, 6), date(2030, 3, 13)]
    group = pl.DataFrame(
        {"auction_date": weekly, "cusip": [f"SYN{i:06d}" for i in range(5)], "bid_to_cover": [3.0, 2.9, 2.8, 2.7, 2.6]}
    )  # synthetic: seven weeks missing
    drawn = report.with_gaps(group)
    assert drawn.height == 6 and drawn["bid_to_cover"].to_list()[3] is None
    assert date(2030, 1, 16) < drawn["auction_date"].to_list()[3] < date(2030, 3, 6)  # inside the gap
    assert report.with_gaps(group.head(3)).height == 3  # regular weekly auctions: one unbroken line


def test_regime_labels_do_not_collide() -> None:
    regimes = pl.DataFrame(
        {
            "regime": ["A-1", "A-2", "A-end", "B"],  # synthetic starts
            "effective_from": [date(2030, 1, 1), date(2030, 4, 1), date(2030, 4, 20), date(2031, 1, 1)],
        }
    )
    assert report.regime_labels(regimes) == [
        ("A-1", date(2030, 1, 1)),
        ("A-2 / A-end", date(2030, 4, 1)),
        ("B", date(2031, 1, 1)),
    ]


@pytest.mark.parametrize(
    ("tenor", "days"),
    [("4-Week", 28), ("13-Week", 91), ("2-Year", 730), ("n/a", 0)],
    ids=["4w", "13w", "2y", "unknown"],
)
def test_tenor_days(tenor: str, days: int) -> None:
    assert report.tenor_days(tenor) == days


@pytest.mark.parametrize(
    ("kind", "tenor", "label"),
    [
        ("Bill", "26-Week", "26-Week"),
        ("Bond", "30-Year", "30-Year"),
        ("TIPS", "10-Year", "10-Year TIPS"),
        ("CMB", "6-Day", "CMB"),
    ],
    ids=["bill", "bond", "tips", "cmb"],
)
def test_auction_series_label(kind: str, tenor: str, label: str) -> None:
    assert report.auction_series_label(kind, tenor) == label


def frames(**empty: bool) -> dict[str, pl.DataFrame]:
    """The literal frames keyed like read_marts, with the named ones emptied."""
    out = {"runoff": RUNOFF, "regimes": REGIMES, "liquidity": LIQUIDITY, "funding": FUNDING, "auctions": AUCTIONS}
    return {k: v.clear() if empty.get(k) else v for k, v in out.items()}


def test_page_embeds_plotlyjs_once_and_every_chart(extract_figures) -> None:
    page = report.render_html(report.build_sections(frames()), None, [], "synthetic")
    assert page.count("plotly.js v") == 1  # the bundle's banner: inlined once, not once per chart
    figures = extract_figures(page)
    assert len(figures) == 4
    assert [t["y"] for t in figures[1]["data"]][1] == [3000.0, 2990.5]
    assert "<script src=" not in page  # nothing fetched from a CDN


def test_an_empty_mart_gets_a_note_and_the_next_chart_carries_plotlyjs(extract_figures) -> None:
    page = report.render_html(report.build_sections(frames(runoff=True)), None, [], "synthetic")
    assert "marts.qt_runoff_monthly has no rows yet" in page
    assert len(extract_figures(page)) == 3
    assert page.index("plotly.js v") < page.index("Plotly.newPlot(")


def test_header_date_range_leaves_calendar_days_out() -> None:
    coverage = [
        ("liquidity_weekly", 3, date(2030, 1, 2), date(2030, 1, 16)),  # synthetic coverage rows
        ("funding_calendar", 9, date(2029, 12, 1), date(2030, 12, 31)),
    ]
    assert report.data_span(coverage) == (date(2030, 1, 2), date(2030, 1, 16))


def test_bundle_beside_the_page_is_written_once_and_loaded_by_relative_path(tmp_path) -> None:
    from qtwatch.report import render_html, write_bundle

    name = write_bundle(tmp_path)
    bundle = tmp_path / name
    assert bundle.stat().st_size > 1_000_000 and "plotly.js v" in bundle.read_text(encoding="utf-8")[:2000]
    written = bundle.stat().st_mtime_ns
    assert write_bundle(tmp_path) == name and bundle.stat().st_mtime_ns == written  # kept, not rewritten
    page = render_html([], None, [], "t", bundle=name)
    assert page.count(f'<script src="{name}"') == 1 and "plotly.js v" not in page
