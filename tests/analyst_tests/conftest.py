"""Fixtures for the analyst tests: one demo warehouse per session, built by the real flow in replay mode, with
reader processes querying it while its second (full) load runs."""

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from unittest import mock

import pytest

# Prefect reads its home and analytics switch when it is first imported: set them before anything imports it.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="qtwatch-analyst-prefect-"))
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"

ROOT = Path(__file__).resolve().parents[2]
REPLAY = ROOT / "replay"
READER = Path(__file__).with_name("reader_loop.py")
# Two vintages, so "what did we know on FIRST_AS_OF" has an answer; fixed dates keep the tests independent of today.
FIRST_AS_OF = date(2025, 6, 30)
SECOND_AS_OF = date(2026, 8, 31)
READERS = 2
READ_PAUSE_S = 0.1


@dataclass
class Demo:
    """The demo warehouse and what the reader processes saw while its second, full-refresh load ran."""

    path: Path
    first_state: object
    second_state: object
    readers: list[dict]
    load_started: float
    load_finished: float


@pytest.fixture(scope="session")
def analyst_prefect() -> Iterator[None]:
    """One temporary Prefect API for the session (starting it costs seconds)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness():
        yield


def warehouse_env(path: Path) -> mock._patch:
    """Point qtwatch's settings at `path` (GX docs beside it) and the replay snapshot."""
    return mock.patch.dict(os.environ, {"QTWATCH_WAREHOUSE": str(path), "QTWATCH_REPLAY_DIR": str(REPLAY),
                                        "QTWATCH_GX_DOCS_DIR": str(path.parent / "gx_docs")})


def _run(as_of: date, **kwargs):
    from flows.pipeline import qtwatch_pipeline

    return qtwatch_pipeline(replay=True, as_of=as_of, replay_dir=str(REPLAY), return_state=True, **kwargs)


def _start_readers(path: Path, work: Path) -> list[tuple[subprocess.Popen, Path]]:
    """Start the reader processes and wait (at most 60 s) until each has read once."""
    procs = []
    for i in range(READERS):
        out = work / f"reader{i}.json"
        proc = subprocess.Popen([sys.executable, str(READER), str(path), str(out), str(work / "stop"), "240",
                                 str(READ_PAUSE_S)],
                                cwd=ROOT, stderr=subprocess.PIPE, text=True)
        procs.append((proc, out))
    deadline = time.monotonic() + 60
    while not all(Path(f"{out}.ready").exists() for _, out in procs) and time.monotonic() < deadline:
        time.sleep(0.05)
    return procs


def _stop_readers(procs: list[tuple[subprocess.Popen, Path]], work: Path) -> list[dict]:
    (work / "stop").touch()
    reports = []
    for proc, out in procs:
        _, stderr = proc.communicate(timeout=60)
        reports.append(json.loads(out.read_text()) if out.exists() else {"reads": 0, "errors": [stderr[-500:]],
                                                                          "runs": [], "stamps": []})
    return reports


@pytest.fixture(scope="session")
def demo(analyst_prefect, tmp_path_factory) -> Demo:
    """Run 1 (as of FIRST_AS_OF) builds the warehouse; run 2, a full refresh as of SECOND_AS_OF (every source's
    whole history re-read, core and every mart rebuilt), publishes over it while READERS processes query it in a
    loop. The result is both the demo warehouse and the concurrency evidence."""
    work = tmp_path_factory.mktemp("demo")
    path = work / "qtwatch.duckdb"
    with warehouse_env(path):
        first = _run(FIRST_AS_OF)
        procs = _start_readers(path, work)
        try:
            started = time.time()
            second = _run(SECOND_AS_OF, full_refresh=True)
            finished = time.time()
            time.sleep(0.5)  # let every reader open the newly published file at least once
        finally:
            readers = _stop_readers(procs, work)
    return Demo(path, first, second, readers, started, finished)


@pytest.fixture(scope="session")
def demo_path(demo) -> Path:
    """Path of the session's demo warehouse (read it, never write it)."""
    return demo.path
