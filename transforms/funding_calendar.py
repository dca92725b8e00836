"""The days funding pressure concentrates on, beside that day's gauges (marts.funding_calendar).

Grain: one row per Federal Reserve business day (weekdays that are not Fedwire holidays: the holiday list comes in as
data, from the `holidays` package's XFED calendar: transforms.calendar.fed_holidays) from the first to the last day of
the funding, auction or TGA data. Amounts in $ billions, spreads in basis points.

- Month-, quarter- and year-end: the last business day of the calendar month / quarter / year.
- Mid-month settlement: Treasury notes and bonds are issued (and coupons paid) on the 15th, or the next business day
  when the 15th is not one (TreasuryDirect, "Auction timing": 2-, 3-, 5-, 7-year notes at month-end; 10-, 20-,
  30-year and TIPS on the 15th).
- Tax dates: estimated-tax due dates of calendar-year corporations (the 15th of April, June, September and December:
  IRS Publication 509 "Tax Calendars", Form 1120-W) and of individuals (April 15, June 15, September 15 and January 15:
  IRS Publication 505, Form 1040-ES), moved to the next day that is not a Saturday, Sunday or legal holiday (26 U.S.C.
  7503; the District of Columbia's Emancipation Day counts, which is why April 18, 2017, 2022 and 2023 are tax
  days). Disaster and 2020 pandemic postponements are not modelled.
- Treasury settlement: a note or bond auction settles (its issue date); settlement_gross_bn adds every security
  settling that day (bills included), settlement_net_bn subtracts the securities maturing that day.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import cast

import polars as pl

from transforms.schema import SchemaDict
from transforms.units import USD_PER_BN, conform

TAX_MONTHS = (1, 4, 6, 9, 12)  # January: individuals only; December: corporations only
TAX_DAY = 15
COUPON_TYPES = ("Note", "Bond")

SCHEMA: SchemaDict = {
    "date": pl.Date,
    "is_month_end": pl.Boolean,
    "is_quarter_end": pl.Boolean,
    "is_year_end": pl.Boolean,
    "is_mid_month_settlement": pl.Boolean,
    "is_tax_date": pl.Boolean,
    "is_treasury_settlement": pl.Boolean,
    "settlement_gross_bn": pl.Float64,
    "settlement_net_bn": pl.Float64,
    "sofr_iorb_bp": pl.Float64,
    "sofr_p99_iorb_bp": pl.Float64,
    "srf_takeup_bn": pl.Float64,
    "on_rrp_bn": pl.Float64,
    "tga_change_bn": pl.Float64,
}


def business_days(start: date, end: date, holidays: list[date]) -> pl.DataFrame:
    """Weekdays in [start, end] that are not in `holidays`, as (date)."""
    days = pl.date_range(start, end, "1d", eager=True).alias("date").to_frame()
    return days.filter((pl.col("date").dt.weekday() <= 5) & ~pl.col("date").is_in(holidays))


def roll_forward(day: date, closed: set[date]) -> date:
    """`day`, or the next day that is neither a weekend day nor in `closed` (26 U.S.C. 7503)."""
    while day.weekday() >= 5 or day in closed:
        day += timedelta(days=1)
    return day


def tax_dates(years: range, legal_holidays: list[date]) -> list[date]:
    """Estimated-tax due dates of corporations and individuals in `years`, rolled past weekends and legal holidays."""
    closed = set(legal_holidays)
    return [roll_forward(date(y, m, TAX_DAY), closed) for y in years for m in TAX_MONTHS]


def flag_period_ends(days: pl.DataFrame) -> pl.DataFrame:
    """is_month_end / is_quarter_end / is_year_end: the last business day of the month / quarter / year."""
    day = pl.col("date")
    return days.with_columns(
        (day == day.max().over(day.dt.truncate("1mo"))).alias("is_month_end"),
        (day == day.max().over(day.dt.truncate("1q"))).alias("is_quarter_end"),
        (day == day.max().over(day.dt.year())).alias("is_year_end"),
    )


def flag_mid_month(days: pl.DataFrame) -> pl.DataFrame:
    """is_mid_month_settlement: the first business day on or after the 15th."""
    day = pl.col("date")
    on_or_after = pl.when(day.dt.day() >= TAX_DAY).then(day)
    return days.with_columns((day == on_or_after.min().over(day.dt.truncate("1mo"))).alias("is_mid_month_settlement"))


def flag_tax_dates(days: pl.DataFrame, legal_holidays: list[date]) -> pl.DataFrame:
    """is_tax_date: the day is a (rolled) estimated-tax due date."""
    if days.is_empty():
        return days.with_columns(pl.lit(False).alias("is_tax_date"))
    first, last = cast(date, days["date"].min()), cast(date, days["date"].max())
    years = range(first.year, last.year + 1)
    return days.with_columns(pl.col("date").is_in(tax_dates(years, legal_holidays)).alias("is_tax_date"))


def outstanding_by_cusip(auctions: pl.DataFrame) -> pl.DataFrame:
    """(cusip, maturity_date, amount_bn): a security's issued amount over its original auction and reopenings;
    NULL when an auction lacks its amount or the original auction is not in the data (first one is a reopening)."""
    ordered = auctions.sort("auction_date")
    return ordered.group_by("cusip").agg(
        pl.col("maturity_date").last(),
        pl.when(pl.col("total_accepted").is_not_null().all() & (pl.col("reopening").first() != "Yes"))
        .then(pl.col("total_accepted").sum() / USD_PER_BN)
        .alias("amount_bn"),
    )


def settlements(auctions: pl.DataFrame) -> pl.DataFrame:
    """Per issue date: whether a coupon security settles, and the gross amount settling (NULL if any lacks it)."""
    return auctions.group_by(pl.col("issue_date").alias("date")).agg(
        pl.col("security_type").is_in(COUPON_TYPES).any().alias("is_treasury_settlement"),
        pl.when(pl.col("total_accepted").is_not_null().all())
        .then(pl.col("total_accepted").sum() / USD_PER_BN)
        .alias("settling_bn"),
    )


def maturities(auctions: pl.DataFrame) -> pl.DataFrame:
    """Per maturity date: the amount maturing, NULL when any maturing security's issued amount is unknown."""
    return (
        outstanding_by_cusip(auctions)
        .group_by(pl.col("maturity_date").alias("date"))
        .agg(pl.when(pl.col("amount_bn").is_not_null().all()).then(pl.col("amount_bn").sum()).alias("maturing_bn"))
    )


def attach_settlements(days: pl.DataFrame, auctions: pl.DataFrame) -> pl.DataFrame:
    """Settlement flag and gross/net amounts. Amounts only within the span of issue dates whose auctions carry
    amounts (there a day with nothing settling or maturing counts 0); net NULL when a maturing amount is unknown."""
    known = auctions.filter(pl.col("total_accepted").is_not_null())["issue_date"]
    covered = pl.col("date").is_between(known.min(), known.max()) if known.len() else pl.lit(False)
    settled, matured = settlements(auctions), maturities(auctions)
    joined = days.join(settled.with_columns(pl.lit(True).alias("_settles")), on="date", how="left").join(
        matured.with_columns(pl.lit(True).alias("_matures")), on="date", how="left"
    )
    gross = pl.when(covered).then(pl.when(pl.col("_settles")).then(pl.col("settling_bn")).otherwise(0.0))
    maturing = pl.when(pl.col("_matures")).then(pl.col("maturing_bn")).otherwise(0.0)
    return joined.with_columns(
        pl.col("is_treasury_settlement").fill_null(False),
        gross.alias("settlement_gross_bn"),
    ).with_columns((pl.col("settlement_gross_bn") - maturing).alias("settlement_net_bn"))


def attach_gauges(days: pl.DataFrame, funding_daily: pl.DataFrame, tga_daily: pl.DataFrame) -> pl.DataFrame:
    """That day's SOFR-IORB and SOFR p99-IORB (bp), SRF take-up and ON RRP ($bn) and TGA change ($bn)."""
    gauges = funding_daily.select("date", "sofr_iorb_bp", "sofr_p99_iorb_bp", "srf_takeup_bn", "on_rrp_bn")
    return days.join(gauges, on="date", how="left").join(
        tga_daily.select("date", "tga_change_bn"), on="date", how="left"
    )


def data_span(funding_daily: pl.DataFrame, tga_daily: pl.DataFrame, auctions: pl.DataFrame) -> tuple[date, date] | None:
    """From the first funding or TGA day to the last day of any input (announced auctions settle up to a month
    ahead, so the calendar shows upcoming settlements); None when there is no data."""
    gauges = pl.concat([funding_daily.select("date"), tga_daily.select("date")]).drop_nulls()
    if gauges.is_empty():
        return None
    first, last = cast(date, gauges["date"].min()), cast(date, gauges["date"].max())
    settles = cast(date | None, auctions["issue_date"].max())
    return first, max(last, settles) if settles else last


def build_funding_calendar(
    funding_daily: pl.DataFrame,
    auctions: pl.DataFrame,
    tga_daily: pl.DataFrame,
    fed_holidays: list[date],
    legal_holidays: list[date],
) -> pl.DataFrame:
    """marts.funding_calendar: one row per Fed business day (see the module doc for each flag's rule)."""
    span = data_span(funding_daily, tga_daily, auctions)
    if span is None:
        return pl.DataFrame(schema=SCHEMA)
    # Flags are computed over whole calendar years, so a span ending mid-month never makes its last day a month-end.
    year_days = business_days(date(span[0].year, 1, 1), date(span[1].year, 12, 31), fed_holidays)
    return (
        year_days.pipe(flag_period_ends)
        .pipe(flag_mid_month)
        .pipe(flag_tax_dates, legal_holidays)
        .filter(pl.col("date").is_between(*span))
        .pipe(attach_settlements, auctions)
        .pipe(attach_gauges, funding_daily, tga_daily)
        .sort("date")
        .pipe(conform, SCHEMA)
    )
