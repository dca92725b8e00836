"""Marts built from real batches pass their suites; a broken identity, unit or key fails with the rule named."""

from datetime import date

import polars as pl
import pytest

from expectations import Validator
from transforms.marts_registry import MARTS


def _first_row(column: str, value: object):
    """A break that sets `column` of the first row to `value`."""
    return lambda f: f.with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(pl.lit(value)).otherwise(pl.col(column)).alias(column)
    )


def _last_rows(column: str, delta: float):
    """A break that adds `delta` to `column` on the last row only."""
    return lambda f: f.sort(f.columns[0]).with_columns(
        pl.when(pl.int_range(pl.len()) == pl.len() - 1).then(pl.col(column) + delta).otherwise(pl.col(column))
    )


BREAKS = [
    (
        "liquidity_weekly",
        _last_rows("net_liquidity_bn", 10.0),
        "net_liquidity_bn = total_assets_bn - tga_bn - on_rrp_bn (+-0.5)",
    ),
    ("liquidity_weekly", lambda f: f.with_columns(pl.col("tga_bn") * 1000), "tga_bn: in [0, 5000]"),
    ("liquidity_weekly", lambda f: pl.concat([f, f.tail(1)]), "key (week): unique"),
    ("liquidity_weekly", lambda f: f.drop("reserves_bn"), "reserves_bn: present"),
    (
        "qt_runoff_monthly",
        _last_rows("ust_runoff_bn", 50.0),
        "ust_runoff_bn: <= fall in ust_holdings_bn + 5 (TIPS accretion)",
    ),
    ("qt_runoff_monthly", lambda f: f.with_columns(pl.col("ust_holdings_bn") * 1000), "ust_holdings_bn: in [0, 20000]"),
    (
        "funding_daily",
        lambda f: f.with_columns(pl.col("sofr_iorb_bp") / 100),
        "sofr_iorb_bp = (sofr_pct - iorb_pct) x 100 (+-0.5)",
    ),
    ("funding_daily", _first_row("is_quarter_end", True), "is_quarter_end: implies is_month_end"),
    ("tga_daily", _last_rows("tga_change_bn", 3.0), "tga_change_bn = tga_bn - previous tga_bn (+-0.5)"),
    ("tga_daily", _first_row("tga_bn", -1.0), "tga_bn: in [0, 5000]"),
    ("auction_health", _first_row("bid_to_cover", 0.5), "bid_to_cover: in [1, 10]"),
    ("auction_health", lambda f: f.with_columns(pl.col("offering_bn") * 1e9), "offering_bn: in [0.1, 1000]"),
]


def test_real_mart_passes(mart_batches: dict, validator: Validator, buildable_mart: str) -> None:
    mart, frame = buildable_mart, mart_batches[buildable_mart]
    outcome = validator.validate(mart, frame, as_of=frame[MARTS[mart].date_column].max())
    assert outcome.success, outcome.failed_rules


@pytest.mark.parametrize(("mart", "breaker", "rule"), BREAKS, ids=[f"{m}-{r}" for m, _, r in BREAKS])
def test_mart_break_fails_by_name(mart_batches: dict, validator: Validator, mart, breaker, rule) -> None:
    outcome = validator.validate(mart, breaker(mart_batches[mart]))
    assert not outcome.success
    assert rule in outcome.failed_rules, outcome.failed_rules


def test_future_week_fails(mart_batches: dict, validator: Validator) -> None:
    outcome = validator.validate("liquidity_weekly", mart_batches["liquidity_weekly"], as_of=date(2020, 1, 1))
    assert "week: not after the run's as_of" in outcome.failed_rules


def test_data_docs_index_is_built(tmp_path, validator: Validator, mart_batches: dict) -> None:
    validator.validate("tga_daily", mart_batches["tga_daily"])
    index = validator.build_data_docs(tmp_path / "docs")
    assert index.is_file()
    assert "tga_daily" in index.read_text(encoding="utf-8")
