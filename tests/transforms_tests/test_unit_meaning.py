"""FRED units compared by meaning (scale + currency): respellings are one unit, a scale change is not (issue 11)."""

from datetime import date

import polars as pl
import pytest

from flows.marts import CatalogMismatch, check_units
from transforms.revisions import detect_unit_changes
from transforms.units import same_units, unit_meaning

SPELLINGS = [  # real spellings: catalog, FRED API (cassettes/PROVENANCE.md), units_short, issue 11
    ("Billions of U.S. Dollars", "Billions of US Dollars"),
    ("Billions of U.S. Dollars", "Bil. of US $"),
    ("Millions of U.S. Dollars", "Mil. of U.S. $"),
    ("Percent", "percent"),
]


@pytest.mark.parametrize(("a", "b"), SPELLINGS, ids=[b for _, b in SPELLINGS])
def test_spellings_of_one_unit_are_the_same(a: str, b: str) -> None:
    assert same_units(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Billions of US Dollars", "Millions of U.S. Dollars"),
        ("Millions of U.S. Dollars", "Millions of Euros"),
        ("Percent", "Index Apr 2, 2018 = 1"),
    ],
)
def test_another_scale_or_currency_is_another_unit(a: str, b: str) -> None:
    assert not same_units(a, b)


def test_unit_meaning_names_scale_and_currency() -> None:
    assert unit_meaning("Bil. of US $") == "USD billions"
    assert unit_meaning("Millions of U.S. Dollars") == "USD millions"


def _rows(units: str, value: float) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "series_id": ["RRPONTSYD"] * 2,
            "date": [date(2024, 6, 3), date(2024, 6, 4)],
            "value": [value, value + 1],
            "units": [units] * 2,
        }
    )


def test_respelled_units_are_no_declared_change() -> None:
    held, batch = _rows("Billions of U.S. Dollars", 400.0), _rows("Billions of US Dollars", 400.0)
    assert detect_unit_changes(held, batch).is_empty()


def test_a_real_scale_change_is_still_declared() -> None:
    held, batch = _rows("Billions of U.S. Dollars", 400.0), _rows("Millions of US Dollars", 400_000.0)
    assert detect_unit_changes(held, batch)["kind"].to_list() == ["declared"]


def test_marts_units_check_compares_by_meaning() -> None:
    catalog = pl.DataFrame({"series_id": ["RRPONTSYD"], "units": ["Billions of U.S. Dollars"]})
    check_units(_rows("Billions of US Dollars", 400.0), catalog)
    with pytest.raises(CatalogMismatch, match="RRPONTSYD"):
        check_units(_rows("Millions of US Dollars", 400.0), catalog)
