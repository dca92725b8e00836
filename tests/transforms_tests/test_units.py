"""to_billions: catalog-driven unit conversion of core FRED rows."""

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from transforms.units import select_series, to_billions

CATALOG = pl.DataFrame(
    {
        "series_id": ["WALCL", "RRPONTSYD", "SOFR"],
        "units": ["Millions of U.S. Dollars", "Billions of U.S. Dollars", "Percent"],
        "unit_scale_bn": [0.001, 1.0, None],
    }
)
D = dt.date(2024, 1, 3)


def fred(series_ids: list[str], values: list[float | None]) -> pl.DataFrame:
    return pl.DataFrame({"series_id": series_ids, "date": [D] * len(values), "value": values})


def test_to_billions_scales_by_catalog_and_leaves_rates_null() -> None:
    out = to_billions(fred(["WALCL", "RRPONTSYD", "SOFR", "WALCL"], [7_000_000.0, 450.5, 5.31, None]), CATALOG)
    expected = fred(["WALCL", "RRPONTSYD", "SOFR", "WALCL"], [7_000_000.0, 450.5, 5.31, None]).with_columns(
        value_bn=pl.Series([7000.0, 450.5, None, None])
    )
    assert_frame_equal(out, expected)


def test_to_billions_rejects_series_missing_from_catalog() -> None:
    with pytest.raises(ValueError, match="WSHOMCB"):
        to_billions(fred(["WSHOMCB"], [1.0]), CATALOG)


def test_to_billions_rejects_dollar_series_without_scale() -> None:
    catalog = CATALOG.with_columns(
        pl.when(pl.col("series_id") == "WALCL").then(None).otherwise("unit_scale_bn").alias("unit_scale_bn")
    )
    with pytest.raises(ValueError, match="WALCL"):
        to_billions(fred(["RRPONTSYD"], [1.0]), catalog)


def test_select_series_drops_nulls_and_duplicate_dates() -> None:
    rows = pl.DataFrame(
        {"series_id": ["A", "A", "A", "B"], "date": [D, D, dt.date(2024, 1, 4), D], "value_bn": [1.0, 2.0, None, 9.0]}
    )
    assert_frame_equal(select_series(rows, "A", "a_bn"), pl.DataFrame({"date": [D], "a_bn": [2.0]}))


def test_round_amounts_rounds_only_float_bn_columns() -> None:
    from transforms.units import round_amounts

    frame = pl.DataFrame({"x_bn": [60.60899999999947], "x_pct": [4.123456789], "n_bn": [3]})
    out = round_amounts(frame)
    assert out.to_dicts() == [{"x_bn": 60.609, "x_pct": 4.123456789, "n_bn": 3}]
