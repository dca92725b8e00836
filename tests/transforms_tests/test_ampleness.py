"""marts.reserve_ampleness_weekly: the ratio on the replay's real recordings (WRESBAL, H.8 TLAACBW027SBOG), the
cited regime thresholds, the elasticity proxy's arithmetic, and the H.8 release rule."""

import csv
import datetime as dt
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from transforms.ampleness import ABUNDANT_RATIO_PCT, build_reserve_ampleness_weekly, ols_slope
from transforms.fred import parse_fredgraph_csv
from transforms.registry import SOURCES, release_of
from transforms.units import to_billions

ROOT = Path(__file__).resolve().parents[2]
REPLAY = ROOT / "replay" / "fred" / "fredgraph"
SEEDS = ROOT / "warehouse" / "seeds"
d = dt.date


@pytest.fixture(scope="module")
def real() -> pl.DataFrame:
    """The mart from the replay's real recordings of every input."""
    frames = [
        parse_fredgraph_csv((REPLAY / f"{s}.csv").read_bytes(), s)
        for s in ("WRESBAL", "TLAACBW027SBOG", "EFFR", "SOFR", "IORB")
    ]
    return build_reserve_ampleness_weekly(to_billions(pl.concat(frames), pl.read_csv(SEEDS / "fred_series.csv")))


def recorded(series: str, day: str) -> float:
    with (REPLAY / f"{series}.csv").open(newline="") as fh:
        return next(float(r[series]) for r in csv.DictReader(fh) if r["observation_date"] == day)


def test_ratio_is_the_two_week_averages_of_the_recordings(real: pl.DataFrame) -> None:
    row = real.filter(pl.col("week") == d(2021, 12, 29)).row(0, named=True)
    # WRESBAL is in $ millions, the H.8 series in $ billions (the catalog converts both to $ billions).
    expected = 100 * recorded("WRESBAL", "2021-12-29") / 1000 / recorded("TLAACBW027SBOG", "2021-12-29")
    assert row["reserves_to_assets_pct"] == pytest.approx(expected)
    assert row["regime"] == "abundant" and expected >= ABUNDANT_RATIO_PCT  # SR 1019: above 12-13% = satiated
    assert round(row["reserves_to_assets_pct"], 1) == 18.2  # the figure docs/analyst-guide.md states


def test_below_the_threshold_without_a_slope_the_label_says_why(real: pl.DataFrame) -> None:
    # September 2019 (the repo spike): reserves were about 8% of bank assets; IORB (and so EFFR-IORB) starts
    # 2021-07-29, the replay holds no IOER, so the slope is unknown and no label is guessed.
    row = real.filter(pl.col("week") == d(2019, 9, 18)).row(0, named=True)
    assert row["reserves_to_assets_pct"] < ABUNDANT_RATIO_PCT
    assert row["regime"] is None and "slope unknown" in row["regime_basis"]


def test_weeks_after_the_h8_recording_name_the_missing_input(real: pl.DataFrame) -> None:
    row = real.filter(pl.col("week") == d(2026, 1, 7)).row(0, named=True)
    assert row["bank_assets_bn"] is None and row["regime"] is None
    assert row["regime_basis"] == "no H.8 bank assets (TLAACBW027SBOG) for this week"
    assert row["effr_iorb_bp"] is not None  # the spreads do not depend on the H.8


def test_real_mart_passes_its_suite(real: pl.DataFrame) -> None:
    from expectations import Validator

    outcome = Validator().validate("reserve_ampleness_weekly", real, as_of=real["week"].max())
    assert outcome.success, outcome.failed_rules


def test_ols_slope_and_t() -> None:
    slope, t = ols_slope([1.0, 2.0, 3.0, 4.0], [2.0, 4.1, 5.9, 8.0])
    assert slope == pytest.approx(1.98)
    assert t == pytest.approx(1.98 / ((0.018 / 2 / 5.0) ** 0.5))  # residuals -0.03, 0.09, -0.09, 0.03
    assert ols_slope([1.0, 1.0, 1.0], [1.0, 2.0, 3.0]) == (None, None)


def synthetic(ratio: list[float], spread_bp: list[float]) -> pl.DataFrame:
    """SYNTHETIC weeks: WRESBAL ($ millions), bank assets ($ billions) = 20,000, one EFFR/IORB pair per Wednesday."""
    weeks = [d(2030, 1, 2) + dt.timedelta(weeks=i) for i in range(len(ratio))]
    rows = [("WRESBAL", w, r / 100 * 20_000 * 1000, r / 100 * 20_000) for w, r in zip(weeks, ratio, strict=True)]
    rows += [("TLAACBW027SBOG", w, 20_000.0, 20_000.0) for w in weeks]
    rows += [("IORB", w, 4.0, None) for w in weeks]
    rows += [("EFFR", w, 4.0 + s / 100, None) for w, s in zip(weeks, spread_bp, strict=True)]
    return pl.DataFrame(
        rows, schema={"series_id": pl.Utf8, "date": pl.Date, "value": pl.Float64, "value_bn": pl.Float64}, orient="row"
    )


def test_regime_from_the_cited_thresholds_synthetic() -> None:
    ratio = [11.0 - 0.05 * i for i in range(40)]  # falling below 12%
    steep = build_reserve_ampleness_weekly(synthetic(ratio, [-7 + 3 * (11.0 - r) for r in ratio]))
    flat = build_reserve_ampleness_weekly(synthetic(ratio, [-7 + (0.3 if i % 2 else -0.3) for i in range(40)]))
    assert steep["regime"][25] == "approaching_scarce" and steep["elasticity_bp_per_pp"][39] == pytest.approx(-3.0)
    assert flat["regime"][39] == "ample"
    assert steep["regime"][:25].null_count() == 25  # fewer than 26 weeks: no slope, no label
    high = build_reserve_ampleness_weekly(synthetic([13.0] * 30, [-7.0] * 30))
    assert set(high["regime"]) == {"abundant"}


def test_h8_release_rule_matches_a_published_release() -> None:
    # H.8 of Friday 2008-08-29, 4:15 p.m. ET: its last week ends Wednesday 2008-08-20
    # (https://www.federalreserve.gov/releases/H8/20080829/).
    rule = release_of(SOURCES["fred"], "h8")
    assert rule.published_at(d(2008, 8, 20)) == datetime(2008, 8, 29, 16, 15, tzinfo=ZoneInfo("America/New_York"))
    assert not rule.is_public(d(2008, 8, 20), d(2008, 8, 28))
