"""The raw.cftc_tff suite: every recorded Treasury row passes; each one-way break fails with its rule named."""

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from expectations import Validator
from transforms import cftc

REPLAY = Path(__file__).resolve().parents[2] / "replay"
AS_OF = date(2026, 8, 10)


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator()


@pytest.fixture(scope="module")
def recorded() -> pl.DataFrame:
    """Every Treasury row of the ten recorded years (the replay snapshot's zips)."""
    return pl.concat([cftc.parse_tff_zip(p.read_bytes()) for p in sorted((REPLAY / "cftc").glob("*.zip"))])


def _first_row(column: str, value: object):
    return lambda f: f.with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(pl.lit(value)).otherwise(pl.col(column)).alias(column)
    )


def test_every_recorded_row_passes(validator, recorded):
    outcome = validator.validate("cftc_tff", recorded, as_of=AS_OF)
    assert recorded.height == 2526
    assert outcome.success, outcome.failed_rules


def test_recorded_holiday_mondays_are_accepted(recorded):
    mondays = recorded.filter(pl.col("report_date").dt.weekday() == 1)["report_date"].unique().sort().to_list()
    assert mondays == [date(2017, 7, 3), date(2018, 12, 24), date(2018, 12, 31), date(2023, 7, 3)]


BREAKS = [
    (lambda f: pl.concat([f, f.head(1)]), "key (cftc_contract_market_code, report_date): unique"),
    (lambda f: f.drop("lev_money_positions_short_all"), "lev_money_positions_short_all: present"),
    (_first_row("dealer_positions_long_all", -5), "dealer_positions_long_all: >= 0"),
    (_first_row("cftc_contract_market_code", "099741"), "cftc_contract_market_code: one of"),
    (
        _first_row("nonrept_positions_long_all", 1),
        "longs + spreads of all groups + non-reportable longs = open interest (+-0)",
    ),
    (
        lambda f: f.filter(pl.col("report_date") == date(2026, 8, 4)).with_columns(
            report_date=pl.lit(date(2026, 8, 5))
        ),
        "report_date: a Tuesday (or shifted by a Tuesday holiday)",
    ),
    (lambda f: f.filter(pl.col("report_date") != date(2022, 3, 8)), "report_date: no gap beyond the series frequency"),
    (_first_row("pct_of_oi_lev_money_short_all", 160.0), "pct_of_oi_lev_money_short_all: in [0, 100]"),
    (
        lambda f: f.with_columns(pl.col("traders_lev_money_long_all").cast(pl.Utf8)),
        "traders_lev_money_long_all: numeric",
    ),
    (_first_row("asset_mgr_positions_short_all", None), "asset_mgr_positions_short_all: not null"),
]


@pytest.mark.parametrize(
    ("brk", "rule"),
    BREAKS,
    ids=[
        "dup-key",
        "missing-column",
        "negative-long",
        "not-treasury",
        "sum-off",
        "wednesday",
        "gap",
        "percent",
        "text",
        "null",
    ],
)
def test_break_fails_with_its_rule(validator, recorded, brk, rule):
    outcome = validator.validate("cftc_tff", brk(recorded), as_of=AS_OF)
    assert not outcome.success
    assert any(r.startswith(rule) for r in outcome.failed_rules), outcome.failed_rules


def test_a_report_after_as_of_fails(validator, recorded):
    outcome = validator.validate("cftc_tff", recorded, as_of=date(2026, 8, 3))
    assert outcome.failed_rules == ["report_date: not after the run's as_of"]


def test_combined_rules_name_exactly_the_broken_columns(validator, recorded):
    # Three columns broken on the first row, each checked by one multi-column rule among ~50 columns.
    broken = _first_row("dealer_positions_long_all", -5)(
        _first_row("traders_tot_all", -1)(_first_row("conc_net_le_8_tdr_short_all", 101.0)(recorded))
    )
    outcome = validator.validate("cftc_tff", broken, as_of=AS_OF)
    per_column = [r for r in outcome.failed_rules if r.endswith((": >= 0", ": in [0, 100]"))]
    assert per_column == [
        "dealer_positions_long_all: >= 0",
        "traders_tot_all: >= 0",
        "conc_net_le_8_tdr_short_all: in [0, 100]",
    ]


def test_a_text_column_is_named_by_its_type_and_range_rules(validator, recorded):
    outcome = validator.validate(
        "cftc_tff", recorded.with_columns(pl.col("open_interest_all").cast(pl.Utf8)), as_of=AS_OF
    )
    assert {"open_interest_all: numeric", "open_interest_all: in [1, 5e+07]"} <= set(outcome.failed_rules)
    assert not any(r.startswith("dealer_positions_long_all") for r in outcome.failed_rules)
