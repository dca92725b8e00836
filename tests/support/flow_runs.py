"""Fixtures for the spine tests: fast HTTP policies, replay sessions, a Prefect test harness and flow runs."""

import dataclasses
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from unittest import mock

import polars as pl
import requests

# Prefect reads its home and analytics switch when it is first imported: set them before any test imports it.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="qtwatch-spine-prefect-"))
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"

from flows.http import make_session  # noqa: E402
from flows.replay import ReplayAdapter  # noqa: E402
from transforms.registry import DATASETS, LINEAGE, HttpPolicy  # noqa: E402
from warehouse.db import connect_readonly, query_pl  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
REPLAY = ROOT / "replay"
FIXTURES = ROOT / "tests" / "fixtures"
# No pacing, no backoff: tests must not sleep unless the behaviour under test is a wait.
FAST = HttpPolicy(
    "test", "http://test.invalid/", "test_url", min_interval_s=0.0, retries=2, backoff_factor=0.0, timeout_s=5.0
)


def fast_policy(**changes) -> HttpPolicy:
    """FAST with some fields replaced (retries, timeout_s, ...)."""
    return dataclasses.replace(FAST, **changes)


def replay_session(as_of: date | None) -> tuple[requests.Session, ReplayAdapter]:
    """A session served by the replay adapter as of `as_of`, and the adapter (it records `.requests`)."""
    adapter = ReplayAdapter(REPLAY, as_of)
    return make_session(FAST, "qtwatch-tests", adapter=adapter), adapter


# prefect_harness lives in tests/conftest.py: one per pytest process (a second one breaks Prefect's clients).


@contextmanager
def warehouse_env(path: Path) -> Iterator[None]:
    """Point qtwatch's settings at `path` (and its GX docs beside it) for the duration of the block."""
    env = {
        "QTWATCH_WAREHOUSE": str(path),
        "QTWATCH_REPLAY_DIR": str(REPLAY),
        "QTWATCH_GX_DOCS_DIR": str(path.parent / "gx_docs"),
    }
    with mock.patch.dict(os.environ, env):
        yield


@dataclass
class FlowRun:
    """One finished flow run: its Prefect state and the qtwatch run id it recorded in meta.runs."""

    state: object
    run_id: str
    status: str


def run_flow(warehouse: Path, as_of: date, sources: list[str], **kwargs) -> FlowRun:
    """Run the real flow in replay mode into `warehouse`; a failed run is returned, not raised."""
    from flows.pipeline import qtwatch_pipeline

    with warehouse_env(warehouse):
        state = qtwatch_pipeline(
            sources=sources, replay=True, as_of=as_of, replay_dir=str(REPLAY), return_state=True, **kwargs
        )
    con = connect_readonly(warehouse)
    try:
        run_id, status = con.execute(
            "SELECT run_id, status FROM meta.runs ORDER BY started_at DESC LIMIT 1"
        ).fetchall()[0]
    finally:
        con.close()
    return FlowRun(state, run_id, status)


def content_columns(con, dataset: str) -> list[str]:
    """The raw table's columns without lineage (what a version *says*, not when or how it was fetched)."""
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'raw' AND table_name = ? ORDER BY column_index",
        [dataset],
    ).fetchall()
    return [r[0] for r in rows if r[0] not in LINEAGE]


def read_raw(path: Path, *, latest_only: bool = False) -> dict[str, pl.DataFrame]:
    """Every raw dataset's rows (or latest version per key) without lineage, sorted on every column."""
    con = connect_readonly(path)
    try:
        frames = {}
        for name, dataset in DATASETS.items():
            columns = content_columns(con, name)
            table = dataset.core_table if latest_only else dataset.raw_table
            frame = query_pl(con, f"SELECT {', '.join(columns)} FROM {table}")
            frames[name] = frame.sort(columns, nulls_last=True)
        return frames
    finally:
        con.close()


def read_loads(path: Path, run_id: str) -> dict[str, dict]:
    """meta.loads rows of one run's sources, by source (the marts' rows are left out: they have their own tests)."""
    con = connect_readonly(path)
    try:
        frame = query_pl(con, "SELECT * FROM meta.loads WHERE run_id = ? AND source <> 'marts'", [run_id])
    finally:
        con.close()
    return {row["source"]: row for row in frame.iter_rows(named=True)}
