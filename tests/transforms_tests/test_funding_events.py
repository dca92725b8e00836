"""marts.funding_events on the recorded history: the known stress days fire (2025-10-31: SRF $50.35bn), most
ordinary days do not (the rate is measured here), and each signal's threshold does what its docstring says."""

from datetime import date

import polars as pl
import pytest

from expectations import Validator
from transforms import funding_events


@pytest.fixture(scope="module")
def events(replay_marts) -> pl.DataFrame:
    return replay_marts["funding_events"]


def test_month_end_of_october_2025_is_a_high_severity_event(events):
    # NY Fed: $50.35bn of standing repo on 2025-10-31, SOFR 4.22% vs IORB 3.90% (+32 bp), SOFR - TGCR 7 bp; the
    # NY Fed SOFR download of 2026-09-18 (with percentiles) adds the p99 tail that day
    day = events.filter(pl.col("date") == date(2025, 10, 31)).row(0, named=True)
    assert day["srf_takeup_bn"] == 50.35 and day["sofr_iorb_bp"] == 32.0
    assert day["signals"] == "sofr_iorb, sofr_p99_iorb, srf, segment_spread" and day["severity"] == "high"
    assert day["calendar_context"] == "month end, Treasury settlement"


def test_the_late_2025_squeeze_fires_and_quiet_days_do_not(events):
    fired = set(events["date"])
    assert {date(2025, 9, 30), date(2025, 10, 30), date(2025, 11, 3), date(2025, 12, 31)} <= fired
    assert date(2025, 8, 12) not in fired and date(2026, 7, 15) not in fired


def test_most_ordinary_days_fire_nothing(replay_marts, events):
    # the recorded days with SOFR and IORB (2021-07-29..2026-09, SOFR percentiles from 2025-09): under 5% fire
    funding = replay_marts["funding_daily"].filter(pl.col("sofr_iorb_bp").is_not_null())
    on_gauge_days = events.filter(pl.col("date").is_in(funding["date"].implode()))
    assert funding.height == 1280
    assert on_gauge_days.height / funding.height < 0.05


def test_2019_09_17_is_before_the_recorded_iorb(replay_marts, events):
    # SOFR 5.25% on 2019-09-17 (NY Fed), but IORB starts 2021-07-29 (IOER before it is not in the catalog): the
    # recorded history cannot judge that day, so it is not marked rather than marked on a guessed spread.
    day = replay_marts["funding_daily"].filter(pl.col("date") == date(2019, 9, 17)).row(0, named=True)
    assert day["sofr_pct"] == 5.25 and day["iorb_pct"] is None
    assert date(2019, 9, 17) not in set(events["date"])


def test_thresholds_on_literal_days():
    # SYNTHETIC gauges: one day per rule, just over and just under
    funding = pl.DataFrame(
        {
            "date": [date(2026, 1, d) for d in (5, 6, 7, 8)],
            "sofr_iorb_bp": [5.0, 4.99, 20.0, None],
            "sofr_p99_iorb_bp": [None, 19.9, None, 20.0],
            "srf_takeup_bn": [0.0, 4.99, 25.0, 5.0],
        }
    )
    segments = pl.DataFrame(
        {"date": [date(2026, 1, 6)], "sofr_tgcr_bp": [5.0], "dvp_tri_bp": [None], "gcf_tri_bp": [None]},
        schema_overrides={"dvp_tri_bp": pl.Float64, "gcf_tri_bp": pl.Float64},
    )
    dealers = pl.DataFrame(schema={"as_of_date": pl.Date, "fails_total_bn": pl.Float64})
    calendar = pl.DataFrame({"date": [date(2026, 1, 7)], "is_month_end": [True]})
    out = funding_events.build_funding_events(funding, segments, dealers, calendar)
    got = {r["date"].day: (r["signals"], r["severity"]) for r in out.iter_rows(named=True)}
    assert got == {
        5: ("sofr_iorb", "low"),
        6: ("segment_spread", "low"),
        7: ("sofr_iorb, srf", "high"),
        8: ("sofr_p99_iorb, srf", "medium"),
    }
    assert out.filter(pl.col("date") == date(2026, 1, 7))["calendar_context"].item() == "month end"


def test_dealer_fails_rule_is_relative():
    # SYNTHETIC weekly fails: 13 quiet weeks at $100bn, then $149bn (1.49x: quiet) and $151bn (over 1.5x)
    dealers = pl.DataFrame(
        {
            "as_of_date": pl.date_range(date(2025, 1, 1), date(2025, 4, 9), "1w", eager=True),
            "fails_total_bn": [100.0] * 13 + [149.0, 151.0],
        }
    )
    ratio = funding_events.dealer_fails(dealers)["fails_ratio"].to_list()
    assert ratio[:13] == [None] * 13 and ratio[13] == pytest.approx(1.49) and ratio[14] >= 1.5


def test_suite_passes(events):
    assert Validator().validate("funding_events", events, as_of=date(2026, 9, 18)).success
