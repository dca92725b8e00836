"""Treasury-futures positioning of the basis trade beside the week's funding gauges (marts.basis_weekly).

Grain: one row per report week (the CFTC's Tuesday, or the Monday a Tuesday holiday moved it to) and tenor (2y, 5y,
10y, ultra_10y, bond, ultra_bond) plus a `total` row. The weeks run every 7 days from the first to the last report
held, so a week the recording misses is a row whose positioning columns are NULL, with `coverage` saying why.

Positions are contracts (core.cftc_tff, joined on the CFTC code, never the market name); notional = contracts x face
value ($200,000 for the 2-year note, $100,000 for the others) in $ billions. The funding columns summarise the days
(report date - 6, report date]: the Wednesday-to-Tuesday week the positions close; SOFR-IORB in bp from
marts.funding_daily, SRF take-up summed, ON RRP on the last Wednesday on or before the report date.
"""

from __future__ import annotations

from datetime import date
from typing import cast

import polars as pl
from sortedcontainers import SortedList

from transforms.cftc import TENORS, TREASURY_CONTRACTS
from transforms.schema import SchemaDict
from transforms.units import USD_PER_BN, conform

TOTAL = "total"
PERCENTILE_SINCE = date(2017, 1, 1)
WEEK_DAYS = 7
# stress_flag: leveraged funds cut their net short by at least UNWIND_SHARE of the previous week's (the basis trade
# unwinding: shorts bought back as the cash leg is sold) while repo was tight that week (SOFR printed above IORB on
# some day, or the SRF lent more than SRF_STRESS_BN on one day's operations summed over the week).
UNWIND_SHARE = 0.05
SOFR_IORB_STRESS_BP = 0.0
SRF_STRESS_BN = 5.0

SCHEMA: SchemaDict = {
    "report_date": pl.Date,
    "tenor": pl.Utf8,
    "cftc_contract_market_code": pl.Utf8,
    "lev_long_contracts": pl.Int64,
    "lev_short_contracts": pl.Int64,
    "lev_net_contracts": pl.Int64,
    "lev_net_notional_bn": pl.Float64,
    "am_net_contracts": pl.Int64,
    "am_net_notional_bn": pl.Float64,
    "dealer_net_contracts": pl.Int64,
    "open_interest": pl.Int64,
    "lev_short_share_oi": pl.Float64,
    "lev_net_contracts_wow": pl.Int64,
    "lev_net_notional_wow_bn": pl.Float64,
    "lev_net_pctile_since_2017": pl.Float64,
    "sofr_iorb_avg_bp": pl.Float64,
    "sofr_iorb_max_bp": pl.Float64,
    "srf_takeup_sum_bn": pl.Float64,
    "on_rrp_wed_bn": pl.Float64,
    "stress_flag": pl.Boolean,
    "coverage": pl.Utf8,
    "pctile_weeks_missing": pl.Int64,
}
_CONTRACTS = pl.DataFrame(
    {
        "cftc_contract_market_code": list(TREASURY_CONTRACTS),
        "tenor": [t for t, _ in TREASURY_CONTRACTS.values()],
        "face_usd": [f for _, f in TREASURY_CONTRACTS.values()],
    },
    schema={"cftc_contract_market_code": pl.Utf8, "tenor": pl.Utf8, "face_usd": pl.Int64},
)


def _tuesday(day: pl.Expr) -> pl.Expr:
    """Monday -> the next day, Tuesday -> itself, Wednesday -> the day before (the CFTC's holiday shifts)."""
    return day + pl.duration(days=2 - day.dt.weekday())


def select_positions(tff: pl.DataFrame) -> pl.DataFrame:
    """Per (week, tenor): the reported date and the long/short positions of leveraged funds, asset managers, dealers."""
    return (
        tff.join(_CONTRACTS, on="cftc_contract_market_code", how="inner")
        .select(
            _tuesday(pl.col("report_date")).alias("week"),
            "report_date",
            "tenor",
            "cftc_contract_market_code",
            "face_usd",
            pl.col("lev_money_positions_long_all").alias("lev_long_contracts"),
            pl.col("lev_money_positions_short_all").alias("lev_short_contracts"),
            (pl.col("asset_mgr_positions_long_all") - pl.col("asset_mgr_positions_short_all")).alias(
                "am_net_contracts"
            ),
            (pl.col("dealer_positions_long_all") - pl.col("dealer_positions_short_all")).alias("dealer_net_contracts"),
            pl.col("open_interest_all").alias("open_interest"),
        )
        .unique(["week", "tenor"], keep="last")
    )


def weekly_spine(positions: pl.DataFrame) -> pl.DataFrame:
    """Every Tuesday from the first to the last report week x every tenor, with whether any report that week exists."""
    if positions.is_empty():
        return pl.DataFrame(schema={"week": pl.Date, "tenor": pl.Utf8, "week_reported": pl.Boolean})
    first, last = (cast(date, positions["week"].min()), cast(date, positions["week"].max()))
    weeks = pl.date_range(first, last, "1w", eager=True).alias("week")
    reported = positions.select(pl.col("week").unique(), pl.lit(True).alias("week_reported"))
    return (
        weeks.to_frame()
        .join(pl.DataFrame({"tenor": list(TENORS)}), how="cross")
        .join(reported, on="week", how="left")
        .with_columns(pl.col("week_reported").fill_null(False))
    )


def add_tenor_rows(spine: pl.DataFrame, positions: pl.DataFrame) -> pl.DataFrame:
    """One row per week x tenor: positions where reported, NULL (and a coverage note) where not."""
    codes = _CONTRACTS.select("tenor", "cftc_contract_market_code", "face_usd")
    rows = spine.join(positions.drop("cftc_contract_market_code", "face_usd"), on=["week", "tenor"], how="left")
    return rows.join(codes, on="tenor", how="left").with_columns(
        pl.coalesce("report_date", pl.col("report_date").max().over("week"), "week").alias("report_date"),
        pl.when(pl.col("lev_long_contracts").is_not_null())
        .then(pl.lit("reported"))
        .when(pl.col("week_reported"))
        .then(pl.lit("tenor missing from the week's report"))
        .otherwise(pl.lit("gap: no TFF report loaded for this week"))
        .alias("coverage"),
    )


def add_total_rows(rows: pl.DataFrame) -> pl.DataFrame:
    """A `total` row per week: sums over the six tenors, NULL unless every tenor was reported that week."""
    summed = (
        "lev_long_contracts",
        "lev_short_contracts",
        "am_net_contracts",
        "dealer_net_contracts",
        "open_interest",
        "lev_net_notional_bn",
        "am_net_notional_bn",
    )
    missing = pl.col("tenor").filter(pl.col("coverage") != "reported")
    complete = missing.len() == 0
    total = (
        rows.group_by("week")
        .agg(
            pl.col("report_date").max(),
            *(pl.when(complete).then(pl.col(c).sum()).alias(c) for c in summed),
            pl.when(complete)
            .then(pl.lit("reported"))
            .when(pl.col("week_reported").first())
            .then(pl.lit("partial: missing ") + missing.str.join(", "))
            .otherwise(pl.lit("gap: no TFF report loaded for this week"))
            .alias("coverage"),
        )
        .with_columns(pl.lit(TOTAL).alias("tenor"), pl.lit(None, pl.Utf8).alias("cftc_contract_market_code"))
    )
    return pl.concat([rows, total], how="diagonal_relaxed")


def add_net_positions(rows: pl.DataFrame) -> pl.DataFrame:
    """Net contracts (long - short), notionals in $bn (contracts x face value) and the leveraged short share of OI."""
    face = pl.col("face_usd") / USD_PER_BN
    return rows.with_columns(
        (pl.col("lev_long_contracts") - pl.col("lev_short_contracts")).alias("lev_net_contracts"),
        ((pl.col("lev_long_contracts") - pl.col("lev_short_contracts")) * face).alias("lev_net_notional_bn"),
        (pl.col("am_net_contracts") * face).alias("am_net_notional_bn"),
        (pl.col("lev_short_contracts") / pl.col("open_interest")).alias("lev_short_share_oi"),
    )


def add_week_changes(rows: pl.DataFrame) -> pl.DataFrame:
    """Change of the leveraged net from the previous week of the same tenor (NULL when either week is missing)."""
    previous = pl.col("lev_net_contracts").shift(1).over("tenor", order_by="week")
    previous_bn = pl.col("lev_net_notional_bn").shift(1).over("tenor", order_by="week")
    return rows.with_columns(
        pl.col("lev_net_contracts").cast(pl.Int64),
        (pl.col("lev_net_contracts") - previous).alias("lev_net_contracts_wow"),
        (pl.col("lev_net_notional_bn") - previous_bn).alias("lev_net_notional_wow_bn"),
        previous_bn.alias("_previous_net_bn"),
    )


def add_percentile(rows: pl.DataFrame) -> pl.DataFrame:
    """lev_net_pctile_since_2017: share of the tenor's reported weeks from 2017 up to this one (no look-ahead) whose
    leveraged net notional was at or below this week's; 0..1, low = a record net short."""
    held = (
        rows.filter(pl.col("lev_net_notional_bn").is_not_null() & (pl.col("week") >= PERCENTILE_SINCE))
        .select("tenor", "week", "lev_net_notional_bn")
        .sort("tenor", "week")
    )
    shares = [
        share
        for part in held.partition_by("tenor", maintain_order=True)
        for share in expanding_share_at_or_below(part["lev_net_notional_bn"].to_list())
    ]
    ranks = held.select("tenor", "week", pl.Series("lev_net_pctile_since_2017", shares, dtype=pl.Float64))
    return rows.join(ranks, on=["tenor", "week"], how="left")


def add_percentile_coverage(rows: pl.DataFrame) -> pl.DataFrame:
    """pctile_weeks_missing: report weeks from 2017 up to this one the recording lacks for the tenor (positions NULL):
    lev_net_pctile_since_2017 ranks without them, so a 'largest since 2017' read is incomplete when it is above 0."""
    missing = (pl.col("lev_net_notional_bn").is_null() & (pl.col("week") >= PERCENTILE_SINCE)).cast(pl.Int32)
    return rows.with_columns(missing.cum_sum().over("tenor", order_by="week").alias("pctile_weeks_missing"))


def expanding_share_at_or_below(values: list[float]) -> list[float]:
    """For each position i: the share of values[0..i] that are <= values[i]. A sorted list keeps it O(n log n) (a
    self-join of every week with its past ones grew with the square of the history)."""
    seen: SortedList = SortedList()
    shares = []
    for value in values:
        seen.add(value)
        shares.append(seen.bisect_right(value) / len(seen))
    return shares


def weekly_funding(funding_daily: pl.DataFrame, weeks: pl.DataFrame) -> pl.DataFrame:
    """Per report date: SOFR-IORB average and max (bp) and SRF take-up summed ($bn) over (report - 6d, report],
    and ON RRP on the last Wednesday on or before the report date."""
    reports = (
        weeks.select("report_date")
        .unique()
        .with_columns((pl.col("report_date") - pl.duration(days=WEEK_DAYS - 1)).alias("_window_start"))
    )
    # an inequality join (rows ~ 7 x weeks), not a cross join filtered afterwards (rows = weeks x days)
    days = reports.join_where(
        funding_daily, pl.col("date") >= pl.col("_window_start"), pl.col("date") <= pl.col("report_date")
    )
    summary = days.group_by("report_date").agg(
        pl.col("sofr_iorb_bp").mean().alias("sofr_iorb_avg_bp"),
        pl.col("sofr_iorb_bp").max().alias("sofr_iorb_max_bp"),
        pl.when(pl.col("srf_takeup_bn").is_not_null().any())
        .then(pl.col("srf_takeup_bn").sum())
        .alias("srf_takeup_sum_bn"),
        pl.col("on_rrp_bn").filter(pl.col("date").dt.weekday() == 3).last().alias("on_rrp_wed_bn"),
    )
    return weeks.select("report_date").unique().join(summary, on="report_date", how="left")


def flag_stress(rows: pl.DataFrame) -> pl.DataFrame:
    """stress_flag: the leveraged net short shrank by >= UNWIND_SHARE in a week with repo pressure (see module doc);
    missing inputs never raise it."""
    unwinding = (pl.col("_previous_net_bn") < 0) & (
        pl.col("lev_net_notional_wow_bn") >= UNWIND_SHARE * -pl.col("_previous_net_bn")
    )
    tight = (pl.col("sofr_iorb_max_bp") > SOFR_IORB_STRESS_BP) | (pl.col("srf_takeup_sum_bn") > SRF_STRESS_BN)
    return rows.with_columns((unwinding.fill_null(False) & tight.fill_null(False)).alias("stress_flag"))


def build_basis_weekly(tff: pl.DataFrame, funding_daily: pl.DataFrame) -> pl.DataFrame:
    """marts.basis_weekly from core.cftc_tff and marts.funding_daily (see the module doc for grain and units)."""
    positions = select_positions(tff)
    rows = (
        weekly_spine(positions)
        .pipe(add_tenor_rows, positions)
        .pipe(add_net_positions)
        .pipe(add_total_rows)
        .pipe(add_net_positions_total)
        .pipe(add_week_changes)
        .pipe(add_percentile)
        .pipe(add_percentile_coverage)
    )
    funded = rows.join(weekly_funding(funding_daily, rows), on="report_date", how="left")
    order = pl.col("tenor").replace_strict({t: i for i, t in enumerate((*TENORS, TOTAL))}, return_dtype=pl.Int8)
    return funded.pipe(flag_stress).sort("report_date", order).pipe(conform, SCHEMA)


def add_net_positions_total(rows: pl.DataFrame) -> pl.DataFrame:
    """The total rows' net contracts and short share (their notionals are sums of the tenors', not contracts x one
    face value)."""
    total = pl.col("tenor") == TOTAL
    return rows.with_columns(
        pl.when(total)
        .then(pl.col("lev_long_contracts") - pl.col("lev_short_contracts"))
        .otherwise(pl.col("lev_net_contracts"))
        .alias("lev_net_contracts"),
        pl.when(total)
        .then(pl.col("lev_short_contracts") / pl.col("open_interest"))
        .otherwise(pl.col("lev_short_share_oi"))
        .alias("lev_short_share_oi"),
    )
