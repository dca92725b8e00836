"""Build the analyst tests' demo warehouse in its own process, with reader processes querying it during the load.

Usage: python build_demo.py WORK_DIR. Run 1 (as of FIRST_AS_OF) builds WORK_DIR/qtwatch.duckdb; READERS reader
processes then query it in a loop while run 2 (a full refresh as of SECOND_AS_OF: every source's whole history
re-read, core and every mart rebuilt) publishes over it. Writes WORK_DIR/report.json: both runs' final states,
what each reader saw, and when the second load ran.

A process of its own because Prefect keeps process-wide state: a second prefect_test_harness in the pytest process
(another test folder's) fails its flow runs once this one has run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPLAY = ROOT / "replay"
READER = Path(__file__).with_name("reader_loop.py")
# Two vintages, so "what did we know on FIRST_AS_OF" has an answer; fixed dates keep the tests independent of today.
FIRST_AS_OF = date(2025, 6, 30)
SECOND_AS_OF = date(2026, 8, 31)
READERS = 2
READ_PAUSE_S = 0.1  # leave the writer some CPU: the test is about correctness, not a stampede


def _run(as_of: date, **kwargs) -> dict:
    from flows.pipeline import qtwatch_pipeline

    state = qtwatch_pipeline(replay=True, as_of=as_of, replay_dir=str(REPLAY), return_state=True, **kwargs)
    return {"type": state.type.value, "message": state.message}


def _start_readers(path: Path, work: Path) -> list[tuple[subprocess.Popen, Path]]:
    """Start the reader processes and wait (at most 60 s) until each has read once."""
    procs = []
    for i in range(READERS):
        out = work / f"reader{i}.json"
        argv = [sys.executable, str(READER), str(path), str(out), str(work / "stop"), "240", str(READ_PAUSE_S)]
        procs.append((subprocess.Popen(argv, cwd=ROOT, stderr=subprocess.PIPE, text=True), out))
    deadline = time.monotonic() + 60
    while not all(Path(f"{out}.ready").exists() for _, out in procs) and time.monotonic() < deadline:
        time.sleep(0.05)
    return procs


def _stop_readers(procs: list[tuple[subprocess.Popen, Path]], work: Path) -> list[dict]:
    (work / "stop").touch()
    reports = []
    for proc, out in procs:
        _, stderr = proc.communicate(timeout=60)
        missing = {"reads": 0, "errors": [f"reader wrote no report: {stderr[-500:]}"], "runs": [], "stamps": []}
        reports.append(json.loads(out.read_text()) if out.exists() else missing)
    return reports


def main(work: Path) -> None:
    """Both runs, the readers around the second, and the report."""
    from prefect.testing.utilities import prefect_test_harness

    path = work / "qtwatch.duckdb"
    os.environ.update(
        QTWATCH_WAREHOUSE=str(path), QTWATCH_REPLAY_DIR=str(REPLAY), QTWATCH_GX_DOCS_DIR=str(work / "gx_docs")
    )
    with prefect_test_harness(server_startup_timeout=180):  # 2 shared cores: the default 30 s is not always enough
        first = _run(FIRST_AS_OF)
        procs = _start_readers(path, work)
        try:
            started = time.time()
            second = _run(SECOND_AS_OF, full_refresh=True)
            finished = time.time()
            time.sleep(0.5)  # let every reader open the newly published file at least once
        finally:
            readers = _stop_readers(procs, work)
    report = {"first": first, "second": second, "readers": readers, "load_started": started, "load_finished": finished}
    (work / "report.json").write_text(json.dumps(report))


if __name__ == "__main__":
    os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    main(Path(sys.argv[1]))
