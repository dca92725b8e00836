"""SIGTERM, SIGINT and kill -9 of `qtwatch run` on its own temporary Prefect server: one line, the right exit code,
nothing published, no staging file left, and the server (its child) never outlives it."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.faults_tests.conftest import copy_of
from tests.faults_tests.harness import KILL_AS_OF, QTWATCH, ROOT, case_env, leftovers, orphans_after, sha256

pytestmark = pytest.mark.slow
RUN = ["run", "--replay", "--as-of", KILL_AS_OF, "--source", "nyfed_rates"]


def start(env: dict[str, str], work: Path) -> tuple[subprocess.Popen, Path]:
    """`qtwatch run` in the background, its stderr going to a file the test can watch."""
    err = work / "stderr.log"
    handle = open(err, "w")  # noqa: SIM115 - the child owns it until it exits
    process = subprocess.Popen([QTWATCH, *RUN], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=handle, text=True)
    handle.close()
    return process, err


def wait_for(text: str, log: Path, process: subprocess.Popen, timeout_s: float = 180) -> None:
    deadline = time.monotonic() + timeout_s
    while text not in log.read_text():
        assert process.poll() is None and time.monotonic() < deadline, f"never saw {text!r}:\n{log.read_text()}"
        time.sleep(0.05)


@pytest.mark.parametrize(
    ("how", "signum"),
    [
        ("land-nyfed_rates:TERM", signal.SIGTERM),
        ("mart-funding_daily:INT", signal.SIGINT),
        ("external-TERM-while-loading", signal.SIGTERM),
    ],
    ids=["sigterm-after-landing", "sigint-while-building-marts", "sigterm-from-outside"],
)
def test_a_signal_during_a_load_stops_it_in_one_line_and_publishes_nothing(prepared, tmp_path, how, signum):
    warehouse = copy_of(prepared, tmp_path / "wh")
    before = sha256(warehouse)
    extra = {} if how.startswith("external") else {"QTWATCH_FAULT_AT": how}
    env = case_env(tmp_path, warehouse, **extra)
    process, err = start(env, tmp_path)
    if how.startswith("external"):
        wait_for("nyfed_rates: fetched", err, process)
        process.send_signal(signum)
    out, _ = process.communicate(timeout=120)
    stderr = err.read_text()
    assert process.returncode == 128 + signum, stderr[-2000:]
    assert f"run interrupted by {signal.Signals(signum).name}: nothing was published" in stderr
    assert "Traceback" not in stderr + out and "Query interrupted" not in stderr
    assert "Completed" not in out  # never the previous run's table
    assert sha256(warehouse) == before and leftovers(warehouse) == []
    assert orphans_after(env["QTWATCH_FAULT_CASE"]) == []


def test_kill_9_of_qtwatch_takes_its_temporary_prefect_server_with_it(prepared, tmp_path):
    warehouse = copy_of(prepared, tmp_path / "wh")
    before = sha256(warehouse)
    env = case_env(tmp_path, warehouse)
    process, err = start(env, tmp_path)
    wait_for("nyfed_rates: fetched", err, process)
    process.kill()
    process.communicate(timeout=60)
    assert orphans_after(env["QTWATCH_FAULT_CASE"]) == []
    assert sha256(warehouse) == before


def test_kill_9_of_qtwatch_serve_takes_its_prefect_server_with_it(tmp_path):
    from flows.temp_server import free_port

    env = case_env(tmp_path, tmp_path / "wh" / "qtwatch.duckdb")
    log = tmp_path / "serve.log"
    with open(log, "w") as handle:
        process = subprocess.Popen(
            [QTWATCH, "serve", "--replay", "--port", str(free_port())],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        wait_for("Prefect UI ready", log, process)
    finally:
        process.kill()
        process.communicate(timeout=60)
    assert orphans_after(env["QTWATCH_FAULT_CASE"], grace_s=10) == [], log.read_text()[-2000:]
