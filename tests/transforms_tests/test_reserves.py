"""marts.reserves_weekly and liquidity_weekly's Wednesday columns: the H.4.1 identity, the weekly attribution by
factor, missing inputs named; published H.4.1 figures (tests/fixtures/h41, transcribed with their release URLs)."""

import csv
import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from transforms.liquidity import build_liquidity_weekly
from transforms.reserves import FACTORS, LEVELS, build_reserves_weekly, contribution_column

ROOT = Path(__file__).resolve().parents[2]
H41 = ROOT / "tests" / "fixtures" / "h41" / "h41_wednesday_securities_2025-12_2026-01.csv"
REPLAY_FRED = ROOT / "replay" / "fred" / "fredgraph"
d = dt.date
W1, W2 = d(2026, 1, 7), d(2026, 1, 14)


def fred_bn(rows: list[tuple[str, dt.date, float]]) -> pl.DataFrame:
    """Core FRED rows in $ millions as the catalog holds them, converted to $ billions like flows.marts does."""
    frame = pl.DataFrame(rows, schema={"series_id": pl.Utf8, "date": pl.Date, "value": pl.Float64}, orient="row")
    return frame.with_columns((pl.col("value") * 0.001).alias("value_bn"))


# SYNTHETIC round numbers ($ millions) in which the H.4.1 identity holds exactly: supplying 7,000,000 -
# absorbing 4,000,000 = reserves 3,000,000, then a week where securities +10,000, TGA +30,000, ON RRP -5,000.
SYNTHETIC = {
    "WALCL": (6_700_000, 6_710_000),
    "WRBWFRBL": (3_000_000, 2_985_000),
    "WTFSRFL": (7_000_000, 7_010_000),
    "WTFORBAFL": (4_000_000, 4_025_000),
    "WSHOSHO": (6_300_000, 6_310_000),
    "WSHOBL": (240_000, 250_000),
    "WSHONBNL": (3_500_000, 3_500_000),
    "WSHONBIIL": (300_000, 300_000),
    "WSHOICL": (110_000, 110_000),
    "WSHOMCB": (2_000_000, 2_000_000),
    "WORAL": (1_000, 1_000),
    "WLCFLL": (5_000, 5_000),
    "WCICL": (2_400_000, 2_400_000),
    "WLRRAFOIAL": (350_000, 350_000),
    "WLRRAOL": (50_000, 45_000),
    "WDTGAL": (800_000, 830_000),
}


def synthetic(drop: tuple[tuple[str, dt.date], ...] = ()) -> pl.DataFrame:
    """The SYNTHETIC weeks W1, W2 as core FRED rows, minus the (series, week) pairs in `drop`."""
    rows = [
        (s, w, float(v))
        for s, pair in SYNTHETIC.items()
        for w, v in zip((W1, W2), pair, strict=True)
        if (s, w) not in drop
    ]
    return fred_bn(rows)


def test_identity_and_attribution_add_up_synthetic() -> None:
    out = build_reserves_weekly(synthetic()).row(1, named=True)
    assert out["identity_residual_bn"] == pytest.approx(0.0)
    assert out["reserves_change_bn"] == pytest.approx(-15.0)
    assert out["securities_contrib_bn"] == pytest.approx(10.0)
    assert out["tga_contrib_bn"] == pytest.approx(-30.0)
    assert out["reverse_repo_others_contrib_bn"] == pytest.approx(5.0)
    assert sum(out[contribution_column(c)] for c in FACTORS) == pytest.approx(out["reserves_change_bn"])
    # other absorbing = 4,025,000 - 2,400,000 - 350,000 - 45,000 - 830,000 = 400,000 ($ millions)
    assert out["other_absorbing_bn"] == pytest.approx(400.0)
    assert out["missing_inputs"] is None


def test_missing_input_is_named_and_nothing_is_computed_from_part_of_it() -> None:
    out = build_reserves_weekly(synthetic(drop=(("WCICL", W1), ("WDTGAL", W2))))
    first, second = out.row(0, named=True), out.row(1, named=True)
    assert first["missing_inputs"] == "WCICL, previous week not held"
    assert second["missing_inputs"] == "WCICL (previous week), WDTGAL"
    assert second["tga_contrib_bn"] is None and second["other_absorbing_bn"] is None
    assert second["securities_contrib_bn"] == pytest.approx(10.0)  # its own inputs are complete


def test_suite_rejects_a_broken_identity_synthetic() -> None:
    from expectations import Validator

    broken = synthetic().with_columns(
        pl.when((pl.col("series_id") == "WRBWFRBL") & (pl.col("date") == W2))
        .then(pl.col("value_bn") + 0.5)
        .otherwise(pl.col("value_bn"))
        .alias("value_bn")
    )
    outcome = Validator().validate("reserves_weekly", build_reserves_weekly(broken))
    assert not outcome.success
    assert "reserves_bn = factors_supplying_bn - factors_absorbing_bn (+-0.005)" in outcome.failed_rules
    assert Validator().validate("reserves_weekly", build_reserves_weekly(synthetic())).success


def published_h41() -> pl.DataFrame:
    """The transcribed H.4.1 Wednesday lines (tests/fixtures/h41) of the catalog's series, as core FRED rows."""
    with H41.open(newline="") as fh:
        rows = [(r["series_id"], d.fromisoformat(r["week"]), float(r["value_mn"])) for r in csv.DictReader(fh)]
    return fred_bn(rows)


def replay_values(series: str) -> dict[dt.date, float]:
    """A series of the replay snapshot (real FRED recordings): date -> value ($ millions)."""
    with (REPLAY_FRED / f"{series}.csv").open(newline="") as fh:
        return {d.fromisoformat(r["observation_date"]): float(r[series]) for r in csv.DictReader(fh) if r[series]}


@pytest.mark.parametrize("series", ["TREAST", "WSHOMCB", "WSHOSHO"])
def test_transcribed_h41_lines_equal_the_real_fred_recordings(series: str) -> None:
    published = published_h41().filter(pl.col("series_id") == series)
    recorded = replay_values(series)
    assert published.height == 6
    assert {w: recorded[w] for w in published["date"]} == dict(zip(published["date"], published["value"], strict=True))


def test_treasury_lines_add_up_to_the_published_total() -> None:
    wide = published_h41().pivot(on="series_id", index="date", values="value")
    parts = wide["WSHOBL"] + wide["WSHONBNL"] + wide["WSHONBIIL"] + wide["WSHOICL"]
    assert ((parts - wide["TREAST"]).abs() <= 1.0).all()  # the release rounds each line to $1 million


def test_bills_held_reproduce_the_published_h41_figures() -> None:
    # H.4.1 of 2026-01-08, table 1, Wednesday Jan 7, 2026: bills 241,757; Jan 14 (release of 2026-01-15): 249,922.
    walcl = replay_values("WALCL")  # the week spine: WALCL's real recording on the same Wednesdays
    published = published_h41()
    spine = fred_bn([("WALCL", w, walcl[w]) for w in published["date"].unique()])
    out = build_reserves_weekly(pl.concat([published, spine])).filter(pl.col("week").is_in([W1, W2]))
    assert out["bills_bn"].to_list() == pytest.approx([241.757, 249.922])
    assert out["securities_bn"].to_list() == pytest.approx([6276.897, 6284.624])
    assert out["securities_contrib_bn"][1] == pytest.approx(7.727)
    # The transcription has no factor totals, reserves, currency, reverse repos or TGA: the week says so.
    assert "WRBWFRBL" in out["missing_inputs"][1] and out["reserves_change_bn"][1] is None


def test_replay_weeks_name_the_unrecorded_h41_lines() -> None:
    recorded = {s: replay_values(s) for s in ("WALCL", "WSHOSHO", "WSHOMCB", "WDTGAL")}
    rows = [(s, day, v) for s, values in recorded.items() for day, v in values.items() if day >= d(2025, 1, 1)]
    out = build_reserves_weekly(fred_bn(rows))
    assert out.height > 50 and out["reserves_bn"].null_count() == out.height
    assert out["missing_inputs"].str.contains("WRBWFRBL").all()
    assert set(LEVELS) <= set(out.columns)


def test_liquidity_weekly_gains_wednesday_reserves_and_one_basis_net_liquidity_synthetic() -> None:
    out = build_liquidity_weekly(synthetic()).row(0, named=True)
    assert out["reserves_wed_bn"] == pytest.approx(3000.0)
    assert out["net_liquidity_h41_bn"] == pytest.approx(6700.0 - 800.0 - 50.0)
    assert out["reserves_bn"] is None and out["net_liquidity_bn"] is None  # no WRESBAL / RRPONTSYD rows here
