"""Holiday calendars from the `holidays` package, handed to the pure mart transforms as plain date lists.

- Federal Reserve (Fedwire) holidays, `holidays.financial_holidays("XFED")`: the days reserves, Treasury settlement
  and the Fed's operations do not move; a business day of marts.funding_calendar is a weekday not in this list.
- Legal holidays for tax deadlines: US federal holidays plus the District of Columbia's (Emancipation Day, April 16),
  `holidays.US(subdiv="DC")`; 26 U.S.C. 7503 moves a deadline falling on one to the next day.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import holidays

# Wide enough for every dataset qtwatch holds (SOFR starts 2018, TGA 2005) and a generation of upcoming settlements.
YEARS = range(2000, 2051)


@cache
def fed_holidays() -> list[date]:
    """Federal Reserve holidays 2000-2050 (observed dates), sorted."""
    return sorted(holidays.financial_holidays("XFED", years=YEARS))


@cache
def legal_holidays() -> list[date]:
    """US federal and District of Columbia legal holidays 2000-2050 (observed dates), sorted."""
    return sorted(holidays.US(subdiv="DC", years=YEARS))
