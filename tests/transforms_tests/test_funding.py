"""build_funding_daily on tiny synthetic frames: as-of IORB, NY Fed fallback, SRF zero days, period ends, stress."""

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from transforms.funding import (
    SCHEMA,
    SRF_STRESS_BN,
    build_funding_daily,
    flag_period_ends,
    flag_stress,
    sum_srf_takeup,
)

d = dt.date
D1, D2, D3, D4 = d(2025, 6, 26), d(2025, 6, 27), d(2025, 6, 30), d(2025, 7, 1)


def fred_bn(rows: list[tuple[str, dt.date, float | None]]) -> pl.DataFrame:
    """Core FRED rows; value_bn only for the dollar series (RRPONTSYD is already billions)."""
    frame = pl.DataFrame(rows, schema={"series_id": pl.Utf8, "date": pl.Date, "value": pl.Float64}, orient="row")
    return frame.with_columns(pl.when(pl.col("series_id") == "RRPONTSYD").then(pl.col("value")).alias("value_bn"))


FRED = fred_bn(
    [
        ("SOFR", D1, 4.30),
        ("SOFR", D2, 4.35),
        ("SOFR", D3, 4.45),
        ("SOFR", D4, None),  # D4 not yet on FRED
        # Synthetic IORB published on non-business days only: an equi-join would find nothing.
        ("IORB", d(2025, 6, 21), 4.40),
        ("IORB", d(2025, 6, 28), 4.30),
        ("EFFR", D1, 4.33),
        ("EFFR", D2, 4.33),
        ("EFFR", D3, 4.33),
        ("RRPONTSYD", D1, 200.0),
        ("RRPONTSYD", D2, 210.0),
        ("RRPONTSYD", D3, 460.0),
    ]
)
RATES = pl.DataFrame(
    [
        (D3, "SOFR", 4.45, 4.30, 4.60, 2800.0),
        (D3, "TGCR", 4.42, None, None, None),
        (D3, "BGCR", 4.43, None, None, None),
        (D4, "SOFR", 4.40, 4.28, 4.50, 2700.0),
        (D4, "EFFR", 4.33, 4.31, 4.40, 100.0),
    ],
    schema={
        "effective_date": pl.Date,
        "rate_type": pl.Utf8,
        "rate_pct": pl.Float64,
        "percentile_1_pct": pl.Float64,
        "percentile_99_pct": pl.Float64,
        "volume_bn": pl.Float64,
    },
    orient="row",
)
RP_OPS = pl.DataFrame(
    [
        ("RP1", D2, "Repo", 0.0),
        ("RRP1", D2, "Reverse Repo", 210e9),
        ("RP2", D3, "Repo", 3e9),
        ("RP3", D3, "Repo", 8e9),
        ("RRP2", D3, "Reverse Repo", 460e9),  # AM + PM repo
        ("RRP3", D4, "Reverse Repo", 190e9),
    ],
    schema={
        "operation_id": pl.Utf8,
        "operation_date": pl.Date,
        "operation_type": pl.Utf8,
        "total_amt_accepted_usd": pl.Float64,
    },
    orient="row",
)


def test_funding_daily_joins_iorb_as_of_and_fills_from_nyfed() -> None:
    out = build_funding_daily(FRED, RATES, RP_OPS)
    expected = pl.DataFrame(
        {
            "date": [D1, D2, D3, D4],
            "sofr_pct": [4.30, 4.35, 4.45, 4.40],  # D4 from NY Fed
            "iorb_pct": [4.40, 4.40, 4.30, 4.30],
            "sofr_iorb_bp": [-10.0, -5.0, 15.0, 10.0],
            "effr_pct": [4.33, 4.33, 4.33, 4.33],
            "effr_iorb_bp": [-7.0, -7.0, 3.0, 3.0],
            "sofr_p1_pct": [None, None, 4.30, 4.28],
            "sofr_p99_pct": [None, None, 4.60, 4.50],
            "sofr_p1_iorb_bp": [None, None, 0.0, -2.0],
            "sofr_p99_iorb_bp": [None, None, 30.0, 20.0],
            "tgcr_pct": [None, None, 4.42, None],
            "tgcr_iorb_bp": [None, None, 12.0, None],
            "bgcr_pct": [None, None, 4.43, None],
            "bgcr_iorb_bp": [None, None, 13.0, None],
            "sofr_volume_bn": [None, None, 2800.0, 2700.0],
            **{c: [None] * 4 for c in ("sofr_avg_30d_pct", "sofr_avg_90d_pct", "sofr_avg_180d_pct", "sofr_index")},
            "on_rrp_bn": [200.0, 210.0, 460.0, None],
            # D1 precedes the loaded operations (unknown -> null); D2 had a zero-award repo; D4 no repo at all -> 0.
            "srf_takeup_bn": [None, 0.0, 11.0, 0.0],
            # D4 is the data's last day but not July's last weekday: not a month end.
            "is_month_end": [False, False, True, False],
            "is_quarter_end": [False, False, True, False],
            "stress_flag": [False, False, True, True],
            # D3's p99 (4.60) is 30 bp over its IORB but only 20 bp over the previous day's (4.40): a cut day
            "stress_reasons": [None, None, "sofr_at_srf_rate,srf_takeup", "sofr_at_srf_rate"],
            "stress_inputs_missing": ["SRF take-up,SOFR p99", "SOFR p99", None, None],
            "sofr_avg_source": [None] * 4,
        },
        schema=SCHEMA,
    )
    assert_frame_equal(out, expected)


def test_funding_daily_has_no_srf_coverage_without_operations() -> None:
    out = build_funding_daily(FRED, RATES, RP_OPS.clear())
    assert out["srf_takeup_bn"].null_count() == out.height


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ([d(2021, 5, 28), d(2021, 6, 1)], [True, False]),  # May 31, 2021 was Memorial Day: the 28th closes May
        ([d(2025, 5, 29), d(2025, 5, 30)], [False, True]),  # last month of the data, 30th is May's last weekday
        ([d(2025, 9, 29)], [False]),  # last month of the data, not yet its last weekday
    ],
    ids=["holiday-month-end", "weekend-month-end-latest-month", "partial-latest-month"],
)
def test_flag_period_ends(dates: list[dt.date], expected: list[bool]) -> None:
    assert flag_period_ends(pl.DataFrame({"date": dates}))["is_month_end"].to_list() == expected


def test_flag_stress_thresholds_and_nulls_never_flag() -> None:
    """SYNTHETIC: SOFR 9.99 / 10 bp over IORB, SRF 4.99 / 5 bn, p99 24.99 / 25 bp; missing inputs are named."""
    frame = pl.DataFrame(
        {
            "date": [d(2026, 1, 5) + dt.timedelta(days=i) for i in range(5)],
            "sofr_iorb_bp": [9.99, 10.0, None, None, 1.0],
            "srf_takeup_bn": [4.99, None, SRF_STRESS_BN, None, 0.0],
            "sofr_p99_iorb_bp": [24.99, 1.0, None, None, 25.0],
            "iorb_pct": [3.0] * 5,
            "sofr_p99_pct": [3.2499, 3.01, None, None, 3.25],
        },
        schema_overrides={"srf_takeup_bn": pl.Float64},
    )
    out = flag_stress(frame)
    assert out["stress_flag"].to_list() == [False, True, True, False, True]
    assert out["stress_reasons"].to_list() == [None, "sofr_at_srf_rate", "srf_takeup", None, "sofr_p99_tail"]
    assert out["stress_inputs_missing"].to_list() == [
        None,
        "SRF take-up",
        "SOFR or IORB,SOFR p99",
        "SOFR or IORB,SRF take-up,SOFR p99",
        None,
    ]


def test_iorb_is_not_carried_past_its_last_loaded_value() -> None:
    """Synthetic: IORB loaded to 2026-01-02 only; a SOFR print 10 days later gets no IORB (nor a spread)."""
    from transforms.funding import attach_iorb

    fred_bn = pl.DataFrame(
        {
            "series_id": ["IORB", "IORB"],
            "date": [dt.date(2026, 1, 1), dt.date(2026, 1, 2)],
            "value": [3.65, 3.65],
            "value_bn": [None, None],
        },
        schema_overrides={"value_bn": pl.Float64},
    )
    daily = pl.DataFrame({"date": [dt.date(2026, 1, 5), dt.date(2026, 1, 12)]})
    assert attach_iorb(daily, fred_bn)["iorb_pct"].to_list() == [3.65, None]


def test_small_value_exercises_are_not_srf_takeup() -> None:
    """Synthetic ops: a 10:30 Small Value Exercise (HTML note, as the NY Fed writes it) beside two SRF operations."""
    ops = pl.DataFrame(
        [
            (
                "RP 010526 1",
                D1,
                "Repo",
                5e6,
                "<p>This operation is a Small Value Exercise (SVE); the daily SRF operation "
                "will still take place at its regularly scheduled time.</p>",
            ),
            ("RP 010526 2", D1, "Repo", 1e9, ""),
            ("RP 010526 3", D1, "Repo", 2e9, None),
        ],
        schema={
            "operation_id": pl.Utf8,
            "operation_date": pl.Date,
            "operation_type": pl.Utf8,
            "total_amt_accepted_usd": pl.Float64,
            "note": pl.Utf8,
        },
        orient="row",
    )
    assert sum_srf_takeup(ops)["srf_takeup_bn"].to_list() == [3.0]


def test_sofr_averages_reach_the_mart_on_their_own_date() -> None:
    sofrai = pl.DataFrame(
        {
            "effective_date": [D3],
            "rate_type": ["SOFRAI"],
            "sofr_avg_30d_pct": [4.31],
            "sofr_avg_90d_pct": [4.32],
            "sofr_avg_180d_pct": [4.33],
            "sofr_index": [1.18],
        }
    )
    out = build_funding_daily(FRED, pl.concat([RATES, sofrai], how="diagonal"), RP_OPS)
    row = out.filter(pl.col("date") == D3).row(0, named=True)
    assert (row["sofr_avg_30d_pct"], row["sofr_avg_90d_pct"], row["sofr_avg_180d_pct"], row["sofr_index"]) == (
        4.31,
        4.32,
        4.33,
        1.18,
    )
    assert row["sofr_pct"] == 4.45  # the SOFRAI row (no rate) does not displace SOFR


def test_srf_takeup_is_null_on_a_scheduled_day_the_operations_data_lacks() -> None:
    """SYNTHETIC: operations recorded Thu 2025-04-17 and Mon 04-21, none for Fri 04-18 (Good Friday: no operations
    scheduled -> 0) nor Tue 04-22..Wed 04-23 before Thu 04-24 (scheduled days missing from the data -> NULL)."""
    from transforms.funding import attach_srf_takeup

    ops = pl.DataFrame(
        {
            "operation_id": ["a", "b", "c"],
            "operation_date": [d(2025, 4, 17), d(2025, 4, 21), d(2025, 4, 24)],
            "operation_type": ["Repo", "Reverse Repo", "Repo"],
            "total_amt_accepted_usd": [1e9, 5e9, 0.0],
        }
    )
    daily = pl.DataFrame({"date": [d(2025, 4, 17), d(2025, 4, 18), d(2025, 4, 21), d(2025, 4, 22), d(2025, 4, 24)]})
    assert attach_srf_takeup(daily, ops)["srf_takeup_bn"].to_list() == [1.0, 0.0, 0.0, None, 0.0]
