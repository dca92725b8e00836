"""The report's Reserves section (issue 23): the latest H.4.1 week's factor waterfall, reserves as a share of bank
assets against the abundance threshold, and the pace of reserve-management purchases per round vs announced.

Pure functions (frames in, plotly Figure out) over marts.reserves_weekly, marts.reserve_ampleness_weekly and
marts.rmp_rounds. A panel whose inputs are not recorded says so in its title instead of drawing a guess.
"""

from __future__ import annotations

import duckdb
import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from transforms.ampleness import ABUNDANT_RATIO_PCT
from transforms.reserves import FACTORS, contribution_column

TABLES = ("marts.reserves_weekly", "marts.reserve_ampleness_weekly", "marts.rmp_rounds")
# The latest week with complete inputs, else the latest week (its missing inputs are then named).
WATERFALL_SQL = """SELECT * FROM marts.reserves_weekly
WHERE week = coalesce((SELECT max(week) FROM marts.reserves_weekly WHERE missing_inputs IS NULL),
                      (SELECT max(week) FROM marts.reserves_weekly))"""
RATIO_SQL = """SELECT week, reserves_to_assets_pct, regime FROM marts.reserve_ampleness_weekly
WHERE reserves_to_assets_pct IS NOT NULL ORDER BY week"""
ROUNDS_SQL = "SELECT round, amount_bn, securities_growth_bn, status FROM marts.rmp_rounds ORDER BY window_from"
MISSING_SHOWN = 3  # missing inputs named in the waterfall's title (all of them are in missing_inputs)
FACTOR_LABELS = {
    "securities_bn": "Securities",
    "repo_bn": "Repo (SRF)",
    "loans_bn": "Loans",
    "other_supplying_bn": "Other supplying",
    "currency_bn": "Currency",
    "reverse_repo_foreign_bn": "Foreign RRP",
    "reverse_repo_others_bn": "ON RRP (others)",
    "tga_bn": "TGA",
    "other_absorbing_bn": "Other absorbing",
}
CAPTION = (
    "Top left: the latest H.4.1 week's change of reserve balances (Wednesday level) split by factor, $bn; a "
    "bar above zero added reserves (securities bought, TGA spent), below zero drained them; the bars add up "
    "to the change. Top right: reserves (week average) as a share of commercial banks' total assets (H.8), "
    f"percent, with the {ABUNDANT_RATIO_PCT:g}% line below which reserves stop being abundant (NY Fed Staff "
    "Report 1019). Bottom: securities bought over each reserve-management purchase round's own window "
    "(H.4.1 Wednesday levels) against the amount announced; a round without a reviewed amount has no "
    "announced bar. A panel whose inputs are not recorded says so in its title."
)


def read_frames(con: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    """The section's frames; empty ones when a warehouse predates these marts."""
    present = {f"{s}.{t}" for s, t in con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()}
    if not set(TABLES) <= present:
        return {"reserves": pl.DataFrame(), "ampleness": pl.DataFrame(), "rmp": pl.DataFrame()}
    return {
        key: con.sql(sql).pl()
        for key, sql in (("reserves", WATERFALL_SQL), ("ampleness", RATIO_SQL), ("rmp", ROUNDS_SQL))
    }


def _waterfall_title(week: pl.DataFrame) -> str:
    """The waterfall panel's title: the week, and what is not recorded when inputs are missing."""
    if week.is_empty():
        return "Why reserves moved: no H.4.1 week held"
    row = week.row(0, named=True)
    title = f"Why reserves moved, week of {row['week']} ($bn)"
    if not row["missing_inputs"]:
        return title
    missing = row["missing_inputs"].split(", ")
    shown = ", ".join(missing[:MISSING_SHOWN]) + (
        f" and {len(missing) - MISSING_SHOWN} more" if len(missing) > MISSING_SHOWN else ""
    )
    return f"{title}<br><sub>not recorded: {shown}</sub>"


def _waterfall(fig: go.Figure, week: pl.DataFrame) -> None:
    """Bars of the factors' contributions to the week's change of reserves."""
    row = week.row(0, named=True)
    values = [row[contribution_column(c)] for c in FACTORS]
    fig.add_trace(
        go.Bar(
            x=[FACTOR_LABELS[c] for c in FACTORS],
            y=values,
            name="Contribution to the week's change",
            marker_color=["#54a24b" if (v or 0) >= 0 else "#e45756" for v in values],
            hovertemplate="%{x}: %{y:,.1f} $bn",
        ),
        row=1,
        col=1,
    )


def _ratio(fig: go.Figure, ratio: pl.DataFrame) -> None:
    fig.add_trace(
        go.Scatter(
            x=ratio["week"].to_list(),
            y=ratio["reserves_to_assets_pct"].to_list(),
            name="Reserves / bank assets (%)",
            mode="lines",
            line={"color": "#4c78a8"},
        ),
        row=1,
        col=2,
    )
    fig.add_hline(y=ABUNDANT_RATIO_PCT, line={"color": "#d62728", "dash": "dash", "width": 1}, row=1, col=2)


def _rounds(fig: go.Figure, rounds: pl.DataFrame) -> None:
    labels = [
        f"{r} ({status.replace('_', ' ')})" if status != "complete" else r
        for r, status in rounds.select("round", "status").iter_rows()
    ]
    fig.add_trace(
        go.Bar(x=labels, y=rounds["amount_bn"].to_list(), name="Announced ($bn)", marker_color="#bab0ac"), row=2, col=1
    )
    fig.add_trace(
        go.Bar(
            x=labels,
            y=rounds["securities_growth_bn"].to_list(),
            name="Bought over the round's window ($bn)",
            marker_color="#f58518",
        ),
        row=2,
        col=1,
    )


def reserves_figure(frames: dict[str, pl.DataFrame]) -> go.Figure:
    """Waterfall of the latest week, ratio vs the abundance threshold, RMP pace per round."""
    week, ratio, rounds = frames["reserves"], frames["ampleness"], frames["rmp"]
    titles = (
        _waterfall_title(week),
        "Reserves / bank assets (%)" if not ratio.is_empty() else "Reserves / bank assets: H.8 not recorded",
        "Reserve-management purchases per round ($bn)",
    )
    fig = make_subplots(
        rows=2, cols=2, specs=[[{}, {}], [{"colspan": 2}, None]], vertical_spacing=0.16, subplot_titles=titles
    )
    if not week.is_empty():
        _waterfall(fig, week)
    if not ratio.is_empty():
        _ratio(fig, ratio)
    if not rounds.is_empty():
        _rounds(fig, rounds)
    fig.update_layout(barmode="group")
    return fig
