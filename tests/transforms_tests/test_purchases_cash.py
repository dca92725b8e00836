"""marts.rmp_rounds and marts.treasury_cash_daily on the replay's real recordings and the reviewed seeds, checked
against published figures: H.4.1 Wednesday levels (tests/fixtures/h41) and Treasury's refunding releases."""

import csv
import datetime as dt
import gzip
import json
from pathlib import Path

import polars as pl
import pytest

from transforms import fiscal
from transforms.calendar import add_business_days
from transforms.fred import parse_fredgraph_csv
from transforms.purchases import build_rmp_rounds
from transforms.tga import build_tga_daily
from transforms.treasury_cash import build_treasury_cash_daily
from transforms.units import to_billions

ROOT = Path(__file__).resolve().parents[2]
REPLAY = ROOT / "replay"
SEEDS = ROOT / "warehouse" / "seeds"
d = dt.date


def seed(name: str) -> pl.DataFrame:
    return pl.read_csv(SEEDS / f"{name}.csv", try_parse_dates=True)


@pytest.fixture(scope="module")
def fred_bn() -> pl.DataFrame:
    """The replay's real FRED recordings of the securities lines, in $ billions."""
    frames = [
        parse_fredgraph_csv((REPLAY / "fred" / "fredgraph" / f"{s}.csv").read_bytes(), s)
        for s in ("WSHOSHO", "TREAST", "WSHOMCB")
    ]
    return to_billions(pl.concat(frames), pl.read_csv(SEEDS / "fred_series.csv"))


@pytest.fixture(scope="module")
def rounds(fred_bn: pl.DataFrame) -> pl.DataFrame:
    return build_rmp_rounds(fred_bn, seed("rmp_rounds"))


def test_first_round_reproduces_the_published_h41_securities(rounds: pl.DataFrame) -> None:
    first = rounds.row(0, named=True)
    # Window 2025-12-12..2026-01-14 is measured Wednesday 2025-12-10 -> Wednesday 2026-01-14. H.4.1 table 1,
    # Wednesday column: securities held outright 6,244,987 (release of 2025-12-11) -> 6,284,624 (2026-01-15);
    # Treasury 4,188,975 -> 4,243,253; MBS 2,053,665 -> 2,039,024 ($ millions).
    assert (first["start_wednesday"], first["end_wednesday"], first["status"]) == (
        d(2025, 12, 10),
        d(2026, 1, 14),
        "complete",
    )
    assert first["securities_growth_bn"] == pytest.approx(39.637)
    assert first["treasury_growth_bn"] == pytest.approx(54.278)
    assert first["mbs_change_bn"] == pytest.approx(-14.641)
    assert first["attainment"] == pytest.approx(39.637 / 40)  # about $40bn announced for the first round
    assert first["bills_growth_bn"] is None  # WSHOBL is not in the replay snapshot: not recorded, not guessed


def test_rounds_are_contiguous_and_the_pace_falls_after_mid_april(rounds: pl.DataFrame) -> None:
    complete = rounds.filter(pl.col("status") == "complete")
    assert complete["start_wednesday"][1:].to_list() == complete["end_wednesday"][:-1].to_list()
    pace = dict(zip(complete["round"], complete["securities_growth_bn"], strict=True))
    # about $40bn a month until mid-April (RMP-2..4), "reduced substantially" after (RMP-5, RMP-6): real recordings.
    assert all(35 < pace[r] < 45 for r in ("RMP-1", "RMP-2", "RMP-3", "RMP-4"))
    assert pace["RMP-6"] < 20
    not_compared = rounds.filter(pl.col("amount_bn").is_null())
    assert not_compared["attainment"].null_count() == not_compared.height > 0


def test_seed_dates_follow_the_desks_ninth_business_day_rule() -> None:
    rows = seed("rmp_rounds")
    for announced, start in rows.select("announced_on", "window_from").iter_rows():
        assert announced == add_business_days(announced.replace(day=1) - dt.timedelta(days=1), 9, "XFED")
        assert start == announced + dt.timedelta(days=1)
    assert rows["window_from"][1:].to_list() == [e + dt.timedelta(days=1) for e in rows["window_to"][:-1]]


def test_a_round_not_yet_finished_is_in_progress_synthetic() -> None:
    # SYNTHETIC: two Wednesdays of WSHOSHO ($ billions) inside a round still running.
    fred = pl.DataFrame(
        {
            "series_id": ["WSHOSHO"] * 2,
            "date": [d(2030, 1, 9), d(2030, 1, 23)],
            "value": [6000.0, 6020.0],
            "value_bn": [6000.0, 6020.0],
        }
    )
    rounds = pl.DataFrame(
        {
            "round": ["R"],
            "announced_on": [d(2030, 1, 10)],
            "window_from": [d(2030, 1, 11)],
            "window_to": [d(2030, 2, 12)],
            "amount_bn": [40.0],
            "amount_basis": ["announced"],
            "citation_url": ["synthetic"],
            "note": [""],
        }
    )
    out = build_rmp_rounds(fred, rounds).row(0, named=True)
    assert (out["status"], out["end_wednesday"], out["securities_growth_bn"]) == ("in_progress", d(2030, 1, 23), 20.0)


@pytest.fixture(scope="module")
def cash() -> pl.DataFrame:
    body = json.loads(gzip.decompress((REPLAY / "fiscaldata" / "operating_cash_balance.json.gz").read_bytes()))
    frame, _ = fiscal.parse_fiscal_page(json.dumps({"data": body["data"], "meta": body["meta"]}).encode())
    tga = build_tga_daily(fiscal.tga_closing_balance(fiscal.parse_operating_cash_balance(frame)))
    return build_treasury_cash_daily(tga, seed("debt_limit_events"), seed("treasury_cash_assumptions"))


def test_quarter_ends_reproduce_treasurys_reported_cash(cash: pl.DataFrame) -> None:
    ends = cash.filter(pl.col("is_quarter_end") & pl.col("reported_cash_bn").is_not_null())
    # Treasury: the July-September 2025 quarter "ended ... with a cash balance of $891 billion" (sb0300), the
    # October-December 2025 quarter with "$873 billion" (sb0377), against $850bn assumed for both.
    assert ends["date"].to_list() == [d(2025, 9, 30), d(2025, 12, 31)]
    assert ends["tga_bn"].to_list() == pytest.approx([890.825, 872.853])
    assert ((ends["tga_bn"] - ends["reported_cash_bn"]).abs() < 0.5).all()
    assert ends["gap_to_assumption_bn"].to_list() == pytest.approx([40.825, 22.853])


def test_debt_limit_regime_on_any_date(cash: pl.DataFrame) -> None:
    on = dict(zip(cash["date"], cash["debt_limit_regime"], strict=True))
    assert on[d(2024, 12, 31)] == "suspended"
    assert on[d(2025, 1, 17)] == "limit_in_force"
    assert on[d(2025, 3, 3)] == "extraordinary_measures"
    assert on[d(2025, 7, 7)] == "limit_in_force"
    assert cash.filter(pl.col("date") < d(2023, 6, 3))["debt_limit_regime"].null_count() > 0  # before any event


def test_march_2026_assumption_shows_from_its_announcement_and_the_quarter_end_once(cash: pl.DataFrame) -> None:
    q1 = cash.filter(pl.col("quarter_end") == d(2026, 3, 31))
    # Announced 2026-02-02 (sb0377): unknown before, $850bn from that day on.
    assert q1.filter(pl.col("date") < d(2026, 2, 2))["assumed_cash_bn"].null_count() == 20
    assert (q1.filter(pl.col("date") >= d(2026, 2, 2))["assumed_cash_bn"] == 850.0).all()
    assert q1.filter(pl.col("is_quarter_end"))["date"].to_list() == [d(2026, 3, 31)]
    q2 = cash.filter(pl.col("quarter_end") == d(2026, 6, 30))  # the replay's DTS ends 2026-06-23: no quarter end
    assert not q2["is_quarter_end"].any() and (q2["assumed_cash_bn"] == 900.0).all()


def test_seeds_cite_every_row() -> None:
    for name in ("rmp_rounds", "debt_limit_events", "treasury_cash_assumptions"):
        with (SEEDS / f"{name}.csv").open(newline="") as fh:
            assert all(row["citation_url"].startswith("https://") for row in csv.DictReader(fh)), name


def test_suites_pass_on_the_real_marts(rounds: pl.DataFrame, cash: pl.DataFrame) -> None:
    from expectations import Validator

    validator = Validator()
    assert validator.validate("rmp_rounds", rounds).success
    outcome = validator.validate("treasury_cash_daily", cash, as_of=cash["date"].max())
    assert outcome.success, outcome.failed_rules


def test_a_backtest_sees_no_round_announced_after_its_data(fred_bn: pl.DataFrame) -> None:
    before = build_rmp_rounds(fred_bn.filter(pl.col("date") <= d(2026, 1, 7)), seed("rmp_rounds"))
    assert before["round"].to_list() == ["RMP-1", "RMP-2"]  # RMP-2 announced 2026-01-14 <= 2026-01-07 + 8 days
    assert before["status"].to_list() == ["in_progress", "not_started"]
