"""Issue 28 item 1: one failing group (a FRED series, a NY Fed rate type, a CFTC contract) fails alone on a warehouse
that already holds it: named in meta.loads (`partial`) while the other groups land. Before the fix the completeness
rule saw "no rows, where N are held" and quarantined the whole batch of the source.

Reproduced as the issue says: a copy of the replay snapshot without DGS10.csv (and without the OBFR rows of the NY
Fed rates download and the 5-year note contract 044601 of the 2026 CFTC file), a run as of 2026-07-01 on a warehouse
loaded from the full snapshot as of 2026-06-15."""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from flows import groups
from tests.support.flow_runs import REPLAY, read_loads, run_flow
from warehouse.db import connect_readonly

pytestmark = pytest.mark.slow

SOURCES = ["fred", "nyfed_rates", "cftc"]  # sources: chosen, one per kind of group with a recorded group to drop
BASE_AS_OF, RUN_AS_OF = date(2026, 6, 15), date(2026, 7, 1)
LEFT_OUT = {"fred": "DGS10", "nyfed_rates": "OBFR", "cftc": "044601"}  # sources: chosen, SOURCES' dropped groups
TABLES = {  # sources: chosen, where SOURCES' groups are held
    "fred": ("fred_observations", "series_id"),
    "nyfed_rates": ("nyfed_reference_rates", "rate_type"),
    "cftc": ("cftc_tff", "cftc_contract_market_code"),
}


def _snapshot_without_groups(folder: Path) -> Path:
    """A copy of the replay snapshot without one group of each grouped source."""
    snapshot = folder / "replay"
    shutil.copytree(REPLAY, snapshot)
    (snapshot / "fred" / "fredgraph" / "DGS10.csv").unlink()
    rates = snapshot / "nyfed" / "rates_all.csv"
    rates.write_text(
        "".join(line for line in rates.read_text().splitlines(keepends=True) if line.split(",")[1:2] != ["OBFR"])
    )
    cftc = snapshot / "cftc" / "fut_fin_txt_2026.zip"
    with zipfile.ZipFile(cftc) as archive:
        member = archive.namelist()[0]
        lines = archive.read(member).splitlines(keepends=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, b"".join(line for line in lines if b",044601," not in line))
    cftc.write_bytes(buffer.getvalue())
    return snapshot


def _count(warehouse: Path, sql: str) -> int:
    con = connect_readonly(warehouse)
    try:
        return int(con.execute(sql).fetchall()[0][0])
    finally:
        con.close()


@pytest.fixture(scope="module")
def outcome(prefect_harness, tmp_path_factory):
    """(warehouse, loads of the run without the three groups, raw counts before per (source, in-group))."""
    folder = tmp_path_factory.mktemp("group-failures")
    warehouse = folder / "qtwatch.duckdb"
    assert run_flow(warehouse, BASE_AS_OF, SOURCES).status == "Completed"
    before = {
        s: _count(warehouse, f"SELECT count(*) FROM raw.{t} WHERE {c} <> '{LEFT_OUT[s]}'")
        for s, (t, c) in TABLES.items()
    }
    import os
    from unittest import mock

    from flows.pipeline import qtwatch_pipeline

    snapshot = _snapshot_without_groups(folder)
    env = {"QTWATCH_WAREHOUSE": str(warehouse), "QTWATCH_GX_DOCS_DIR": str(folder / "gx_docs")}
    with mock.patch.dict(os.environ, env):
        state = qtwatch_pipeline(
            sources=SOURCES, replay=True, as_of=RUN_AS_OF, replay_dir=str(snapshot), return_state=True
        )
    con = connect_readonly(warehouse)
    try:
        run_id = con.execute("SELECT run_id FROM meta.runs ORDER BY started_at DESC LIMIT 1").fetchall()[0][0]
    finally:
        con.close()
    return warehouse, state, read_loads(warehouse, run_id), before


@pytest.mark.parametrize("source", SOURCES)
def test_a_group_failing_alone_is_named_and_the_rest_lands(outcome, source: str) -> None:
    warehouse, state, loads, before = outcome
    load = loads[source]
    assert load["status"] == "partial", (source, load["status"], load["error"])
    assert LEFT_OUT[source] in load["error"] and "are held" in load["error"]
    table, column = TABLES[source]
    after = _count(warehouse, f"SELECT count(*) FROM raw.{table} WHERE {column} <> '{LEFT_OUT[source]}'")
    assert after > before[source], f"{source}: the other groups landed nothing new"
    assert _count(warehouse, f"SELECT count(*) FROM meta.quarantine WHERE load_id = '{load['load_id']}'") == 0
    assert state.is_failed() and f"{source} partial" in state.message  # the run still says what failed


def test_the_left_out_group_keeps_what_was_held(outcome) -> None:
    warehouse, _, _, _ = outcome
    assert _count(warehouse, "SELECT count(*) FROM core.fred_observations WHERE series_id = 'DGS10'") > 10_000


def test_a_required_group_missing_still_fails_the_source() -> None:
    # SYNTHETIC coverage: WALCL (required) held and absent from a batch that brought SOFR.
    coverage = pl.DataFrame(
        {
            "grp": ["WALCL", "SOFR"],
            "held_rows": [3, 5],
            "batch_rows": [0, 5],
            "held_first": [date(2026, 6, 3)] * 2,
            "held_last": [date(2026, 6, 17)] * 2,
        }
    )
    frame = pl.DataFrame({"series_id": ["SOFR"]})
    catalog = pl.DataFrame({"series_id": ["WALCL", "SOFR"], "required": [True, False]})
    with pytest.raises(groups.RequiredGroupMissing, match="WALCL .required by the marts."):
        groups.left_out(coverage, frame, "series_id", {}, catalog)
    assert list(groups.left_out(coverage, frame, "series_id", {}, catalog.head(0))) == ["WALCL"]
    assert groups.left_out(coverage, frame.head(0), "series_id", {}, None) == {}  # an empty batch: judged whole
