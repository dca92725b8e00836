"""A corrupted source batch is quarantined through the real flow: the run fails naming the dataset and the rule,
what was published for it stays byte-for-byte as it was, and the other sources still land."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path
from unittest import mock

import polars as pl
import pytest
from typer.testing import CliRunner

from tests.support.flow_runs import REPLAY, warehouse_env
from warehouse.db import connect_readonly, query_pl

D = date(2025, 6, 6)
D_PLUS_7 = date(2025, 6, 13)


def corrupted_replay(tmp: Path, edit) -> Path:
    """A copy of the bundled snapshot with one file edited by `edit(path)`."""
    copy = tmp / "replay"
    shutil.copytree(REPLAY, copy)
    edit(copy)
    return copy


def negative_on_rrp(root: Path) -> None:
    """Synthetic corruption of a real file: ON RRP on 2025-06-10 (recorded 182.725, $bn) made negative."""
    path = root / "fred/fredgraph/RRPONTSYD.csv"
    path.write_text(path.read_text().replace("2025-06-10,182.725", "2025-06-10,-182.725"))


def duplicated_rate(root: Path) -> None:
    """Synthetic corruption: the 06/10/2025 SOFR row of the rates download appears twice."""
    path = root / "nyfed/rates_all.csv"
    lines = path.read_text().splitlines()
    sofr = next(line for line in lines if line.startswith("06/10/2025,SOFR,"))
    path.write_text("\n".join([lines[0], sofr, *lines[1:]]))


def run(warehouse: Path, replay: Path, as_of: date, sources: list[str] | None):
    from flows.pipeline import qtwatch_pipeline

    with warehouse_env(warehouse), mock.patch.dict(os.environ, {"QTWATCH_REPLAY_DIR": str(replay)}):
        return qtwatch_pipeline(sources=sources, replay=True, as_of=as_of, return_state=True)


def published_tables(path: Path) -> dict[str, pl.DataFrame]:
    """Every core and mart table's full content, sorted, to compare before/after."""
    con = connect_readonly(path)
    try:
        tables = con.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
            "WHERE schema_name IN ('core', 'marts') ORDER BY 1"
        ).fetchall()
        return {t: (f := query_pl(con, f"SELECT * FROM {t}")).sort(f.columns, nulls_last=True) for (t,) in tables}
    finally:
        con.close()


@pytest.fixture(scope="module")
def warehouse(prefect_harness, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("quarantine") / "qtwatch.duckdb"
    assert run(path, REPLAY, D, None).is_completed()
    return path


def test_quarantined_batch_leaves_core_and_marts_unchanged(warehouse: Path, tmp_path: Path) -> None:
    before = published_tables(warehouse)
    state = run(warehouse, corrupted_replay(tmp_path, negative_on_rrp), D_PLUS_7, ["fred"])
    assert state.is_failed()
    con = connect_readonly(warehouse)
    try:
        quarantined = con.execute("SELECT dataset, failed_rules, row_count FROM meta.quarantine").fetchall()
    finally:
        con.close()
    assert [(d, rows > 0) for d, _, rows in quarantined] == [("fred_observations", True)]
    assert any("RRPONTSYD" in rule for rule in quarantined[0][1])
    after = published_tables(warehouse)
    assert after.keys() == before.keys()
    for table, frame in before.items():
        assert after[table].equals(frame), f"{table} changed although its batch was quarantined"


def test_cli_names_dataset_and_rule_and_other_sources_still_land(warehouse: Path, tmp_path: Path) -> None:
    from qtwatch.cli import app

    replay = corrupted_replay(tmp_path, duplicated_rate)
    env = {
        "QTWATCH_WAREHOUSE": str(warehouse),
        "QTWATCH_REPLAY_DIR": str(replay),
        "QTWATCH_GX_DOCS_DIR": str(warehouse.parent / "gx_docs"),
    }
    result = CliRunner().invoke(app, ["run", "--replay", "--as-of", D_PLUS_7.isoformat()], env=env)
    assert result.exit_code == 1
    assert "nyfed_reference_rates failed validation" in result.output
    assert "key (rate_type, effective_date): unique" in result.output
    con = connect_readonly(warehouse)
    try:
        statuses = dict(
            con.execute(
                "SELECT source, status FROM meta.loads WHERE run_id = "
                "(SELECT run_id FROM meta.runs ORDER BY started_at DESC LIMIT 1) "
                "AND source <> 'marts'"
            ).fetchall()
        )
    finally:
        con.close()
    assert statuses.pop("nyfed_rates") == "quarantined"
    assert set(statuses.values()) <= {"published", "unchanged"} and "published" in statuses.values()


def task_states(flow_run_id) -> dict[str, str]:
    """Task run name -> state type of one flow run, read back from the Prefect API (what the UI shows)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    return {run.name: run.state.type.value for run in runs if run.state}


def test_the_failing_step_is_a_failed_task_in_the_ui(warehouse: Path, tmp_path: Path) -> None:
    """A quarantined batch shows as a red validate-<dataset> task; the steps around it are their own tasks."""
    state = run(warehouse, corrupted_replay(tmp_path, negative_on_rrp), D_PLUS_7, ["fred"])
    assert state.is_failed()
    states = task_states(state.state_details.flow_run_id)
    assert states["validate-fred_observations"] == "FAILED"
    assert states["extract-fred"] == "COMPLETED"
    assert "land-fred" not in states  # a quarantined batch is never landed
    assert "publish" in {name.rsplit("-", 1)[0] for name in states}
    # Nothing landed (the one source was quarantined): core and the marts are not rebuilt, and the run says why:
    # fred's marts are kept because fred failed, the others because none of their sources landed new rows.
    assert not {name for name in states if name.startswith("mart-") or name.rsplit("-", 1)[0] == "core"}
    con = connect_readonly(warehouse)
    try:
        marts = dict(
            con.execute(
                "SELECT dataset, status || ': ' || coalesce(error, '') FROM meta.loads "
                "WHERE source = 'marts' AND run_id = "
                "(SELECT run_id FROM meta.runs ORDER BY started_at DESC LIMIT 1)"
            ).fetchall()
        )
    finally:
        con.close()
    assert all(status.startswith("skipped") for status in marts.values()), marts
    assert "fred failed this run" in marts["qt_runoff_monthly"] and "fred" in marts["funding_daily"]
    assert marts["auction_health"] == "skipped: "
