"""transforms.calendar: Fed / SIFMA / federal business days from the holidays library, and each release rule's
publication time for day T (the rules and their citations are in transforms/registry.py)."""

from datetime import date, datetime, timedelta

import pytest

from transforms import calendar
from transforms.registry import SOURCES, release_of

NY = calendar.NEW_YORK


@pytest.mark.parametrize(
    ("day", "cal", "expected"),
    [
        (date(2025, 4, 18), "USGS", False),  # Good Friday: SIFMA closes the bond market
        (date(2025, 4, 18), "XFED", True),  # ... the Federal Reserve Banks are open
        (date(2026, 7, 3), "XFED", True),  # July 4 on a Saturday: the Reserve Banks open the Friday before
        (date(2026, 7, 3), "US", False),  # ... federal offices (the Treasury) close that Friday
        (date(2025, 10, 13), "XFED", False),  # Columbus Day
        (date(2025, 7, 5), "XFED", False),  # a Saturday
        (date(2025, 7, 7), "USGS", True),
    ],
    ids=[
        "good-friday-sifma",
        "good-friday-fed",
        "sat-holiday-fed",
        "sat-holiday-federal",
        "columbus",
        "saturday",
        "monday",
    ],
)
def test_business_days_follow_each_calendar(day, cal, expected):
    assert calendar.is_business_day(day, cal) is expected


def test_business_day_arithmetic_skips_weekends_and_holidays():
    assert calendar.add_business_days(date(2025, 7, 3), 1, "XFED") == date(2025, 7, 7)  # over July 4 + weekend
    assert calendar.add_business_days(date(2025, 7, 5), 0, "XFED") == date(2025, 7, 7)  # rolled forward
    assert calendar.previous_business_day(date(2025, 7, 7), "XFED") == date(2025, 7, 3)
    assert calendar.next_business_day(date(2025, 7, 2)) == date(2025, 7, 2)


def test_unknown_calendar_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="XFED, USGS, US"):
        calendar.is_business_day(date(2025, 7, 1), "LSE")


def test_dates_frame_marks_business_days():
    frame = calendar.dates_frame(date(2025, 7, 3), date(2025, 7, 7))
    assert frame["is_business_day"].to_list() == [True, False, False, False, True]


FRED = SOURCES["fred"]


RULE_CASES = [
    (release_of(FRED, "h41"), date(2025, 7, 2), datetime(2025, 7, 3, 16, 30, tzinfo=NY)),  # Wed -> Thu 4:30 pm
    (release_of(FRED, "h41"), date(2024, 7, 3), datetime(2024, 7, 5, 16, 30, tzinfo=NY)),  # Thu July 4 -> Fri
    (release_of(SOURCES["nyfed_rates"], "SOFR"), date(2025, 7, 1), datetime(2025, 7, 2, 8, 0, tzinfo=NY)),
    (release_of(SOURCES["nyfed_rates"], "SOFR"), date(2025, 4, 17), datetime(2025, 4, 21, 8, 0, tzinfo=NY)),
    (release_of(SOURCES["nyfed_rates"], "EFFR"), date(2025, 4, 17), datetime(2025, 4, 18, 9, 0, tzinfo=NY)),
    (SOURCES["dts"].release, date(2025, 7, 1), datetime(2025, 7, 2, 16, 0, tzinfo=NY)),
    (SOURCES["dts"].release, date(2026, 7, 2), datetime(2026, 7, 6, 16, 0, tzinfo=NY)),  # Fri Jul 3 closed
    (SOURCES["nyfed_repo"].release, date(2025, 7, 1), datetime(2025, 7, 1, 13, 45, tzinfo=NY)),
    (SOURCES["auctions"].release, date(2025, 7, 8), datetime(2025, 7, 8, 13, 0, tzinfo=NY)),
    (release_of(FRED, "h15"), date(2025, 7, 1), datetime(2025, 7, 1, 16, 15, tzinfo=NY)),
    (release_of(FRED, "on_rrp"), date(2025, 7, 1), datetime(2025, 7, 1, 13, 15, tzinfo=NY)),
    (release_of(FRED, "administered"), date(2025, 7, 5), datetime(2025, 7, 5, 0, 0, tzinfo=NY)),
    (release_of(FRED, "h8"), date(2025, 7, 2), datetime(2025, 7, 11, 16, 15, tzinfo=NY)),  # Wed -> Fri +9
    (release_of(FRED, "nyfed_sofr_averages"), date(2025, 7, 1), datetime(2025, 7, 1, 8, 0, tzinfo=NY)),
    (SOURCES["cftc"].release, date(2025, 4, 22), datetime(2025, 4, 25, 15, 30, tzinfo=NY)),  # Tue -> Fri
    (SOURCES["nyfed_pd"].release, date(2025, 7, 2), datetime(2025, 7, 10, 16, 15, tzinfo=NY)),  # Wed -> Thu +8
    (release_of(SOURCES["ofr_stfm"], "P"), date(2025, 7, 3), datetime(2025, 7, 7, 18, 0, tzinfo=NY)),  # July 4
    (release_of(SOURCES["ofr_stfm"], "F"), date(2025, 7, 1), datetime(2025, 10, 16, 18, 0, tzinfo=NY)),
    # a rate type the source adds later follows the later of the two stated times (EFFR's 9:00 am)
    (SOURCES["nyfed_rates"].release, date(2025, 7, 1), datetime(2025, 7, 2, 9, 0, tzinfo=NY)),
]


def test_every_source_has_a_release_rule_case():
    """RULE_CASES is a table of cited cases, not a list of sources: every registered source must have one (its own
    release or one of its groups'), so a new source fails here until its publisher's stated time is cited."""
    cased = {id(release) for release, _, _ in RULE_CASES}
    missing = [
        name
        for name, source in SOURCES.items()
        if not {id(source.release), *map(id, source.group_releases.values())} & cased
    ]
    assert missing == [], f"add a cited release-time case to RULE_CASES for {missing}"


@pytest.mark.parametrize(
    ("release", "observed", "published"),
    RULE_CASES,
    ids=[
        "h41",
        "h41-thursday-holiday",
        "sofr-t+1",
        "sofr-good-friday",
        "effr-good-friday",
        "dts-t+1",
        "dts-federal-holiday",
        "repo-same-day",
        "auction-same-day",
        "h15-same-evening",
        "on-rrp",
        "iorb-ahead",
        "h8-friday-after-next",
        "sofr-averages-same-morning",
        "cftc-friday",
        "primary-dealers-thursday-week-after",
        "ofr-preliminary-over-july-4",
        "ofr-final",
        "nyfed-new-rate-type",
    ],
)
def test_publication_time_of_each_rule(release, observed, published):
    assert release.published_at(observed) == published
    assert release.is_public(observed, published.date())
    assert not release.is_public(observed, published.date() - timedelta(days=1))


def test_every_release_rule_has_a_case_above():
    rules = [s.release for s in SOURCES.values()] + [r for s in SOURCES.values() for r in s.group_releases.values()]
    missing = [r.description or r.citation[:60] for r in rules if not any(r == case[0] for case in RULE_CASES)]
    assert not missing, f"release rules without a publication-time case: {missing}"


def test_every_release_rule_cites_its_source():
    rules = [s.release for s in SOURCES.values()] + [r for s in SOURCES.values() for r in s.group_releases.values()]
    assert all("http" in r.citation for r in rules)
