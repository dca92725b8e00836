"""Repo by segment, daily (marts.repo_segments_daily): which part of the repo market is paying up.

Two inputs, side by side on one row per business day:
- the NY Fed reference rates already loaded give a first split of volumes and rates: TGCR covers tri-party repo,
  BGCR tri-party plus GCF, SOFR those plus the cleared bilateral (DVP) trades it keeps after its filter
  (https://www.newyorkfed.org/markets/reference-rates/additional-information-about-reference-rates). So
  BGCR volume minus TGCR volume is GCF's share and SOFR volume minus BGCR volume the DVP share, and SOFR - TGCR is
  what the DVP/GCF part pays over tri-party;
- the OFR Short-term Funding Monitor's own segment rates and volumes (DVP incl. sponsored, GCF, tri-party), final
  where the OFR has published it, else preliminary (`ofr_vintage` says which), with the revision F - P kept.
Rates in percent, spreads in basis points (rounded to 0.01 bp), volumes in $ billions. IORB comes from
marts.funding_daily (as-of joined there).
"""

from __future__ import annotations

import polars as pl

from transforms.schema import SchemaDict
from transforms.units import USD_PER_BN, conform

SEGMENTS = {"DVP": "dvp", "GCF": "gcf", "TRI": "tri"}

SCHEMA: SchemaDict = {
    "date": pl.Date,
    "iorb_pct": pl.Float64,
    "sofr_pct": pl.Float64,
    "bgcr_pct": pl.Float64,
    "tgcr_pct": pl.Float64,
    "sofr_tgcr_bp": pl.Float64,
    "bgcr_tgcr_bp": pl.Float64,
    "tgcr_iorb_bp": pl.Float64,
    "sofr_volume_bn": pl.Float64,
    "bgcr_volume_bn": pl.Float64,
    "tgcr_volume_bn": pl.Float64,
    "nyfed_dvp_volume_bn": pl.Float64,
    "nyfed_gcf_volume_bn": pl.Float64,
    "dvp_rate_pct": pl.Float64,
    "gcf_rate_pct": pl.Float64,
    "tri_rate_pct": pl.Float64,
    "dvp_volume_bn": pl.Float64,
    "gcf_volume_bn": pl.Float64,
    "tri_volume_bn": pl.Float64,
    "dvp_iorb_bp": pl.Float64,
    "gcf_iorb_bp": pl.Float64,
    "tri_iorb_bp": pl.Float64,
    "dvp_tgcr_bp": pl.Float64,
    "gcf_tgcr_bp": pl.Float64,
    "tri_tgcr_bp": pl.Float64,
    "gcf_tri_bp": pl.Float64,
    "dvp_tri_bp": pl.Float64,
    "dvp_rate_revision_bp": pl.Float64,
    "ofr_vintage": pl.Utf8,
}


def _bp(a: str, b: str) -> pl.Expr:
    """(a - b) x 100, basis points rounded to 0.01 bp."""
    return ((pl.col(a) - pl.col(b)) * 100).round(2)


def nyfed_split(rates: pl.DataFrame) -> pl.DataFrame:
    """One row per date: SOFR/BGCR/TGCR rates and volumes and the volume split they imply."""
    wanted = rates.filter(pl.col("rate_type").is_in(["SOFR", "BGCR", "TGCR"]))
    wide = wanted.group_by(pl.col("effective_date").alias("date")).agg(
        *(
            pl.col(c).filter(pl.col("rate_type") == t).first().alias(f"{t.lower()}_{s}")
            for t in ("SOFR", "BGCR", "TGCR")
            for c, s in (("rate_pct", "pct"), ("volume_bn", "volume_bn"))
        )
    )
    return wide.with_columns(
        (pl.col("sofr_volume_bn") - pl.col("bgcr_volume_bn")).alias("nyfed_dvp_volume_bn"),
        (pl.col("bgcr_volume_bn") - pl.col("tgcr_volume_bn")).alias("nyfed_gcf_volume_bn"),
    )


def ofr_segments(ofr: pl.DataFrame) -> pl.DataFrame:
    """One row per date: each segment's overnight rate and total volume (final, else preliminary), the DVP rate
    revision and which vintage the row stands on."""
    picked = ofr.filter(pl.col("segment").is_in(list(SEGMENTS)) & pl.col("value").is_not_null())
    columns = []
    for segment, short in SEGMENTS.items():
        for measure, name, scale in (("AR", "rate_pct", 1.0), ("TV", "volume_bn", USD_PER_BN)):
            for vintage in ("F", "P"):
                hit = (pl.col("segment") == segment) & (pl.col("measure") == measure) & (pl.col("vintage") == vintage)
                columns.append((pl.col("value").filter(hit).first() / scale).alias(f"{short}_{name}_{vintage}"))
    wide = picked.group_by("date").agg(columns)
    finals = [pl.col(f"{s}_rate_pct_F").is_not_null() for s in SEGMENTS.values()]
    return wide.with_columns(
        *(
            pl.coalesce(f"{s}_{n}_F", f"{s}_{n}_P").alias(f"{s}_{n}")
            for s in SEGMENTS.values()
            for n in ("rate_pct", "volume_bn")
        ),
        _bp("dvp_rate_pct_F", "dvp_rate_pct_P").alias("dvp_rate_revision_bp"),
        pl.when(pl.all_horizontal(finals))
        .then(pl.lit("final"))
        .when(pl.any_horizontal(finals))
        .then(pl.lit("mixed"))
        .otherwise(pl.lit("preliminary"))
        .alias("ofr_vintage"),
    )


def build_repo_segments_daily(ofr: pl.DataFrame, rates: pl.DataFrame, funding_daily: pl.DataFrame) -> pl.DataFrame:
    """marts.repo_segments_daily (see the module docstring)."""
    nyfed = nyfed_split(rates)
    segments = ofr_segments(ofr) if not ofr.is_empty() else pl.DataFrame(schema={"date": pl.Date})
    days = nyfed.join(segments, on="date", how="full", coalesce=True)
    days = days.join(funding_daily.select("date", "iorb_pct"), on="date", how="left")
    for column in SCHEMA:
        if column not in days.columns:
            days = days.with_columns(pl.lit(None, SCHEMA[column]).alias(column))
    spreads = [
        _bp("sofr_pct", "tgcr_pct").alias("sofr_tgcr_bp"),
        _bp("bgcr_pct", "tgcr_pct").alias("bgcr_tgcr_bp"),
        _bp("tgcr_pct", "iorb_pct").alias("tgcr_iorb_bp"),
        _bp("gcf_rate_pct", "tri_rate_pct").alias("gcf_tri_bp"),
        _bp("dvp_rate_pct", "tri_rate_pct").alias("dvp_tri_bp"),
    ]
    spreads += [_bp(f"{s}_rate_pct", "iorb_pct").alias(f"{s}_iorb_bp") for s in SEGMENTS.values()]
    spreads += [_bp(f"{s}_rate_pct", "tgcr_pct").alias(f"{s}_tgcr_bp") for s in SEGMENTS.values()]
    return days.with_columns(spreads).sort("date").pipe(conform, SCHEMA)
