"""`qtwatch report`: one self-contained HTML page of Plotly charts read from the warehouse marts.

Five charts, each built by a pure function (polars frame in, plotly Figure out) so they can be tested without a
warehouse: QT runoff vs the FOMC caps (marts.qt_runoff_monthly + ref.qt_cap_regimes), weekly liquidity
(marts.liquidity_weekly), daily funding stress (marts.funding_daily), auction bid-to-cover by tenor
(marts.auction_health) and the basis trade beside the funding calendar (marts.basis_weekly, marts.funding_calendar;
qtwatch/report_basis.py). plotly.js is embedded once, so the page opens offline (~5 MB); the pipeline's per-run
report loads it from one `plotly-<version>.min.js` written beside the page instead (`bundle_beside=True`).
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

import duckdb
import plotly.graph_objects as go
import plotly.io as pio
import polars as pl
from plotly.colors import qualitative

from qtwatch import report_basis, report_plumbing, report_reserves
from qtwatch._report_figures import line_trace, stacked_panels, y_titles, zero_line
from transforms.marts_registry import MARTS
from warehouse.db import WarehouseError, connect_readonly
from warehouse.holes import find_holes

DEFAULT_TITLE = "qtwatch: QT runoff and money-market plumbing"
# The QT-era window of the runoff and liquidity charts: QT1 started in October 2017.
SINCE = date(2017, 1, 1)
TRACE_TYPES = ("bar", "scatter")  # every chart is made of go.Bar and go.Scatter traces

RUNOFF_SQL = """SELECT month, ust_runoff_bn, ust_cap_bn, mbs_runoff_bn, mbs_cap_bn, regime
FROM marts.qt_runoff_monthly WHERE month >= ? ORDER BY month"""
REGIMES_SQL = """SELECT regime, episode, effective_from, effective_to, ust_cap_bn, mbs_cap_bn
FROM ref.qt_cap_regimes WHERE coalesce(effective_to, DATE '9999-12-31') >= ? ORDER BY effective_from"""
LIQUIDITY_SQL = """SELECT week, reserves_bn, on_rrp_bn, tga_bn, net_liquidity_bn
FROM marts.liquidity_weekly WHERE week >= ? ORDER BY week"""
# Spreads to IORB exist only from IORB's first day (2021-07-29): the chart starts there.
FUNDING_SQL = """SELECT date, sofr_iorb_bp, sofr_p1_iorb_bp, sofr_p99_iorb_bp, srf_takeup_bn
FROM marts.funding_daily
WHERE date >= (SELECT min(date) FROM marts.funding_daily WHERE iorb_pct IS NOT NULL) ORDER BY date"""
AUCTIONS_SQL = """SELECT auction_date, cusip, security_term, security_kind, tenor, bid_to_cover
FROM marts.auction_health WHERE bid_to_cover IS NOT NULL ORDER BY auction_date, cusip"""
LATEST_RUN_SQL = """SELECT run_id, mode, as_of, finished_at, status FROM meta.runs
ORDER BY started_at DESC LIMIT 1"""
# (mart, its date column): what the coverage table of the header lists (the registry's marts with in_report).
COVERAGE = tuple((m.name, m.date_column) for m in MARTS.values() if m.in_report)

CAPTIONS = {
    "runoff": "Bars: how much the Fed's Treasury (top) and agency MBS (bottom) holdings fell each month "
    "(H.4.1, $bn; negative = holdings grew). Step line: the FOMC monthly cap in force. Shaded: QT "
    "episodes; dotted lines: cap regime changes. The axis is clipped to 1.5x the largest cap, so the "
    "2020-21 purchases (hundreds of $bn of growth) run off the bottom: hover or zoom to see them. "
    "Treasury runoff sits slightly under its cap because TIPS inflation accretion adds to holdings; in "
    "QT2 MBS runoff stayed well under its cap because mortgage paydowns were slow.",
    "liquidity": "Wednesday levels, $bn (reserves: week average). Net liquidity = Fed total assets - TGA - ON RRP. "
    "A TGA build or ON RRP inflow drains reserves; QT shrinks total assets. Watch reserves once ON RRP "
    "is near zero: runoff then drains reserves roughly one-for-one (TGA swings aside).",
    "funding": "Top: SOFR minus the interest on reserve balances (IORB), basis points; thin lines: the 1st and 99th "
    "volume-weighted SOFR percentiles minus IORB where the NY Fed data is loaded. Above zero, repo pays "
    "more than reserves: reserves are no longer abundant. Bottom: Standing Repo Facility (and temporary "
    "repo) take-up, $bn: the Fed's backstop being used.",
    "auctions": "Bid-to-cover = bids tendered / amount accepted, per auction, one line per tenor in three panels: "
    "bills, nominal notes and bonds, TIPS and FRNs. A falling ratio for a tenor means weaker demand for "
    "new supply; compare a tenor with its own history, not across tenors. A line stops where auctions "
    "are missing from the data (most 2025 bill auctions have no recorded results); TIPS are shown "
    "apart only where the data flags them.",
    "basis": report_basis.CAPTION,
    "reserves": report_reserves.CAPTION,
    "plumbing": report_plumbing.CAPTION,
}


@dataclass(frozen=True)
class Section:
    """One chart of the report: its anchor, heading, caption and figure (None = its mart has no rows yet)."""

    key: str
    heading: str
    figure: go.Figure | None
    empty_note: str = ""


# ---------------------------------------------------------------------------------------------------------------
# Charts: pure frame -> Figure


def _finish(fig: go.Figure, height: int, **layout: object) -> go.Figure:
    """Common look: fixed height (the page gives each chart its own), white template, tight margins."""
    fig.update_layout(height=height, template=white_template(), margin={"t": 40, "b": 30, "l": 70, "r": 20}, **layout)
    return fig


@functools.cache
def white_template() -> go.layout.Template:
    """plotly's "plotly_white" look for the trace types the report draws (bar, scatter). The named template
    carries styles for 24 trace types, which every figure validated and deep-copied again (~0.1 s a report, and
    ~20 KB of every page); read from plotly's own template file, it never builds the other 22."""
    try:
        text = resources.files("plotly").joinpath("package_data/templates/plotly_white.json").read_text()
        whole = json.loads(text)
    except (OSError, ValueError):  # a plotly that keeps its templates elsewhere: the registered one
        whole = pio.templates["plotly_white"].to_plotly_json()
    return go.layout.Template(layout=whole["layout"], data={kind: whole["data"][kind] for kind in TRACE_TYPES})


def runoff_figure(runoff: pl.DataFrame, regimes: pl.DataFrame) -> go.Figure:
    """Monthly Treasury and MBS runoff bars ($bn) vs their cap steps, QT episodes shaded, regime changes marked."""
    fig = stacked_panels(("Treasury securities", "Agency MBS"), 0.06, shared_xaxes=True)
    months = runoff["month"].to_list()
    for row, (asset, label) in enumerate((("ust", "Treasury"), ("mbs", "MBS")), start=1):
        fig.add_trace(
            go.Bar(
                x=months,
                y=runoff[f"{asset}_runoff_bn"].to_list(),
                name=f"{label} runoff",
                marker_color="#1f77b4" if asset == "ust" else "#2ca02c",
                xperiod="M1",
                xperiodalignment="middle",
                hovertemplate="%{x|%b %Y}: %{y:.1f} $bn",
            ),
            row=row,
            col=1,
        )
        # "hvh" steps half-way between mid-month points, i.e. at the month boundary where the cap changes.
        fig.add_trace(
            go.Scatter(
                x=months,
                y=runoff[f"{asset}_cap_bn"].to_list(),
                name=f"{label} cap",
                mode="lines",
                line={"shape": "hvh", "color": "#d62728", "width": 2},
                xperiod="M1",
                xperiodalignment="middle",
                hovertemplate="%{x|%b %Y} cap: %{y:.1f} $bn",
            ),
            row=row,
            col=1,
        )
        fig.update_yaxes(title_text="$bn per month", range=_runoff_range(runoff, asset), row=row, col=1)
    _mark_regimes(fig, regimes, until=max(months, default=SINCE))
    return _finish(fig, 640, barmode="overlay", bargap=0.1)


def _runoff_range(runoff: pl.DataFrame, asset: str) -> list[float] | None:
    """y range of a runoff panel: +-1.5x the largest cap (wider if capped months ran above it), so QT-size bars stay
    readable; purchase months (2020-21, several hundred $bn) run off the bottom and show on hover or zoom."""
    largest = runoff[f"{asset}_cap_bn"].max()
    if largest is None:
        return None
    cap = float(largest)  # type: ignore[arg-type] # a Float64 column's max is a float
    capped = runoff.filter(pl.col(f"{asset}_cap_bn").is_not_null())[f"{asset}_runoff_bn"]
    top = max(1.5 * cap, 1.1 * float(capped.max() or 0))  # type: ignore[arg-type]
    return [-1.5 * cap, top]


def _mark_regimes(fig: go.Figure, regimes: pl.DataFrame, until: date) -> None:
    """Shade each QT episode's capped months (an open-ended one up to `until`) and draw a labelled dotted line at
    every regime start."""
    _shade_episodes(fig, regimes, until)
    lines = [_regime_line(regime, start) for regime, start in regimes.select("regime", "effective_from").iter_rows()]
    # close starts share one label: none print over another
    labels = [_regime_label(text, start) for text, start in regime_labels(regimes)]
    # One layout update: add_shape/add_annotation per regime re-validate and copy the whole layout each time.
    fig.update_layout(shapes=[*fig.layout.shapes, *lines], annotations=[*fig.layout.annotations, *labels])


def _shade_episodes(fig: go.Figure, regimes: pl.DataFrame, until: date) -> None:
    """A light band over each QT episode's capped months (an open-ended one up to `until`), named at its foot."""
    capped = regimes.filter(pl.col("ust_cap_bn").is_not_null())
    episodes = capped.group_by("episode").agg(pl.col("effective_from").min(), pl.col("effective_to").max())
    for episode, start, end in episodes.sort("effective_from").iter_rows():
        # Episode names sit at the bottom of their band, clear of the regime labels along the top.
        fig.add_vrect(
            x0=start,
            x1=end or until,
            fillcolor="#ff7f0e",
            opacity=0.08,
            line_width=0,
            layer="below",
            annotation_text=episode,
            annotation_position="bottom left",
        )


def _regime_line(regime: str, start: date) -> dict:
    """The dotted full-height line (a layout shape) at a regime's start."""
    return {
        "type": "line",
        "x0": start,
        "x1": start,
        "xref": "x",
        "yref": "paper",
        "y0": 0,
        "y1": 1,
        "line": {"color": "#7f7f7f", "width": 1, "dash": "dot"},
        "name": regime,
    }


def _regime_label(text: str, start: date) -> dict:
    """The rotated label (a layout annotation) along the top of the plot at a regime start."""
    return {
        "x": start,
        "y": 1.0,
        "xref": "x",
        "yref": "paper",
        "text": text,
        "showarrow": False,
        "textangle": -90,
        "xanchor": "right",
        "yanchor": "top",
        "font": {"size": 9, "color": "#555"},
    }


# Regime starts closer than this share one label, or their rotated texts would print over each other.
LABEL_MIN_DAYS = 45


def regime_labels(regimes: pl.DataFrame, min_days: int = LABEL_MIN_DAYS) -> list[tuple[str, date]]:
    """(text, x) of the regime-start labels: starts within `min_days` of the previous one join its label."""
    labels: list[tuple[list[str], date, date]] = []  # (names, first start, last start)
    for regime, start in regimes.sort("effective_from").select("regime", "effective_from").iter_rows():
        if labels and (start - labels[-1][2]).days < min_days:
            labels[-1] = (labels[-1][0] + [regime], labels[-1][1], start)
        else:
            labels.append(([regime], start, start))
    return [(" / ".join(names), first) for names, first, _ in labels]


def liquidity_figure(liquidity: pl.DataFrame) -> go.Figure:
    """Weekly reserves, ON RRP, TGA and net liquidity, $bn, one line each on one axis."""
    fig = go.Figure()
    weeks = liquidity["week"].to_list()
    series = (
        ("net_liquidity_bn", "Net liquidity", "#000000"),
        ("reserves_bn", "Reserves", "#1f77b4"),
        ("on_rrp_bn", "ON RRP", "#9467bd"),
        ("tga_bn", "TGA", "#ff7f0e"),
    )
    for column, name, color in series:
        fig.add_trace(
            go.Scatter(
                x=weeks,
                y=liquidity[column].to_list(),
                name=name,
                mode="lines",
                line={"color": color, "width": 2 if column == "net_liquidity_bn" else 1.5},
                hovertemplate=f"{name} %{{x|%Y-%m-%d}}: %{{y:,.0f}} $bn",
            )
        )
    return _finish(fig, 460, yaxis_title="$ billions", hovermode="x unified")


def funding_figure(funding: pl.DataFrame) -> go.Figure:
    """Daily SOFR-IORB with its p1/p99 tails (bp) over Standing Repo Facility take-up bars ($bn)."""
    fig = stacked_panels(
        ("SOFR - IORB (bp)", "Standing Repo Facility take-up ($bn)"),
        0.06,
        shared_xaxes=True,
        row_heights=[0.65, 0.35],
    )
    days = funding["date"].to_list()
    tails = (("sofr_p99_iorb_bp", "SOFR p99 - IORB", "#d62728"), ("sofr_p1_iorb_bp", "SOFR p1 - IORB", "#2ca02c"))
    for column, name, color in tails:
        fig.add_trace(line_trace(days, funding[column].to_list(), name, {"color": color, "width": 1}), row=1, col=1)
    fig.add_trace(
        line_trace(days, funding["sofr_iorb_bp"].to_list(), "SOFR - IORB", {"color": "#1f77b4", "width": 1.5}),
        row=1,
        col=1,
    )
    # A filled step line, not bars: 1,000+ daily bars are thinner than a pixel and the spikes vanish.
    fig.add_trace(
        line_trace(
            days,
            funding["srf_takeup_bn"].to_list(),
            "SRF take-up",
            {"color": "#8c564b", "width": 1, "shape": "hv"},
            fill="tozeroy",
        ),
        row=2,
        col=1,
    )
    zero_line(fig, row=1)
    y_titles(fig, "bp", "$bn")
    return _finish(fig, 560)


def tenor_days(tenor: str) -> int:
    """Approximate length in days of a tenor label like '13-Week' or '10-Year' (for legend order); 0 if unknown."""
    found = re.fullmatch(r"(\d+)-(Day|Week|Month|Year)", tenor or "")
    if not found:
        return 0
    return int(found.group(1)) * {"Day": 1, "Week": 7, "Month": 30, "Year": 365}[found.group(2)]


def auction_series_label(kind: str, tenor: str) -> str:
    """Legend label of an auction: its tenor for bills and nominal coupons, tenor + kind for TIPS/FRN, 'CMB'."""
    if kind == "CMB":
        return "CMB"
    return tenor if kind in ("Bill", "Note", "Bond", "Note/Bond") else f"{tenor} {kind}"


# The auction panels (small multiples): bills, nominal fixed-rate coupons, and the two coupon kinds whose
# bid-to-cover is not comparable with nominals (TIPS price off real yields, FRNs off a discount margin).
AUCTION_CLASSES = ("Bills", "Nominal coupons (notes and bonds)", "TIPS and FRN")
# One colour per tenor within a panel: no panel has more tenors than this palette has colours.
TENOR_COLOURS = qualitative.D3
# A tenor's line is broken where the next auction comes more than this many of its usual intervals later (one
# missed auction doubles it): the recordings miss auctions (most 2025 bills); a line would invent them.
GAP_FACTOR = 1.6


def auction_class(kind: str | None, security_class: str | None = None) -> str:
    """The panel of an auction: the mart's `security_class` when it has one, else its security_kind."""
    text = (security_class or kind or "").lower()
    if "bill" in text or text == "cmb":
        return AUCTION_CLASSES[0]
    if any(word in text for word in ("tips", "frn", "inflation", "float")):
        return AUCTION_CLASSES[2]
    return AUCTION_CLASSES[1]


def with_gaps(group: pl.DataFrame, factor: float = GAP_FACTOR) -> pl.DataFrame:
    """One tenor's auctions by date with a null-valued row inserted inside every gap longer than `factor` times
    the tenor's median interval, so the line stops there (Plotly does not connect across nulls)."""
    group = group.sort("auction_date", "cusip")
    steps = group["auction_date"].diff().dt.total_days()
    median = steps.median()
    if not isinstance(median, int | float) or group.height < 3:
        return group
    gaps = group.with_columns(step=steps).filter(pl.col("step") > factor * max(float(median), 1.0))
    if gaps.is_empty():
        return group
    breaks = gaps.select(
        (pl.col("auction_date") - pl.duration(days=pl.col("step") // 2)).alias("auction_date"),
        *[pl.lit(None, dtype=group.schema[c]).alias(c) for c in group.columns if c != "auction_date"],
    ).select(group.columns)
    return pl.concat([group, breaks]).sort("auction_date", nulls_last=True)


def auction_figure(auctions: pl.DataFrame) -> go.Figure:
    """Bid-to-cover per auction in three panels (bills, nominal coupons, TIPS/FRN), one line and one colour per
    tenor within a panel, lines broken across missing auctions, each panel with its own legend beside it."""
    classes = [c for c in AUCTION_CLASSES if c in set(_classes(auctions))] or list(AUCTION_CLASSES[:1])
    fig = stacked_panels(classes, 0.07, shared_xaxes=True)
    labelled = auctions.with_columns(
        label=pl.struct("security_kind", "tenor").map_elements(
            lambda r: auction_series_label(r["security_kind"], r["tenor"]), return_dtype=pl.Utf8
        ),
        panel=pl.Series(_classes(auctions), dtype=pl.Utf8),
    )
    for row, panel in enumerate(classes, start=1):
        for i, (label, group) in enumerate(_groups_by_tenor(labelled.filter(pl.col("panel") == panel))):
            fig.add_trace(_tenor_line(label, with_gaps(group), _legend(row), i), row=row, col=1)
        fig.update_yaxes(title_text="bid-to-cover (x)", row=row, col=1)
    height = 260 * len(classes) + 80
    return _finish(fig, height, **_panel_legends(fig, len(classes)))


def _legend(row: int) -> str:
    """The layout key of the legend beside panel `row` (plotly's first legend is plain "legend")."""
    return "legend" if row == 1 else f"legend{row}"


def _tenor_line(label: str, drawn: pl.DataFrame, legend: str, i: int) -> go.Scatter:
    """One tenor's bid-to-cover line (with markers; gaps where `drawn` has null rows), the panel's `i`th colour."""
    return go.Scatter(
        x=drawn["auction_date"].to_list(),
        y=drawn["bid_to_cover"].to_list(),
        name=label,
        legend=legend,
        mode="lines+markers",
        connectgaps=False,
        marker={"size": 5, "color": TENOR_COLOURS[i % len(TENOR_COLOURS)]},
        line={"width": 1.2, "color": TENOR_COLOURS[i % len(TENOR_COLOURS)]},
        text=drawn["security_term"].to_list(),
        customdata=drawn["cusip"].to_list(),
        hovertemplate=f"{label} %{{x|%Y-%m-%d}}: %{{y:.2f}}x<br>%{{text}}, %{{customdata}}<extra></extra>",
    )


def _panel_legends(fig: go.Figure, panels: int) -> dict[str, dict]:
    """Each panel's legend beside it, level with the panel's top: the panel domains run top to bottom."""
    return {
        _legend(row): {
            "y": fig.layout[f"yaxis{'' if row == 1 else row}"].domain[1],
            "yanchor": "top",
            "x": 1.02,
            "xanchor": "left",
            "tracegroupgap": 2,
        }
        for row in range(1, panels + 1)
    }


def _classes(auctions: pl.DataFrame) -> list[str]:
    """The panel of every auction row (security_class when the mart carries it)."""
    classes = auctions["security_class"].to_list() if "security_class" in auctions.columns else [None] * auctions.height
    return [auction_class(k, c) for k, c in zip(auctions["security_kind"].to_list(), classes, strict=True)]


def _groups_by_tenor(labelled: pl.DataFrame) -> list[tuple[str, pl.DataFrame]]:
    """(label, rows sorted by date) per auction label, shortest tenor first."""
    groups = [(key[0], frame.sort("auction_date", "cusip")) for key, frame in labelled.group_by("label")]
    return sorted(groups, key=lambda g: (tenor_days(g[1]["tenor"][0]), g[0]))


# ---------------------------------------------------------------------------------------------------------------
# Warehouse -> frames -> sections -> HTML


def read_marts(con: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    """The frames behind the charts (keys runoff, regimes, liquidity, funding, auctions, basis, calendar); clear
    error if a mart or ref table is missing."""
    _require_tables(con, ["marts." + m for m, _ in COVERAGE] + ["ref.qt_cap_regimes", "meta.runs"])
    has_class = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE schema_name = 'marts' AND table_name = "
        "'auction_health' AND column_name = 'security_class'"
    ).fetchall()[0][0]
    auctions_sql = (
        AUCTIONS_SQL.replace("security_kind,", "security_kind, security_class,") if has_class else AUCTIONS_SQL
    )
    # con.sql(params=) rather than warehouse.db.query_pl: its execute().to_arrow_table() path makes DuckDB 2 warn
    # on stderr, which `qtwatch report` users would see.
    return {
        **{
            key: con.sql(sql, params=params).pl()
            for key, sql, params in (
                ("runoff", RUNOFF_SQL, [SINCE]),
                ("regimes", REGIMES_SQL, [SINCE]),
                ("liquidity", LIQUIDITY_SQL, [SINCE]),
                ("funding", FUNDING_SQL, None),
                ("auctions", auctions_sql, None),
                ("basis", report_basis.BASIS_SQL, None),
                ("calendar", report_basis.CALENDAR_SQL, None),
            )
        },
        **report_plumbing.read_frames(con),
        **report_reserves.read_frames(con),
    }


def _require_tables(con: duckdb.DuckDBPyConnection, tables: list[str]) -> None:
    present = {f"{s}.{t}" for s, t in con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()}
    missing = [t for t in tables if t not in present]
    if missing:
        raise WarehouseError(
            f"{', '.join(missing)} not built yet in this warehouse: run `qtwatch run --replay` (or `qtwatch run`) first"
        )


# Frames a caller may leave out (no CFTC, plumbing or reserves marts): those sections then carry their notes.
OPTIONAL_FRAMES = ("basis", "dealers", "events", "reserves", "ampleness", "rmp")


@dataclass(frozen=True)
class SectionSpec:
    """How to build one section: its key, heading, the mart it draws (named when empty) and its figure."""

    key: str
    heading: str
    mart: str
    figure: Callable[[dict[str, pl.DataFrame]], go.Figure]


# The report's sections in page order.
SECTION_SPECS = (
    SectionSpec(
        "runoff",
        "QT runoff vs caps (monthly)",
        "qt_runoff_monthly",
        lambda frames: runoff_figure(frames["runoff"], frames["regimes"]),
    ),
    SectionSpec(
        "liquidity",
        "Reserves, ON RRP, TGA and net liquidity (weekly)",
        "liquidity_weekly",
        lambda frames: liquidity_figure(frames["liquidity"]),
    ),
    SectionSpec(
        "funding",
        "Funding stress: SOFR - IORB and SRF take-up (daily)",
        "funding_daily",
        lambda frames: funding_figure(frames["funding"]),
    ),
    SectionSpec(
        "auctions",
        "Treasury auction bid-to-cover by tenor",
        "auction_health",
        lambda frames: auction_figure(frames["auctions"]),
    ),
    SectionSpec(
        "basis",
        "Basis trade: leveraged funds' Treasury-futures shorts and the funding calendar (weekly)",
        "basis_weekly",
        lambda frames: _finish(report_basis.basis_figure(frames["basis"], frames["calendar"]), 680),
    ),
    SectionSpec(
        "plumbing",
        "Plumbing: dealer balance sheets and funding stress events (weekly, daily)",
        "funding_events",
        lambda frames: _finish(report_plumbing.plumbing_figure(frames["dealers"], frames["events"]), 640),
    ),
    SectionSpec(
        "reserves",
        "Reserves: why they moved, are they ample, RMP pace (weekly)",
        "reserves_weekly",
        lambda frames: _finish(report_reserves.reserves_figure(frames), 720),
    ),
)


def build_sections(frames: dict[str, pl.DataFrame]) -> list[Section]:
    """The report sections in page order; a section whose frame is empty carries a note instead of a chart."""
    # a caller without the CFTC, plumbing or reserves marts gets those sections' notes
    frames = {**{key: pl.DataFrame() for key in OPTIONAL_FRAMES}, **frames}
    frames["plumbing"] = frames["dealers"] if frames["events"].is_empty() else frames["events"]
    return [
        Section(spec.key, spec.heading, None, f"marts.{spec.mart} has no rows yet: run `qtwatch run --replay`.")
        if frames[spec.key].is_empty()
        else Section(spec.key, spec.heading, spec.figure(frames))
        for spec in SECTION_SPECS
    ]


def read_header(con: duckdb.DuckDBPyConnection) -> tuple[tuple | None, list[tuple]]:
    """(latest meta.runs row or None, [(mart, rows, first date, last date)]) for the page header."""
    runs = con.execute(LATEST_RUN_SQL).fetchall()
    coverage = [
        (mart, *con.execute(f"SELECT count(*), min({col}), max({col}) FROM marts.{mart}").fetchall()[0])
        for mart, col in COVERAGE
    ]  # names come from the COVERAGE constant, never from input
    return (runs[0] if runs else None), coverage


def render_html(
    sections: list[Section],
    run: tuple | None,
    coverage: list[tuple],
    title: str,
    bundle: str | None = None,
    holes: list | None = None,
) -> str:
    """One HTML document: header (latest run, coverage), then each section's heading, caption and chart; plotly.js
    is inlined with the first chart only, or loaded from the file `bundle` beside the page."""
    body, js_done = [], bundle is not None
    if bundle is not None:
        body.append(f'<script src="{html.escape(bundle)}" charset="utf-8"></script>')
    for section in sections:
        body.append(
            f'<section id="{section.key}"><h2>{html.escape(section.heading)}</h2>'
            f'<p class="how">How to read: {html.escape(CAPTIONS[section.key])}</p>'
        )
        if section.figure is None:
            body.append(f'<p class="empty">{html.escape(section.empty_note)}</p></section>')
            continue
        height = f"{section.figure.layout.height or 500}px"
        body.append(
            section.figure.to_html(
                full_html=False,
                include_plotlyjs=not js_done,
                default_height=height,
                config={"displaylogo": False, "responsive": True},
            )
        )
        body.append("</section>")
        js_done = True
    return PAGE.format(
        title=html.escape(title),
        run=_run_line(run, coverage),
        coverage=_coverage_table(coverage) + _holes_table(holes or []),
        body="\n".join(body),
    )


def _holes_table(holes: list) -> str:
    """The holes inside each dataset's history (warehouse/holes.py): a chart or answer spanning one is incomplete."""
    if not holes:
        return ""
    rows = "".join(f"<tr><td>{html.escape(h.dataset)}</td><td>{html.escape(h.text())}</td></tr>" for h in holes)
    return (
        '<p class="empty">Holes inside the data: a figure spanning one rests on incomplete inputs (marts print '
        "NULL or say so in a coverage column).</p>"
        f"<table><tr><th>dataset</th><th>missing inside its history</th></tr>{rows}</table>"
    )


def _run_line(run: tuple | None, coverage: list[tuple] | None = None) -> str:
    span = data_span(coverage or [])
    if run is None:
        return html.escape(
            (f"Data {span[0]} to {span[1]}. " if span else "") + "No pipeline run recorded in meta.runs."
        )
    run_id, mode, as_of, finished_at, status = run
    finished = finished_at.strftime("%Y-%m-%d %H:%M UTC") if finished_at else "unfinished"
    dates = f"Data {span[0]} to {span[1]}, as of {as_of}" if span else f"Data as of {as_of}"
    return html.escape(f"{dates} - latest run {run_id} ({mode}, {status}, published {finished}).")


# Marts of calendar days (known ahead), not observations: left out of the data's date range.
CALENDAR_MARTS = frozenset(m.name for m in MARTS.values() if m.forward)


def data_span(coverage: list[tuple]) -> tuple[date, date] | None:
    """(first, last) observation date over the marts of the coverage table: the data's real date range."""
    observed = [row for row in coverage if row[0] not in CALENDAR_MARTS]
    firsts = [first for _, _, first, _ in observed if first is not None]
    lasts = [last for _, _, _, last in observed if last is not None]
    return (min(firsts), max(lasts)) if firsts and lasts else None


def _coverage_table(coverage: list[tuple]) -> str:
    rows = "".join(
        f"<tr><td>marts.{m}</td><td>{n:,}</td><td>{first or '-'}</td><td>{last or '-'}</td></tr>"
        for m, n, first, last in coverage
    )
    return f"<table><tr><th>mart</th><th>rows</th><th>from</th><th>to</th></tr>{rows}</table>"


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5em auto; max-width: 1320px; color: #222; }}
h1 {{ margin-bottom: .2em; }} h2 {{ margin-top: 1.6em; border-bottom: 1px solid #ddd; }}
.run {{ color: #444; }} .how {{ color: #555; font-size: .92em; max-width: 1100px; }}
.empty {{ color: #a00; }} table {{ border-collapse: collapse; font-size: .9em; }}
td, th {{ border: 1px solid #ddd; padding: 2px 8px; text-align: left; }}
</style></head><body>
<h1>{title}</h1>
<p class="run">{run}</p>
{coverage}
{body}
</body></html>
"""


def build_report(
    con_or_path: duckdb.DuckDBPyConnection | Path | str,
    out_path: Path,
    *,
    title: str = DEFAULT_TITLE,
    bundle_beside: bool = False,
) -> Path:
    """Read the marts (a connection, or a warehouse path opened read-only) and write ONE self-contained HTML
    report to `out_path`; returns the path. Raises WarehouseError when the warehouse or a mart is missing.
    `bundle_beside`: load plotly.js from `plotly-<version>.min.js` beside the page (written once, kept while the
    version stays) instead of inlining ~5 MB in every page; the folder still opens offline."""
    if isinstance(con_or_path, duckdb.DuckDBPyConnection):
        return _write_report(con_or_path, Path(out_path), title, bundle_beside)
    with connect_readonly(Path(con_or_path)) as con:
        return _write_report(con, Path(out_path), title, bundle_beside)


def _write_report(con: duckdb.DuckDBPyConnection, out_path: Path, title: str, bundle_beside: bool) -> Path:
    sections = build_sections(read_marts(con))
    run, coverage = read_header(con)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    bundle = write_bundle(out_path.parent) if bundle_beside else None
    out_path.write_text(render_html(sections, run, coverage, title, bundle, find_holes(con)), encoding="utf-8")
    return out_path


def write_bundle(folder: Path) -> str:
    """Write plotly.js as `plotly-<version>.min.js` in `folder` unless it is already there; return its name."""
    from plotly import __version__
    from plotly.offline import get_plotlyjs

    name = f"plotly-{__version__}.min.js"
    path = folder / name
    if not path.exists():
        partial = folder / f".{name}.{os.getpid()}.tmp"  # a reader never sees half a bundle
        partial.write_text(get_plotlyjs(), encoding="utf-8")
        os.replace(partial, path)
    return name
