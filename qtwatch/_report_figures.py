"""Figure set-up shared by the report's charts (qtwatch/report.py and its section modules): a column of stacked
panels, a panel's zero line and y-axis titles, and a plain line trace."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

ZERO_LINE = {"color": "#444", "width": 1}


def stacked_panels(titles: tuple[str, ...] | list[str], spacing: float, **options: Any) -> go.Figure:
    """One column of panels, one per title from top to bottom; `options` go to make_subplots (shared_xaxes,
    row_heights, specs)."""
    return make_subplots(rows=len(titles), cols=1, vertical_spacing=spacing, subplot_titles=titles, **options)


def zero_line(fig: go.Figure, row: int) -> None:
    """A thin dark horizontal line at y = 0 across panel `row`."""
    fig.add_hline(y=0, line=ZERO_LINE, row=row, col=1)


def y_titles(fig: go.Figure, *titles: str) -> None:
    """Title the y axis of each panel, top to bottom."""
    for row, title in enumerate(titles, start=1):
        fig.update_yaxes(title_text=title, row=row, col=1)


def line_trace(x: list, y: list, name: str, line: dict[str, Any], **options: Any) -> go.Scatter:
    """A named line (go.Scatter with mode "lines") of `y` over `x`; `options` are further Scatter properties."""
    return go.Scatter(x=x, y=y, name=name, mode="lines", line=line, **options)
