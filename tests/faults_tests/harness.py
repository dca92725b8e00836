"""Helpers of the fault suite: run qtwatch as an operator would, find processes a run left behind, and inspect what
a warehouse file holds. Standard library only (duckdb loads inside `inspect`), so the kill-series driver can fork
children safely after importing it."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPLAY = ROOT / "replay"
QTWATCH = str(Path(sys.executable).with_name("qtwatch"))
MARKER = "QTWATCH_FAULT_CASE"  # every process a case starts inherits it: a survivor is an orphan
# The world before the faults (the prepared warehouse) and the later dates fault runs load.
PREPARED_AS_OF = "2025-06-30"
KILL_AS_OF = "2025-08-29"


def sha256(path: Path) -> str:
    """Hex digest of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def case_env(work: Path, warehouse: Path, **extra: str) -> dict[str, str]:
    """Environment for one case: its own warehouse, docs and report under `work`, offline Prefect, a fresh marker."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QTWATCH_", "PREFECT_"))}
    env.update(
        PREFECT_HOME=str(work / "prefect-home"),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        GX_ANALYTICS_ENABLED="false",
        QTWATCH_WAREHOUSE=str(warehouse),
        QTWATCH_REPLAY_DIR=str(REPLAY),
        QTWATCH_GX_DOCS_DIR=str(work / "gx_docs"),
        QTWATCH_REPORT_PATH=str(work / "report.html"),
        COLUMNS="200",
    )
    env[MARKER] = uuid.uuid4().hex
    env.update(extra)
    return env


def run_cli(args: list[str], env: dict[str, str], timeout: float = 240) -> subprocess.CompletedProcess:
    """`qtwatch ARGS` in a process of its own; returns code and output (never raises on a non-zero exit)."""
    return subprocess.run(
        [QTWATCH, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def processes_with(marker: str) -> list[int]:
    """PIDs of live processes whose environment carries `MARKER=marker` (zombies excluded)."""
    needle = f"{MARKER}={marker}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0") and not _zombie(entry):
                found.append(int(entry.name))
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


def orphans_after(marker: str, grace_s: float = 5.0) -> list[int]:
    """Processes still carrying `marker` once `grace_s` has passed (a parent-death signal takes a moment)."""
    deadline = time.monotonic() + grace_s
    while (alive := processes_with(marker)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


def _zombie(entry: Path) -> bool:
    return (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"


def leftovers(warehouse: Path) -> list[str]:
    """Files a write left beside the warehouse: staging copies and WALs (the lock file is meant to stay)."""
    return sorted(
        p.name
        for p in warehouse.parent.iterdir()
        if p.name.startswith(f".{warehouse.name}.building-") or p.name.endswith(".wal")
    )


def inspect(path: Path) -> dict:
    """What a published warehouse holds, and whether it is consistent: the latest run and its status, rows per raw
    table, raw rows whose load is not recorded, core rows vs distinct keys, the newest observation date."""
    import duckdb

    from transforms.registry import DATASETS
    from warehouse.db import WarehouseError, connect_readonly

    try:
        con = connect_readonly(path)
    except WarehouseError as exc:
        return {"ok": False, "error": str(exc)}
    with con:
        try:
            run = con.execute("SELECT run_id, status, as_of FROM meta.runs ORDER BY started_at DESC LIMIT 1").fetchall()
            report = {
                "ok": True,
                "run_id": run[0][0] if run else None,
                "status": run[0][1] if run else None,
                "runs": con.execute("SELECT count(*) FROM meta.runs").fetchall()[0][0],
                "rows": {},
                "unrecorded_rows": 0,
                "core_mismatch": [],
                "max_date": None,
            }
            for name, d in DATASETS.items():
                report["rows"][name] = con.execute(f"SELECT count(*) FROM {d.raw_table}").fetchall()[0][0]
                report["unrecorded_rows"] += con.execute(
                    f"SELECT count(*) FROM {d.raw_table} WHERE load_id NOT IN (SELECT load_id FROM meta.loads)"
                ).fetchall()[0][0]
                core, keys = con.execute(
                    f"SELECT (SELECT count(*) FROM {d.core_table}), (SELECT count(*) FROM "
                    f"(SELECT DISTINCT {', '.join(d.key)} FROM {d.raw_table}))"
                ).fetchall()[0]
                if core != keys:
                    report["core_mismatch"].append(name)
            newest = con.execute("SELECT max(date) FROM raw.fred_observations").fetchall()[0][0]
            report["max_date"] = newest.isoformat() if newest else None
        except duckdb.Error as exc:
            return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    return report


if __name__ == "__main__":  # python -m tests.faults_tests.harness WAREHOUSE: print inspect() as JSON
    sys.stdout.write(json.dumps(inspect(Path(sys.argv[1]))) + "\n")
