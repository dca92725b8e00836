"""On the demo warehouse (real recorded data): each mart that reads FRED, given only the series it declares, is the
mart it is given every held FRED series — the declarations miss nothing the recorded data feeds them."""

import pytest

from flows.marts import _fred_in_billions, read_input
from transforms.marts_registry import MARTS, _resolve
from transforms.units import round_amounts
from warehouse.db import connect_readonly

READS_FRED = [name for name, m in MARTS.items() if "fred_observations" in m.inputs]


@pytest.mark.parametrize("name", READS_FRED)
def test_a_mart_given_only_its_declared_series_is_the_mart_given_all(demo_path, name):
    mart = MARTS[name]
    with connect_readonly(demo_path) as con:
        every = [s for (s,) in con.execute("SELECT DISTINCT series_id FROM core.fred_observations").fetchall()]
        frames = {i: read_input(con, i) for i in mart.inputs if i != "fred_observations"}
        frames["fred_observations"] = _fred_in_billions(con, every)
    assert len(every) > len(mart.fred_series)  # the demo holds more series than any one mart reads
    builder = _resolve(mart.builder) if isinstance(mart.builder, str) else mart.builder
    assert mart.build(frames).equals(round_amounts(builder(frames)))
