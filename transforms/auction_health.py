"""Treasury auction demand (marts.auction_health) and the monthly bill share of issuance (marts.bill_share_monthly).

Input: core Fiscal Data auctions_query rows (API field names, amounts in USD, rates in percent). Rows announced but not
yet auctioned (total_accepted null) are left out. TIPS and FRNs come as security_type Note/Bond: they are told apart
by the API fields inflation_index_security, ref_cpi_on_dated_date and floating_rate, and a CUSIP known as a TIPS or
FRN in any of its auctions is one in all of them (reopenings share the CUSIP). Where a record says nothing (the
bundled replay before 2025 comes from a website download without those fields), an FRN is still recognised by its
missing high yield (it is auctioned on a discount margin); a TIPS is not, and counts as nominal.
"""

import polars as pl

from transforms.auction_coverage import REGULAR_BILLS, month_coverage
from transforms.schema import SchemaDict
from transforms.units import USD_PER_BN, conform

PREVIOUS_AUCTIONS = 6  # window of the bid-to-cover baseline: about 1.5 months of weekly bills, 6 months of notes
BILL_TYPES = ("Bill", "CMB")
# Days between two auctions of a regular bill (auction_coverage.REGULAR_BILLS): weekly, the 52-week every 4 weeks.
REGULAR_BILL_CADENCE_DAYS = {term: 7 * every for term, (_, _, every) in REGULAR_BILLS.items()}
WHOLE_YEARS = r"^\d+-Year$"  # a term announced in whole years ("2-Year"), not a remaining term ("9-Year 11-Month")
# Terms of the coupon securities Treasury has auctioned new (the 4-year note until 1990), for records without any term.
STANDARD_COUPON_YEARS = (2, 3, 4, 5, 7, 10, 20, 30)

SCHEMA: SchemaDict = {
    "auction_date": pl.Date,
    "cusip": pl.Utf8,
    "security_type": pl.Utf8,
    "security_term": pl.Utf8,
    "security_kind": pl.Utf8,
    "security_class": pl.Utf8,
    "tenor": pl.Utf8,
    "is_cmb": pl.Boolean,
    "is_reopening": pl.Boolean,
    "offering_bn": pl.Float64,
    "total_accepted_bn": pl.Float64,
    "bid_to_cover": pl.Float64,
    "high_yield_pct": pl.Float64,
    "rate_basis": pl.Utf8,
    "primary_dealer_share": pl.Float64,
    "direct_share": pl.Float64,
    "indirect_share": pl.Float64,
    "soma_addon_bn": pl.Float64,
    "btc_vs_prev6": pl.Float64,
    "baseline_auctions": pl.Int32,
    "baseline_coverage": pl.Utf8,
}

BILL_SHARE_SCHEMA: SchemaDict = {
    "month": pl.Date,
    "gross_issuance_bn": pl.Float64,
    "bills_bn": pl.Float64,
    "bill_share": pl.Float64,
    "soma_addon_bn": pl.Float64,
    "auctions": pl.Int32,
    "bill_auctions": pl.Int32,
    "auctions_expected": pl.Int32,
    "bill_auctions_expected": pl.Int32,
    "coverage": pl.Utf8,
}
# The sums a month row shows only when every auction that should have results for it has them.
BILL_SHARE_SUMS = ("gross_issuance_bn", "bills_bn", "bill_share", "soma_addon_bn")


def select_completed(auctions: pl.DataFrame) -> pl.DataFrame:
    """Auctions that have results (total_accepted present), one row per (cusip, auction_date)."""
    return auctions.filter(pl.col("total_accepted").is_not_null()).unique(["cusip", "auction_date"], keep="last")


def _flag(auctions: pl.DataFrame, column: str, yes: pl.Expr) -> pl.Expr:
    """`yes` evaluated on an optional auctions_query column; False when the frame does not carry it."""
    return yes.fill_null(False) if column in auctions.columns else pl.lit(False)


def classify_security(auctions: pl.DataFrame) -> pl.DataFrame:
    """security_kind: CMB, Bill, TIPS, FRN, or the security_type (Note/Bond) of a nominal fixed-rate coupon; and
    security_class: bill, nominal, TIPS, FRN or CMB (what auctions compare within)."""
    tips_row = _flag(auctions, "inflation_index_security", pl.col("inflation_index_security") == "Yes") | _flag(
        auctions, "ref_cpi_on_dated_date", pl.col("ref_cpi_on_dated_date").is_not_null()
    )
    # FRNs are auctioned on a discount margin: a completed coupon auction without a high yield is one.
    # (completed: an announced auction has no high yield either)
    completed = pl.col("total_accepted").is_not_null() if "total_accepted" in auctions.columns else pl.lit(True)
    frn_row = _flag(auctions, "floating_rate", pl.col("floating_rate") == "Yes") | (
        ~pl.col("security_type").is_in(BILL_TYPES) & pl.col("high_yield").is_null() & completed
    )
    # A CUSIP is one security: a reopening whose record lacks the flags is what its first auction said it was.
    is_tips, is_frn = tips_row.any().over("cusip"), frn_row.any().over("cusip")
    is_cmb = (pl.col("cash_management_bill_cmb") == "Yes").fill_null(False) | (pl.col("security_type") == "CMB")
    kind = (
        pl.when(is_cmb)
        .then(pl.lit("CMB"))
        .when(pl.col("security_type") == "Bill")
        .then(pl.lit("Bill"))
        .when(is_tips)
        .then(pl.lit("TIPS"))
        .when(is_frn)
        .then(pl.lit("FRN"))
        .otherwise(pl.col("security_type"))
    )
    return auctions.with_columns(kind.alias("security_kind")).with_columns(
        pl.col("security_kind").replace({"Bill": "bill", "Note": "nominal", "Bond": "nominal"}).alias("security_class")
    )


def _nearest_standard_tenor() -> pl.Expr:
    """'N-Year' for the standard coupon tenor nearest to the years from issue to maturity (null without dates)."""
    years = (pl.col("maturity_date") - pl.col("issue_date")).dt.total_days() / 365.25
    nearest = pl.concat_list([(years - t).abs() for t in STANDARD_COUPON_YEARS]).list.arg_min()
    return nearest.replace_strict({i: f"{t}-Year" for i, t in enumerate(STANDARD_COUPON_YEARS)}, return_dtype=pl.Utf8)


def coupon_tenor(columns: list[str]) -> pl.Expr:
    """The tenor a coupon auction is compared within: the term announced for this auction when it is a whole number of
    years ("2-Year" for the 2026-01-26 2-year auction that reopened the 2023 5-year note 91282CGH8), else, for a
    reopening announced by its remaining term ("9-Year 11-Month"), the original term of the security (from the record,
    else from the CUSIP's first whole-year auction in the data), else the standard tenor nearest to its life."""
    announced = pl.col("security_term").str.contains(WHOLE_YEARS)
    whole = pl.when(announced).then(pl.col("security_term"))
    first_whole = whole.sort_by("auction_date").drop_nulls().first().over("cusip")
    dated = {"issue_date", "maturity_date"} <= set(columns)
    nearest = _nearest_standard_tenor() if dated else pl.lit(None, pl.Utf8)
    return (
        pl.when(announced)
        .then(pl.col("security_term"))
        .otherwise(pl.coalesce(pl.col("original_security_term"), first_whole, nearest))
    )


def add_auction_fields(auctions: pl.DataFrame) -> pl.DataFrame:
    """Amounts in $ billions, the rate that prices the auction and its basis, the comparison tenor and flags."""
    is_bill = pl.col("security_kind").is_in(BILL_TYPES)
    return auctions.with_columns(
        (pl.col("offering_amt") / USD_PER_BN).alias("offering_bn"),
        (pl.col("total_accepted") / USD_PER_BN).alias("total_accepted_bn"),
        (pl.col("soma_accepted") / USD_PER_BN).alias("soma_addon_bn"),
        pl.col("bid_to_cover_ratio").alias("bid_to_cover"),
        pl.coalesce("high_yield", "high_discnt_rate").alias("high_yield_pct"),
        pl.when(pl.col("high_yield").is_not_null())
        .then(pl.lit("high_yield"))
        .when(pl.col("high_discnt_rate").is_not_null())
        .then(pl.lit("high_discount_rate"))
        .alias("rate_basis"),
        # A 13-week bill is a reopening of a 26-week bill and carries original_security_term "26-Week": for bills the
        # auctioned term is the comparable one; for coupons see coupon_tenor (cross-term reopenings).
        pl.when(is_bill).then(pl.col("security_term")).otherwise(coupon_tenor(auctions.columns)).alias("tenor"),
        (pl.col("security_kind") == "CMB").alias("is_cmb"),
        (pl.col("reopening") == "Yes").fill_null(False).alias("is_reopening"),
    )


def add_bidder_shares(auctions: pl.DataFrame) -> pl.DataFrame:
    """Primary dealer / direct / indirect shares of the accepted competitive amount (their sum)."""
    bidders = {
        "primary_dealer_share": "primary_dealer_accepted",
        "direct_share": "direct_bidder_accepted",
        "indirect_share": "indirect_bidder_accepted",
    }
    competitive = pl.sum_horizontal(*bidders.values())
    return auctions.with_columns(
        pl.when(competitive > 0).then(pl.col(col) / competitive).alias(name) for name, col in bidders.items()
    )


def select_known(auctions: pl.DataFrame) -> pl.DataFrame:
    """Every auction the data knows, announced or completed: one row per (cusip, auction_date), the one with results."""
    return auctions.sort(pl.col("total_accepted").is_not_null()).unique(["cusip", "auction_date"], keep="last")


def add_btc_vs_previous(auctions: pl.DataFrame) -> pl.DataFrame:
    """btc_vs_prev6: bid-to-cover minus the mean of the 6 previous auctions of the same security_class and tenor
    (a 10-year TIPS against 10-year TIPS, never against nominal 10-year notes), over every auction the data knows
    (announced ones included), so a previous auction without results leaves the baseline NULL instead of reaching
    further back; for a regular bill the 6 previous must also be the calendar's (no week missing from the data).
    baseline_auctions: how many of those 6 have results; baseline_coverage says complete or what is missing."""
    group, order = ["security_class", "tenor"], ["auction_date", "cusip"]
    previous = pl.col("bid_to_cover").shift(1)
    held = previous.is_not_null().cast(pl.Int32).rolling_sum(PREVIOUS_AUCTIONS, min_samples=1).fill_null(0)
    span = (pl.col("auction_date") - pl.col("auction_date").shift(PREVIOUS_AUCTIONS)).dt.total_days()
    return (
        auctions.sort("auction_date", "cusip")
        .with_columns(
            held.over(group, order_by=order).alias("baseline_auctions"),
            span.over(group, order_by=order).alias("_span"),
            (pl.col("bid_to_cover") - previous.rolling_mean(PREVIOUS_AUCTIONS).over(group, order_by=order)).alias(
                "_btc"
            ),
        )
        .with_columns(_baseline_coverage().alias("baseline_coverage"))
        .with_columns(
            pl.when(pl.col("baseline_coverage") == "complete").then(pl.col("_btc")).alias("btc_vs_prev6"),
        )
        .drop("_span", "_btc")
    )


def _baseline_coverage() -> pl.Expr:
    """'complete', or why the baseline is not: a regular bill whose previous auctions (`_span` days apart, first to
    last) leave a gap in its calendar, or fewer than PREVIOUS_AUCTIONS of them (`baseline_auctions`) with results."""
    cadence = pl.col("tenor").replace_strict(REGULAR_BILL_CADENCE_DAYS, default=None, return_dtype=pl.Int64)
    gap = (pl.col("security_class") == "bill") & (pl.col("_span") > cadence * PREVIOUS_AUCTIONS + 3)
    return (
        pl.when(gap.fill_null(False))
        .then(
            pl.format(
                "incomplete: the {} previous auctions span {} days; auctions missing from the data",
                pl.lit(PREVIOUS_AUCTIONS),
                "_span",
            )
        )
        .when(pl.col("baseline_auctions") < PREVIOUS_AUCTIONS)
        .then(
            pl.format(
                "incomplete: {} of the {} previous auctions have results",
                "baseline_auctions",
                pl.lit(PREVIOUS_AUCTIONS),
            )
        )
        .otherwise(pl.lit("complete"))
    )


def build_auction_health(auctions: pl.DataFrame) -> pl.DataFrame:
    """marts.auction_health: one row per completed auction (cusip, auction_date); amounts $ billions, rates percent."""
    return (
        auctions.pipe(select_known)
        .pipe(classify_security)
        .pipe(add_auction_fields)
        .pipe(add_bidder_shares)
        .pipe(add_btc_vs_previous)
        .filter(pl.col("total_accepted").is_not_null())
        .sort("auction_date", "cusip")
        .pipe(conform, SCHEMA)
    )


def build_bill_share_monthly(auctions: pl.DataFrame) -> pl.DataFrame:
    """marts.bill_share_monthly: per issue month, gross issuance (accepted incl. SOMA/FIMA) and bill share, $ bn; the
    sums are NULL in a month whose inputs are incomplete (auction_coverage: Treasury's bill calendar, the data's own
    announcements), the counts and `coverage` saying so in the same row."""
    classified = auctions.pipe(classify_security)
    is_bill = pl.col("security_kind").is_in(BILL_TYPES)
    completed = classified.pipe(select_completed).with_columns(
        pl.coalesce("issue_date", "auction_date").dt.truncate("1mo").alias("month"),
        (pl.col("total_accepted") / USD_PER_BN).alias("accepted_bn"),
    )
    coverage = month_coverage(classified, is_bill)
    complete = pl.col("auctions") >= pl.col("auctions_expected")
    return (
        completed.group_by("month")
        .agg(
            pl.col("accepted_bn").sum().alias("gross_issuance_bn"),
            pl.col("accepted_bn").filter(is_bill).sum().alias("bills_bn"),
            (pl.col("soma_accepted").fill_null(0).sum() / USD_PER_BN).alias("soma_addon_bn"),
            pl.len().alias("auctions"),
            is_bill.sum().alias("bill_auctions"),
        )
        .with_columns((pl.col("bills_bn") / pl.col("gross_issuance_bn")).alias("bill_share"))
        .join(
            coverage.select("month", "auctions_expected", "bill_auctions_expected", "coverage"), on="month", how="left"
        )
        .with_columns(pl.when(complete).then(pl.col(c)).alias(c) for c in BILL_SHARE_SUMS)
        .sort("month")
        .pipe(conform, BILL_SHARE_SCHEMA)
    )
