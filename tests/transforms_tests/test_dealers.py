"""marts.dealer_positions_weekly on the real recorded weeks: it reproduces the NY Fed's published total from its
parts, keeps eras apart, says when a part is missing, and answers "how full are dealer balance sheets vs 2025-04"."""

from datetime import date

import polars as pl
import pytest

from expectations import Validator
from transforms import dealers, nyfed_pd


@pytest.fixture(scope="module")
def weekly(replay_marts) -> pl.DataFrame:
    return replay_marts["dealer_positions_weekly"]


def row(weekly: pl.DataFrame, day: date) -> dict:
    return weekly.filter(pl.col("as_of_date") == day).row(0, named=True)


@pytest.mark.parametrize(
    ("day", "published_bn"),
    [
        (date(2025, 4, 9), 406.950),
        (date(2025, 4, 16), 391.786),
        (date(2026, 4, 1), 539.632),
    ],
)
def test_parts_reproduce_the_published_total(weekly, day, published_bn):
    # NY Fed primary dealer statistics, PDPOSGST-TOT as published ($ millions 406,950 / 391,786 / 539,632;
    # tests/fixtures/nyfed/pd_positions_export_extract_2025-03-26_2026-04-08.csv)
    got = row(weekly, day)
    assert got["net_total_bn"] == published_bn
    assert got["components_sum_bn"] == pytest.approx(published_bn, abs=1e-9) and got["coverage"] == "complete"
    assert got["series_break"] == "SBN2024"


def test_every_complete_week_matches_the_total(weekly):
    complete = weekly.filter(pl.col("coverage") == "complete")
    assert complete.height == 7
    assert (complete["components_sum_bn"] - complete["net_total_bn"]).abs().max() < 1e-6


def test_april_2025_sell_off_vs_2026(weekly):
    # Net positions fell $16.9bn from 2025-04-02 to 2025-04-16 while the sell-off ran; a year on they were ~$140bn
    # higher (2026-04-08: $530.7bn vs 2025-04-09: $407.0bn).
    assert row(weekly, date(2025, 4, 16))["net_total_bn"] - row(weekly, date(2025, 4, 2))[
        "net_total_bn"
    ] == pytest.approx(-16.877)
    assert row(weekly, date(2025, 4, 9))["net_total_wow_bn"] == pytest.approx(-1.713)
    assert row(weekly, date(2026, 4, 8))["net_total_bn"] - row(weekly, date(2025, 4, 9))[
        "net_total_bn"
    ] == pytest.approx(123.768)


def test_week_over_week_never_crosses_a_series_break_or_a_gap(weekly):
    assert row(weekly, date(2022, 1, 5))["net_total_wow_bn"] is None  # first SBN2022 week after SBN2015
    assert row(weekly, date(2022, 1, 12))["net_total_wow_bn"] == pytest.approx(124.399 - 112.141)
    assert row(weekly, date(2025, 3, 26))["net_total_wow_bn"] is None  # after the recording's hole


def test_partial_weeks_say_what_is_missing_and_give_no_total(weekly):
    old = row(weekly, date(2021, 12, 1))
    assert old["components_sum_bn"] is None and old["net_coupons_bn"] is None  # PDPOSGSC-G11 not recorded
    assert old["coverage"].startswith("partial: missing frn, tips_le2y") and "coupons_gt11y" in old["coverage"]
    new = row(weekly, date(2022, 1, 5))
    assert new["net_coupons_gt11y_bn"] == pytest.approx(14.618 + 30.824)  # the two SBN2022 buckets
    assert "coupons" not in new["coverage"]


def test_financing_fails_and_suppressed_cells(weekly):
    first = row(weekly, date(2021, 12, 1))
    assert first["repo_bn"] == 1773.528 and first["reverse_repo_bn"] == 1542.603
    assert first["net_repo_financing_bn"] == pytest.approx(1773.528 - 1542.603)
    assert first["fails_total_bn"] == pytest.approx(95.869 + 113.276)
    assert first["securities_lent_bn"] is None and first["suppressed_items"] == "PDSOOS-UTSETTOT"
    assert row(weekly, date(2022, 1, 12))["repo_bn"] is None  # suppressed that week, never 0
    assert row(weekly, date(2022, 1, 19))["repo_wow_bn"] is None


def test_suite_passes_and_catches_a_unit_slip(weekly):
    validator = Validator()
    assert validator.validate("dealer_positions_weekly", weekly, as_of=date(2026, 9, 18)).success
    slipped = weekly.with_columns(pl.col("net_bills_bn") * 1000)
    outcome = validator.validate("dealer_positions_weekly", slipped, as_of=date(2026, 9, 18))
    assert not outcome.success and any("net_bills_bn" in r or "components_sum_bn" in r for r in outcome.failed_rules)


def test_empty_input_gives_an_empty_typed_mart():
    empty = dealers.build_dealer_positions_weekly(pl.DataFrame(schema=nyfed_pd.SCHEMA))
    assert empty.is_empty() and empty.schema == pl.Schema(dealers.SCHEMA)
