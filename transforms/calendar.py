"""Business-day calendars and publication times: when the observation for day T became public (New York time).

Pure date logic on the `holidays` library's market calendars (no hand-kept holiday list):
- `XFED`: holidays observed by the Federal Reserve Banks (a Saturday holiday is not moved: the Banks open the Friday
  before) — the Board's H.4.1 and H.15, NY Fed operations and EFFR/OBFR follow it;
- `USGS`: SIFMA's recommended full closes of the US government securities market (adds Good Friday) — SOFR, BGCR and
  TGCR are published for, and on, US government securities business days;
- `US`: US federal holidays as federal offices observe them (a Saturday holiday closes the Friday before) — the
  Treasury publishes the Daily Treasury Statement on federal business days.

Imported by `transforms.registry` (the release rules) and by anything needing a funding calendar (CFTC helper); the
marts get the Fed and legal holidays as plain date lists (`fed_holidays`, `legal_holidays`).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
import polars as pl

NEW_YORK = ZoneInfo("America/New_York")
CALENDARS = ("XFED", "USGS", "US")
# Wide enough for every dataset qtwatch holds (SOFR starts 2018, TGA 2005) and a generation of upcoming settlements.
YEARS = range(2000, 2051)


@cache
def fed_holidays() -> list[date]:
    """Federal Reserve (Fedwire) holidays 2000-2050 (observed dates), sorted: the days reserves, Treasury settlement
    and the Fed's operations do not move; a business day of marts.funding_calendar is a weekday not in this list."""
    return sorted(holidays.financial_holidays("XFED", years=YEARS))


@cache
def legal_holidays() -> list[date]:
    """US federal plus District of Columbia legal holidays (Emancipation Day, April 16) 2000-2050 (observed dates),
    sorted: 26 U.S.C. 7503 moves a tax deadline falling on one to the next day."""
    return sorted(holidays.US(subdiv="DC", years=YEARS))


@cache
def _holidays(calendar: str, year: int) -> frozenset[date]:
    """The full-close holidays of one calendar in one year (cached: the library builds a year at a time)."""
    years = [year - 1, year, year + 1]  # an observed day can fall in the neighbouring year (Dec 31 for Jan 1)
    if calendar == "US":
        days = holidays.country_holidays("US", years=years)
    elif calendar in ("XFED", "USGS"):
        days = holidays.financial_holidays(calendar, years=years)  # public (full-close) category only
    else:
        raise ValueError(f"unknown business-day calendar {calendar!r}; choose from {', '.join(CALENDARS)}")
    return frozenset(d for d in days if d.year == year)


def is_business_day(day: date, calendar: str = "XFED") -> bool:
    """A weekday that is not a full-close holiday of `calendar`."""
    return day.weekday() < 5 and day not in _holidays(calendar, day.year)


def next_business_day(day: date, calendar: str = "XFED") -> date:
    """`day` itself when it is a business day, else the first business day after it."""
    while not is_business_day(day, calendar):
        day += timedelta(days=1)
    return day


def add_business_days(day: date, n: int, calendar: str = "XFED") -> date:
    """The n-th business day after `day` (n = 0: `day` rolled forward to a business day)."""
    day = next_business_day(day, calendar) if n == 0 else day
    for _ in range(n):
        day = next_business_day(day + timedelta(days=1), calendar)
    return day


def previous_business_day(day: date, calendar: str = "XFED") -> date:
    """The last business day strictly before `day`."""
    day -= timedelta(days=1)
    while not is_business_day(day, calendar):
        day -= timedelta(days=1)
    return day


def publication_date(observed: date, lag: int, *, business_days: bool = True, calendar: str = "XFED") -> date:
    """The day the observation for `observed` is published: `lag` business days later (0: the same day, rolled to a
    business day), or `lag` calendar days when `business_days` is False."""
    if not business_days:
        return observed + timedelta(days=lag)
    return add_business_days(observed, lag, calendar)


def at_new_york(day: date, hhmm: str) -> datetime:
    """`day` at `hhmm` (24-hour "HH:MM") New York time, as an aware datetime."""
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes), NEW_YORK)


def end_of_day(day: date) -> datetime:
    """The last instant of `day` in New York: a thing published at or before it was known by the end of `day`."""
    return datetime.combine(day + timedelta(days=1), time(0), NEW_YORK) - timedelta(microseconds=1)


def dates_frame(start: date, end: date, calendar: str = "XFED") -> pl.DataFrame:
    """One row per calendar day in [start, end]: `date`, `is_business_day` under `calendar` (a funding calendar's
    spine)."""
    days = pl.date_range(start, end, "1d", eager=True).alias("date")
    return pl.DataFrame({"date": days, "is_business_day": [is_business_day(d, calendar) for d in days]})


def business_days(start: date, end: date, calendar: str = "XFED") -> pl.Series:
    """The business days of `calendar` in [start, end] as a Date series (vectorised: one holiday set per year)."""
    days = pl.date_range(start, end, "1d", eager=True).alias("date")
    closed = sorted(set().union(*(_holidays(calendar, y) for y in range(start.year, end.year + 1))))
    return days.filter((days.dt.weekday() <= 5) & ~days.is_in(pl.Series(closed, dtype=pl.Date)))
