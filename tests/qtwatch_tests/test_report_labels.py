"""Issue 25 item 8: the runoff chart's regime labels never print over each other. The check takes the bounding boxes
from the figure itself: each rotated label is a box one line of text wide (its font size) to the left of its x,
running down from the top by its text length; two boxes of the real FOMC cap regimes (warehouse/seeds/
qt_cap_regimes.csv, with their citations) must not intersect at the report's smallest plot width.

Reproduce: .venv/bin/python -m pytest tests/qtwatch_tests/test_report_labels.py -q
"""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path

import polars as pl

from qtwatch import report

ROOT = Path(__file__).resolve().parents[2]
PLOT_WIDTH_PX = 900  # the report page's narrowest chart area (a 1024 px window less margins)
PLOT_HEIGHT_PX = 640 - 150  # runoff_figure's height less its top and bottom margins and legend
CHAR_PX = 0.6  # a character of the sans-serif label font is about 0.6 of its size wide


def regimes() -> pl.DataFrame:
    return pl.read_csv(ROOT / "warehouse" / "seeds" / "qt_cap_regimes.csv", try_parse_dates=True)


def runoff_months(frame: pl.DataFrame) -> pl.DataFrame:
    months = pl.date_range(date(2017, 1, 1), date(2026, 9, 1), "1mo", eager=True)  # the report's span
    return pl.DataFrame(
        {
            "month": months,
            "ust_runoff_bn": 0.0,
            "ust_cap_bn": 10.0,
            "mbs_runoff_bn": 0.0,
            "mbs_cap_bn": 5.0,
            "regime": None,
        }
    )


def boxes(fig, span: tuple[date, date]) -> list[tuple[str, float, float, float, float]]:
    """(text, x0, x1, y0, y1) in pixels of every rotated (regime) label: text runs down from the top."""
    days = (span[1] - span[0]).days
    found = []
    for note in fig.layout.annotations:
        if note.textangle != -90:
            continue
        x = note.x if isinstance(note.x, date) else datetime.fromisoformat(str(note.x)).date()
        right = (x - span[0]).days / days * PLOT_WIDTH_PX
        size = note.font.size or 12
        found.append((note.text, right - size, right, 0.0, len(note.text) * size * CHAR_PX))
    return found


def overlapping(found: list[tuple[str, float, float, float, float]]) -> list[tuple[str, str]]:
    return [
        (a[0], b[0])
        for i, a in enumerate(found)
        for b in found[i + 1 :]
        if a[1] < b[2] and b[1] < a[2] and a[3] < b[4] and b[3] < a[4]
    ]


def test_no_two_regime_labels_overlap_on_the_real_regimes() -> None:
    frame = regimes()
    fig = report.runoff_figure(runoff_months(frame), frame)
    found = boxes(fig, (date(2017, 1, 1), date(2026, 9, 1)))
    assert len(found) == len(report.regime_labels(frame))  # the figure draws regime_labels(), not one per regime
    assert not overlapping(found), overlapping(found)


def test_the_check_catches_one_label_per_regime() -> None:
    """The regression this guards: one label per regime start (regime_labels() unused) overlapped."""
    frame = regimes()
    fig = report.runoff_figure(runoff_months(frame), frame)
    per_regime = [
        {"x": start, "text": name, "textangle": -90, "font": {"size": 9}}
        for name, start in frame.select("regime", "effective_from").iter_rows()
    ]
    fig.update_layout(annotations=per_regime)
    assert overlapping(boxes(fig, (date(2017, 1, 1), date(2026, 9, 1))))


def test_episode_names_sit_at_the_foot_of_their_band() -> None:
    frame = regimes()
    fig = report.runoff_figure(runoff_months(frame), frame)
    episodes = [a for a in fig.layout.annotations if a.textangle != -90 and a.text in set(frame["episode"])]
    assert episodes and all(a.yanchor == "bottom" for a in episodes)


def test_the_basis_charts_two_axes_have_round_ticks_and_one_zero() -> None:
    from qtwatch.report_basis import NICE_STEPS, aligned_axes

    # SYNTHETIC spans: stacked net shorts -120..980 $bn, weekly SOFR - IORB -7.3..12.6 bp
    (left, left_step), (right, right_step) = aligned_axes((-120.0, 980.0), (-7.3, 12.6))
    for (lo, hi), step, data in ((left, left_step, (-120.0, 980.0)), (right, right_step, (-7.3, 12.6))):
        assert step / 10 ** math.floor(math.log10(step)) in NICE_STEPS  # a round step: 1, 2, 2.5 or 5 x 10^n
        assert lo <= data[0] and hi >= data[1]  # the data fits
        assert (lo / step).is_integer() and (hi / step).is_integer()  # ticks land on the ends
    assert -left[0] / (left[1] - left[0]) == -right[0] / (right[1] - right[0])  # zero at one height on both


def test_the_basis_figure_uses_the_aligned_axes() -> None:
    from qtwatch.report_basis import basis_figure

    basis = pl.DataFrame(
        {
            "report_date": [date(2024, 1, 2)] * 2 + [date(2024, 1, 9)] * 2,  # SYNTHETIC
            "tenor": ["2y", "5y"] * 2,
            "lev_net_notional_bn": [-300.0, 40.0, -310.0, -20.0],
            "sofr_iorb_avg_bp": [-3.0, -3.0, 4.5, 4.5],
            "coverage": ["reported"] * 4,
        }
    )
    calendar = pl.DataFrame(
        {
            "date": [date(2024, 1, 2)],
            "sofr_iorb_bp": [-3.0],
            "is_treasury_settlement": [True],
            "is_tax_date": [False],
            "is_quarter_end": [False],
            "is_month_end": [False],
        }
    )
    fig = basis_figure(basis, calendar)
    left, right = fig.layout.yaxis, fig.layout.yaxis2
    assert left.dtick and right.dtick and left.range and right.range
    assert -left.range[0] / (left.range[1] - left.range[0]) == -right.range[0] / (right.range[1] - right.range[0])
