"""Suite for raw.nyfed_reference_rates: one row per (rate_type, effective_date); rates in percent, volume in $bn."""

from __future__ import annotations

from datetime import date

import great_expectations as gx
import polars as pl

from expectations import rules
from expectations.context import ContextSpec, KnownGap
from expectations.declaration import Suite
from transforms.registry import DATASETS

DATASET = "nyfed_reference_rates"
KEY = DATASETS["nyfed_reference_rates"].key
# Rate types with a published rate; SOFRAI carries the SOFR averages and index instead, and a type qtwatch does not
# know yet is kept as it comes (transforms.nyfed.unknown_rate_types): neither is a reason to quarantine.
RATE_TYPES = ("EFFR", "OBFR", "SOFR", "BGCR", "TGCR")
SOFR_AVERAGES = ("sofr_avg_30d_pct", "sofr_avg_90d_pct", "sofr_avg_180d_pct")
SOFR_INDEX_BAND = (1.0, 3.0)  # compounded SOFR from 1.0 on 2018-04-02
PERCENTILES = ("percentile_1_pct", "percentile_25_pct", "rate_pct", "percentile_75_pct", "percentile_99_pct")
RATE_COLUMNS = (*PERCENTILES, "target_rate_from_pct", "target_rate_to_pct")

# Overnight rates in percent: SOFR printed -0.01..5.40 since 2018, EFFR at most ~20 (1981); outside [-1, 25]
# is a parse or unit error.
RATE_PCT_BAND = (-1.0, 25.0)
# Daily volumes in $ billions: SOFR ~ $3.5tn = 3,500; $10tn leaves room for growth yet catches a x1000 slip.
VOLUME_BN_BAND = (0.0, 1e4)
# Published every business day: a weekend plus a holiday is at most 5 calendar days.
MAX_GAP_DAYS = 5
# Reviewed holes. The bundled recording joins two real files that do not meet: one ends 2025-11-21, the next
# starts 2026-01-02 (replay/PROVENANCE.md). The NY Fed published every business day in between; a live run fills it.
KNOWN_GAPS = (KnownGap(date(2025, 11, 21), date(2026, 1, 2), "no recording covers 2025-11-24..2025-12-31"),)


def context() -> ContextSpec:
    """Dates per rate_type, at most MAX_GAP_DAYS apart."""
    return ContextSpec(
        date_column="effective_date",
        group_column="rate_type",
        max_gap_days=MAX_GAP_DAYS,
        known_gaps=KNOWN_GAPS,
        value_columns=("rate_pct", "volume_bn"),
    )


# Per-row check column: the value the row's rate type publishes is there (rate_pct, or sofr_index for SOFRAI).
PUBLISHED = "chk_published_value_present"
ORDER_BY = "effective_date"
PUBLISHED_NAMES = {
    **{t: f"rate_pct: not null when rate_type = {t}" for t in RATE_TYPES},
    "SOFRAI": "sofr_index: not null when rate_type = SOFRAI",
}


def _present(column: str) -> pl.Expr:
    """Not null and not NaN (pandas, and so GX, read NaN as missing); a value of any other type counts as present."""
    value = pl.col(column)
    return value.is_not_null() & ~value.cast(pl.Float64, strict=False).is_nan().fill_null(False)


def checks() -> dict[str, pl.Expr]:
    """Per row: its published value is present (null: a rate type qtwatch does not know publishes nothing to check)."""
    kind = pl.col("rate_type")
    return {
        PUBLISHED: pl.when(kind.is_in(RATE_TYPES))
        .then(_present("rate_pct"))
        .when(kind == "SOFRAI")
        .then(_present("sofr_index"))
    }


def build_suite() -> gx.ExpectationSuite:
    """Rules for a batch of NY Fed reference rates (all rate types)."""
    return rules.suite(
        DATASET,
        [
            # The SOFR averages and index are required too: the range and published-value rules read them.
            rules.columns_present(
                ("effective_date", "rate_type", *RATE_COLUMNS, "volume_bn", *SOFR_AVERAGES, "sofr_index")
            ),
            rules.not_null_all(("effective_date", "rate_type")),
            # One rule for "rate_pct: not null when rate_type = <each rate type>" and "sofr_index: ... = SOFRAI".
            rules.holds_by_group(
                PUBLISHED, "rate_type", PUBLISHED_NAMES, "each rate type: its published value present"
            ),
            rules.dates(["effective_date"]),
            rules.numeric_all((*RATE_COLUMNS, "volume_bn")),
            rules.unique_key(KEY),
            rules.ranges(
                rules.between_all((*RATE_COLUMNS, *SOFR_AVERAGES), *RATE_PCT_BAND),
                rules.between_all(["sofr_index"], *SOFR_INDEX_BAND),
                rules.between_all(["volume_bn"], *VOLUME_BN_BAND),
            ),
            # The distribution is ordered: p1 <= p25 <= rate (the median-ish published rate) <= p75 <= p99.
            rules.batch_context(
                "effective_date",
                gaps=True,
                also=[*zip(PERCENTILES, PERCENTILES[1:], strict=False), ("target_rate_from_pct", "target_rate_to_pct")],
            ),
        ],
    )


SUITE = Suite(dataset=DATASET, rules=build_suite, context=context, key=KEY, checks=checks, order_by=ORDER_BY)
