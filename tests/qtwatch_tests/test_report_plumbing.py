"""The report's Plumbing section on the recorded marts: dealer weeks by era, event days by severity."""

import polars as pl

from qtwatch import report, report_plumbing


def test_plumbing_figure_carries_the_marts_values(replay_marts):
    dealers = replay_marts["dealer_positions_weekly"]
    events = replay_marts["funding_events"]
    fig = report_plumbing.plumbing_figure(dealers, events)
    bars = {t.name: t for t in fig.data if t.type == "bar"}
    assert set(bars) == {"Dealers, SBN2015", "Dealers, SBN2022", "Dealers, SBN2024"}
    assert 539.632 in bars["Dealers, SBN2024"].y
    high = next(t for t in fig.data if t.name == "high event")
    assert len(high.x) == events.filter(pl.col("severity") == "high").height
    assert any("srf" in text and "month end" in text for text in high.text)


def test_section_is_on_the_page_and_empty_marts_get_a_note(replay_marts):
    frames = {"dealers": replay_marts["dealer_positions_weekly"], "events": replay_marts["funding_events"]}
    sections = {s.key: s for s in report.build_sections({**_empty_core(), **frames})}
    assert sections["plumbing"].figure is not None and sections["plumbing"].heading.startswith("Plumbing")
    empty = {s.key: s for s in report.build_sections(_empty_core())}
    assert empty["plumbing"].figure is None and "marts.funding_events has no rows yet" in empty["plumbing"].empty_note


def _empty_core() -> dict[str, pl.DataFrame]:
    return {k: pl.DataFrame() for k in ("runoff", "regimes", "liquidity", "funding", "auctions", "basis", "calendar")}
