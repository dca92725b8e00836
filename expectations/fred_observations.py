"""Suite for raw.fred_observations: one row per (series_id, date), value in the catalog's units, plus `units`."""

from __future__ import annotations

import great_expectations as gx
import polars as pl

from expectations import rules
from expectations.context import ContextSpec
from expectations.declaration import Suite
from transforms.registry import DATASETS
from transforms.units import unit_pattern
from warehouse.db import seed_rows

DATASET = "fred_observations"
KEY = DATASETS["fred_observations"].key
COLUMNS = ("series_id", "date", "value", "units")

# Percent series (rates, the 10y-2y spread): the 10y yield peaked at 15.8 (1981), the spread bottomed at -2.4;
# a value outside [-5, 25] is a parse or unit error, not a market move.
PERCENT_BAND = (-5.0, 25.0)
# Wednesday-level balance-sheet totals in $ millions: lowest real value 474,619 (TREAST 2002), highest 8.97e6
# (WALCL 2022). [$100bn, $20tn] keeps both a x1000 and a /1000 slip out.
BALANCE_SHEET_MN_BAND = (1e5, 2e7)
# MBS holdings in $ millions were exactly 0 before the 2009 purchases; the top still catches a x1000 slip.
MBS_MN_BAND = (0.0, 2e7)
# Reserves and TGA in $ millions: lows 2,795 (WRESBAL 1984) and 1,592 (WDTGAL); highs ~4.3e6 / 1.8e6.
# A /1000 slip of recent values can hide inside this band: the `units` rule below is the guard for that.
RESERVES_TGA_MN_BAND = (1e3, 1e7)
# ON RRP volume in $ billions: peak 2,553.7 (2022-12-30); $5tn is far above any plausible take-up.
ON_RRP_BN_BAND = (0.0, 5e3)
# SOFR Index: 1.0 on 2018-04-02, compounding SOFR since (1.14 in mid-2024); 3.0 holds for decades at any plausible rate.
SOFR_INDEX_BAND = (1.0, 3.0)

# H.4.1 factor lines in $ millions (issue 23): totals and big lines share the balance-sheet top; lines that were
# exactly 0 for years (bills 2008-2019, repo, loans, TIPS before 2003, reverse repo, inflation compensation) start
# at 0. H.8 commercial-bank total assets in $ billions: ~$5tn (1973 ~0.6tn) to ~$26tn (2026); a x1000 slip leaves it.
H41_LINE_MN_BAND = (0.0, 2e7)
BANK_ASSETS_BN_BAND = (1e2, 1e5)

# Band of each dollar series, by its catalog role (a new dollar role must be given a band here).
BAND_BY_ROLE: dict[str, tuple[float, float]] = {
    "total_assets": BALANCE_SHEET_MN_BAND,
    "treasury_holdings": BALANCE_SHEET_MN_BAND,
    "securities_holdings": BALANCE_SHEET_MN_BAND,
    "mbs_holdings": MBS_MN_BAND,
    "reserves": RESERVES_TGA_MN_BAND,
    "tga_week_average": RESERVES_TGA_MN_BAND,
    "tga": RESERVES_TGA_MN_BAND,
    "on_rrp": ON_RRP_BN_BAND,
    **{
        role: H41_LINE_MN_BAND
        for role in (
            "reserves_wednesday",
            "factors_supplying",
            "factors_absorbing",
            "bills_holdings",
            "notes_bonds_holdings",
            "tips_holdings",
            "tips_inflation_compensation",
            "repo_holdings",
            "loans",
            "currency",
            "reverse_repo",
            "reverse_repo_foreign",
            "reverse_repo_others",
        )
    },
    "bank_assets": BANK_ASSETS_BN_BAND,
    "sofr_index": SOFR_INDEX_BAND,  # not a dollar series: the one non-percent rate series, banded by its role
}
# Longest allowed step between consecutive dates of one series: weekly H.4.1 is every Wednesday; daily
# business-day series skip weekends plus a holiday (Wed 24 Dec -> Mon 29 Dec = 5 days).
MAX_GAP_DAYS_BY_FREQUENCY = {"weekly": 7, "daily": 5}


def catalog() -> tuple[dict[str, str], ...]:
    """The FRED series catalog (warehouse/seeds/fred_series.csv) as rows of strings."""
    return seed_rows("fred_series")


def band(entry: dict[str, str]) -> tuple[float, float]:
    """Sane value band of one catalog series: percent series share one band, dollar series go by role."""
    if entry["units"] == "Percent":
        return PERCENT_BAND
    return BAND_BY_ROLE[entry["role"]]


# Per-row context columns: the row's series band, from the catalog.
BAND_LOW, BAND_HIGH = "ctx_band_low", "ctx_band_high"


def context() -> ContextSpec:
    """Dates per series_id; each series' gap limit comes from its catalog frequency, its value band from its role
    and its units from the catalog (joined to every row, so one rule checks every series)."""
    entries = catalog()
    gaps = {e["series_id"]: MAX_GAP_DAYS_BY_FREQUENCY[e["frequency"]] for e in entries}
    return ContextSpec(
        date_column="date",
        group_column="series_id",
        max_gap_days=gaps,
        value_columns=("value",),
        lookups={
            BAND_LOW: (pl.Float64(), {e["series_id"]: band(e)[0] for e in entries}),
            BAND_HIGH: (pl.Float64(), {e["series_id"]: band(e)[1] for e in entries}),
        },
    )


# Per-row check columns: the row's series is in the catalog; its units mean what the catalog declares for it.
IN_CATALOG = "chk_series_in_catalog"
UNITS_OK = "chk_units_as_catalog"
ORDER_BY = "date"  # the runner sorts by it before adding the check (any order would do: the check is row-wise)


def checks() -> dict[str, pl.Expr]:
    """The row's series in the catalog; its units matched against the pattern of its catalog series (null: a series
    outside the catalog, which the series_id rule names, or no units, which the not-null rule names)."""
    patterns = {e["series_id"]: unit_pattern(e["units"]) for e in catalog()}
    pattern = pl.col("series_id").replace_strict(patterns, default=None, return_dtype=pl.Utf8)
    # a polars check, not GX's value_set: GX copies a rule's config at every validation (~0.3 s a batch for the
    # 1,633 series of benchmarks/synth.py's x64 catalog)
    return {IN_CATALOG: pl.col("series_id").is_in(list(patterns)), UNITS_OK: pl.col("units").str.contains(pattern)}


def _series_rules() -> list:
    """Value band (two rules with per-row bounds) and declared units of every catalog series (one rule on the
    chk_ column), failures named per series."""
    entries = catalog()
    band_names = {
        e["series_id"]: f"value: in [{', '.join(rules.fmt_bound(b) for b in band(e))}] when series_id = "
        f"{e['series_id']}"
        for e in entries
    }
    # units by meaning (scale and currency): FRED's "Billions of US Dollars" is the catalog's "Billions of U.S.
    # Dollars", so a regex per series (an equality lookup cannot compare meanings), matched in one polars pass
    # instead of one GX regex rule per series (13 rules, ~25 ms each on the full history).
    units_names = {e["series_id"]: f"units: means '{e['units']}' when series_id = {e['series_id']}" for e in entries}
    return [
        *rules.bounded_by_group("value", BAND_LOW, BAND_HIGH, "series_id", band_names),
        rules.holds_by_group(UNITS_OK, "series_id", units_names, "units: means what the catalog declares"),
    ]


def build_suite() -> gx.ExpectationSuite:
    """Rules for a batch of FRED observations (any mix of catalog series)."""
    return rules.suite(
        DATASET,
        [
            rules.columns_present(COLUMNS),
            rules.not_null_all(["series_id", "date", "units"]),
            rules.dates(["date"]),
            rules.numeric(["value"]),
            rules.unique_key(KEY),
            rules.holds(IN_CATALOG, f"series_id: one of the {len(catalog())} catalog series (ref.fred_series)"),
            *_series_rules(),
            rules.batch_context("date", gaps=True),
        ],
    )


SUITE = Suite(dataset=DATASET, rules=build_suite, context=context, key=KEY, checks=checks, order_by=ORDER_BY)
