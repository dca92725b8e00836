"""A mart that reads FRED declares the series it reads (its module's FRED_SERIES): it is given only those, and a
run reads only the wanted marts' series from core.fred_observations (issue 27: the catalog can hold many more)."""

import csv
import importlib
import re
from pathlib import Path

import pytest

from transforms.marts_registry import MARTS, fred_series_read

ROOT = Path(__file__).resolve().parents[2]
CATALOG = {row["series_id"] for row in csv.DictReader((ROOT / "warehouse" / "seeds" / "fred_series.csv").open())}
READS_FRED = [m for m in MARTS.values() if "fred_observations" in m.inputs]


def builder_module(mart) -> str:
    """The transforms module whose FRED_SERIES the mart declares (the registry passes module.FRED_SERIES)."""
    registry = (ROOT / "transforms" / "marts_registry.py").read_text()
    start = registry.index(f'        "{mart.name}",\n')
    found = re.search(r"fred_series=(\w+)\.FRED_SERIES", registry[start:])
    assert found, f"{mart.name} reads fred_observations but declares no fred_series"
    return f"transforms.{found.group(1)}"


@pytest.mark.parametrize("mart", READS_FRED, ids=[m.name for m in READS_FRED])
def test_every_catalog_series_a_mart_module_names_is_declared(mart):
    module = importlib.import_module(builder_module(mart))
    named = set(re.findall(r'"([A-Z][A-Z0-9]{2,})"', Path(module.__file__).read_text())) & CATALOG
    assert mart.fred_series == module.FRED_SERIES and named <= set(mart.fred_series), named - set(mart.fred_series)


def test_a_mart_without_fred_declares_none_and_the_run_reads_the_union():
    assert all(not m.fred_series for m in MARTS.values() if m not in READS_FRED)
    assert set(fred_series_read(MARTS)) == {s for m in READS_FRED for s in m.fred_series} <= CATALOG
    assert fred_series_read(["liquidity_weekly"]) == tuple(sorted(MARTS["liquidity_weekly"].fred_series))
