"""The mart registry: every analyst mart qtwatch builds, declared once.

One `Mart` entry says what a mart is: its name (`marts.<name>`), its builder (a function of the frames of its
inputs), its inputs (core datasets, other marts, `ref.*` tables), its column schema, key, grain and date column, and
the comments of the table and of every column. From `MARTS` the pipeline builds each mart once per run in dependency
order, passing built marts on (flows.marts); the DDL is generated (warehouse.marts_ddl), and with it the data
dictionary; the report's coverage table, the mart suites' column checks and the tests derive from it. Steps to add a
mart: docs/adding.md.

How inputs arrive: a core dataset as `core.<dataset>` (its latest version), except `fred_observations`, which is
converted to $ billions by the catalog (flows.marts checks the units first); a mart as built this run (amounts
rounded, as published) or else as published; a `ref.*` table as held. Only polars and the stdlib are imported here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from transforms import (
    ampleness,
    auction_health,
    basis,
    basis_plumbing,
    dealers,
    funding,
    funding_calendar,
    funding_events,
    liquidity,
    purchases,
    repo_segments,
    reserves,
    runoff,
    tga,
    treasury_cash,
)
from transforms.calendar import fed_holidays, legal_holidays
from transforms.fiscal import tga_closing_balance
from transforms.registry import DATASETS, source_of
from transforms.schema import SchemaDict
from transforms.units import round_amounts

Frames = Mapping[str, pl.DataFrame]
Builder = Callable[[Frames], pl.DataFrame]


@dataclass(frozen=True)
class Reach:
    """How far from its date the input rows one mart row reads lie (incremental marts, issue 27): a row dated t reads
    input rows dated in [t - before, t + after] (ref tables whole). A run whose inputs changed from day S on
    recomputes the rows dated from cut = min(S, the mart's last published date) - after (`recompute_from`: a spine
    that runs to the latest input creates rows after the old last date), reading input rows dated from
    cut - before, and replaces every published row from cut on (a row can vanish). Declared from reading the
    builder, with a margin; tests/transforms_tests/test_incremental_marts.py keeps every mart equal to a full rebuild.
    A mart without one is rebuilt whole: it reads a ref table (a seed edit can change any row), a side input (its
    changes can predate the run), or a measure over all of an input's history (a percentile, a cumulative sum, a
    window of N rows across holes, a CUSIP's whole life)."""

    before: timedelta
    after: timedelta = timedelta(0)


@dataclass(frozen=True)
class Mart:
    """One analyst mart, `marts.<name>`: how it is built, from what, and what each of its columns means."""

    name: str
    builder: Builder | str  # a function of its inputs' frames (by input name), or its "module:function" path
    inputs: tuple[str, ...]  # core datasets, other marts, or ref tables ("ref.qt_cap_regimes")
    schema: SchemaDict  # the columns in table order: the DDL, the suite's column check and the tests use it
    key: tuple[str, ...]  # the primary key
    grain: str  # what one row is
    date_column: str  # the date a row is about (the report's coverage table, the suite's as-of check)
    comment: str  # COMMENT ON TABLE
    columns: Mapping[str, str]  # COMMENT ON COLUMN, one per schema column
    in_report: bool = False  # listed in the report's coverage table
    forward: bool = False  # rows run ahead of the data (a calendar): not counted in the report's observed range
    # Inputs whose failure must not hold this mart back (a subset of `inputs`): a run where their source failed, or
    # where such a mart was not published, still rebuilds it from their held rows or published table; a run that
    # lands only them does not rebuild it (their new rows reach it with the next run that lands a main input).
    side_inputs: tuple[str, ...] = ()
    # The FRED series it reads (its module's FRED_SERIES), when it reads fred_observations: it is given only these,
    # so a series it uses without declaring it is missing in every test, and a run reads only the wanted marts' ones.
    fred_series: tuple[str, ...] = ()
    reach: Reach | None = None  # rebuilt from its first changed row (see Reach); None: rebuilt whole

    @property
    def main_inputs(self) -> tuple[str, ...]:
        """The inputs whose source failing, or (for a mart) not being published, holds this mart back."""
        return tuple(i for i in self.inputs if i not in self.side_inputs)

    @property
    def table(self) -> str:
        return f"marts.{self.name}"

    def build(self, frames: Frames) -> pl.DataFrame:
        """The mart from its inputs' frames, amounts rounded to $1 million as it is published."""
        builder = _resolve(self.builder) if isinstance(self.builder, str) else self.builder
        given = {name: frames[name] for name in self.inputs}
        if "fred_observations" in given:
            given["fred_observations"] = given["fred_observations"].filter(pl.col("series_id").is_in(self.fred_series))
        return round_amounts(builder(given))


def _resolve(path: str) -> Builder:
    module, _, function = path.partition(":")
    builder: Builder = getattr(importlib.import_module(module), function)
    return builder


# The builders: each takes its mart's input frames by name and calls the pure transform.
def _qt_runoff_monthly(f: Frames) -> pl.DataFrame:
    return runoff.build_qt_runoff_monthly(f["fred_observations"], f["ref.qt_cap_regimes"].sort("effective_from"))


def _liquidity_weekly(f: Frames) -> pl.DataFrame:
    return liquidity.build_liquidity_weekly(f["fred_observations"])


def _funding_daily(f: Frames) -> pl.DataFrame:
    return funding.build_funding_daily(f["fred_observations"], f["nyfed_reference_rates"], f["nyfed_rp_operations"])


def _auction_health(f: Frames) -> pl.DataFrame:
    return auction_health.build_auction_health(f["treasury_auctions"])


def _bill_share_monthly(f: Frames) -> pl.DataFrame:
    return auction_health.build_bill_share_monthly(f["treasury_auctions"])


def _tga_daily(f: Frames) -> pl.DataFrame:
    return tga.build_tga_daily(tga_closing_balance(f["dts_operating_cash_balance"]))


def _basis_weekly(f: Frames) -> pl.DataFrame:
    return basis_plumbing.add_plumbing_columns(
        basis.build_basis_weekly(f["cftc_tff"], f["funding_daily"]),
        f["dealer_positions_weekly"],
        f["repo_segments_daily"],
    )


def _funding_calendar(f: Frames) -> pl.DataFrame:
    return funding_calendar.build_funding_calendar(
        f["funding_daily"], f["treasury_auctions"], f["tga_daily"], fed_holidays(), legal_holidays()
    )


def _reserves_weekly(f: Frames) -> pl.DataFrame:
    return reserves.build_reserves_weekly(f["fred_observations"])


def _reserve_ampleness_weekly(f: Frames) -> pl.DataFrame:
    return ampleness.build_reserve_ampleness_weekly(f["fred_observations"])


def _rmp_rounds(f: Frames) -> pl.DataFrame:
    return purchases.build_rmp_rounds(f["fred_observations"], f["ref.rmp_rounds"].sort("window_from"))


def _treasury_cash_daily(f: Frames) -> pl.DataFrame:
    return treasury_cash.build_treasury_cash_daily(
        f["tga_daily"],
        f["ref.debt_limit_events"].sort("event_date"),
        f["ref.treasury_cash_assumptions"].sort("quarter_end"),
    )


def _dealer_positions_weekly(f: Frames) -> pl.DataFrame:
    return dealers.build_dealer_positions_weekly(f["nyfed_pd"])


def _repo_segments_daily(f: Frames) -> pl.DataFrame:
    return repo_segments.build_repo_segments_daily(f["ofr_stfm"], f["nyfed_reference_rates"], f["funding_daily"])


def _funding_events(f: Frames) -> pl.DataFrame:
    return funding_events.build_funding_events(
        f["funding_daily"], f["repo_segments_daily"], f["dealer_positions_weekly"], f["funding_calendar"]
    )


# The plumbing marts (issue 24) that basis_weekly and funding_events read as side inputs: a failed primary dealer or
# OFR fetch must not freeze the basis mart or the funding events the stress alerts read.
_PLUMBING_SIDE = ("dealer_positions_weekly", "repo_segments_daily")


_DECLARED = (
    Mart(
        "qt_runoff_monthly",
        _qt_runoff_monthly,
        ("fred_observations", "ref.qt_cap_regimes"),
        runoff.SCHEMA,
        key=("month",),
        grain="calendar month",
        date_column="month",
        in_report=True,
        comment=(
            "One row per calendar month whose closing H.4.1 Wednesday is loaded: SOMA Treasury (FRED TREAST) and "
            "agency MBS (FRED WSHOMCB) holdings, their monthly runoff and the FOMC cap in force (seed "
            "qt_cap_regimes). Month m runs from the first Wednesday on/after the last day of m-1 to the first "
            "Wednesday on/after the last day of m, so both the mid-month (15th) and month-end coupon redemptions "
            "fall in m, even when month-end settles the next business day. $ billions."
        ),
        columns={
            "month": "First day of the calendar month measured.",
            "ust_holdings_bn": "Treasury securities held outright at the month's closing Wednesday (end_wednesday), $ "
            "billions; FRED TREAST (Wednesday level, $ millions / 1000). Includes TIPS inflation compensation.",
            "ust_runoff_bn": "Fall in TREAST from start_wednesday to end_wednesday, $ billions, positive = holdings "
            "shrank. Approximates redemptions under the cap but misses: TIPS inflation accretion (adds to "
            "holdings, so runoff reads ~$1B/month below redemptions, e.g. ~$3.8B vs $5B in mid-2025); bills "
            "maturing in the 0-6 days between month-end and end_wednesday (counted in this month, belong to the "
            "next); purchases (negative runoff outside QT).",
            "ust_cap_bn": "Monthly Treasury redemption cap in force on the first day of the month, $ billions; null "
            "when no runoff programme applies (seed qt_cap_regimes, FOMC/NY Fed citations there).",
            "mbs_holdings_bn": "Agency mortgage-backed securities held outright at end_wednesday, $ billions; FRED "
            "WSHOMCB (Wednesday level, $ millions / 1000), principal balance.",
            "mbs_runoff_bn": "Fall in WSHOMCB from start_wednesday to end_wednesday, $ billions, positive = shrank. "
            "Paydowns (amortisation + prepayments) arrive mid-month and reinvestment purchases settle up to ~1.5 "
            "months later, so single months are lumpy: reconcile with a one-month lag. Excludes agency debt.",
            "mbs_cap_bn": "Monthly agency (MBS) runoff cap in force, $ billions; null outside runoff (seed "
            "qt_cap_regimes). In QT2 paydowns stayed well below it: low attainment is a finding, not a bug.",
            "total_runoff_bn": "ust_runoff_bn + mbs_runoff_bn, $ billions.",
            "ust_cap_attainment": "ust_runoff_bn / ust_cap_bn (fraction, 1.0 = cap met); slightly below 1 is normal "
            "(TIPS accretion), above 1 comes from bill-maturity timing at the month boundary; null without a cap.",
            "cumulative_runoff_bn": "Running sum of total_runoff_bn over the capped months of the same QT episode "
            "(from its first month), $ billions; null in months without a cap. A month with a missing runoff adds "
            "nothing.",
            "regime": "Cap regime in force on the first day of the month (seed qt_cap_regimes.regime, e.g. "
            "QT2-slow2); null outside every regime.",
            "episode": "QT episode of the regime (QT1, QT2); null outside every regime.",
            "mbs_cap_attainment": "mbs_runoff_bn / mbs_cap_bn (fraction); null without a cap.",
            "start_wednesday": "Opening H.4.1 Wednesday: first Wednesday on or after the last day of the previous "
            "month.",
            "end_wednesday": "Closing H.4.1 Wednesday: first Wednesday on or after the last day of the month.",
            "purchase_target_bn": "Announced amount of the reserve-management purchase round in force on the 15th of "
            "the month (rounds run from one mid-month announcement to the next; seed "
            "qt_cap_regimes.purchase_target_bn, e.g. about $40B for the round from 2025-12-12), $ billions; NULL "
            "where the seed cites no amount.",
            "purchase_attainment": "-total_runoff_bn / purchase_target_bn: growth of Treasury + MBS holdings over the "
            "month (agency paydowns are reinvested in bills, so the sum grows by the net purchases) against the "
            "announced amount; NULL without a target. Month boundaries are H.4.1 Wednesdays, not the round's own "
            "dates: read it as approximate.",
        },
        fred_series=runoff.FRED_SERIES,
    ),
    Mart(
        "liquidity_weekly",
        _liquidity_weekly,
        ("fred_observations",),
        liquidity.SCHEMA,
        key=("week",),
        grain="H.4.1 Wednesday",
        reach=Reach(before=timedelta(days=35)),  # changes against the rows 7 and 28 days before; ON RRP as of <= 6 days
        date_column="week",
        in_report=True,
        comment=(
            "One row per H.4.1 Wednesday (the dates of FRED WALCL): Fed total assets, reserves, ON RRP, TGA and net "
            "liquidity = total assets - TGA - ON RRP, all Wednesday levels except reserves (week average). $ "
            "billions; _wow = change from 7 days earlier, _4w = from 28 days earlier (null when that week is "
            "absent)."
        ),
        columns={
            "week": "H.4.1 as-of Wednesday.",
            "total_assets_bn": "Fed total assets, Wednesday level, $ billions; FRED WALCL ($ millions / 1000).",
            "reserves_bn": "Reserve balances with Federal Reserve Banks, WEEK AVERAGE of the week ending this "
            "Wednesday (not a Wednesday level, so not part of the net-liquidity identity), $ billions; FRED "
            "WRESBAL.",
            "on_rrp_bn": "Overnight reverse repo (Treasury collateral) take-up on the Wednesday, $ billions; FRED "
            "RRPONTSYD. When the Wednesday is a holiday or has no value, the last operation day on or before it "
            "(at most 6 days earlier, see on_rrp_date).",
            "on_rrp_date": "Operation date the on_rrp_bn value comes from (differs from week on holiday Wednesdays, "
            "e.g. Juneteenth 2024-06-19 -> 2024-06-18).",
            "tga_bn": "Treasury General Account, Wednesday level, $ billions; FRED WDTGAL ($ millions / 1000).",
            "net_liquidity_bn": "total_assets_bn - tga_bn - on_rrp_bn (analyst convention, Wednesday levels), $ "
            "billions; null when a part is missing.",
            "total_assets_bn_wow": "total_assets_bn minus its value 7 days earlier, $ billions.",
            "reserves_bn_wow": "reserves_bn (week average) minus its value 7 days earlier, $ billions.",
            "on_rrp_bn_wow": "on_rrp_bn minus its value 7 days earlier, $ billions.",
            "tga_bn_wow": "tga_bn minus its value 7 days earlier, $ billions.",
            "net_liquidity_bn_wow": "net_liquidity_bn minus its value 7 days earlier, $ billions.",
            "total_assets_bn_4w": "total_assets_bn minus its value 28 days earlier, $ billions.",
            "reserves_bn_4w": "reserves_bn (week average) minus its value 28 days earlier, $ billions.",
            "on_rrp_bn_4w": "on_rrp_bn minus its value 28 days earlier, $ billions.",
            "tga_bn_4w": "tga_bn minus its value 28 days earlier, $ billions.",
            "net_liquidity_bn_4w": "net_liquidity_bn minus its value 28 days earlier, $ billions.",
            "reserves_wed_bn": "Reserve balances, Wednesday level (FRED WRBWFRBL): the H.4.1 headline, on the same "
            "basis as total_assets_bn and tga_bn (reserves_bn is the week average).",
            "net_liquidity_h41_bn": "total_assets_bn - tga_bn - reverse repos with others (FRED WLRRAOL), all "
            "Wednesday levels of the one H.4.1 table; net_liquidity_bn takes ON RRP from the NY Fed operation "
            "(RRPONTSYD) instead. NULL when a part is missing.",
        },
        fred_series=liquidity.FRED_SERIES,
    ),
    Mart(
        "funding_daily",
        _funding_daily,
        ("fred_observations", "nyfed_reference_rates", "nyfed_rp_operations"),
        funding.SCHEMA,
        key=("date",),
        grain="Fed business day",
        date_column="date",
        in_report=True,
        comment=(
            "One row per Federal Reserve business day from the first SOFR fixing (2018-04-03) to the newest day of any "
            "input: repo and fed funds rates against IORB, ON RRP and Standing Repo Facility take-up, period-end and "
            "stress flags. SOFR-derived columns are NULL on the newest day until SOFR is published (08:00 ET the next "
            "business day) while that day's ON RRP (13:15) and SRF take-up (13:45) are already there. Rates percent, "
            "spreads basis points (rounded to 0.01 bp), amounts $ billions."
        ),
        columns={
            "date": "Federal Reserve business day the row describes (SOFR for day T is published T+1 08:00 ET and "
            "dated T).",
            "sofr_pct": "Secured Overnight Financing Rate, percent; FRED SOFR (longer history), NY Fed reference "
            "rates where FRED has no value; NULL until published (next business day 08:00 ET) and on Fed "
            "business days that are SIFMA closes (Good Friday).",
            "iorb_pct": "Interest rate on reserve balances in force on the date, percent; FRED IORB joined as-of "
            "(latest value dated on or before), never equi-joined, and carried forward at most 7 days (null when "
            "the latest IORB is older: a gap in the IORB feed is not papered over); null before IORB existed "
            "(2021-07-29).",
            "sofr_iorb_bp": "(sofr_pct - iorb_pct) x 100, basis points: the headline repo-pressure gauge (above 0 = "
            "repo pays more than reserves).",
            "effr_pct": "Effective federal funds rate, percent; FRED EFFR, NY Fed EFFR where FRED has no value.",
            "effr_iorb_bp": "(effr_pct - iorb_pct) x 100, basis points.",
            "sofr_p1_pct": "SOFR 1st volume-weighted percentile, percent; NY Fed reference rates (null where that "
            "data is not loaded).",
            "sofr_p99_pct": "SOFR 99th volume-weighted percentile, percent; NY Fed reference rates (null where not "
            "loaded).",
            "sofr_p1_iorb_bp": "(sofr_p1_pct - iorb_pct) x 100, basis points: the low tail.",
            "sofr_p99_iorb_bp": "(sofr_p99_pct - iorb_pct) x 100, basis points: the stressed tail of repo trades.",
            "tgcr_pct": "Tri-party general collateral rate, percent; NY Fed reference rates (null where not loaded).",
            "tgcr_iorb_bp": "(tgcr_pct - iorb_pct) x 100, basis points.",
            "bgcr_pct": "Broad general collateral rate, percent; NY Fed reference rates (null where not loaded).",
            "bgcr_iorb_bp": "(bgcr_pct - iorb_pct) x 100, basis points.",
            "sofr_volume_bn": "Volume of transactions underlying SOFR, $ billions; NY Fed reference rates.",
            "sofr_avg_30d_pct": "30-day average SOFR, percent (compounded), as the NY Fed dates it: published that "
            "morning from SOFR up to the previous business day; NY Fed SOFRAI row, else FRED SOFR30DAYAVG "
            "(sofr_avg_source says which).",
            "sofr_avg_90d_pct": "90-day average SOFR, percent; NY Fed SOFRAI row, else FRED SOFR90DAYAVG, dated as "
            "sofr_avg_30d_pct.",
            "sofr_avg_180d_pct": "180-day average SOFR, percent; NY Fed SOFRAI row, else FRED SOFR180DAYAVG, dated as "
            "sofr_avg_30d_pct.",
            "sofr_index": "SOFR Index (compounded SOFR since 2018-04-02 = 1.00000000), unitless; NY Fed SOFRAI row, "
            "else FRED SOFRINDEX, dated as sofr_avg_30d_pct.",
            "on_rrp_bn": "ON RRP take-up on the date, $ billions; FRED RRPONTSYD (same business date, null on days "
            "without a value).",
            "srf_takeup_bn": "Accepted amount of the NY Fed repo operations of the date (Standing Repo Facility "
            "morning + afternoon; in 2019-2021 the temporary repo operations), Small Value Exercises (token test "
            "operations, named so in their note) left out, $ billions (NY Fed USD / 1e9). 0 on days whose "
            "operations lent nothing and on days without scheduled operations (not a U.S. government securities "
            "business day, e.g. Good Friday); NULL on a scheduled day the loaded operations lack (a hole) and "
            "outside their date range: known the same day (results ~13:45 ET).",
            "is_month_end": "True on the last business day of its month present in the data; for the data's latest "
            "month only when the date is the month's last weekday (so a partial month is not flagged).",
            "is_quarter_end": "is_month_end in March, June, September or December.",
            "stress_flag": "Funding stress in today's regime (SOFR trading at IORB is ordinary since mid-2025): TRUE "
            "when any test of stress_reasons fires; FALSE when none does, which on a row with "
            "stress_inputs_missing only means the tests that could run did not fire. Thresholds and sources in "
            "transforms/funding.py (SOFR_AT_SRF_RATE_BP, SOFR_JUMP_*, SRF_STRESS_BN, SOFR_P99_STRESS_BP).",
            "stress_reasons": "Comma-separated stress tests that fired, NULL when none: sofr_at_srf_rate "
            "(sofr_iorb_bp >= 10: SOFR at or above the top of the target range = SRF minimum bid rate, IORB being "
            "set 10 bp below it since 2021-07-29), sofr_jump (sofr_iorb_bp >= 5 and >= 8 bp above its median over "
            "the previous 60 SOFR fixings), srf_takeup (srf_takeup_bn >= 5), sofr_p99_tail (sofr_p99_iorb_bp >= "
            "25).",
            "stress_inputs_missing": "Comma-separated inputs of the stress tests missing on the row (SOFR or IORB, "
            "SRF take-up, SOFR p99), NULL when all are there: a FALSE stress_flag beside it is not an all-clear.",
            "sofr_avg_source": "Where sofr_avg_30d_pct, sofr_avg_90d_pct, sofr_avg_180d_pct and sofr_index of the row "
            "come from: nyfed (the NY Fed SOFRAI row, preferred) or fred (FRED SOFR30DAYAVG, SOFR90DAYAVG, "
            "SOFR180DAYAVG, SOFRINDEX, used only when the NY Fed sent no SOFRAI row for the date); NULL when "
            "neither has the date.",
        },
        fred_series=funding.FRED_SERIES,
    ),
    Mart(
        "auction_health",
        _auction_health,
        ("treasury_auctions",),
        auction_health.SCHEMA,
        key=("cusip", "auction_date"),
        grain="completed auction",
        date_column="auction_date",
        in_report=True,
        comment=(
            "One row per completed Treasury auction (cusip, auction_date) from Fiscal Data auctions_query; announced "
            "auctions without results are excluded. Amounts $ billions, rates percent, shares fractions."
        ),
        columns={
            "auction_date": "Auction date (auctions_query.auction_date).",
            "cusip": "CUSIP of the security auctioned (reopenings share the original CUSIP).",
            "security_type": "auctions_query.security_type (Bill, Note, Bond, CMB, TIPS, FRN as sent).",
            "security_term": "Term as auctioned (auctions_query.security_term; reopened coupons show the remaining "
            "term, e.g. 9-Year 11-Month).",
            "security_kind": "Comparison class: CMB, Bill, TIPS, FRN, or Note/Bond for nominal fixed-rate coupons. "
            "TIPS from auctions_query.inflation_index_security = Yes or a reference CPI (ref_cpi_on_dated_date), "
            "FRN from floating_rate = Yes or a missing high_yield; a CUSIP flagged in any of its auctions is "
            "flagged in all (reopenings); when no record of a CUSIP carries the fields (the bundled replay before "
            "2025) a TIPS shows as Note/Bond.",
            "security_class": "What the auction is compared within: bill, nominal (fixed-rate Note/Bond), TIPS, FRN "
            "or CMB; security_kind with Note and Bond as nominal. Baselines (btc_vs_prev6) compare within class "
            "and tenor, so a 10-year TIPS reopening is never measured against nominal 10-year notes.",
            "tenor": "Comparison tenor: security_term for bills (a 13-week bill is a reopening of a 26-week bill and "
            "carries original_security_term 26-Week); for coupons the whole-year term announced for this auction "
            "(the 2-year auction of 2026-01-26 reopened the 2023 5-year note 91282CGH8: tenor 2-Year), else, for "
            "a reopening announced by its remaining term (9-Year 11-Month), the original term of the security "
            "(from the record, else from its first whole-year auction in the data), else the standard tenor "
            "nearest its life.",
            "is_cmb": "Cash management bill (auctions_query.cash_management_bill_cmb = Yes, or security_type CMB).",
            "is_reopening": "Reopening of an outstanding CUSIP (auctions_query.reopening = Yes).",
            "offering_bn": "Offering amount, $ billions (offering_amt USD / 1e9).",
            "total_accepted_bn": "Total accepted incl. non-competitive, SOMA and FIMA add-ons, $ billions "
            "(total_accepted USD / 1e9).",
            "bid_to_cover": "Bid-to-cover ratio as published (auctions_query.bid_to_cover_ratio).",
            "high_yield_pct": "Stop-out rate, percent: high_yield for notes/bonds/TIPS, high_discnt_rate (discount "
            "basis) for bills; see rate_basis. Null for FRNs (priced on a discount margin).",
            "rate_basis": "Which field high_yield_pct holds: high_yield or high_discount_rate.",
            "primary_dealer_share": "primary_dealer_accepted / (primary dealer + direct + indirect accepted): share "
            "of the competitive award left with dealers (high = weak end demand).",
            "direct_share": "direct_bidder_accepted / (primary dealer + direct + indirect accepted).",
            "indirect_share": "indirect_bidder_accepted / (primary dealer + direct + indirect accepted): proxy for "
            "foreign/official and fund demand.",
            "soma_addon_bn": "SOMA (Fed) non-competitive rollover add-on, $ billions (soma_accepted USD / 1e9): the "
            "maturing principal not redeemed under the QT cap.",
            "btc_vs_prev6": "bid_to_cover minus the mean bid-to-cover of the 6 previous auctions with the same "
            "security_class and tenor, counted over every auction the data knows (announced ones too); NULL "
            "unless baseline_coverage is complete (all 6 have results and, for a regular bill, no calendar week is "
            "missing between them), so an incomplete history never gives a number.",
            "baseline_auctions": "How many of the 6 previous auctions of the same security_class and tenor (announced "
            "ones included) have results: the coverage behind btc_vs_prev6.",
            "baseline_coverage": "complete, or why btc_vs_prev6 is NULL: 'incomplete: k of the 6 previous auctions "
            "have results', or for a regular bill 'incomplete: the 6 previous auctions span N days; auctions "
            "missing from the data' (Treasury auctions those weekly, the 52-week every 4 weeks).",
        },
    ),
    Mart(
        "bill_share_monthly",
        _bill_share_monthly,
        ("treasury_auctions",),
        auction_health.BILL_SHARE_SCHEMA,
        key=("month",),
        grain="calendar month",
        # a month's row (its first day) counts the auctions issued in it: dated up to its end, and before its start
        # by their auction-to-issue gap (16 days at most in the recordings; a year of margin)
        reach=Reach(before=timedelta(days=400), after=timedelta(days=31)),
        date_column="month",
        comment=(
            "One row per issue month (issue_date, auction_date when missing) with completed Treasury auctions: gross "
            "issuance and the share of bills, $ billions; the sums are NULL unless every auction that should settle "
            "in the month has results (auctions_expected, coverage)."
        ),
        columns={
            "month": "First day of the month of settlement (issue_date; auction_date when issue_date is missing).",
            "gross_issuance_bn": "Sum of total_accepted of auctions settling in the month (incl. SOMA and FIMA "
            "add-ons), $ billions; gross, before maturing debt. NULL when auctions < auctions_expected (see "
            "coverage).",
            "bills_bn": "Part of gross_issuance_bn in bills (security_kind Bill or CMB), $ billions; NULL when "
            "auctions < auctions_expected.",
            "bill_share": "bills_bn / gross_issuance_bn (fraction); NULL when auctions < auctions_expected: a share of "
            "incomplete inputs is not printed.",
            "soma_addon_bn": "SOMA rollover add-ons included in gross_issuance_bn, $ billions; NULL when auctions < "
            "auctions_expected.",
            "auctions": "Completed auctions (with results) loaded for the month: the coverage behind the sums.",
            "bill_auctions": "Completed bill and CMB auctions loaded for the month.",
            "auctions_expected": "Auctions that should settle in the month: per regular bill (4-, 8-, 17-week on "
            "Tuesdays, 6-, 13-, 26-week on Thursdays, 52-week every 4th Thursday; transforms/auction_coverage.py, "
            "from 2019) the larger of Treasury's calendar and the announcements in the data, plus every other "
            "announced auction (coupons, CMBs).",
            "bill_auctions_expected": "The bill and CMB part of auctions_expected.",
            "coverage": "'complete: n of N auctions have results (bills b of B)' or 'incomplete: …': the counts "
            "behind the sums, in the same row.",
        },
    ),
    Mart(
        "tga_daily",
        _tga_daily,
        ("dts_operating_cash_balance",),
        tga.SCHEMA,
        key=("date",),
        grain="DTS business day",
        date_column="date",
        comment=("One row per Daily Treasury Statement day: Treasury General Account closing balance. $ billions."),
        columns={
            "date": "DTS record date (business day).",
            "tga_bn": "TGA closing balance, $ billions (DTS operating cash balance, $ millions / 1000).",
            "tga_change_bn": "tga_bn minus the previous DTS day in the data, $ billions; null on the first day.",
        },
    ),
    Mart(
        "basis_weekly",
        _basis_weekly,
        ("cftc_tff", "funding_daily", *_PLUMBING_SIDE),
        {**basis.SCHEMA, **basis_plumbing.SCHEMA},
        key=("report_date", "tenor"),
        grain="CFTC report week x tenor, plus a total row per week",
        date_column="report_date",
        in_report=True,
        side_inputs=_PLUMBING_SIDE,
        comment=(
            "The basis trade in Treasury futures, weekly (grain: report week x tenor, plus a total row per week): "
            "CFTC Traders in Financial Futures positions of leveraged funds (hedge funds: short futures against long "
            "cash bonds financed in repo), asset managers and dealers in the six CBOT Treasury contracts, beside the "
            "same week's repo gauges. Weeks run every 7 days from the first to the last report held; a week without "
            "a report is a row with NULL positions and coverage saying so."
        ),
        columns={
            "report_date": "Date of the positions: the CFTC report Tuesday (the Monday before a Tuesday holiday); for "
            "a week without a report, that week's Tuesday. Published the Friday after, 3:30 pm ET.",
            "tenor": "2y, 5y, 10y, ultra_10y, bond, ultra_bond (CFTC codes 042601, 044601, 043602, 043607, 020601, "
            "020604), or total (the sum of the six).",
            "cftc_contract_market_code": "CFTC contract code of the tenor (join key: market names changed on "
            "2022-02-08, codes did not); NULL on total rows.",
            "lev_long_contracts": "Leveraged funds long positions, contracts (raw.cftc_tff "
            "lev_money_positions_long_all); summed over tenors on total rows.",
            "lev_short_contracts": "Leveraged funds short positions, contracts (lev_money_positions_short_all).",
            "lev_net_contracts": "Leveraged funds long - short, contracts; negative = net short (the basis trade's "
            "futures leg). Total rows add contracts of different face values: compare totals by "
            "lev_net_notional_bn.",
            "lev_net_notional_bn": "lev_net_contracts x face value per contract ($200,000 for the 2-year note, "
            "$100,000 for the others), $ billions; total rows sum the tenors' notionals.",
            "am_net_contracts": "Asset managers long - short, contracts (the other side of the basis trade: they hold "
            "futures instead of bonds).",
            "am_net_notional_bn": "am_net_contracts x face value, $ billions.",
            "dealer_net_contracts": "Dealers/intermediaries long - short, contracts.",
            "open_interest": "Open interest, contracts (open_interest_all; summed on total rows).",
            "lev_short_share_oi": "lev_short_contracts / open_interest (fraction): how much of the market the "
            "leveraged shorts are.",
            "lev_net_contracts_wow": "Change of lev_net_contracts from the previous week of the same tenor, "
            "contracts; positive = net short cut (bought back). NULL when either week has no report.",
            "lev_net_notional_wow_bn": "Change of lev_net_notional_bn from the previous week, $ billions; positive = "
            "net short cut. NULL when either week has no report.",
            "lev_net_pctile_since_2017": "Share (0..1) of the tenor's reported weeks from 2017-01-01 up to this one "
            "(no look-ahead) whose lev_net_notional_bn was at or below this week's: near 0 = the largest net "
            "short since 2017. Weeks the recording misses do not count.",
            "sofr_iorb_avg_bp": "Average of marts.funding_daily.sofr_iorb_bp over the days (report_date - 6, "
            "report_date], basis points.",
            "sofr_iorb_max_bp": "Largest sofr_iorb_bp over the same days, basis points.",
            "srf_takeup_sum_bn": "Standing Repo Facility take-up summed over the same days, $ billions (NULL outside "
            "the loaded operations data).",
            "on_rrp_wed_bn": "ON RRP take-up on the last Wednesday on or before report_date, $ billions (FRED "
            "RRPONTSYD via marts.funding_daily).",
            "stress_flag": "Basis-trade stress: leveraged funds cut their net short by at least 5% of the previous "
            "week's (lev_net_notional_wow_bn >= 0.05 x previous net short) in a week when SOFR printed above IORB "
            "(sofr_iorb_max_bp > 0) or SRF take-up exceeded $5bn; constants UNWIND_SHARE, SOFR_IORB_STRESS_BP, "
            "SRF_STRESS_BN in transforms/basis.py. Missing inputs never raise it.",
            "coverage": "reported; tenor missing from the week's report; gap: no TFF report loaded for this week (the "
            "recording's holes: 2020-12, 2023-10-17..12-26, 2024-06-18..12-31, 2025-05-06..12-30); on total rows "
            "partial: missing <tenors>.",
            "pctile_weeks_missing": "Report weeks from 2017 up to this one that the loaded CFTC data lacks for the "
            "tenor (the rows whose positions are NULL; the CFTC publishes every week): lev_net_pctile_since_2017 "
            'ranks without them, so above 0 a "largest since 2017" read from it may miss the real extreme.',
            "pd_net_total_bn": "Primary dealers' net Treasury position (FR 2004 PDPOSGST-TOT, $bn) as of the "
            "Wednesday after the report Tuesday; NULL where that dealer week is not held.",
            "pd_net_coupons_bn": "Primary dealers' net position in Treasury coupons (all buckets of the era, $bn), "
            "same Wednesday; NULL unless every bucket is held.",
            "pd_series_break": "FR 2004 series break of that dealer week (SBN2015, SBN2022, SBN2024, ...): compare "
            "dealer columns across eras with care.",
            "dvp_volume_avg_bn": "OFR DVP repo total volume (final else preliminary), $bn, averaged over (report - 6 "
            "days, report]: the basis trade's financing leg; NULL without OFR data.",
            "nyfed_dvp_volume_avg_bn": "SOFR volume - BGCR volume (the DVP trades SOFR keeps, NY Fed), $bn, averaged "
            "over (report - 6 days, report].",
        },
    ),
    Mart(
        "funding_calendar",
        _funding_calendar,
        ("funding_daily", "treasury_auctions", "tga_daily"),
        funding_calendar.SCHEMA,
        key=("date",),
        grain="Fed business day",
        date_column="date",
        in_report=True,
        forward=True,
        comment=(
            "The funding calendar (grain: Federal Reserve business day = a weekday that is not a Fedwire holiday, "
            "holidays package XFED calendar): the days repo pressure concentrates on (period ends, coupon "
            "settlements, estimated-tax dates, Treasury settlements with their size) beside that day's SOFR-IORB, "
            "SRF take-up, ON RRP and TGA change. From the first funding/TGA day to the last day of any input "
            "(upcoming announced settlements included). Rules cited in transforms/funding_calendar.py."
        ),
        columns={
            "date": "Fed business day.",
            "is_month_end": "Last business day of the calendar month (by the calendar, not by the data).",
            "is_quarter_end": "Last business day of March, June, September or December.",
            "is_year_end": "Last business day of the year.",
            "is_mid_month_settlement": "The 15th, or the next business day when the 15th is not one: mid-month coupon "
            "settlement and coupon payment date (10-, 20-, 30-year and TIPS issue on the 15th).",
            "is_tax_date": "Estimated-tax due date: corporations April/June/September/December 15 (IRS Publication "
            "509, Form 1120-W), individuals January/April/June/September 15 (IRS Publication 505, Form 1040-ES), "
            "moved past weekends and federal or DC legal holidays (26 U.S.C. 7503). Postponements (disasters, "
            "2020) not modelled.",
            "is_treasury_settlement": "A Treasury note or bond auction settles (issue date) on this day "
            "(core.treasury_auctions, announced auctions included).",
            "settlement_gross_bn": "Every Treasury security settling that day (bills, notes, bonds), Fiscal Data "
            "total_accepted, $ billions; 0 on a day with none; NULL outside the span of auctions carrying amounts "
            "or when a settling auction has none yet (in the bundled recording amounts exist from 2025).",
            "settlement_net_bn": "settlement_gross_bn - securities maturing that day (their issued amounts over the "
            "original auction and reopenings), $ billions; positive = cash leaves reserves for the TGA. NULL when "
            "any maturing security's amount is unknown (its original auction not in the data or without amounts).",
            "sofr_iorb_bp": "SOFR - IORB that day, basis points (marts.funding_daily; NULL on days without a SOFR "
            "fixing, e.g. Good Friday, or before IORB existed).",
            "sofr_p99_iorb_bp": "SOFR 99th percentile - IORB, basis points, where NY Fed percentiles are loaded.",
            "srf_takeup_bn": "Standing Repo Facility take-up that day, $ billions (0 on covered days without take-up).",
            "on_rrp_bn": "ON RRP take-up that day, $ billions.",
            "tga_change_bn": "Change of the Treasury General Account closing balance from the previous statement day, "
            "$ billions (marts.tga_daily); a rise drains reserves.",
        },
    ),
    Mart(
        "reserves_weekly",
        _reserves_weekly,
        ("fred_observations",),
        reserves.SCHEMA,
        key=("week",),
        grain="H.4.1 Wednesday",
        reach=Reach(before=timedelta(days=14)),  # the change against the Wednesday 7 days before
        date_column="week",
        comment=(
            "Reserves the way the H.4.1 reads them (grain: H.4.1 Wednesday, the dates of FRED WALCL): the Wednesday "
            'levels of table 1 "Factors Affecting Reserve Balances" from FRED, the identity reserves = factors '
            "supplying - factors absorbing (to FRED's rounding), and the week's change of reserves attributed to "
            "each factor. $ billions. A week whose inputs (or the previous week's) are missing keeps NULLs and names "
            "them in missing_inputs."
        ),
        columns={
            "week": "The H.4.1 Wednesday (levels are as of the close of that day); published Thursday 4:30 pm ET.",
            "reserves_bn": "Reserve balances with Federal Reserve Banks, Wednesday level (FRED WRBWFRBL): the H.4.1 "
            "headline. marts.liquidity_weekly.reserves_bn is the week average (WRESBAL), a different number.",
            "factors_supplying_bn": "Total factors supplying reserve funds, Wednesday level (FRED WTFSRFL).",
            "factors_absorbing_bn": "Total factors, other than reserve balances, absorbing reserve funds, Wednesday "
            "level (FRED WTFORBAFL).",
            "securities_bn": "Securities held outright (FRED WSHOSHO): Treasuries, agency debt and MBS at face value.",
            "bills_bn": "Treasury bills held outright (FRED WSHOBL): where reserve-management purchases land.",
            "notes_bonds_bn": "Nominal Treasury notes and bonds held outright (FRED WSHONBNL).",
            "tips_bn": "Inflation-indexed Treasury notes and bonds held outright, face value (FRED WSHONBIIL).",
            "tips_inflation_comp_bn": "Inflation compensation on the TIPS held (FRED WSHOICL).",
            "mbs_bn": "Agency mortgage-backed securities held outright, remaining principal (FRED WSHOMCB).",
            "repo_bn": "Repurchase agreements (FRED WORAL): Standing Repo Facility and foreign official repo "
            "take-up outstanding.",
            "loans_bn": "Loans (FRED WLCFLL): discount window and other credit facilities.",
            "currency_bn": "Currency in circulation, Wednesday level (FRED WCICL; WCURCIR is the week average).",
            "reverse_repo_foreign_bn": "Reverse repurchase agreements with foreign official and international "
            "accounts (FRED WLRRAFOIAL).",
            "reverse_repo_others_bn": "Reverse repurchase agreements with others (FRED WLRRAOL): mostly the ON RRP "
            "facility.",
            "tga_bn": "U.S. Treasury General Account, Wednesday level (FRED WDTGAL).",
            "other_supplying_bn": "factors_supplying_bn - securities_bn - repo_bn - loans_bn: unamortized premiums "
            "and discounts, float, central bank liquidity swaps, other assets, gold, SDRs, Treasury currency (a "
            "residual of the published total).",
            "other_absorbing_bn": "factors_absorbing_bn - currency_bn - reverse repos - tga_bn: other deposits, "
            "Treasury cash holdings, other liabilities and capital (a residual of the published total).",
            "identity_residual_bn": "reserves_bn - (factors_supplying_bn - factors_absorbing_bn): within +-0.005 "
            "($5 million) when the published lines agree (FRED rounds each to $1 million).",
            "reserves_change_bn": "reserves_bn minus its value on the Wednesday 7 days earlier (NULL when that week "
            "is not held).",
            "securities_contrib_bn": "Contribution of securities held outright to reserves_change_bn: their change "
            "(purchases add reserves, runoff drains them).",
            "repo_contrib_bn": "Contribution of repo (SRF) to reserves_change_bn: its change.",
            "loans_contrib_bn": "Contribution of loans to reserves_change_bn: their change.",
            "other_supplying_contrib_bn": "Contribution of the other supplying factors to reserves_change_bn: their "
            "change.",
            "currency_contrib_bn": "Contribution of currency to reserves_change_bn: minus its change (more currency "
            "drains reserves).",
            "reverse_repo_foreign_contrib_bn": "Contribution of the foreign official reverse repo pool: minus its "
            "change.",
            "reverse_repo_others_contrib_bn": "Contribution of reverse repos with others (ON RRP): minus their change.",
            "tga_contrib_bn": "Contribution of the TGA: minus its change (Treasury cash build-ups drain reserves).",
            "other_absorbing_contrib_bn": "Contribution of the other absorbing factors: minus their change. The "
            "nine *_contrib_bn add up to reserves_change_bn (to rounding).",
            "missing_inputs": "FRED series lacking this week or the previous one (the attribution is then NULL, "
            "never computed from part of its inputs); NULL when complete.",
        },
        fred_series=reserves.FRED_SERIES,
    ),
    Mart(
        "rmp_rounds",
        _rmp_rounds,
        ("fred_observations", "ref.rmp_rounds"),
        purchases.SCHEMA,
        key=("round",),
        grain="announced reserve-management purchase round",
        date_column="window_from",
        comment=(
            "Reserve-management purchases per announced round (grain: round of ref.rmp_rounds), measured over the "
            "round's own window with H.4.1 Wednesday levels, never over a calendar month. $ billions."
        ),
        columns={
            "round": "Round label (ref.rmp_rounds.round).",
            "announced_on": "Day the round was announced (ref.rmp_rounds).",
            "window_from": "First day of the purchase window.",
            "window_to": "Last day of the purchase window (the next announcement).",
            "amount_bn": "Announced RMP amount, USD billions (NULL: not reviewed, not compared).",
            "amount_basis": "announced, approximate (secondary) or not reviewed (ref.rmp_rounds.amount_basis).",
            "start_wednesday": "H.4.1 Wednesday the measure starts from: the last Wednesday before window_from.",
            "end_wednesday": "H.4.1 Wednesday the measure ends on: the last Wednesday on or before window_to, or "
            "the latest held Wednesday while the round runs (NULL before it starts).",
            "status": "complete, in_progress (measured to the latest held Wednesday, against the whole round's "
            "amount) or not_started.",
            "securities_growth_bn": "Change of securities held outright (FRED WSHOSHO) over the measure: the net "
            "purchase (agency principal reinvested in bills offsets the MBS paydowns).",
            "treasury_growth_bn": "Change of Treasury securities held (FRED TREAST): RMPs plus the reinvestment of "
            "agency principal.",
            "mbs_change_bn": "Change of MBS held (FRED WSHOMCB): the paydowns (negative).",
            "bills_growth_bn": "Change of Treasury bills held (FRED WSHOBL), the cleanest RMP tracker (also carries "
            "the reinvestments); NULL where WSHOBL is not held.",
            "attainment": "securities_growth_bn / amount_bn (NULL where no amount is reviewed). Purchases settle a "
            "day or two after trade: a window's last days may land in the next round.",
            "citation_url": "Where the amount or pace is published (ref.rmp_rounds).",
        },
        fred_series=purchases.FRED_SERIES,
    ),
    Mart(
        "treasury_cash_daily",
        _treasury_cash_daily,
        ("tga_daily", "ref.debt_limit_events", "ref.treasury_cash_assumptions"),
        treasury_cash.SCHEMA,
        key=("date",),
        grain="DTS business day",
        date_column="date",
        comment=(
            "Treasury cash in context (grain: DTS business day of marts.tga_daily): the TGA closing balance beside "
            "the debt-limit regime in force (ref.debt_limit_events) and the end-of-quarter cash balance Treasury "
            "assumed in its refunding estimate (ref.treasury_cash_assumptions). $ billions. The debt limit headroom "
            "(DTS table IIIC) is not loaded."
        ),
        columns={
            "date": "DTS record date.",
            "tga_bn": "TGA closing balance (marts.tga_daily.tga_bn).",
            "debt_limit_regime": "suspended, limit_in_force or extraordinary_measures: the regime of the latest "
            "reviewed event on or before the day (NULL before the first).",
            "debt_limit_since": "Date of that event (join ref.debt_limit_events for its citation).",
            "quarter_end": "Last day of the calendar quarter containing the day.",
            "assumed_cash_bn": "End-of-quarter cash Treasury assumed for that quarter (latest reviewed estimate), "
            "from the day it was announced; NULL before that and where none is reviewed.",
            "is_quarter_end": "True on the quarter's last DTS day (only when the data reach the quarter's end).",
            "gap_to_assumption_bn": "On the quarter's last DTS day: tga_bn - assumed_cash_bn (above + / below - the "
            "assumption); NULL on other days.",
            "reported_cash_bn": "On the quarter's last DTS day: the end-of-quarter cash Treasury later reported "
            "(ref.treasury_cash_assumptions; rounded to $1bn), a cross-check of tga_bn.",
        },
    ),
    Mart(
        "reserve_ampleness_weekly",
        _reserve_ampleness_weekly,
        ("fred_observations",),
        ampleness.SCHEMA,
        key=("week",),
        grain="week ending Wednesday",
        # the elasticity's OLS over the trailing 52 WRESBAL weeks (363 days; two years absorb a gap of a year)
        reach=Reach(before=timedelta(days=730)),
        date_column="week",
        comment=(
            "Are reserves ample? (grain: week ending Wednesday with H.4.1 week-average reserves): reserves as a "
            "share of commercial banks' total assets (H.8), EFFR-IORB and SOFR-IORB, a rolling public proxy of the "
            "NY Fed's Reserve Demand Elasticity and a regime label whose thresholds are cited "
            "(transforms/ampleness.py: Afonso, Giannone, La Spada and Williams, NY Fed Staff Report 1019; Liberty "
            "Street Economics 2024-10-17)."
        ),
        columns={
            "week": "The Wednesday ending the week (H.4.1 and H.8 weeks end on Wednesday).",
            "reserves_bn": "Reserve balances, week average (FRED WRESBAL), $ billions: the same basis as the H.8 "
            "week average below.",
            "bank_assets_bn": "Total assets of all commercial banks, week average, seasonally adjusted (H.8, FRED "
            "TLAACBW027SBOG), $ billions; NULL where not held.",
            "reserves_to_assets_pct": "100 x reserves_bn / bank_assets_bn.",
            "effr_iorb_bp": "Mean of (EFFR - IORB) x 100 over the business days of the seven days ending the "
            "Wednesday, basis points; NULL before IORB (2021-07-29).",
            "sofr_iorb_bp": "Mean of (SOFR - IORB) x 100 over the same days, basis points.",
            "elasticity_bp_per_pp": "Public proxy of the reserve demand elasticity: OLS slope of effr_iorb_bp on "
            "reserves_to_assets_pct over the trailing 52 weeks (at least 26 with both), bp per percentage point; "
            "no instruments, so a rough gauge, not the NY Fed's estimate.",
            "elasticity_t": "OLS t-statistic of that slope.",
            "elasticity_weeks": "Weeks of the trailing window with both inputs.",
            "regime": "abundant (ratio >= 12%, SR 1019's satiation threshold), approaching_scarce (ratio below it "
            "and the slope significantly negative, t <= -2), ample (ratio below it, slope not significantly "
            'negative: LSE 2024-10-17 "only modestly negative"); NULL when an input is missing.',
            "regime_basis": "What the label rests on, with its citation, or which input is missing.",
        },
        fred_series=ampleness.FRED_SERIES,
    ),
    Mart(
        "dealer_positions_weekly",
        _dealer_positions_weekly,
        ("nyfed_pd",),
        dealers.SCHEMA,
        key=("as_of_date",),
        grain="FR 2004 as-of Wednesday",
        reach=Reach(before=timedelta(days=14)),  # the change against the as-of Wednesday exactly 7 days before
        date_column="as_of_date",
        comment=(
            "Primary dealers' balance sheets (grain: as-of Wednesday of the FR 2004, from core.nyfed_pd): net "
            "Treasury positions by kind, repo financing, fails, week-over-week changes within an era. $ billions; "
            "net = long minus short at market value. Rules in transforms/dealers.py."
        ),
        columns={
            "as_of_date": "The Wednesday the dealers report as of (released the following Thursday ~16:15 ET).",
            "series_break": "FR 2004 series break (era): SBN2013, SBN2015, SBN2022 (from 2022-01-05), SBN2024 (from "
            "2024-07-03). Items and key ids change at a break: compare eras only knowingly.",
            "net_total_bn": "Published total net position in Treasuries (PDPOSGST-TOT): bills + FRNs + coupons + "
            "TIPS, despite its name.",
            "net_bills_bn": "Net position in bills (PDPOSGS-B).",
            "net_frn_bn": "Net position in floating-rate notes (PDPOSGS-BFRN, from 2015-01-07).",
            "net_coupons_le2y_bn": "Net position in coupons due in 2 years or less.",
            "net_coupons_2_3y_bn": "Net position in coupons due in more than 2, at most 3 years.",
            "net_coupons_3_6y_bn": "Net position in coupons due in more than 3, at most 6 years.",
            "net_coupons_6_7y_bn": "Net position in coupons due in more than 6, at most 7 years.",
            "net_coupons_7_11y_bn": "Net position in coupons due in more than 7, at most 11 years.",
            "net_coupons_gt11y_bn": "Net position in coupons due in more than 11 years: PDPOSGSC-G11 before 2022, "
            "PDPOSGSC-G11L21 + PDPOSGSC-G21 from SBN2022.",
            "net_coupons_bn": "Net position in all coupon buckets of the era; NULL if one bucket is not held.",
            "net_tips_bn": "Net position in TIPS (4 maturity buckets); NULL if one is not held.",
            "components_sum_bn": "bills + FRNs + coupons + TIPS; NULL unless every part of the era is held. Equals "
            "net_total_bn in every complete week (the NY Fed total is that sum).",
            "coverage": "'complete', or 'partial: missing <buckets>' naming the parts of the week's era that are not "
            "held (then components_sum_bn is NULL).",
            "repo_bn": "Securities out under repurchase agreements, Treasuries excl. TIPS (PDSORA-UTSETTOT): dealers "
            "borrowing cash against Treasuries.",
            "reverse_repo_bn": "Securities in under reverse repurchase agreements, Treasuries excl. TIPS "
            "(PDSIRRA-UTSETTOT): dealers lending cash, e.g. to hedge funds.",
            "net_repo_financing_bn": "repo_bn - reverse_repo_bn: net cash dealers raise in repo against Treasuries.",
            "securities_borrowed_bn": "Securities borrowed, Treasuries excl. TIPS (PDSIOSB-UTSETTOT).",
            "securities_lent_bn": "Securities lent, Treasuries excl. TIPS (PDSOOS-UTSETTOT); NULL in suppressed weeks.",
            "fails_to_deliver_bn": "Fails to deliver in Treasuries excl. TIPS (PDFTD-USTET), cumulative over the week.",
            "fails_to_receive_bn": "Fails to receive in Treasuries excl. TIPS (PDFTR-USTET), cumulative over the week.",
            "fails_total_bn": "fails_to_deliver_bn + fails_to_receive_bn.",
            "transactions_bn": "Dealer transactions in Treasuries excl. TIPS over the week (PDGSWOEXTTOT).",
            "net_total_wow_bn": "Change of net_total_bn from the week 7 days before in the same era; NULL across a "
            "series break or a missing week.",
            "repo_wow_bn": "Change of repo_bn from the week 7 days before in the same era; NULL across a break or gap.",
            "fails_total_wow_bn": "Change of fails_total_bn from the week 7 days before in the same era; NULL across "
            "a break or gap.",
            "suppressed_items": 'Key ids the NY Fed suppressed ("*") that week, comma-separated; NULL if none.',
        },
    ),
    Mart(
        "repo_segments_daily",
        _repo_segments_daily,
        ("ofr_stfm", "nyfed_reference_rates", "funding_daily"),
        repo_segments.SCHEMA,
        key=("date",),
        grain="business day with NY Fed SOFR/BGCR/TGCR or OFR segment data",
        reach=Reach(before=timedelta(days=7)),  # same-date joins only; a week's margin
        date_column="date",
        comment=(
            "Repo by segment (grain: business day with NY Fed SOFR/BGCR/TGCR or OFR segment data): which segment "
            "pays up. NY Fed split: TGCR = tri-party, BGCR - TGCR volume = GCF, SOFR - BGCR volume = DVP trades SOFR "
            "keeps; OFR STFM segment rates and volumes, final where published else preliminary. Rates %, spreads bp, "
            "volumes $ billions. Rules in transforms/repo_segments.py."
        ),
        columns={
            "date": "Trade date.",
            "iorb_pct": "IORB in force (from marts.funding_daily).",
            "sofr_pct": "SOFR, percent (NY Fed).",
            "bgcr_pct": "BGCR, percent (NY Fed).",
            "tgcr_pct": "TGCR, percent (NY Fed).",
            "sofr_tgcr_bp": "SOFR - TGCR, bp: what the DVP/GCF part pays over tri-party.",
            "bgcr_tgcr_bp": "BGCR - TGCR, bp: what GCF adds over tri-party.",
            "tgcr_iorb_bp": "TGCR - IORB, bp.",
            "sofr_volume_bn": "SOFR volume, $ billions.",
            "bgcr_volume_bn": "BGCR volume, $ billions.",
            "tgcr_volume_bn": "TGCR volume (tri-party), $ billions.",
            "nyfed_dvp_volume_bn": "SOFR volume - BGCR volume: the DVP (cleared bilateral) trades SOFR keeps, $ "
            "billions.",
            "nyfed_gcf_volume_bn": "BGCR volume - TGCR volume: GCF repo, $ billions.",
            "dvp_rate_pct": "OFR DVP overnight/open average rate (REPO-DVP_AR_OO), final else preliminary.",
            "gcf_rate_pct": "OFR GCF overnight/open average rate (REPO-GCF_AR_OO), final else preliminary.",
            "tri_rate_pct": "OFR tri-party overnight/open average rate (REPO-TRI_AR_OO), final else preliminary.",
            "dvp_volume_bn": "OFR DVP total transaction volume (REPO-DVP_TV_TOT), $ billions.",
            "gcf_volume_bn": "OFR GCF total transaction volume (REPO-GCF_TV_TOT), $ billions.",
            "tri_volume_bn": "OFR tri-party total transaction volume (REPO-TRI_TV_TOT), $ billions.",
            "dvp_iorb_bp": "OFR DVP rate - IORB, bp.",
            "gcf_iorb_bp": "OFR GCF rate - IORB, bp.",
            "tri_iorb_bp": "OFR tri-party rate - IORB, bp.",
            "dvp_tgcr_bp": "OFR DVP rate - TGCR, bp.",
            "gcf_tgcr_bp": "OFR GCF rate - TGCR, bp.",
            "tri_tgcr_bp": "OFR tri-party rate - TGCR, bp.",
            "gcf_tri_bp": "OFR GCF - tri-party rate, bp.",
            "dvp_tri_bp": "OFR DVP - tri-party rate, bp: the premium where hedge funds finance the basis trade.",
            "dvp_rate_revision_bp": "OFR DVP rate final - preliminary, bp (NULL until the final is published).",
            "ofr_vintage": "'final', 'preliminary' or 'mixed': the OFR vintage the day's segment rates stand on; "
            "NULL without OFR data.",
        },
    ),
    Mart(
        "funding_events",
        _funding_events,
        ("funding_daily", "funding_calendar", *_PLUMBING_SIDE),
        funding_events.SCHEMA,
        key=("date",),
        grain="day on which at least one funding stress signal fires",
        date_column="date",
        side_inputs=_PLUMBING_SIDE,
        comment=(
            "Funding stress events (grain: day on which at least one market signal fires): which signals fired "
            "together, their inputs, the severity and the calendar context. Thresholds documented and cited in "
            "transforms/funding_events.py; calendar flags describe a day, they never make an event."
        ),
        columns={
            "date": "The day (an FR 2004 as-of Wednesday for dealer fails).",
            "signals": "Signals that fired, comma-separated: sofr_iorb (SOFR-IORB >= 5 bp), sofr_p99_iorb (p99-IORB "
            ">= 20 bp), srf (SRF take-up >= $5bn), segment_spread (SOFR-TGCR >= 5 bp, or OFR DVP/GCF - tri-party "
            ">= 10 bp), dealer_fails (fails >= 1.5x their 26-week median).",
            "n_signals": "How many signals fired.",
            "severity": "'high' (SRF >= $25bn, SOFR-IORB >= 20 bp, or 3+ signals), 'medium' (2 signals), 'low' (1).",
            "sofr_iorb_bp": "SOFR - IORB, bp (marts.funding_daily).",
            "sofr_p99_iorb_bp": "SOFR's 99th percentile - IORB, bp.",
            "srf_takeup_bn": "Standing repo take-up, $ billions.",
            "sofr_tgcr_bp": "SOFR - TGCR, bp (marts.repo_segments_daily).",
            "dvp_tri_bp": "OFR DVP - tri-party rate, bp.",
            "gcf_tri_bp": "OFR GCF - tri-party rate, bp.",
            "fails_total_bn": "Primary dealers' Treasury fails (deliver + receive), $ billions, on as-of Wednesdays.",
            "fails_ratio": "fails_total_bn / its median over the previous 26 weeks (NULL with fewer than 13).",
            "calendar_context": "Calendar flags of the day from marts.funding_calendar (quarter end, month end, year "
            "end, mid-month coupon settlement, tax date, Treasury settlement); NULL on a plain day.",
        },
    ),
)


def _in_dependency_order(marts: Iterable[Mart]) -> dict[str, Mart]:
    """The marts ordered so each comes after the marts it reads; an unknown input or a cycle is refused."""
    pending = {m.name: m for m in marts}
    ordered: dict[str, Mart] = {}
    while pending:
        ready = [m for m in pending.values() if all(i in ordered or i not in pending for i in m.inputs)]
        if not ready:
            raise ValueError(f"marts {', '.join(sorted(pending))} read each other in a cycle")
        for mart in ready:
            unknown = [i for i in mart.inputs if i not in ordered and i not in DATASETS and not i.startswith("ref.")]
            if unknown:
                raise ValueError(f"mart {mart.name} reads {', '.join(unknown)}: not a dataset, mart or ref table")
            if stray := set(mart.side_inputs) - set(mart.inputs):
                raise ValueError(f"mart {mart.name}: side inputs {', '.join(sorted(stray))} are not among its inputs")
            ordered[mart.name] = pending.pop(mart.name)
    return ordered


MARTS: dict[str, Mart] = _in_dependency_order(_DECLARED)


def upstream(name: str) -> list[str]:
    """The marts `name` reads, directly or through other marts, in build order."""
    direct = [i for i in MARTS[name].inputs if i in MARTS]
    found = {m for d in direct for m in upstream(d)} | set(direct)
    return [m for m in MARTS if m in found]


def mart_datasets(name: str) -> set[str]:
    """The core datasets a mart is computed from, through the marts it reads too; side inputs (and what only they
    read) do not count: their failure does not hold the mart back, their new rows alone do not rebuild it."""
    main = MARTS[name].main_inputs
    return {i for i in main if i in DATASETS} | {d for i in main if i in MARTS for d in mart_datasets(i)}


def mart_sources(name: str) -> set[str]:
    """The names of the sources a mart is computed from, side inputs aside (a run where one failed keeps the
    published mart; one where none landed rows leaves it as it is)."""
    return {source_of(dataset).name for dataset in mart_datasets(name)}


def external_inputs(names: Iterable[str]) -> set[str]:
    """The datasets and ref tables the marts `names` read (what a run reads from the warehouse to build them)."""
    return {i for name in names for i in MARTS[name].inputs if i not in MARTS}


def fred_series_read(names: Iterable[str]) -> tuple[str, ...]:
    """The FRED series the marts `names` read, sorted (what a run reads of core.fred_observations to build them)."""
    return tuple(sorted({s for name in names for s in MARTS[name].fred_series}))


def input_date(name: str) -> str | None:
    """The date column of a mart input (a core dataset or a mart), None for a ref table (read whole)."""
    if name in DATASETS:
        return DATASETS[name].date_column
    return MARTS[name].date_column if name in MARTS else None


def recompute_from(mart: Mart, since: date, last: date | None) -> date:
    """The first row date an incremental build of `mart` recomputes when its inputs changed from `since` on and its
    published rows end at `last` (see Reach)."""
    assert mart.reach is not None, f"mart {mart.name} is rebuilt whole"
    return (since if last is None else min(since, last)) - mart.reach.after


def read_from(mart: Mart, cut: date) -> date:
    """The first input date an incremental build from `cut` reads."""
    assert mart.reach is not None, f"mart {mart.name} is rebuilt whole"
    return cut - mart.reach.before


def build_since(mart: Mart, frames: Frames, published: pl.DataFrame, cut: date) -> pl.DataFrame:
    """`mart` with its rows dated from `cut` on rebuilt from `frames` (each input with a date read from
    read_from(cut) on; a frame that holds more is cut here) and its published rows before `cut` kept."""
    start = read_from(mart, cut)
    windowed = {
        name: frames[name] if (column := input_date(name)) is None else frames[name].filter(pl.col(column) >= start)
        for name in mart.inputs
    }
    tail = mart.build(windowed).filter(pl.col(mart.date_column) >= cut)
    head = published.filter(pl.col(mart.date_column) < cut).select(tail.columns).cast(tail.schema)
    return pl.concat([head, tail])


def build_marts(frames: Frames, names: Iterable[str] | None = None) -> dict[str, pl.DataFrame]:
    """Build `names` (default every mart) and the marts they read, each once, in dependency order; `frames` holds
    their datasets and ref tables. Used by tests and benchmarks; the pipeline builds one task per mart."""
    wanted = set(MARTS) if names is None else {u for n in names for u in (*upstream(n), n)}
    built: dict[str, pl.DataFrame] = {}
    for name in (m for m in MARTS if m in wanted):
        built[name] = MARTS[name].build({**frames, **built})
    return built
