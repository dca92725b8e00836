"""The report's basis-trade section: leveraged funds' Treasury-futures net shorts by tenor (stacked, weekly) with
SOFR - IORB on a second axis, and the daily SOFR - IORB with the funding-calendar days marked.

Pure functions (frames in, plotly Figure out) over marts.basis_weekly and marts.funding_calendar.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go
import polars as pl

from qtwatch._report_figures import line_trace, stacked_panels, zero_line
from transforms.cftc import TENORS

# Spreads to IORB exist only from IORB's first day (2021-07-29): the section starts there.
BASIS_SQL = """SELECT report_date, tenor, lev_net_notional_bn, sofr_iorb_avg_bp, coverage
FROM marts.basis_weekly
WHERE tenor <> 'total' AND report_date >= DATE '2021-07-29' ORDER BY report_date, tenor"""
CALENDAR_SQL = """SELECT date, sofr_iorb_bp, is_treasury_settlement, is_tax_date, is_quarter_end, is_month_end
FROM marts.funding_calendar WHERE sofr_iorb_bp IS NOT NULL ORDER BY date"""
CAPTION = (
    "Top: leveraged funds' net short in the six CBOT Treasury futures (CFTC Traders in Financial Futures, "
    "Tuesday positions, $bn of face value, stacked by tenor; the basis trade's futures leg: hedge funds short "
    "futures against cash bonds financed in repo), with the week's average SOFR - IORB (bp, right axis). Gaps "
    "are weeks the recording misses (2023-10..12, 2024-06..12, 2025-05..12), not zero positions. Bottom: "
    "daily SOFR - IORB with the funding calendar marked: coupon settlement days, estimated-tax dates and "
    "quarter ends, the days repo pressure concentrates on."
)
TENOR_LABELS = {
    "2y": "2-year",
    "5y": "5-year",
    "10y": "10-year",
    "ultra_10y": "Ultra 10-year",
    "bond": "Bond",
    "ultra_bond": "Ultra Bond",
}
TENOR_COLORS = {
    "2y": "#4c78a8",
    "5y": "#f58518",
    "10y": "#54a24b",
    "ultra_10y": "#b279a2",
    "bond": "#e45756",
    "ultra_bond": "#72b7b2",
}
# (flag column, legend label, marker symbol, colour), drawn in this order (a day with several flags shows each).
MARKED_DAYS = (
    ("is_treasury_settlement", "Treasury coupon settlement", "circle-open", "#1f77b4"),
    ("is_tax_date", "Estimated-tax date", "diamond", "#2ca02c"),
    ("is_quarter_end", "Quarter end", "x", "#d62728"),
)
PANEL_TITLES = (
    "Leveraged funds' net short by tenor ($bn) and SOFR - IORB (bp)",
    "SOFR - IORB (bp) on funding-calendar days",
)


def basis_figure(basis: pl.DataFrame, calendar: pl.DataFrame) -> go.Figure:
    """Stacked weekly net short notional by tenor + weekly SOFR-IORB (2nd axis) over daily SOFR-IORB with the
    funding-calendar days marked."""
    fig = stacked_panels(
        PANEL_TITLES,
        0.07,
        shared_xaxes=True,
        row_heights=[0.6, 0.4],
        specs=[[{"secondary_y": True}], [{}]],
    )
    _add_net_shorts(fig, basis)
    weekly = basis.filter(pl.col("tenor") == TENORS[0])
    fig.add_trace(
        line_trace(
            weekly["report_date"].to_list(),
            weekly["sofr_iorb_avg_bp"].to_list(),
            "SOFR - IORB, week average",
            {"color": "#000", "width": 1.5},
        ),
        row=1,
        col=1,
        secondary_y=True,
    )
    _add_calendar_days(fig, calendar)
    zero_line(fig, row=2)
    _align_top_axes(fig, basis, weekly)
    fig.update_yaxes(title_text="bp", row=2, col=1)
    fig.update_layout(barmode="relative", bargap=0.05)
    return fig


def _add_net_shorts(fig: go.Figure, basis: pl.DataFrame) -> None:
    """The top panel's bars: leveraged funds' net short per tenor (stacked, left axis)."""
    for tenor in TENORS:
        rows = basis.filter(pl.col("tenor") == tenor)
        fig.add_trace(
            go.Bar(
                x=rows["report_date"].to_list(),
                y=(-rows["lev_net_notional_bn"]).to_list(),
                name=f"{TENOR_LABELS[tenor]} net short",
                marker_color=TENOR_COLORS[tenor],
                hovertemplate="%{x|%Y-%m-%d}: %{y:,.1f} $bn",
            ),
            row=1,
            col=1,
            secondary_y=False,
        )


def _add_calendar_days(fig: go.Figure, calendar: pl.DataFrame) -> None:
    """The bottom panel: daily SOFR - IORB, and a marker series per kind of funding-calendar day."""
    days = calendar["date"].to_list()
    fig.add_trace(
        line_trace(days, calendar["sofr_iorb_bp"].to_list(), "SOFR - IORB", {"color": "#7f7f7f", "width": 1}),
        row=2,
        col=1,
    )
    for flag, label, symbol, color in MARKED_DAYS:
        marked = calendar.filter(pl.col(flag))
        fig.add_trace(
            go.Scatter(
                x=marked["date"].to_list(),
                y=marked["sofr_iorb_bp"].to_list(),
                name=label,
                mode="markers",
                marker={"symbol": symbol, "color": color, "size": 6},
            ),
            row=2,
            col=1,
        )


def _align_top_axes(fig: go.Figure, basis: pl.DataFrame, weekly: pl.DataFrame) -> None:
    """Range and ticks of the top panel's two y axes, zeros and gridlines aligned (see aligned_axes)."""
    (left, left_step), (right, right_step) = aligned_axes(_stacked_span(basis), _span(weekly["sofr_iorb_avg_bp"]))
    fig.update_yaxes(title_text="$bn net short", row=1, col=1, secondary_y=False, range=left, dtick=left_step)
    fig.update_yaxes(title_text="bp", row=1, col=1, secondary_y=True, showgrid=False, range=right, dtick=right_step)


NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
AXIS_INTERVALS = 6


def nice_step(at_least: float) -> float:
    """The smallest round tick step (1, 2, 2.5 or 5 times a power of ten) that is at least `at_least`."""
    if at_least <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(at_least))
    return next(m * power for m in NICE_STEPS if m * power >= at_least * (1 - 1e-12))


def aligned_axes(
    left: tuple[float, float],
    right: tuple[float, float],
    intervals: int = AXIS_INTERVALS,
) -> tuple[tuple[list[float], float], tuple[list[float], float]]:
    """Ranges and round tick steps of two y axes sharing one plot: the same number of tick intervals (about
    `intervals`, whichever wastes least height) below and above zero on both, so both zeros (and every gridline)
    sit at the same height; each range covers its data."""
    best = None
    for below, above in ((b, n - b) for n in range(intervals - 2, intervals + 3) for b in range(n + 1)):
        axes = [_fit(lo, hi, below, above) for lo, hi in (left, right)]
        if any(axis is None for axis in axes):
            continue
        pairs = zip(axes, (left, right), strict=True)
        waste = sum((b - a) / max(hi - lo, 1e-9) for ((a, b), _), (lo, hi) in pairs)  # type: ignore[misc]
        if best is None or waste < best[0]:
            best = (waste, axes)
    assert best is not None  # one interval each side always fits a span that includes zero
    return best[1][0], best[1][1]  # type: ignore[return-value]


def _fit(lo: float, hi: float, below: int, above: int) -> tuple[list[float], float] | None:
    """[-below*step, above*step] with the smallest round step covering [lo, hi]; None if it cannot."""
    if (lo < 0 and below == 0) or (hi > 0 and above == 0):
        return None
    step = nice_step(max(-lo / below if below else 0.0, hi / above if above else 0.0))
    return [-below * step, above * step], step


def _span(values: pl.Series) -> tuple[float, float]:
    """(min, max) of `values` with zero inside (an axis with a zero line)."""
    clean = values.drop_nulls()
    if clean.is_empty():
        return 0.0, 1.0
    return min(0.0, float(clean.min())), max(0.0, float(clean.max()))  # type: ignore[arg-type]


def _stacked_span(basis: pl.DataFrame) -> tuple[float, float]:
    """(lowest, highest) of the stacked net-short bars: per week, the sum of the negative and of the positive."""
    shorts = basis.with_columns(short=-pl.col("lev_net_notional_bn"))
    per_week = shorts.group_by("report_date").agg(
        low=pl.col("short").clip(upper_bound=0).sum(), high=pl.col("short").clip(lower_bound=0).sum()
    )
    if per_week.is_empty():
        return 0.0, 1.0
    return min(0.0, float(per_week["low"].min())), max(0.0, float(per_week["high"].max()))  # type: ignore[arg-type]
