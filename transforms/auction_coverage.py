"""What Treasury auctions SHOULD exist in a month, to judge whether the auction marts' inputs are complete.

Treasury's regular bill calendar (https://home.treasury.gov/policy-issues/financing-the-government/quarterly-refunding
/most-recent-quarterly-refunding-documents, "Tentative Auction Schedule"): 4-, 8- and 17-week bills issue every
Tuesday, 6-, 13- and 26-week bills every Thursday, and the 52-week bill every fourth Thursday. A week's issue stays in
its month when a holiday moves it by a day. Besides the calendar, every auction the data itself announces (a row with
or without results: coupons, CMBs, bills) is one that should have results once it settled. Coverage = those with
results against the larger of the two.
"""

import datetime as dt

import polars as pl

TUESDAY, THURSDAY = 2, 4  # polars weekday numbers (Monday = 1)
# Regular bill: (issue weekday, first auction of the regular weekly series in the data, issued every n weeks).
REGULAR_BILLS: dict[str, tuple[int, dt.date, int]] = {
    "4-Week": (TUESDAY, dt.date(2001, 7, 31), 1),
    "8-Week": (TUESDAY, dt.date(2018, 10, 16), 1),
    "17-Week": (TUESDAY, dt.date(2022, 10, 19), 1),
    "6-Week": (THURSDAY, dt.date(2025, 2, 18), 1),
    "13-Week": (THURSDAY, dt.date(1979, 12, 28), 1),
    "26-Week": (THURSDAY, dt.date(1979, 12, 28), 1),
    "52-Week": (THURSDAY, dt.date(1980, 1, 2), 4),
}
# A recorded 52-week issue (Thursday 2026-06-11): all 105 issues of 2018-06..2026-06 in the replay's auction data fall
# a multiple of 28 days from it (3 of them a day later, on a Friday after a Thursday holiday).
ANCHOR_52_WEEK = dt.date(2026, 6, 11)
# The calendar is applied from this month: since then every weekday rule above held in the recorded data (the 4-week
# bill issued on Thursdays before 2019).
CALENDAR_FROM = dt.date(2019, 1, 1)


def _issue_days(month: dt.date, weekday: int, every: int) -> int:
    """How many issue days of a bill on `weekday`, every `every` weeks, fall in `month`."""
    end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    days = pl.date_range(month, end - dt.timedelta(days=1), "1d", eager=True)
    on_day = days.filter(days.dt.weekday() == weekday)
    if every == 1:
        return on_day.len()
    return sum(1 for d in on_day.to_list() if (d - ANCHOR_52_WEEK).days % (7 * every) == 0)


def expected_regular_bills(months: list[dt.date]) -> pl.DataFrame:
    """(month, security_term, calendar_expected): regular bill issues the calendar puts in each month."""
    rows = [
        (m, term, _issue_days(m, weekday, every))
        for m in months
        if m >= CALENDAR_FROM
        for term, (weekday, first, every) in REGULAR_BILLS.items()
        if first <= m
    ]
    return pl.DataFrame(
        rows, schema={"month": pl.Date, "security_term": pl.Utf8, "calendar_expected": pl.Int64}, orient="row"
    )


def month_coverage(auctions: pl.DataFrame, is_bill: pl.Expr) -> pl.DataFrame:
    """Per issue month: auctions_expected (calendar or announcements, the larger, per regular bill term; announced
    auctions for everything else), auctions_with_results, bill_auctions_expected and a `coverage` sentence."""
    regular = is_bill & pl.col("security_term").is_in(list(REGULAR_BILLS))
    rows = auctions.unique(["cusip", "auction_date"], keep="last").with_columns(
        pl.coalesce("issue_date", "auction_date").dt.truncate("1mo").alias("month"),
        pl.when(regular)
        .then(pl.col("security_term"))
        .when(is_bill)
        .then(pl.lit("other bill"))
        .otherwise(pl.lit("coupon"))
        .alias("bucket"),
    )
    counted = rows.group_by("month", "bucket").agg(
        pl.len().alias("announced"), pl.col("total_accepted").is_not_null().sum().alias("with_results")
    )
    calendar = expected_regular_bills(counted["month"].unique().to_list()).rename({"security_term": "bucket"})
    per_bucket = counted.join(calendar, on=["month", "bucket"], how="full", coalesce=True).with_columns(
        pl.max_horizontal(pl.col("announced").fill_null(0), pl.col("calendar_expected").fill_null(0)).alias("exp"),
        pl.col("with_results").fill_null(0),
        (pl.col("bucket") != "coupon").alias("bill"),
    )
    return (
        per_bucket.group_by("month")
        .agg(
            pl.col("exp").sum().alias("auctions_expected"),
            pl.col("with_results").sum().alias("auctions_with_results"),
            pl.col("exp").filter("bill").sum().alias("bill_auctions_expected"),
            pl.col("with_results").filter("bill").sum().alias("bill_with_results"),
        )
        .with_columns(coverage_text())
        .drop("bill_with_results")
    )


def coverage_text() -> pl.Expr:
    """'complete: N of N auctions have results' or 'incomplete: n of N auctions have results (bills b of B)'."""
    complete = pl.col("auctions_with_results") >= pl.col("auctions_expected")
    counts = pl.format(
        "{} of {} auctions have results (bills {} of {})",
        "auctions_with_results",
        "auctions_expected",
        "bill_with_results",
        "bill_auctions_expected",
    )
    return (
        pl.when(complete)
        .then(pl.format("complete: {}", counts))
        .otherwise(pl.format("incomplete: {}", counts))
        .alias("coverage")
    )
