"""A mart that reads FRED declares the series it reads (its module's FRED_SERIES): it is given only those, and a
run reads only the wanted marts' series from core.fred_observations (issue 27: the catalog can hold many more)."""

import csv
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import transforms
from transforms.marts_registry import MARTS, fred_series_read

ROOT = Path(__file__).resolve().parents[2]
CATALOG = {row["series_id"] for row in csv.DictReader((ROOT / "warehouse" / "seeds" / "fred_series.csv").open())}
READS_FRED = [m for m in MARTS.values() if "fred_observations" in m.inputs]
DECLARING = [
    module
    for info in pkgutil.iter_modules(transforms.__path__)
    if hasattr(module := importlib.import_module(f"transforms.{info.name}"), "FRED_SERIES")
]


@pytest.mark.parametrize("module", DECLARING, ids=[m.__name__ for m in DECLARING])
def test_every_catalog_series_a_module_names_is_in_its_fred_series(module):
    named = set(re.findall(r'"([A-Z][A-Z0-9]{2,})"', Path(module.__file__).read_text())) & CATALOG
    assert named <= set(module.FRED_SERIES) <= CATALOG, named - set(module.FRED_SERIES)


@pytest.mark.parametrize("mart", READS_FRED, ids=[m.name for m in READS_FRED])
def test_a_mart_that_reads_fred_declares_a_modules_series(mart):
    assert mart.fred_series in [m.FRED_SERIES for m in DECLARING], f"{mart.name}: fred_series=<module>.FRED_SERIES"


def test_a_mart_without_fred_declares_none_and_the_run_reads_the_union():
    assert all(not m.fred_series for m in MARTS.values() if m not in READS_FRED)
    assert set(fred_series_read(MARTS)) == {s for m in READS_FRED for s in m.fred_series}
    assert fred_series_read(["liquidity_weekly"]) == tuple(sorted(MARTS["liquidity_weekly"].fred_series))
