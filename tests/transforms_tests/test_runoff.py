"""build_qt_runoff_monthly on tiny synthetic Wednesday levels: boundary Wednesdays, regime change, missing values."""

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from transforms.runoff import SCHEMA, boundary_wednesday, build_qt_runoff_monthly

d = dt.date
# Synthetic weekly levels in $ millions (as FRED sends TREAST/WSHOMCB); 2024-02-14 is mid-month and must not matter.
WEDNESDAYS = [d(2024, 1, 3), d(2024, 1, 31), d(2024, 2, 14), d(2024, 3, 6), d(2024, 4, 3)]
TREAST_MN = [1_000_000.0, 940_000.0, 910_000.0, 880_000.0, 855_000.0]
WSHOMCB_MN = [500_000.0, 480_000.0, None, 465_000.0, 450_000.0]
REGIMES = pl.DataFrame(
    {
        "regime": ["R1", "R2"],
        "episode": ["QTX", "QTX"],
        "effective_from": [d(2024, 1, 1), d(2024, 3, 1)],
        "effective_to": [d(2024, 2, 29), None],
        "ust_cap_bn": [60, 25],
        "mbs_cap_bn": [35.0, 35.0],
    }
)


def fred_bn(treast: list[float | None], wshomcb: list[float | None]) -> pl.DataFrame:
    """Core FRED rows already converted (value_bn = value / 1000)."""
    n = len(WEDNESDAYS)
    return pl.DataFrame(
        {
            "series_id": ["TREAST"] * n + ["WSHOMCB"] * n,
            "date": WEDNESDAYS * 2,
            "value": treast + wshomcb,
        },
        schema_overrides={"value": pl.Float64},
    ).with_columns((pl.col("value") / 1000).alias("value_bn"))


@pytest.mark.parametrize(
    ("month", "wednesday"),
    [
        (d(2025, 5, 1), d(2025, 6, 4)),  # May 31 is a Saturday: its redemption settles Mon Jun 2, in the Jun 4 level
        (d(2024, 7, 1), d(2024, 7, 31)),  # month ends on a Wednesday: that Wednesday itself
        (d(2023, 9, 1), d(2023, 10, 4)),  # Sep 30 Saturday
        (d(2024, 2, 1), d(2024, 3, 6)),  # leap-year February ends Thursday 29th
    ],
    ids=["saturday-end", "wednesday-end", "september-saturday", "leap-february"],
)
def test_boundary_wednesday(month: dt.date, wednesday: dt.date) -> None:
    out = pl.select(boundary_wednesday(pl.lit(month)).alias("w")).item()
    assert out == wednesday


def test_runoff_monthly_measures_between_boundary_wednesdays_and_switches_regime() -> None:
    out = build_qt_runoff_monthly(fred_bn(TREAST_MN, WSHOMCB_MN), REGIMES)
    expected = pl.DataFrame(
        {
            "month": [d(2024, 1, 1), d(2024, 2, 1), d(2024, 3, 1)],
            "ust_holdings_bn": [940.0, 880.0, 855.0],
            "ust_runoff_bn": [60.0, 60.0, 25.0],
            "ust_cap_bn": [60.0, 60.0, 25.0],
            "mbs_holdings_bn": [480.0, 465.0, 450.0],
            "mbs_runoff_bn": [20.0, 15.0, 15.0],
            "mbs_cap_bn": [35.0, 35.0, 35.0],
            "total_runoff_bn": [80.0, 75.0, 40.0],
            "ust_cap_attainment": [1.0, 1.0, 1.0],
            "cumulative_runoff_bn": [80.0, 155.0, 195.0],
            "regime": ["R1", "R1", "R2"],
            "episode": ["QTX", "QTX", "QTX"],
            "mbs_cap_attainment": [20 / 35, 15 / 35, 15 / 35],
            "start_wednesday": [d(2024, 1, 3), d(2024, 1, 31), d(2024, 3, 6)],
            "end_wednesday": [d(2024, 1, 31), d(2024, 3, 6), d(2024, 4, 3)],
            "purchase_target_bn": [None, None, None],  # the literal regimes announce no purchases
            "purchase_attainment": [None, None, None],
        },
        schema=SCHEMA,
    )
    assert_frame_equal(out, expected)


def test_runoff_monthly_outside_regimes_has_no_cap_and_no_cumulative() -> None:
    later = REGIMES.filter(pl.col("regime") == "R2")
    out = build_qt_runoff_monthly(fred_bn(TREAST_MN, WSHOMCB_MN), later)
    assert out["regime"].to_list() == [None, None, "R2"]
    assert out["ust_cap_attainment"].to_list()[:2] == [None, None]
    assert out["cumulative_runoff_bn"].to_list() == pytest.approx([None, None, 40.0])


def test_runoff_monthly_missing_boundary_level_gives_null_runoff_not_a_wrong_one() -> None:
    treast = [1_000_000.0, 940_000.0, 910_000.0, None, 855_000.0]
    out = build_qt_runoff_monthly(fred_bn(treast, WSHOMCB_MN), REGIMES)
    assert out["ust_runoff_bn"].to_list() == pytest.approx([60.0, None, None])
    assert out["mbs_runoff_bn"].to_list() == pytest.approx([20.0, 15.0, 15.0])


def test_runoff_monthly_drops_month_whose_closing_wednesday_is_not_loaded() -> None:
    out = build_qt_runoff_monthly(fred_bn(TREAST_MN, WSHOMCB_MN), REGIMES)
    # April's closing Wednesday (2024-05-01) is not in the data: the month is incomplete, no row.
    assert d(2024, 4, 1) not in out["month"].to_list()
