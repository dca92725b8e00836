"""A keyed FRED run works offline end to end: the replay serves the FRED API (issue 11), every catalog series it
recorded lands (issue 23's unrecorded H.4.1 lines, replay/fred/not_recorded.json, come back with no observations),
FRED's own units spellings pass the suite and do not count as a unit change against a keyless history."""

import os
from datetime import date
from pathlib import Path
from unittest import mock

import pytest

from flows.sources.fred import not_recorded
from tests.support.flow_runs import read_loads, run_flow
from warehouse.db import connect_readonly

REPLAY = Path(__file__).resolve().parents[2] / "replay"
API_KEY = "abcdefabcdef0123456789spinetests"  # synthetic, the shape of a FRED key
AS_OF = date(2025, 6, 13)
KEYED_AS_OF = date(2025, 6, 20)  # a week later: new observations arrive through the API (issue 28.11: held rows
# whose only change is the units' spelling are not landed again, so the keyed run needs new days to show its units)


def _rows(path, sql: str) -> list[tuple]:
    con = connect_readonly(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def keyed_after_keyless(prefect_harness, tmp_path_factory):
    """A keyless FRED run, then a keyed one on the same warehouse; returns (warehouse, keyed run)."""
    warehouse = tmp_path_factory.mktemp("keyed") / "qtwatch.duckdb"
    keyless = run_flow(warehouse, AS_OF, ["fred"])
    assert keyless.status == "Completed"
    before = _rows(warehouse, "SELECT count(*) FROM raw.fred_observations WHERE series_id = 'RRPONTSYD'")[0][0]
    with mock.patch.dict(os.environ, {"FRED_API_KEY": API_KEY}):
        keyed = run_flow(warehouse, KEYED_AS_OF, ["fred"])
    return warehouse, keyed, before


def test_keyed_replay_run_lands_every_series(keyed_after_keyless):
    warehouse, keyed, _ = keyed_after_keyless
    assert keyed.status == "Completed"
    load = read_loads(warehouse, keyed.run_id)["fred"]
    assert load["status"] in ("published", "unchanged") and load["error"] is None
    catalog = {s for (s,) in _rows(warehouse, "SELECT series_id FROM ref.fred_series")}
    landed = {s for (s,) in _rows(warehouse, "SELECT DISTINCT series_id FROM core.fred_observations")}
    assert landed == catalog - set(not_recorded(REPLAY))


def test_keyed_run_keeps_freds_units_and_reloads_no_history(keyed_after_keyless):
    warehouse, keyed, before = keyed_after_keyless
    units = _rows(
        warehouse,
        f"SELECT DISTINCT units FROM raw.fred_observations WHERE series_id = 'RRPONTSYD' "
        f"AND load_id = '{keyed.run_id}-fred'",
    )
    assert units == [("Billions of US Dollars",)]
    newest_held = _rows(
        warehouse,
        f"SELECT max(date) FROM raw.fred_observations WHERE series_id = 'RRPONTSYD' "
        f"AND load_id <> '{keyed.run_id}-fred'",
    )[0][0]
    assert (
        newest_held <= AS_OF
        and _rows(
            warehouse,
            f"SELECT count(*) FROM raw.fred_observations WHERE series_id = "
            f"'RRPONTSYD' AND load_id = '{keyed.run_id}-fred' AND date <= "
            f"DATE '{newest_held}'",
        )[0][0]
        == 0
    )  # no respelled row landed again
    # A respelling is no declared unit change: only the incremental window is re-read, not the full history again.
    after = _rows(warehouse, "SELECT count(*) FROM raw.fred_observations WHERE series_id = 'RRPONTSYD'")[0][0]
    assert after - before < 100
    assert _rows(warehouse, "SELECT count(*) FROM meta.quarantine")[0][0] == 0
