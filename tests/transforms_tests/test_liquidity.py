"""build_liquidity_weekly on tiny synthetic frames: holiday Wednesday, stale ON RRP, unit mix, changes."""

import datetime as dt

import polars as pl
from polars.testing import assert_frame_equal

from transforms.liquidity import SCHEMA, build_liquidity_weekly

d = dt.date
W1, W2, W3 = d(2024, 6, 12), d(2024, 6, 19), d(2024, 6, 26)  # 2024-06-19 is Juneteenth: no ON RRP operation


def fred_bn(rows: list[tuple[str, dt.date, float | None]]) -> pl.DataFrame:
    """Core FRED rows already in $ billions (synthetic round numbers)."""
    frame = pl.DataFrame(rows, schema={"series_id": pl.Utf8, "date": pl.Date, "value_bn": pl.Float64}, orient="row")
    return frame.with_columns(pl.col("value_bn").alias("value"))


ROWS = [
    ("WALCL", W1, 7300.0),
    ("WALCL", W2, 7290.0),
    ("WALCL", W3, 7280.0),
    ("WDTGAL", W1, 700.0),
    ("WDTGAL", W2, 750.0),
    ("WDTGAL", W3, 740.0),
    ("WRESBAL", W1, 3300.0),
    ("WRESBAL", W2, None),
    ("WRESBAL", W3, 3250.0),
    ("RRPONTSYD", W1, 400.0),
    ("RRPONTSYD", d(2024, 6, 18), 380.0),
    ("RRPONTSYD", W2, None),
]


def test_liquidity_weekly_uses_last_operation_day_for_holiday_and_drops_stale_rrp() -> None:
    out = build_liquidity_weekly(fred_bn(ROWS))
    expected = pl.DataFrame(
        {
            "week": [W1, W2, W3],
            "total_assets_bn": [7300.0, 7290.0, 7280.0],
            "reserves_bn": [3300.0, None, 3250.0],
            # W3: the last ON RRP value (06-18) is 8 days old, beyond the 6-day limit -> null, not stale.
            "on_rrp_bn": [400.0, 380.0, None],
            "on_rrp_date": [W1, d(2024, 6, 18), None],
            "tga_bn": [700.0, 750.0, 740.0],
            "net_liquidity_bn": [6200.0, 6160.0, None],
            "total_assets_bn_wow": [None, -10.0, -10.0],
            "reserves_bn_wow": [None, None, None],
            "on_rrp_bn_wow": [None, -20.0, None],
            "tga_bn_wow": [None, 50.0, -10.0],
            "net_liquidity_bn_wow": [None, -40.0, None],
        },
        schema_overrides={c: pl.Float64 for c in ("reserves_bn_wow",)},
    ).with_columns(pl.lit(None, pl.Float64).alias(c) for c in SCHEMA if c.endswith("_4w"))
    # No WRBWFRBL / WLRRAOL rows here: the Wednesday-basis columns stay NULL (never computed from part of them).
    expected = expected.with_columns(
        pl.lit(None, pl.Float64).alias(c) for c in ("reserves_wed_bn", "net_liquidity_h41_bn")
    )
    assert_frame_equal(out, expected.select(list(SCHEMA)).cast(SCHEMA))


def test_liquidity_weekly_four_week_change_needs_the_week_28_days_earlier() -> None:
    weeks = [d(2024, 1, 3) + dt.timedelta(weeks=i) for i in (0, 1, 4)]  # weeks 2 and 3 not loaded
    rows = [("WALCL", w, v) for w, v in zip(weeks, [100.0, 90.0, 60.0], strict=True)]
    out = build_liquidity_weekly(fred_bn(rows))
    assert out["total_assets_bn_4w"].to_list() == [None, None, -40.0]
    assert out["total_assets_bn_wow"].to_list() == [None, -10.0, None]
