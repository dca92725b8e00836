"""marts.funding_daily on real recorded data: stress_flag means stress, one row per Fed business day with the as-of
day's SRF take-up the same evening, and the SOFR averages/index from the NY Fed else FRED with their source."""

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from transforms.fred import parse_fred_api_observations, parse_fred_series_meta
from transforms.funding import build_funding_daily
from transforms.marts_registry import Frames
from transforms.nyfed import parse_reference_rates_csv, parse_rp_operations_json

d = dt.date
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEEDS = Path(__file__).resolve().parents[2] / "warehouse" / "seeds"


@pytest.fixture(scope="module")
def funding(replay_core: Frames) -> pl.DataFrame:
    return build_funding_daily(
        replay_core["fred_observations"], replay_core["nyfed_reference_rates"], replay_core["nyfed_rp_operations"]
    )


def day(funding: pl.DataFrame, date: dt.date) -> dict:
    return funding.filter(pl.col("date") == date).row(0, named=True)


@pytest.mark.parametrize(
    ("date", "reasons"),
    [
        # NY Fed SOFR 4.22% vs IORB 3.90%, SRF $50.35bn (Reuters 2025-12-31: the SRF's previous record, Oct 31 2025)
        # and SOFR's 99th percentile 4.35%: +45 bp (NY Fed SOFR search, cassettes/PROVENANCE.md)
        (d(2025, 10, 31), "sofr_at_srf_rate,sofr_jump,srf_takeup,sofr_p99_tail"),
        # mid-September 2025 corporate-tax date and coupon settlement: SOFR 4.51% vs IORB 4.40%, p99 4.68% (NY Fed)
        (d(2025, 9, 15), "sofr_at_srf_rate,sofr_jump,sofr_p99_tail"),
        # quarter ends: 2025-06-30 SRF $11.1bn; 2025-09-30 SOFR 4.24% (IORB 4.15%) and SRF $6bn;
        # year-end 2025 SOFR 3.87%
        (d(2025, 6, 30), "sofr_jump,srf_takeup"),
        (d(2025, 9, 30), "sofr_jump,srf_takeup"),
        (d(2025, 12, 31), "sofr_at_srf_rate,sofr_jump,sofr_p99_tail"),  # p99 4.00% vs IORB 3.65%
        (d(2024, 12, 31), "sofr_jump"),
    ],
)
def test_stress_flag_fires_on_the_known_stress_days(funding: pl.DataFrame, date: dt.date, reasons: str) -> None:
    row = day(funding, date)
    assert row["stress_flag"] and row["stress_reasons"] == reasons


def test_stress_flag_fires_on_few_ordinary_days(funding: pl.DataFrame) -> None:
    with_iorb = funding.filter(pl.col("iorb_pct").is_not_null() & (pl.col("date") <= d(2026, 6, 23)))
    # 2021-07-29..2026-06-23: 35 of 1,228 business days (2.9%), 29 of them in 2025's squeeze (Sep 15 .. Dec 31);
    # not 2025-12-11, the day the December cut took effect (p99 3.90% = the previous day's IORB)
    assert with_iorb["stress_flag"].mean() < 0.05
    assert (with_iorb["stress_flag"].sum(), with_iorb.height) == (35, 1228)
    assert day(funding, d(2025, 12, 11))["stress_flag"] is False
    # Q4 2025, when the old "SOFR above IORB" rule fired on 56 of 62 days: now the days of the squeeze that matter
    q4 = with_iorb.filter(pl.col("date").is_between(d(2025, 10, 1), d(2025, 12, 31)))
    assert (q4["stress_flag"].sum(), q4.height) == (26, 62)
    # H1 2026, SOFR trading a few bp above IORB is ordinary: only the first business day of the year is flagged
    h1 = with_iorb.filter(pl.col("date").is_between(d(2026, 1, 1), d(2026, 6, 23)))
    assert h1.filter("stress_flag")["date"].to_list() == [d(2026, 1, 2)]
    assert h1.filter(pl.col("sofr_iorb_bp") > 0).height == 33  # ... while SOFR printed above IORB on 33 days
    # and 2022-2024 (ample reserves): under 1% of days, all around quarter/year ends
    calm = with_iorb.filter(pl.col("date").dt.year().is_between(2022, 2024))
    assert calm["stress_flag"].mean() < 0.01


def test_raw_spreads_stay_beside_the_flag(funding: pl.DataFrame) -> None:
    row = day(funding, d(2025, 10, 31))
    assert (row["sofr_pct"], row["iorb_pct"], row["sofr_iorb_bp"]) == (4.22, 3.9, 32.0)
    assert row["srf_takeup_bn"] == pytest.approx(50.35)


def test_one_row_per_fed_business_day(funding: pl.DataFrame) -> None:
    dates = funding["date"]
    assert dates.is_unique().all() and dates.is_sorted()
    assert (dates.dt.weekday() <= 5).all()
    # Good Friday 2025 (Apr 18): the Fed is open, SIFMA closed: a row with ON RRP/SRF columns but no SOFR
    good_friday = day(funding, d(2025, 4, 18))
    assert good_friday["sofr_pct"] is None and good_friday["srf_takeup_bn"] == 0.0
    assert "SOFR or IORB" in good_friday["stress_inputs_missing"]
    # Thanksgiving is a Fed holiday: no row
    assert d(2025, 11, 27) not in dates.to_list()


def test_the_as_of_days_srf_takeup_is_visible_the_same_evening(replay_core: Frames) -> None:
    """The evening of Friday 2026-02-06: the day's operations are out (real lastTwoWeeks download), SOFR only to
    2026-02-05 (published 08:00 on the 6th) with the SOFRAI row dated the 6th (real NY Fed extract)."""
    ops = parse_rp_operations_json(
        (FIXTURES / "nyfed" / "rp_all_all_results_lastTwoWeeks_2026-02-06.json").read_bytes()
    )
    rates = parse_reference_rates_csv((FIXTURES / "nyfed" / "rates_all_sofrai_2026-02-05_06.csv").read_bytes())
    known = replay_core["fred_observations"].filter((pl.col("series_id") == "IORB") | (pl.col("date") <= d(2026, 2, 5)))
    mart = build_funding_daily(known, rates, ops)
    evening = day(mart, d(2026, 2, 6))
    assert mart["date"].max() == d(2026, 2, 6)
    assert evening["srf_takeup_bn"] == pytest.approx(0.001)  # $1m at the 08:15 operation, $0 at 13:30
    assert evening["sofr_pct"] is None and evening["sofr_iorb_bp"] is None
    assert evening["stress_flag"] is False and "SOFR or IORB" in evening["stress_inputs_missing"]
    assert evening["sofr_avg_source"] == "nyfed" and evening["sofr_index"] is not None
    assert day(mart, d(2026, 2, 5))["sofr_pct"] is not None


def test_sofr_index_comes_from_fred_when_the_nyfed_sent_none(replay_core: Frames) -> None:
    """FRED SOFRINDEX 2024-06-03..06 (real API body, OpenBB cassette 2024-06-27); the replay's NY Fed rates of June
    2024 carry no SOFRAI rows, so the index comes from FRED and says so."""
    index = parse_fred_api_observations(
        (FIXTURES / "fred" / "series_observations_SOFRINDEX_2024-06-01_2024-06-06.json").read_bytes(), "SOFRINDEX"
    )
    fred_bn = pl.concat(
        [
            replay_core["fred_observations"],
            index.with_columns(value_bn=pl.lit(None, pl.Float64)).select(replay_core["fred_observations"].columns),
        ]
    )
    mart = build_funding_daily(fred_bn, replay_core["nyfed_reference_rates"], replay_core["nyfed_rp_operations"])
    june = mart.filter(pl.col("date").is_between(d(2024, 6, 3), d(2024, 6, 6)))
    assert june["sofr_index"].to_list() == [1.14075319, 1.14092272, 1.14109164, 1.14126058]
    assert june["sofr_avg_source"].to_list() == ["fred"] * 4
    none = mart.filter(
        pl.all_horizontal(
            pl.col(c).is_null() for c in ("sofr_avg_30d_pct", "sofr_avg_90d_pct", "sofr_avg_180d_pct", "sofr_index")
        )
    )
    assert none["sofr_avg_source"].null_count() == none.height


def test_replay_sofr_averages_reproduce_published_values(funding: pl.DataFrame) -> None:
    """The replay's FRED SOFR averages (recordings/PROVENANCE.md) against what the NY Fed published: its SOFR Averages
    and Index page for 2020-04-09 (30/90/180-day 0.26736/1.10782/1.37184, index 1.04137051) and its RSS item of
    2021-01-22 (30-day 0.08134; FRED's massey007 recording has the same value under the same date)."""
    april = day(funding, d(2020, 4, 9))
    assert (april["sofr_avg_30d_pct"], april["sofr_avg_90d_pct"], april["sofr_avg_180d_pct"], april["sofr_index"]) == (
        0.26736,
        1.10782,
        1.37184,
        1.04137051,
    )
    assert april["sofr_avg_source"] == "fred"
    assert day(funding, d(2021, 1, 22))["sofr_avg_30d_pct"] == 0.08134
    # the 30-day average 2019-06..2024-06 is FRED's whole series there (massey007 recording): ~1,250 business days
    held = funding.filter(pl.col("sofr_avg_30d_pct").is_not_null())
    assert held.height > 1200 and set(held["sofr_avg_source"].to_list()) == {"fred"}


def test_catalog_units_of_the_sofr_averages_are_freds() -> None:
    catalog = pl.read_csv(SEEDS / "fred_series.csv").filter(pl.col("series_id").str.starts_with("SOFR"))
    units = dict(catalog.select("series_id", "units").iter_rows())
    for series_id in ("SOFR30DAYAVG", "SOFRINDEX"):
        meta = parse_fred_series_meta((FIXTURES / "fred" / f"series_{series_id}.json").read_bytes())
        assert units[series_id] == meta["units"]
    assert units["SOFR90DAYAVG"] == units["SOFR180DAYAVG"] == "Percent"
