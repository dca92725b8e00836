"""Fixtures of the fault suite: one Prefect API for the cases that are not about Prefect's server, one prepared
warehouse (a full replay load), and the kill -9 series run once per session."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults_tests.harness import PREPARED_AS_OF, ROOT, case_env, run_cli

SERIES_TIMEOUT_S = 900


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory) -> Iterator[str]:
    """A Prefect API for this session (started like qtwatch's temporary server, tied to the pytest process)."""
    from flows.temp_server import SERVER_ENV, free_port, server_argv, stop, wait_healthy

    home = tmp_path_factory.mktemp("shared-prefect-home")
    port = free_port()
    env = {**case_env(home, home / "unused.duckdb"), **SERVER_ENV}
    with open(home / "server.log", "wb") as log:
        process = subprocess.Popen(server_argv(port, os.getpid()), env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/api"
    try:
        wait_healthy(url, process, 180)
        yield url
    finally:
        stop(process)


def shared_api_env(work: Path, warehouse: Path, api: str, **extra: str) -> dict[str, str]:
    """case_env() for a run on the session's Prefect API (private to the tests: writers are serialised by the
    warehouse file lock, as with qtwatch's own temporary server)."""
    return case_env(work, warehouse, PREFECT_API_URL=api, QTWATCH_OWN_PREFECT_SERVER="1", **extra)


@pytest.fixture(scope="session")
def prepared(tmp_path_factory, prefect_api) -> Path:
    """A warehouse after a full replay load as of PREPARED_AS_OF (copy it; never write it)."""
    work = tmp_path_factory.mktemp("prepared")
    warehouse = work / "qtwatch.duckdb"
    done = run_cli(["run", "--replay", "--as-of", PREPARED_AS_OF], shared_api_env(work, warehouse, prefect_api))
    assert done.returncode == 0, done.stderr[-3000:]
    return warehouse


def copy_of(prepared: Path, folder: Path) -> Path:
    """A private copy of the prepared warehouse in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(prepared, folder / "qtwatch.duckdb"))


@pytest.fixture(scope="session")
def kill_series(tmp_path_factory, prepared, prefect_api) -> dict[str, dict]:
    """Run tests/faults_tests/kill_series.py once on a copy of the prepared warehouse; its results per point."""
    work = tmp_path_factory.mktemp("kill-series")
    warehouse = copy_of(prepared, work / "wh")
    out = work / "results.json"
    env = {**shared_api_env(work, warehouse, prefect_api), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "tests.faults_tests.kill_series", str(warehouse), str(work / "logs"), str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=SERIES_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0 or not out.exists():
        pytest.fail(f"the kill series did not finish ({done.returncode}):\n{done.stderr[-3000:]}")
    results = json.loads(out.read_text())
    keep = os.environ.get("QTWATCH_FAULTS_KEEP")  # set it to keep the series' results (docs/reliability.md counts)
    if keep:
        shutil.copy(out, keep)
    return results


@pytest.fixture
def fresh_home() -> Iterator[Path]:
    """A PREFECT_HOME that has never been used."""
    home = Path(tempfile.mkdtemp(prefix="qtwatch-faults-home-"))
    yield home
    shutil.rmtree(home, ignore_errors=True)
