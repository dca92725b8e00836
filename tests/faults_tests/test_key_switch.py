"""Issue 28 item 11: switching FRED between keyless downloads and FRED_API_KEY lands no fake revisions. The API
spells RRPONTSYD's unit "Billions of US Dollars", the catalog (keyless) "Billions of U.S. Dollars": before the fix
every switch landed a new version of each held RRPONTSYD row in the incremental window (43 per switch), values
unchanged. A revision is a change of value, not of spelling."""

from __future__ import annotations

import os
from datetime import date
from unittest import mock

import polars as pl
import pytest

from tests.support.flow_runs import read_loads, run_flow
from transforms.unit_spelling import keep_held_spelling
from warehouse.db import connect_readonly

API_KEY = "abcdefabcdef0123456789faultstest"  # synthetic, the shape of a FRED key; only the replay sees it
AS_OF = date(2025, 6, 13)


def _raw_rows(warehouse) -> int:
    con = connect_readonly(warehouse)
    try:
        return int(con.execute("SELECT count(*) FROM raw.fred_observations").fetchall()[0][0])
    finally:
        con.close()


@pytest.mark.slow
def test_switching_between_keyless_and_keyed_lands_no_fake_revisions(prefect_harness, tmp_path) -> None:
    warehouse = tmp_path / "qtwatch.duckdb"
    assert run_flow(warehouse, AS_OF, ["fred"]).status == "Completed"
    held = _raw_rows(warehouse)
    with mock.patch.dict(os.environ, {"FRED_API_KEY": API_KEY}):
        keyed = run_flow(warehouse, AS_OF, ["fred"])
    after_keyed = _raw_rows(warehouse)
    keyless = run_flow(warehouse, AS_OF, ["fred"])
    assert (keyed.status, keyless.status) == ("Completed", "Completed")
    assert after_keyed - held == 0, f"{after_keyed - held} rows landed by the switch to FRED_API_KEY"
    assert _raw_rows(warehouse) - held == 0, "rows landed by the switch back to keyless"
    assert read_loads(warehouse, keyed.run_id)["fred"]["status"] == "unchanged"


def test_a_respelled_unit_keeps_the_held_spelling_and_a_new_meaning_does_not() -> None:
    # SYNTHETIC rows: one respelled (same meaning), one with a new scale, one key not held.
    held = pl.DataFrame(
        {
            "series_id": ["RRPONTSYD", "WALCL"],
            "date": [date(2025, 6, 2)] * 2,
            "units": ["Billions of U.S. Dollars", "Millions of U.S. Dollars"],
        }
    )
    batch = pl.DataFrame(
        {
            "series_id": ["RRPONTSYD", "WALCL", "RRPONTSYD"],
            "date": [date(2025, 6, 2), date(2025, 6, 2), date(2025, 6, 3)],
            "value": [1.0, 2.0, 3.0],
            "units": ["Billions of US Dollars", "Billions of U.S. Dollars", "Billions of US Dollars"],
        }
    )
    kept = keep_held_spelling(batch, held)
    assert kept["units"].to_list() == ["Billions of U.S. Dollars", "Billions of U.S. Dollars", "Billions of US Dollars"]
    assert kept.columns == batch.columns and kept["value"].to_list() == [1.0, 2.0, 3.0]
