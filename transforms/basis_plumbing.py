"""The plumbing columns of marts.basis_weekly: beside leveraged funds' futures shorts (CFTC, Tuesday), primary
dealers' net Treasury positions (FR 2004, as of the Wednesday after: one day later, the nearest dealer week) and the
week's DVP repo volume (where the basis trade's cash leg is financed).

Dealer columns are the FR 2004 week whose as-of Wednesday is the day after the report Tuesday (a holiday-shifted
Monday report takes the Wednesday two days on); NULL where that dealer week is not held. Volumes are averages over
the report week (report - 6 days, report], the window basis.weekly_funding uses: the OFR's DVP total (final else
preliminary) and the NY Fed split (SOFR volume - BGCR volume).
"""

from __future__ import annotations

import polars as pl

from transforms.schema import SchemaDict

WEEK_DAYS = 7
SCHEMA: SchemaDict = {
    "pd_net_total_bn": pl.Float64,
    "pd_net_coupons_bn": pl.Float64,
    "pd_series_break": pl.Utf8,
    "dvp_volume_avg_bn": pl.Float64,
    "nyfed_dvp_volume_avg_bn": pl.Float64,
}


def _dealer_week(dealers: pl.DataFrame) -> pl.DataFrame:
    """Dealer rows keyed by the report Tuesday before their as-of Wednesday."""
    return dealers.select(
        (pl.col("as_of_date") - pl.duration(days=1)).alias("_tuesday"),
        pl.col("net_total_bn").alias("pd_net_total_bn"),
        pl.col("net_coupons_bn").alias("pd_net_coupons_bn"),
        pl.col("series_break").alias("pd_series_break"),
    )


def _weekly_volumes(segments: pl.DataFrame, reports: pl.DataFrame) -> pl.DataFrame:
    """Per report date: the OFR DVP and the NY Fed DVP-share volume averaged over the report week."""
    windows = reports.with_columns((pl.col("report_date") - pl.duration(days=WEEK_DAYS - 1)).alias("_start"))
    days = windows.join_where(
        segments.select("date", "dvp_volume_bn", "nyfed_dvp_volume_bn"),
        pl.col("date") >= pl.col("_start"),
        pl.col("date") <= pl.col("report_date"),
    )
    return days.group_by("report_date").agg(
        pl.col("dvp_volume_bn").mean().alias("dvp_volume_avg_bn"),
        pl.col("nyfed_dvp_volume_bn").mean().alias("nyfed_dvp_volume_avg_bn"),
    )


def add_plumbing_columns(basis: pl.DataFrame, dealers: pl.DataFrame, segments: pl.DataFrame) -> pl.DataFrame:
    """basis_weekly rows + SCHEMA's columns (appended in that order)."""
    tuesday = (
        pl.when(pl.col("report_date").dt.weekday() == 1)
        .then(pl.col("report_date") + pl.duration(days=1))
        .otherwise(pl.col("report_date"))
    )
    reports = basis.select("report_date").unique()
    out = (
        basis.with_columns(tuesday.alias("_tuesday"))
        .join(_dealer_week(dealers), on="_tuesday", how="left")
        .join(_weekly_volumes(segments, reports), on="report_date", how="left")
    )
    return out.select(*basis.columns, *(pl.col(c).cast(t) for c, t in SCHEMA.items()))
