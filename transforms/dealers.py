"""Primary dealers' balance sheets, weekly (marts.dealer_positions_weekly): net Treasury positions by kind, repo
financing, fails, week-over-week changes and the FR 2004 series break (era) of each week.

Grain: one row per as-of Wednesday held in core.nyfed_pd. Amounts in $ billions (the NY Fed's $ millions / 1,000).
A week-over-week change is computed only against the week 7 days before in the same era: across a series break
the items changed definition, so the change is NULL there, never a silent join of two definitions.
`components_sum_bn` adds bills, FRNs, every coupon bucket and every TIPS bucket of the era; it is NULL (and
`coverage` names what is missing) unless every part is held: the NY Fed's own total PDPOSGST-TOT equals that sum in
every week since 2013-04-03 (a public project's check over 704 weeks), so `chk` residuals compare the two.
"""

from __future__ import annotations

import polars as pl

from transforms.nyfed_pd import KEYIDS
from transforms.schema import SchemaDict
from transforms.units import conform

MN_PER_BN = 1_000.0
# Coupon buckets of each era (the >11-year bucket split in two at SBN2022).
COUPONS_BEFORE_2022 = ("coupons_le2y", "coupons_2_3y", "coupons_3_6y", "coupons_6_7y", "coupons_7_11y", "coupons_gt11y")
COUPONS_FROM_2022 = (*COUPONS_BEFORE_2022[:-1], "coupons_11_21y", "coupons_gt21y")
TIPS = ("tips_le2y", "tips_2_6y", "tips_6_11y", "tips_gt11y")
ERAS_WITH_SPLIT_LONG_COUPONS = ("SBN2022", "SBN2024")
# FRNs have a key id from 2015-01-07 (SBN2015); in SBN2013 they sit inside other lines.
ERAS_WITHOUT_FRN = ("SBN2013",)

SCHEMA: SchemaDict = {
    "as_of_date": pl.Date,
    "series_break": pl.Utf8,
    "net_total_bn": pl.Float64,
    "net_bills_bn": pl.Float64,
    "net_frn_bn": pl.Float64,
    "net_coupons_le2y_bn": pl.Float64,
    "net_coupons_2_3y_bn": pl.Float64,
    "net_coupons_3_6y_bn": pl.Float64,
    "net_coupons_6_7y_bn": pl.Float64,
    "net_coupons_7_11y_bn": pl.Float64,
    "net_coupons_gt11y_bn": pl.Float64,
    "net_coupons_bn": pl.Float64,
    "net_tips_bn": pl.Float64,
    "components_sum_bn": pl.Float64,
    "coverage": pl.Utf8,
    "repo_bn": pl.Float64,
    "reverse_repo_bn": pl.Float64,
    "net_repo_financing_bn": pl.Float64,
    "securities_borrowed_bn": pl.Float64,
    "securities_lent_bn": pl.Float64,
    "fails_to_deliver_bn": pl.Float64,
    "fails_to_receive_bn": pl.Float64,
    "fails_total_bn": pl.Float64,
    "transactions_bn": pl.Float64,
    "net_total_wow_bn": pl.Float64,
    "repo_wow_bn": pl.Float64,
    "fails_total_wow_bn": pl.Float64,
    "suppressed_items": pl.Utf8,
}
_WIDE = {
    "total": "net_total_bn",
    "bills": "net_bills_bn",
    "frn": "net_frn_bn",
    "securities_out_repo": "repo_bn",
    "securities_in_reverse_repo": "reverse_repo_bn",
    "securities_in_borrowed": "securities_borrowed_bn",
    "securities_out_lent": "securities_lent_bn",
    "fails_to_deliver": "fails_to_deliver_bn",
    "fails_to_receive": "fails_to_receive_bn",
    "ust_ex_tips_volume": "transactions_bn",
}


def _long(pd_core: pl.DataFrame) -> pl.DataFrame:
    """core.nyfed_pd rows of the modelled key ids with their bucket name, $ billions."""
    buckets = pl.DataFrame({"keyid": list(KEYIDS), "bucket": [b for _, b in KEYIDS.values()]})
    return pd_core.join(buckets, on="keyid", how="inner").with_columns((pl.col("value_mn") / MN_PER_BN).alias("bn"))


def _wide(long: pl.DataFrame) -> pl.DataFrame:
    """One row per as-of date, one column per bucket (NULL where absent or suppressed) and the suppressed list."""
    buckets = sorted({b for _, b in KEYIDS.values()})
    return (
        long.group_by("as_of_date")
        .agg(
            pl.col("series_break").drop_nulls().first(),
            *(pl.col("bn").filter(pl.col("bucket") == b).first().alias(b) for b in buckets),
            pl.col("keyid").filter(pl.col("suppressed")).sort().str.join(", ").alias("suppressed_items"),
        )
        .with_columns(
            pl.when(pl.col("suppressed_items") == "")
            .then(None)
            .otherwise(pl.col("suppressed_items"))
            .alias("suppressed_items")
        )
    )


def _era_sum(parts_by_era: tuple[tuple[str, ...], tuple[str, ...]]) -> pl.Expr:
    """Sum of the era's parts (before / from SBN2022): NULL if one is NULL (never a partial total)."""
    before, after = parts_by_era
    split = pl.col("series_break").is_in(ERAS_WITH_SPLIT_LONG_COUPONS)
    return (
        pl.when(split)
        .then(pl.sum_horizontal(*after).mul(_all_present(after)))
        .otherwise(pl.sum_horizontal(*before).mul(_all_present(before)))
    )


def _all_present(columns: tuple[str, ...]) -> pl.Expr:
    """1.0 when every column is non-null, else NULL (multiplying by it nulls a partial sum)."""
    return pl.when(pl.all_horizontal(pl.col(c).is_not_null() for c in columns)).then(1.0)


def _coverage(required: list[str]) -> pl.Expr:
    """'complete', or 'partial: missing <bucket>, ...' for the buckets of the week's era that are not held."""
    missing = pl.concat_str([pl.when(pl.col(c).is_null()).then(pl.lit(c + ",")) for c in required], ignore_nulls=True)
    return (
        pl.when(missing == "")
        .then(pl.lit("complete"))
        .otherwise(pl.lit("partial: missing ") + missing.str.strip_chars_end(",").str.replace_all(",", ", "))
    )


def _coverage_by_era() -> pl.Expr:
    """Coverage of the parts of the published total in the week's era (FRNs not before SBN2015)."""
    split = pl.col("series_break").is_in(ERAS_WITH_SPLIT_LONG_COUPONS)
    base = ["bills", *TIPS]
    with_frn = ["frn", *base]
    return (
        pl.when(split)
        .then(_coverage([*with_frn, *COUPONS_FROM_2022]))
        .when(pl.col("series_break").is_in(ERAS_WITHOUT_FRN))
        .then(_coverage([*base, *COUPONS_BEFORE_2022]))
        .otherwise(_coverage([*with_frn, *COUPONS_BEFORE_2022]))
    )


def _wow(column: str) -> pl.Expr:
    """Change from the week 7 days before in the same era; NULL across a series break or a missing week."""
    same = (pl.col("series_break") == pl.col("series_break").shift(1)) & (
        (pl.col("as_of_date") - pl.col("as_of_date").shift(1)) == pl.duration(days=7)
    )
    return pl.when(same).then(pl.col(column) - pl.col(column).shift(1))


def build_dealer_positions_weekly(pd_core: pl.DataFrame) -> pl.DataFrame:
    """marts.dealer_positions_weekly from core.nyfed_pd (see the module docstring)."""
    if pd_core.is_empty():
        return pl.DataFrame(schema=SCHEMA)
    wide = _wide(_long(pd_core)).sort("as_of_date")
    for name in (*COUPONS_FROM_2022, "coupons_gt11y", *TIPS, "frn"):
        if name not in wide.columns:
            wide = wide.with_columns(pl.lit(None, pl.Float64).alias(name))
    long_coupons = (
        pl.when(pl.col("series_break").is_in(ERAS_WITH_SPLIT_LONG_COUPONS))
        .then(pl.col("coupons_11_21y") + pl.col("coupons_gt21y"))
        .otherwise(pl.col("coupons_gt11y"))
    )
    frn = pl.when(pl.col("series_break").is_in(ERAS_WITHOUT_FRN)).then(0.0).otherwise(pl.col("frn"))
    out = wide.with_columns(
        long_coupons.alias("net_coupons_gt11y_bn"),
        _era_sum((COUPONS_BEFORE_2022, COUPONS_FROM_2022)).alias("net_coupons_bn"),
        (pl.sum_horizontal(*TIPS) * _all_present(TIPS)).alias("net_tips_bn"),
        frn.alias("frn_part"),
        _coverage_by_era().alias("coverage"),
        *(pl.col(b).alias(f"net_{b}_bn") for b in COUPONS_BEFORE_2022[:-1]),
        *(pl.col(src).alias(dst) for src, dst in _WIDE.items() if src in wide.columns),
    ).with_columns(
        (pl.col("net_bills_bn") + pl.col("frn_part") + pl.col("net_coupons_bn") + pl.col("net_tips_bn")).alias(
            "components_sum_bn"
        ),
        (pl.col("repo_bn") - pl.col("reverse_repo_bn")).alias("net_repo_financing_bn"),
        (pl.col("fails_to_deliver_bn") + pl.col("fails_to_receive_bn")).alias("fails_total_bn"),
    )
    out = out.with_columns(
        _wow("net_total_bn").alias("net_total_wow_bn"),
        _wow("repo_bn").alias("repo_wow_bn"),
        _wow("fails_total_bn").alias("fails_total_wow_bn"),
    )
    return out.pipe(_fill_missing).pipe(conform, SCHEMA)


def _fill_missing(frame: pl.DataFrame) -> pl.DataFrame:
    """Columns of SCHEMA no held key id provides (e.g. no fails recorded) as NULL."""
    return frame.with_columns(pl.lit(None, dtype).alias(c) for c, dtype in SCHEMA.items() if c not in frame.columns)
