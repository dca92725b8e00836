"""Suite for raw.cftc_tff: CBOT Treasury futures in the CFTC TFF report, one row per (contract code, report date);
positions in contracts."""

from __future__ import annotations

from datetime import date

import great_expectations as gx
import polars as pl

from expectations import rules
from expectations.context import ContextSpec, KnownGap
from expectations.declaration import Suite
from expectations.marts import identity
from transforms import cftc

DATASET = "cftc_tff"
KEY = cftc.KEY
ORDER_BY = "report_date"
GROUPS = ("dealer", "asset_mgr", "lev_money", "other_rept")
POSITIONS = tuple(c for c in cftc.SCHEMA if "_positions_" in c) + ("open_interest_all",)
TRADERS = tuple(c for c in cftc.SCHEMA if c.startswith("traders_"))
PERCENTS = tuple(c for c in cftc.SCHEMA if c.startswith(("pct_of_", "conc_")))
# Positions are whole contracts and the CFTC's categories partition open interest exactly: every long (short) is a
# reportable group's long (short) or spread, or a non-reportable long (short). 0 residual in all 2,526 recorded rows.
SUM_TOLERANCE_CONTRACTS = 0
# Open interest of one Treasury contract in contracts: the 10-year reached ~5.3 million in 2026; 50 million would be
# ~$5tn notional of one contract, so anything above is a parse slip (e.g. two fields run together).
OPEN_INTEREST_BAND = (1.0, 5e7)
# Weekly on Tuesdays; a Tuesday holiday moves the report to the Monday (6 then 8 days apart).
MAX_GAP_DAYS = 8
# Tuesday federal holidays can only be the fixed-date ones; the report then moves to the Monday before (seen in
# the recordings: 2017-07-03, 2018-12-24, 2018-12-31, 2023-07-03) or, per the CFTC, to the Wednesday after.
FIXED_DATE_HOLIDAYS = ("01-01", "06-19", "07-04", "11-11", "12-25")
TUESDAY = 2  # polars dt.weekday(): Monday=1
# Reviewed holes of the bundled recording (replay/PROVENANCE.md): the CFTC published every week in between; a live
# run fills them.
KNOWN_GAPS = (
    KnownGap(date(2020, 11, 24), date(2021, 1, 5), "recording of 2020 taken in late November"),
    KnownGap(date(2023, 10, 10), date(2024, 1, 2), "recording of 2023 downloaded 2023-10-12"),
    KnownGap(date(2024, 6, 11), date(2025, 1, 7), "recording of 2024 downloaded mid-June 2024"),
    KnownGap(date(2025, 4, 29), date(2026, 1, 6), "recording of 2025 downloaded early May 2025"),
)


def context() -> ContextSpec:
    """Report dates per contract, at most MAX_GAP_DAYS apart (reviewed recording gaps exempt)."""
    return ContextSpec(
        date_column="report_date",
        group_column="cftc_contract_market_code",
        max_gap_days=MAX_GAP_DAYS,
        known_gaps=KNOWN_GAPS,
    )


def _side_sum(side: str) -> pl.Expr:
    """Every reportable group's `side` + spread, plus the non-reportable `side`: open interest by construction."""
    groups = [pl.col(f"{g}_positions_{side}_all") + pl.col(f"{g}_positions_spread_all") for g in GROUPS]
    return pl.sum_horizontal(groups) + pl.col(f"nonrept_positions_{side}_all")


def report_day_ok() -> pl.Expr:
    """A Tuesday, or the Monday before / Wednesday after a Tuesday that is a fixed-date federal holiday."""
    day = pl.col("report_date")
    weekday = day.dt.weekday()
    tuesday = pl.when(weekday == 1).then(day + pl.duration(days=1)).when(weekday == 3).then(day - pl.duration(days=1))
    shifted = tuesday.dt.strftime("%m-%d").is_in(list(FIXED_DATE_HOLIDAYS)).fill_null(False)
    return (weekday == TUESDAY) | shifted


def checks() -> dict[str, pl.Expr]:
    """Residuals of the two open-interest identities and the report-day rule (1 = fine)."""
    return {
        "chk_long_sum_residual": _side_sum("long") - pl.col("open_interest_all"),
        "chk_short_sum_residual": _side_sum("short") - pl.col("open_interest_all"),
        "chk_report_day_ok": report_day_ok().cast(pl.Int8),
    }


def build_suite() -> gx.ExpectationSuite:
    """Rules for a batch of CFTC TFF Treasury rows."""
    return rules.suite(
        DATASET,
        [
            rules.columns_present(list(cftc.SCHEMA)),
            rules.not_null_all((*KEY, "open_interest_all", *(c for c in POSITIONS if "_positions_" in c))),
            rules.dates(["report_date"]),
            rules.numeric_all((*POSITIONS, *TRADERS, *PERCENTS)),
            rules.unique_key(KEY),
            rules.in_set("cftc_contract_market_code", cftc.TREASURY_CONTRACTS),
            rules.in_set("futonly_or_combined", ["FutOnly"]),
            rules.ranges(
                rules.between_all(["open_interest_all"], *OPEN_INTEREST_BAND),
                rules.at_least_all((*(c for c in POSITIONS if c != "open_interest_all"), *TRADERS), 0),
                rules.between_all(PERCENTS, 0, 100),
                identity(
                    "chk_long_sum_residual",
                    "longs + spreads of all groups + non-reportable longs = open interest",
                    SUM_TOLERANCE_CONTRACTS,
                ),
                identity(
                    "chk_short_sum_residual",
                    "shorts + spreads of all groups + non-reportable shorts = open interest",
                    SUM_TOLERANCE_CONTRACTS,
                ),
            ),
            rules.E.ExpectColumnValuesToBeInSet(
                column="chk_report_day_ok",
                value_set=[1],
                description="report_date: a Tuesday (or shifted by a Tuesday holiday)",
            ),
            rules.batch_context("report_date", gaps=True),
        ],
    )


SUITE = Suite(dataset=DATASET, rules=build_suite, context=context, key=KEY, checks=checks, order_by=ORDER_BY)
