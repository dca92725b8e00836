"""build_tga_daily: DTS closing balance in $ millions -> $ billions and day-on-day change."""

import datetime as dt

import polars as pl
from polars.testing import assert_frame_equal

from transforms.tga import SCHEMA, build_tga_daily

d = dt.date


def test_tga_daily_converts_and_diffs_over_holidays_and_missing_rows() -> None:
    tga = pl.DataFrame(
        {
            # 2025-07-04 (holiday) has no DTS; 2025-07-07 arrives with a null balance and is skipped.
            "date": [d(2025, 7, 3), d(2025, 7, 2), d(2025, 7, 7), d(2025, 7, 8)],
            "tga_mn": [350_000.0, 400_500.0, None, 330_250.0],
        }
    )
    expected = pl.DataFrame(
        {
            "date": [d(2025, 7, 2), d(2025, 7, 3), d(2025, 7, 8)],
            "tga_bn": [400.5, 350.0, 330.25],
            "tga_change_bn": [None, -50.5, -19.75],
        },
        schema=SCHEMA,
    )
    assert_frame_equal(build_tga_daily(tga), expected)
