"""marts.repo_segments_daily: the NY Fed split on the recorded reference rates, and the OFR segments (final over
preliminary, the revision kept) on small SYNTHETIC OFR rows (no OFR recording exists)."""

from datetime import date

import polars as pl
import pytest

from expectations import Validator
from transforms import ofr_stfm
from transforms.repo_segments import build_repo_segments_daily


@pytest.fixture(scope="module")
def segments(replay_marts) -> pl.DataFrame:
    return replay_marts["repo_segments_daily"]


def row(frame: pl.DataFrame, day: date) -> dict:
    return frame.filter(pl.col("date") == day).row(0, named=True)


def test_nyfed_volume_split_on_the_recorded_rates(segments):
    # NY Fed reference rates of 2026-07-31 (replay/nyfed/rates_all.csv): SOFR $3,205bn, BGCR $1,261bn, TGCR $1,223bn
    day = row(segments, date(2026, 7, 31))
    assert (day["sofr_volume_bn"], day["bgcr_volume_bn"], day["tgcr_volume_bn"]) == (3205.0, 1261.0, 1223.0)
    assert day["nyfed_dvp_volume_bn"] == 1944.0 and day["nyfed_gcf_volume_bn"] == 38.0
    assert day["dvp_rate_pct"] is None and day["ofr_vintage"] is None  # no OFR data: nothing invented


def test_segment_spread_paid_up_on_2025_10_31(segments):
    # NY Fed: SOFR 4.22%, TGCR 4.15% on 2025-10-31 (the month end the SRF lent $50.35bn)
    day = row(segments, date(2025, 10, 31))
    assert day["sofr_tgcr_bp"] == 7.0 and day["tgcr_iorb_bp"] == 25.0
    assert segments.filter(pl.col("sofr_tgcr_bp").is_not_null())["sofr_tgcr_bp"].median() == 2.0


def _ofr(rows: list[tuple[str, str, float]]) -> pl.DataFrame:
    """SYNTHETIC OFR rows: (mnemonic, ISO date, value)."""
    frames = [ofr_stfm.parse_timeseries_json(f'[["{d}", {v}]]'.encode(), m) for m, d, v in rows]
    return pl.concat(frames)


def test_ofr_final_wins_over_preliminary_and_the_revision_is_kept(replay_core, segments):
    synthetic = _ofr(
        [  # SYNTHETIC values
            ("REPO-DVP_AR_OO-P", "2025-10-31", 4.30),
            ("REPO-DVP_AR_OO-F", "2025-10-31", 4.32),
            ("REPO-TRI_AR_OO-P", "2025-10-31", 4.16),
            ("REPO-GCF_AR_OO-P", "2025-10-31", 4.21),
            ("REPO-DVP_TV_TOT-P", "2025-10-31", 2.5e12),
        ]
    )
    funding = segments.select("date", "iorb_pct")
    built = build_repo_segments_daily(synthetic, replay_core["nyfed_reference_rates"], funding)
    day = row(built, date(2025, 10, 31))
    assert day["dvp_rate_pct"] == 4.32 and day["dvp_rate_revision_bp"] == pytest.approx(2.0)
    assert day["dvp_tri_bp"] == pytest.approx(16.0) and day["gcf_tri_bp"] == pytest.approx(5.0)
    assert day["dvp_volume_bn"] == pytest.approx(2500.0) and day["ofr_vintage"] == "mixed"
    assert day["dvp_tgcr_bp"] == pytest.approx(17.0)


def test_suite_passes(segments):
    assert Validator().validate("repo_segments_daily", segments, as_of=date(2026, 9, 18)).success
