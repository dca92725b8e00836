"""basis_weekly's plumbing columns: leveraged funds' shorts beside dealers' net positions (the Wednesday after the
report Tuesday) and the week's DVP repo volume."""

from datetime import date

import polars as pl
import pytest

from expectations import Validator


@pytest.fixture(scope="module")
def basis(replay_marts) -> pl.DataFrame:
    return replay_marts["basis_weekly"].filter(pl.col("tenor") == "total")


def row(frame: pl.DataFrame, day: date) -> dict:
    return frame.filter(pl.col("report_date") == day).row(0, named=True)


def test_dealers_week_sits_beside_the_cftc_week(basis):
    # CFTC report of Tuesday 2025-04-08; FR 2004 as of Wednesday 2025-04-09: $406.950bn (NY Fed, published total)
    week = row(basis, date(2025, 4, 8))
    assert week["pd_net_total_bn"] == 406.950 and week["pd_series_break"] == "SBN2024"
    assert week["pd_net_coupons_bn"] == pytest.approx(15.930 + 73.494 + 40.226 + 36.239 + 69.971 + 28.942 + 45.827)
    assert week["lev_net_notional_bn"] is not None  # the leveraged funds' short of the same week
    assert row(basis, date(2025, 4, 22))["pd_net_total_bn"] is None  # no dealer week recorded: NULL, not 0


def test_dvp_volume_of_the_week(replay_marts, basis):
    segments = replay_marts["repo_segments_daily"]
    week = row(basis, date(2026, 8, 4))
    window = segments.filter(pl.col("date").is_between(date(2026, 7, 29), date(2026, 8, 4)))
    assert window.height > 0
    assert week["nyfed_dvp_volume_avg_bn"] == pytest.approx(window["nyfed_dvp_volume_bn"].mean())
    assert week["dvp_volume_avg_bn"] is None  # no OFR recording


def test_suite_still_passes(replay_marts):
    outcome = Validator().validate("basis_weekly", replay_marts["basis_weekly"], as_of=date(2026, 9, 18))
    assert outcome.success, outcome.failed_rules
