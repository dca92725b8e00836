"""The report's "Plumbing" section: primary dealers' net Treasury positions by week (coloured by FR 2004 series
break) over the funding stress events (marts.funding_events), each event day placed at its SOFR - IORB and coloured
by severity.

Pure functions (frames in, plotly Figure out) over marts.dealer_positions_weekly and marts.funding_events.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from qtwatch._report_figures import stacked_panels, y_titles, zero_line

DEALERS_SQL = """SELECT as_of_date, series_break, net_total_bn, net_bills_bn, net_coupons_bn, fails_total_bn, coverage
FROM marts.dealer_positions_weekly ORDER BY as_of_date"""
EVENTS_SQL = """SELECT date, signals, n_signals, severity, sofr_iorb_bp, srf_takeup_bn, calendar_context
FROM marts.funding_events ORDER BY date"""
TABLES = ("marts.dealer_positions_weekly", "marts.funding_events")
CAPTION = (
    "Top: primary dealers' net position in Treasuries (NY Fed FR 2004, Wednesday, $bn; bills + FRNs + coupons "
    "+ TIPS), one colour per series break: the items changed at each break, so compare eras with care; gaps "
    "are weeks the recording misses, not zero. Bottom: funding stress events, each day at its SOFR - IORB "
    "(bp) and coloured by severity; hover for the signals that fired (SOFR - IORB >= 5 bp, SOFR p99 - IORB "
    ">= 20 bp, SRF take-up >= $5bn, segment spreads, dealer fails) and the calendar context."
)
PANEL_TITLES = (
    "Primary dealers' net Treasury position ($bn, weekly)",
    "Funding stress events: SOFR - IORB (bp) by severity",
)
SEVERITY_COLORS = {"low": "#f2c14e", "medium": "#f78154", "high": "#b5233a"}
ERA_COLORS = {"SBN2013": "#9ecae1", "SBN2015": "#6baed6", "SBN2022": "#3182bd", "SBN2024": "#08519c"}


def read_frames(con) -> dict[str, pl.DataFrame]:
    """The section's frames; empty ones where a warehouse predates these marts."""
    present = {f"{s}.{t}" for s, t in con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()}
    return {
        key: con.sql(sql).pl() if table in present else pl.DataFrame()
        for key, sql, table in (("dealers", DEALERS_SQL, TABLES[0]), ("events", EVENTS_SQL, TABLES[1]))
    }


def plumbing_figure(dealers: pl.DataFrame, events: pl.DataFrame) -> go.Figure:
    """Weekly dealer net positions by era over the event days by severity."""
    fig = stacked_panels(PANEL_TITLES, 0.12, row_heights=[0.5, 0.5])
    _add_dealer_eras(fig, dealers)
    _add_events(fig, events)
    zero_line(fig, row=2)
    y_titles(fig, "$bn net long", "bp")
    fig.update_layout(bargap=0.1)
    return fig


def _add_dealer_eras(fig: go.Figure, dealers: pl.DataFrame) -> None:
    """The top panel: one bar series of weekly dealer net positions per FR 2004 series break."""
    for era in sorted(set(dealers["series_break"].drop_nulls())) if not dealers.is_empty() else []:
        rows = dealers.filter(pl.col("series_break") == era)
        fig.add_trace(
            go.Bar(
                x=rows["as_of_date"].to_list(),
                y=rows["net_total_bn"].to_list(),
                name=f"Dealers, {era}",
                marker_color=ERA_COLORS.get(era, "#999"),
                hovertemplate="%{x|%Y-%m-%d}: %{y:,.1f} $bn",
            ),
            row=1,
            col=1,
        )


def _add_events(fig: go.Figure, events: pl.DataFrame) -> None:
    """The bottom panel: the event days at their SOFR - IORB, one marker series per severity held."""
    for severity, color in SEVERITY_COLORS.items():
        rows = events.filter(pl.col("severity") == severity) if not events.is_empty() else events
        if rows.is_empty():
            continue
        text = [f"{s}; {c or 'no calendar flag'}" for s, c in rows.select("signals", "calendar_context").iter_rows()]
        fig.add_trace(
            go.Scatter(
                x=rows["date"].to_list(),
                y=rows["sofr_iorb_bp"].to_list(),
                mode="markers",
                name=f"{severity} event",
                text=text,
                marker={"color": color, "size": 7},
                hovertemplate="%{x|%Y-%m-%d}: %{y:+.0f} bp<br>%{text}",
            ),
            row=2,
            col=1,
        )
