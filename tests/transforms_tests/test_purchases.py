"""qt_runoff_monthly after QT on tiny synthetic frames: growth months labelled by the purchase regime, compared with
an announced amount only where the (literal) seed gives one, the round in force on the month's 15th."""

import datetime as dt

import polars as pl
import pytest

from transforms.runoff import build_qt_runoff_monthly

d = dt.date
# SYNTHETIC Wednesday levels ($ millions): holdings grow from December (purchases), MBS pays down $10bn a month.
WEDNESDAYS = [d(2030, 12, 4), d(2031, 1, 1), d(2031, 2, 5), d(2031, 3, 5)]
TREAST_MN = [4_000_000.0, 4_040_000.0, 4_070_000.0, 4_100_000.0]
WSHOMCB_MN = [2_000_000.0, 1_990_000.0, 1_980_000.0, 1_970_000.0]
REGIMES = pl.DataFrame(
    {  # SYNTHETIC seed rows in the shape of warehouse/seeds/qt_cap_regimes.csv
        "regime": ["END", "P-1", "P"],
        "episode": ["QTX", "P", "P"],
        "effective_from": [d(2030, 11, 1), d(2030, 12, 12), d(2031, 1, 14)],
        "effective_to": [d(2030, 12, 11), d(2031, 1, 13), None],
        "ust_cap_bn": [None, None, None],
        "mbs_cap_bn": [None, None, None],
        "purchase_target_bn": [None, 40.0, None],
    }
)


def fred_bn() -> pl.DataFrame:
    n = len(WEDNESDAYS)
    return pl.DataFrame(
        {"series_id": ["TREAST"] * n + ["WSHOMCB"] * n, "date": WEDNESDAYS * 2, "value": TREAST_MN + WSHOMCB_MN}
    ).with_columns(value_bn=pl.col("value") / 1000)


def test_growth_months_carry_the_regime_and_only_the_cited_round_is_compared():
    out = build_qt_runoff_monthly(fred_bn(), REGIMES)
    assert out["month"].to_list() == [d(2030, 12, 1), d(2031, 1, 1), d(2031, 2, 1)]
    assert out["regime"].to_list() == ["END", "P-1", "P"]  # in force on the month's first day
    # December: securities grew 30 (UST +40, MBS -10) against the round in force on Dec 15 (P-1, $40bn).
    assert out["purchase_target_bn"].to_list() == [40.0, None, None]
    assert out["purchase_attainment"].to_list() == pytest.approx([30 / 40, None, None])
    assert out["ust_cap_bn"].to_list() == [None, None, None]


def test_a_seed_without_the_purchase_column_compares_nothing():
    out = build_qt_runoff_monthly(fred_bn(), REGIMES.drop("purchase_target_bn"))
    assert out["purchase_target_bn"].null_count() == out.height == out["purchase_attainment"].null_count()
