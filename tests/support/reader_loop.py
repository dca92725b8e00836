"""A reader process for the concurrency test: open the published warehouse read-only, check it, close; repeat.

Usage: python reader_loop.py WAREHOUSE OUT_JSON STOP_FILE MAX_SECONDS PAUSE_SECONDS. Writes OUT_JSON.ready after
its first read and OUT_JSON (reads, errors, run ids seen, read timestamps) when STOP_FILE appears or MAX_SECONDS
pass.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from transforms.marts_registry import MARTS
from transforms.registry import DATASETS, source_of
from warehouse.db import connect_readonly

# sources the replay snapshot holds rows for (every registered one since the OFR excerpts of 2025-06 on; a source
# without would stay empty in the demo)
RECORDED = {
    e["source"]
    for e in json.loads((Path(__file__).resolve().parents[2] / "replay" / "manifest.json").read_text())
    if e.get("rows")
}

# Marts that are rightly empty in a backtest before their first event: no reserve-management purchase round had been
# announced before 2025-12-11, so the demo's first publish (as of 2025-06-30) has none.
EMPTY_BEFORE_FIRST_EVENT = frozenset({"rmp_rounds"})


def _one(con, sql: str):
    return con.execute(sql).fetchall()[0]


def check(con) -> str:
    """Invariants of a complete, consistent publish; returns the latest run id. Raises AssertionError if broken."""
    run_id, status = _one(con, "SELECT run_id, status FROM meta.runs ORDER BY started_at DESC LIMIT 1")
    assert status == "Completed", f"latest run {run_id} is {status}"
    loads = _one(con, f"SELECT count(*) FROM meta.loads WHERE run_id = '{run_id}'")[0]
    assert loads == len(DATASETS) + len(MARTS), f"run {run_id} has {loads} loads"
    for d in DATASETS.values():
        orphans = _one(
            con, f"SELECT count(*) FROM {d.raw_table} WHERE load_id NOT IN (SELECT load_id FROM meta.loads)"
        )[0]
        assert orphans == 0, f"{d.raw_table}: {orphans} rows whose load is not in meta.loads"
        keys = ", ".join(d.key)
        core, distinct = _one(
            con,
            f"SELECT (SELECT count(*) FROM {d.core_table}), "
            f"(SELECT count(*) FROM (SELECT DISTINCT {keys} FROM {d.raw_table}))",
        )
        assert core == distinct, f"{d.core_table} has {core} rows for {distinct} keys in raw"
        assert distinct > 0 or source_of(d.name).name not in RECORDED, f"{d.raw_table} is empty"
    for mart in sorted(set(MARTS) - EMPTY_BEFORE_FIRST_EVENT):
        assert _one(con, f"SELECT count(*) FROM marts.{mart}")[0] > 0, f"marts.{mart} is empty"
    return run_id


def main(path: Path, out: Path, stop: Path, max_seconds: float, pause: float) -> None:
    """Read in a loop until told to stop; record every success and every error."""
    reads, errors, runs, stamps = 0, [], [], []
    deadline = time.monotonic() + max_seconds
    while not stop.exists() and time.monotonic() < deadline:
        try:
            con = connect_readonly(path)
            try:
                run_id = check(con)
            finally:
                con.close()
            reads += 1
            stamps.append(time.time())
            if run_id not in runs:
                runs.append(run_id)
        except Exception as exc:  # noqa: BLE001 - every failure is what the test counts
            errors.append(f"{type(exc).__name__}: {exc}"[:300])
        if reads + len(errors) == 1:
            Path(f"{out}.ready").touch()
        time.sleep(pause)  # leave the writer some CPU: the test is about correctness, not a stampede
    out.write_text(json.dumps({"reads": reads, "errors": errors, "runs": runs, "stamps": stamps}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]))
