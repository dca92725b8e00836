"""The mart transforms on the real recorded FRED / NY Fed data of the replay snapshot: caps hold, facts reproduced."""

import datetime as dt
import gzip
from pathlib import Path

import polars as pl
import pytest

from transforms.fred import parse_fredgraph_csv
from transforms.funding import build_funding_daily
from transforms.liquidity import build_liquidity_weekly
from transforms.nyfed import parse_rp_operations_json
from transforms.runoff import build_qt_runoff_monthly
from transforms.units import to_billions

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "warehouse" / "seeds"
REPLAY = ROOT / "replay"
d = dt.date
# Series the marts read, from the committed replay snapshot (real recordings; replay/PROVENANCE.md).
SERIES = ("WALCL", "RRPONTSYD", "SOFR", "WDTGAL", "IORB", "WRESBAL", "TREAST", "WSHOMCB", "EFFR")
# A cap binds when the Fed redeems bills to fill it; allow 10% for bills maturing between month-end and the closing
# Wednesday (see transforms/runoff.py) and nothing more.
CAP_TOLERANCE = 1.1


@pytest.fixture(scope="module")
def fred_bn() -> pl.DataFrame:
    frames = [parse_fredgraph_csv((REPLAY / "fred" / "fredgraph" / f"{s}.csv").read_bytes(), s) for s in SERIES]
    catalog = pl.read_csv(SEEDS / "fred_series.csv")
    return to_billions(pl.concat(frames), catalog)


@pytest.fixture(scope="module")
def runoff(fred_bn: pl.DataFrame) -> pl.DataFrame:
    caps = pl.read_csv(SEEDS / "qt_cap_regimes.csv", try_parse_dates=True)
    return build_qt_runoff_monthly(fred_bn, caps)


@pytest.fixture(scope="module")
def funding(fred_bn: pl.DataFrame) -> pl.DataFrame:
    # The snapshot's repo operations (the recording summed some days' several operations into one; the sum is the
    # day's SRF take-up in USD either way).
    ops = parse_rp_operations_json(gzip.decompress((REPLAY / "nyfed" / "rp_operations.json.gz").read_bytes()))
    rates = pl.DataFrame(
        schema={
            "effective_date": pl.Date,
            "rate_type": pl.Utf8,
            "rate_pct": pl.Float64,
            "percentile_1_pct": pl.Float64,
            "percentile_99_pct": pl.Float64,
            "volume_bn": pl.Float64,
        }
    )
    return build_funding_daily(fred_bn, rates, ops)


def test_treasury_runoff_within_binding_caps_2022_07_to_2025_11(runoff: pl.DataFrame) -> None:
    window = runoff.filter(pl.col("month").is_between(d(2022, 7, 1), d(2025, 11, 1)))
    assert window.height == 41 and window["ust_runoff_bn"].null_count() == 0
    assert window["ust_cap_bn"].null_count() == 0  # every QT2 month had a binding Treasury cap
    too_low = window.filter(pl.col("ust_runoff_bn") < 0)
    too_high = window.filter(pl.col("ust_runoff_bn") > pl.col("ust_cap_bn") * CAP_TOLERANCE)
    assert too_low.is_empty(), too_low
    assert too_high.is_empty(), too_high


def test_june_2025_treasury_runoff_shows_tips_accretion(runoff: pl.DataFrame) -> None:
    # Domain notes (How runoff works): June 2025, ~$5B redeemed under the $5B cap, Treasury holdings fell ~$3.8B.
    june = runoff.filter(pl.col("month") == d(2025, 6, 1)).row(0, named=True)
    assert june["ust_cap_bn"] == 5.0
    assert june["ust_runoff_bn"] == pytest.approx(3.8, abs=0.1)


def test_qt2_episode_starts_in_june_2022_and_runoff_ends_december_2025(runoff: pl.DataFrame) -> None:
    by_month = {r["month"]: r for r in runoff.iter_rows(named=True)}
    assert by_month[d(2022, 5, 1)]["regime"] is None
    assert by_month[d(2022, 6, 1)]["cumulative_runoff_bn"] == pytest.approx(by_month[d(2022, 6, 1)]["total_runoff_bn"])
    assert by_month[d(2025, 12, 1)]["regime"] == "QT2-end"
    assert by_month[d(2025, 12, 1)]["cumulative_runoff_bn"] is None


def test_walcl_peak_is_8_97tn_in_week_of_2022_04_13(fred_bn: pl.DataFrame) -> None:
    # H.4.1 of 2022-04-14, total assets on Wednesday Apr 13, 2022: https://www.federalreserve.gov/releases/h41/20220414/
    weekly = build_liquidity_weekly(fred_bn)
    peak = weekly.sort("total_assets_bn").row(-1, named=True)
    assert peak["week"] == d(2022, 4, 13)
    assert round(peak["total_assets_bn"] / 1000, 2) == 8.97


def test_on_rrp_record_2553_716bn_on_2022_12_30(funding: pl.DataFrame) -> None:
    # Reuters, 2022-12-30, "Fed reverse repo facility hits record $2.554 trillion", prior high $2.426tn on Sept 30:
    # https://www.investing.com/news/economy/fed-reverse-repo-facility-hits-record-2554-trillion-2971490
    record = funding.sort("on_rrp_bn", nulls_last=False).row(-1, named=True)
    assert (record["date"], record["on_rrp_bn"]) == (d(2022, 12, 30), 2553.716)
    assert record["is_month_end"] and record["is_quarter_end"]
    sept_30 = funding.filter(pl.col("date") == d(2022, 9, 30)).row(0, named=True)
    assert round(sept_30["on_rrp_bn"] / 1000, 3) == 2.426


def test_october_31_2025_sofr_spike_and_srf_record_raise_the_stress_flag(funding: pl.DataFrame) -> None:
    # SOFR rose to 4.22% on Oct 31, 2025, more than 30 bp over IORB:
    # https://robinhood.com/us/en/learn/weekly-rundown/6GtdxCB8ZQOBNdJ2qcqzEs ; SRF take-up peaked at $50.35bn that
    # day (Reuters, 2025-12-31): https://thedailyguardian.com/business/year-end-sees-record-borrowing-from-feds-standing-repo-facility-2-689640
    day = funding.filter(pl.col("date") == d(2025, 10, 31)).row(0, named=True)
    assert day["sofr_pct"] == 4.22 and day["iorb_pct"] == 3.9
    assert day["sofr_iorb_bp"] == 32.0
    assert day["srf_takeup_bn"] == pytest.approx(50.35)
    assert day["is_month_end"] and not day["is_quarter_end"] and day["stress_flag"]
