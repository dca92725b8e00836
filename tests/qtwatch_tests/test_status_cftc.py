"""`qtwatch status` freshness of the CFTC source: Tuesday positions count as due once their Friday release is out."""

from datetime import date

import pytest

from transforms.registry import SOURCES
from warehouse.status import expected_latest


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        (date(2026, 11, 27), date(2026, 11, 17)),  # Friday: that day's 15:30 release is not counted until the next day
        (date(2026, 11, 28), date(2026, 11, 24)),  # Saturday: Friday's release (positions of Tuesday 24th) is due
        (date(2026, 12, 1), date(2026, 11, 24)),
    ],  # the following Tuesday
    ids=["friday", "saturday", "tuesday"],
)
def test_expected_report_is_the_last_tuesday_released_before_the_reference(reference, expected):
    assert expected_latest(SOURCES["cftc"].release, reference) == expected


def test_h41_weekly_rule_is_unchanged():
    release = SOURCES["fred"].release
    assert expected_latest(release, date(2026, 11, 27)) == date(2026, 11, 25)  # Thursday's 16:30 release counted
    assert expected_latest(release, date(2026, 11, 26)) == date(2026, 11, 18)
