"""Every real recorded batch passes its suite; each one-way break fails with the right rule named."""

import importlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from expectations import Held, Validator, registry, suites
from expectations.fred_observations import catalog
from transforms.registry import DATASETS

REPLAY = Path(__file__).resolve().parents[2] / "replay"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

# The recorded batch of each dataset whose suite this file tests (tests/support/gx_batches.py); the datasets of the
# later sources test their suites on their own recordings, in their own files (see the guard below).
RAW_FIXTURES = {
    "fred_observations": "fred_batch",
    "treasury_auctions": "auctions_batch",
    "nyfed_reference_rates": "rates_batch",
    "nyfed_rp_operations": "rp_batch",
    "dts_operating_cash_balance": "dts_batch",
}
DATE_COLUMN = {name: dataset.date_column for name, dataset in DATASETS.items()}


def _first_row(column: str, value: object) -> Callable[[pl.DataFrame], pl.DataFrame]:
    """A break that sets `column` of the first row to `value`."""
    return lambda f: f.with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(pl.lit(value)).otherwise(pl.col(column)).alias(column)
    )


def _series_times(series_id: str, factor: float) -> Callable[[pl.DataFrame], pl.DataFrame]:
    """A break that multiplies one series' values by `factor` (a unit slip)."""
    return lambda f: f.with_columns(
        pl.when(pl.col("series_id") == series_id).then(pl.col("value") * factor).otherwise(pl.col("value"))
    )


def _p99_below_p1(f: pl.DataFrame) -> pl.DataFrame:
    """First row's 99th percentile set 1 pp under its 1st percentile."""
    return _first_row("percentile_99_pct", None)(f).with_columns(
        pl.col("percentile_99_pct").fill_null(pl.col("percentile_1_pct") - 1.0)
    )


def _drop_window(column: str, start: date, end: date) -> Callable[[pl.DataFrame], pl.DataFrame]:
    """A break that removes the rows dated within [start, end] (a hole in the history)."""
    return lambda f: f.filter(~pl.col(column).is_between(start, end))


BREAKS = [
    ("fred_observations", lambda f: pl.concat([f, f.head(1)]), "key (series_id, date): unique"),
    ("fred_observations", lambda f: f.drop("value"), "value: present"),
    ("fred_observations", lambda f: f.drop("units"), "units: present"),
    ("fred_observations", lambda f: f.with_columns(pl.col("value").cast(pl.Utf8)), "value: numeric"),
    ("fred_observations", lambda f: f.with_columns(pl.col("date").cast(pl.Utf8)), "date: date"),
    ("fred_observations", _series_times("WALCL", 1000.0), "value: in [100000, 2e+07] when series_id = WALCL"),
    ("fred_observations", _series_times("RRPONTSYD", 1000.0), "value: in [0, 5000] when series_id = RRPONTSYD"),
    ("fred_observations", _series_times("SOFR", 100.0), "value: in [-5, 25] when series_id = SOFR"),
    ("fred_observations", _first_row("series_id", "WALCLX"), "series_id: one of"),
    (
        "fred_observations",
        _drop_window("date", date(2024, 3, 1), date(2024, 3, 31)),
        "date: no gap beyond the series frequency",
    ),
    ("treasury_auctions", _first_row("offering_amt", -1.0), "offering_amt: >= 0"),
    ("treasury_auctions", _first_row("bid_to_cover_ratio", 0.5), "bid_to_cover_ratio: in [1, 10]"),
    ("treasury_auctions", lambda f: f.with_columns(pl.col("offering_amt") / 1e6), "offering_amt: in [1e+08, 1e+12]"),
    ("treasury_auctions", _first_row("cusip", None), "cusip: not null"),
    ("treasury_auctions", lambda f: pl.concat([f, f.tail(1)]), "key (cusip, auction_date): unique"),
    ("treasury_auctions", lambda f: f.drop("bid_to_cover_ratio"), "bid_to_cover_ratio: present"),
    ("treasury_auctions", lambda f: f.with_columns(pl.col("high_yield").cast(pl.Utf8)), "high_yield: numeric"),
    ("treasury_auctions", lambda f: f.with_columns(pl.col("issue_date").cast(pl.Utf8)), "issue_date: date"),
    ("treasury_auctions", _first_row("soma_accepted", -1.0), "soma_accepted: >= 0"),
    ("treasury_auctions", _first_row("int_rate", 30.0), "int_rate: in [-1, 25]"),
    ("nyfed_reference_rates", _p99_below_p1, "percentile_75_pct <= percentile_99_pct"),
    ("nyfed_reference_rates", _first_row("rate_pct", 375.0), "rate_pct: in [-1, 25]"),
    ("nyfed_reference_rates", lambda f: pl.concat([f, f.head(1)]), "key (rate_type, effective_date): unique"),
    ("nyfed_reference_rates", lambda f: f.with_columns(pl.col("effective_date").cast(pl.Utf8)), "effective_date: date"),
    ("nyfed_reference_rates", lambda f: f.with_columns(pl.col("volume_bn") * 1000), "volume_bn: in [0, 10000]"),
    ("nyfed_reference_rates", _first_row("percentile_25_pct", 40.0), "percentile_25_pct: in [-1, 25]"),
    ("nyfed_reference_rates", _first_row("rate_type", None), "rate_type: not null"),
    ("nyfed_rp_operations", _first_row("total_amt_accepted_usd", -5e9), "total_amt_accepted_usd: >= 0"),
    ("nyfed_rp_operations", lambda f: pl.concat([f, f.head(1)]), "key (operation_id): unique"),
    (
        "nyfed_rp_operations",
        _first_row("total_amt_accepted_usd", 9e15),
        "total_amt_accepted_usd <= total_amt_submitted_usd",
    ),
    ("nyfed_rp_operations", lambda f: f.drop("award_rate_pct"), "award_rate_pct: present"),
    ("nyfed_rp_operations", lambda f: f.with_columns(pl.col("maturity_date").cast(pl.Utf8)), "maturity_date: date"),
    ("nyfed_rp_operations", _first_row("accepted_cpty", -1), "accepted_cpty: >= 0"),
    (
        "dts_operating_cash_balance",
        lambda f: f.with_columns(pl.col("open_today_bal") * 1000),
        "open_today_bal: in [0, 5e+06]",
    ),
    ("dts_operating_cash_balance", _first_row("open_today_bal", -1.0), "open_today_bal: in [0, 5e+06]"),
    ("dts_operating_cash_balance", lambda f: pl.concat([f, f.head(1)]), "key (record_date, account_type): unique"),
    (
        "dts_operating_cash_balance",
        lambda f: f.with_columns(pl.col("open_month_bal") * 1e6),
        "open_month_bal: in [0, 1e+08]",
    ),
    (
        "dts_operating_cash_balance",
        lambda f: f.with_columns(pl.col("close_today_bal").cast(pl.Utf8)),
        "close_today_bal: numeric",
    ),
    (
        "dts_operating_cash_balance",
        _drop_window("record_date", date(2025, 7, 1), date(2025, 7, 10)),
        "record_date: no gap beyond the series frequency",
    ),
]
BREAK_IDS = [f"{d}-{rule}" for d, _, rule in BREAKS]


def test_every_dataset_s_suite_is_tested_on_a_recorded_batch() -> None:
    """A dataset not in RAW_FIXTURES has a test of its own validating a recorded batch (`.validate("<name>"`), so a
    new source cannot be left out of this file's checks silently."""
    tests = "".join(p.read_text() for p in Path(__file__).resolve().parents[1].rglob("test_*.py"))
    elsewhere = {name for name in DATASETS if f'.validate("{name}"' in tests}
    assert set(DATASETS) - set(RAW_FIXTURES) <= elsewhere, sorted(set(DATASETS) - set(RAW_FIXTURES) - elsewhere)


def _batch(request: pytest.FixtureRequest, dataset: str) -> pl.DataFrame:
    """The real recorded batch of `dataset` (session fixture)."""
    return request.getfixturevalue(RAW_FIXTURES[dataset])


def _assert_fails(outcome, rule: str) -> None:
    """The batch failed and `rule` (exact name, or prefix for set rules) is among the failed rules."""
    assert not outcome.success
    assert any(r == rule or r.startswith(rule) for r in outcome.failed_rules), outcome.failed_rules


@pytest.mark.parametrize("dataset", list(RAW_FIXTURES))
def test_real_batch_passes(request: pytest.FixtureRequest, validator: Validator, dataset: str) -> None:
    frame = _batch(request, dataset)
    outcome = validator.validate(dataset, frame, as_of=frame[DATE_COLUMN[dataset]].max())
    assert outcome.success, outcome.failed_rules
    assert outcome.evaluated == len(registry[dataset]().expectations)


@pytest.mark.parametrize(("dataset", "breaker", "rule"), BREAKS, ids=BREAK_IDS)
def test_break_fails_by_name(request: pytest.FixtureRequest, validator: Validator, dataset, breaker, rule) -> None:
    _assert_fails(validator.validate(dataset, breaker(_batch(request, dataset))), rule)


@pytest.mark.parametrize("dataset", list(RAW_FIXTURES))
def test_future_date_fails(request: pytest.FixtureRequest, validator: Validator, dataset: str) -> None:
    frame = _batch(request, dataset)
    # Announced auctions may lie a few weeks past as-of (the suite's lead); one day more is a future date.
    lead = suites.module(dataset).context().as_of_lead_days
    day_before_last = frame[DATE_COLUMN[dataset]].max().toordinal() - 1 - lead
    outcome = validator.validate(dataset, frame, as_of=date.fromordinal(day_before_last))
    _assert_fails(outcome, f"{DATE_COLUMN[dataset]}: not after the run's as_of")


def test_truncated_series_history_fails(fred_batch: pl.DataFrame, validator: Validator) -> None:
    walcl = fred_batch.filter(pl.col("series_id") == "WALCL")
    held = {"WALCL": Held(rows=walcl.height, first_date=walcl["date"].min())}
    truncated = fred_batch.filter((pl.col("series_id") != "WALCL") | (pl.col("date") >= date(2020, 1, 1)))
    outcome = validator.validate("fred_observations", truncated, held=held)
    _assert_fails(outcome, "history: not fewer rows than already held")
    assert "history: starts no later than what is already held" in outcome.failed_rules


def test_full_history_with_held_passes(fred_batch: pl.DataFrame, validator: Validator) -> None:
    counts = fred_batch.group_by("series_id").agg(pl.len(), pl.col("date").min())
    held = {r["series_id"]: Held(rows=r["len"], first_date=r["date"]) for r in counts.iter_rows(named=True)}
    assert validator.validate("fred_observations", fred_batch, held=held).success


def test_truncated_dataset_history_fails(dts_batch: pl.DataFrame, validator: Validator) -> None:
    held = Held(rows=dts_batch.height, first_date=dts_batch["record_date"].min())
    truncated = dts_batch.filter(pl.col("record_date") >= date(2023, 1, 1))
    _assert_fails(
        validator.validate("dts_operating_cash_balance", truncated, held=held),
        "history: not fewer rows than already held",
    )


def test_legacy_billions_download_fails_units(recorded, validator: Validator) -> None:
    fred = importlib.import_module("transforms.fred")
    payload = (recorded / "fred/fredgraph_legacy/Khagendra01/WRESBAL.csv").read_bytes()
    legacy = fred.parse_fredgraph_csv(payload, "WRESBAL").with_columns(units=pl.lit("Billions of U.S. Dollars"))
    _assert_fails(
        validator.validate("fred_observations", legacy),
        "units: means 'Millions of U.S. Dollars' when series_id = WRESBAL",
    )


def _replay_fred(*series: str) -> pl.DataFrame:
    """The last 60 recorded rows of some series from the bundled replay snapshot, units from the catalog."""
    fred = importlib.import_module("transforms.fred")
    units = {e["series_id"]: e["units"] for e in catalog()}
    frames = [
        fred.parse_fredgraph_csv((REPLAY / "fred" / "fredgraph" / f"{s}.csv").read_bytes(), s).tail(60) for s in series
    ]
    return pl.concat(frames).with_columns(units=pl.col("series_id").replace_strict(units))


def test_fred_api_units_spellings_pass_the_units_rule(validator: Validator) -> None:
    """Issue 11 item 1: the API writes 'Billions of US Dollars' for RRPONTSYD (cassettes/PROVENANCE.md); same unit."""
    spelled = {"RRPONTSYD": "Billions of US Dollars", "WALCL": "Mil. of U.S. $", "SOFR": "Percent"}
    frame = _replay_fred(*spelled).with_columns(units=pl.col("series_id").replace_strict(spelled))
    outcome = validator.validate("fred_observations", frame, as_of=frame["date"].max())
    assert outcome.success, outcome.failed_rules


def test_fred_units_of_another_scale_still_fail(validator: Validator) -> None:
    frame = _replay_fred("RRPONTSYD").with_columns(units=pl.lit("Millions of US Dollars"))
    _assert_fails(
        validator.validate("fred_observations", frame),
        "units: means 'Billions of U.S. Dollars' when series_id = RRPONTSYD",
    )


def test_every_catalog_series_has_a_band() -> None:
    # The band is a per-row bound joined from the catalog; each series still fails under its own rule name.
    from expectations import fred_observations, rules

    lookups = fred_observations.context().lookups
    suite = registry["fred_observations"]()
    names = [
        rules.failure_names(e.meta[rules.NAMES])
        for e in suite.expectations
        if e.description.startswith("value:") and e.meta and "names" in e.meta[rules.NAMES]
    ]
    assert len(names) == 2  # lower and upper bound
    for entry in catalog():
        sid = entry["series_id"]
        low, high = lookups[fred_observations.BAND_LOW][1][sid], lookups[fred_observations.BAND_HIGH][1][sid]
        assert low < high
        assert all(n[sid].startswith("value: in [") and n[sid].endswith(f"when series_id = {sid}") for n in names)


def test_one_rule_checks_every_series_band_and_names_each_failing_one(fred_batch, validator: Validator) -> None:
    broken = _series_times("WALCL", 1000.0)(_series_times("SOFR", 100.0)(fred_batch))
    outcome = validator.validate("fred_observations", broken)
    assert {"value: in [100000, 2e+07] when series_id = WALCL", "value: in [-5, 25] when series_id = SOFR"} <= set(
        outcome.failed_rules
    )
    assert not any("RRPONTSYD" in r for r in outcome.failed_rules)


def test_missing_columns_fail_one_name_each(fred_batch, validator: Validator) -> None:
    outcome = validator.validate("fred_observations", fred_batch.drop("value", "units"))
    assert {"value: present", "units: present"} <= set(outcome.failed_rules)


@pytest.mark.parametrize("dataset", list(registry))
def test_every_rule_has_a_readable_name(dataset: str) -> None:
    suite = registry[dataset]()
    assert suite.name == dataset
    assert all(e.description for e in suite.expectations)
    assert len({e.description for e in suite.expectations}) == len(suite.expectations)


# Spellings of one unit FRED has used (catalog, API, legacy downloads) and some of another unit.
UNITS_SPELLINGS = (
    "Millions of U.S. Dollars",
    "Mil. of U.S. $",
    "Millions of US Dollars",
    " millions of dollars ",
    "Billions of U.S. Dollars",
    "Billions of US Dollars",
    "Bil. of $",
    "Thousands of U.S. Dollars",
    "Percent",
    "percent.",
    "Percent per annum",
    "Index",
    "",
)


def test_units_check_matches_as_python_re_did(fred_batch: pl.DataFrame) -> None:
    """The units check runs the catalog's patterns in polars (Rust regex); GX matched them with Python's re."""
    import re

    from expectations import fred_observations
    from transforms.units import unit_pattern

    rows = [(e["series_id"], s) for e in catalog() for s in UNITS_SPELLINGS]
    frame = pl.DataFrame(rows, schema=["series_id", "units"], orient="row")
    checked = frame.with_columns(**fred_observations.checks())[fred_observations.UNITS_OK].to_list()
    units = {e["series_id"]: e["units"] for e in catalog()}
    assert checked == [bool(re.search(unit_pattern(units[sid]), s)) for sid, s in rows]


def test_one_units_rule_names_each_series_with_other_units(fred_batch: pl.DataFrame, validator: Validator) -> None:
    series = pl.col("series_id")
    broken = fred_batch.with_columns(
        units=pl.when(series == "WALCL")
        .then(pl.lit("Billions of U.S. Dollars"))
        .when(series == "SOFR")
        .then(pl.lit("Basis Points"))
        .otherwise(pl.col("units"))
    )
    outcome = validator.validate("fred_observations", broken)
    assert [r for r in outcome.failed_rules if r.startswith("units:")] == [
        "units: means 'Percent' when series_id = SOFR",
        "units: means 'Millions of U.S. Dollars' when series_id = WALCL",
    ]


def test_one_rule_names_each_rate_type_missing_its_published_value(
    rates_batch: pl.DataFrame, validator: Validator
) -> None:
    first = pl.int_range(pl.len()).over("rate_type") == 0
    broken = rates_batch.with_columns(
        rate_pct=pl.when(first & pl.col("rate_type").is_in(["EFFR", "TGCR"]))
        .then(float("nan"))
        .otherwise(pl.col("rate_pct"))
    )  # NaN: missing, as in pandas
    outcome = validator.validate("nyfed_reference_rates", broken)
    assert [r for r in outcome.failed_rules if "not null when" in r] == [
        "rate_pct: not null when rate_type = EFFR",
        "rate_pct: not null when rate_type = TGCR",
    ]


def test_sofrai_without_its_index_is_named(validator: Validator) -> None:
    nyfed = importlib.import_module("transforms.nyfed")
    # Real recorded SOFRAI download (tests/fixtures/nyfed/, see its README.md).
    frame = nyfed.parse_reference_rates_csv((FIXTURES / "nyfed/rates_all_sofrai_2026-02-05_06.csv").read_bytes())
    broken = frame.with_columns(
        sofr_index=pl.when(pl.col("rate_type") == "SOFRAI").then(None).otherwise(pl.col("sofr_index"))
    )
    assert validator.validate("nyfed_reference_rates", frame).success
    outcome = validator.validate("nyfed_reference_rates", broken)
    assert [r for r in outcome.failed_rules if "not null when" in r] == ["sofr_index: not null when rate_type = SOFRAI"]
