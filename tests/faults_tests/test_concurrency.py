"""Two runs at once (on a brand-new Prefect home, on one warehouse), a run that waits for the writer, and readers
polling while a full load publishes."""

from __future__ import annotations

import fcntl
import json
import subprocess
import sys
import time

import pytest

from flows.temp_server import SETUP_LOCK
from tests.faults_tests.conftest import copy_of, shared_api_env
from tests.faults_tests.harness import KILL_AS_OF, QTWATCH, ROOT, case_env, inspect, leftovers, orphans_after, run_cli

pytestmark = pytest.mark.slow
RUN = ["run", "--replay", "--as-of", KILL_AS_OF, "--source", "nyfed_rates"]
READER = ROOT / "tests" / "support" / "reader_loop.py"
WAITING = "waiting for another qtwatch run to finish setting up Prefect's database"


def test_two_first_runs_at_once_on_a_fresh_prefect_home_both_complete(prepared, tmp_path, fresh_home):
    # The test holds the set-up lock until both runs wait on it, so they really start their servers (and Prefect's
    # database migration) at the same moment, however slow the machine; then lets them go.
    warehouse = copy_of(prepared, tmp_path / "wh")
    envs = [case_env(tmp_path, warehouse, PREFECT_HOME=str(fresh_home)) for _ in range(2)]
    logs = [tmp_path / f"run{i}.err" for i in range(2)]
    with open(fresh_home / SETUP_LOCK, "a") as gate:
        fcntl.flock(gate, fcntl.LOCK_EX)
        runs = [
            subprocess.Popen(
                [QTWATCH, *RUN], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=log.open("w"), text=True
            )
            for env, log in zip(envs, logs, strict=True)
        ]
        deadline = time.monotonic() + 180
        while not all(WAITING in log.read_text() for log in logs):
            alive = all(r.poll() is None for r in runs)
            assert time.monotonic() < deadline and alive, [log.read_text() for log in logs]
            time.sleep(0.1)
    outputs = [run.communicate(timeout=400)[0] for run in runs]
    for run, out, log in zip(runs, outputs, logs, strict=True):
        assert run.returncode == 0, log.read_text()[-3000:]
        assert "Traceback" not in log.read_text() + out
    state = inspect(warehouse)
    assert state["status"] == "Completed" and state["runs"] == inspect(prepared)["runs"] + 2
    assert leftovers(warehouse) == [] and all(orphans_after(env["QTWATCH_FAULT_CASE"]) == [] for env in envs)


def test_a_run_waits_for_the_writer_as_long_as_qtwatch_writer_wait_s_and_says_for_whom(prepared, prefect_api, tmp_path):
    warehouse = copy_of(prepared, tmp_path / "wh")
    with open(warehouse.with_name(f".{warehouse.name}.lock"), "a+") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        holder.write("4242\n")
        holder.flush()
        clock = time.monotonic()
        done = run_cli(RUN, shared_api_env(tmp_path, warehouse, prefect_api, QTWATCH_WRITER_WAIT_S="3"), timeout=120)
        waited = time.monotonic() - clock
    assert done.returncode == 1 and waited < 100
    assert "waiting for the warehouse writer lock" in done.stderr and "pid 4242" in done.stderr
    assert "waited 3s (QTWATCH_WRITER_WAIT_S=3)" in done.stderr and "Traceback" not in done.stderr


def test_readers_polling_during_a_full_load_never_fail_and_see_the_new_publish(prepared, prefect_api, tmp_path):
    warehouse = copy_of(prepared, tmp_path / "wh")
    readers = []
    for i in range(2):
        out = tmp_path / f"reader{i}.json"
        readers.append(
            (
                subprocess.Popen(
                    [sys.executable, str(READER), str(warehouse), str(out), str(tmp_path / "stop"), "300", "0.02"],
                    cwd=ROOT,
                    env={"PYTHONPATH": str(ROOT)},
                    stderr=subprocess.PIPE,
                    text=True,
                ),
                out,
            )
        )
    deadline = time.monotonic() + 60
    while not all(out.with_name(f"{out.name}.ready").exists() for _, out in readers):
        assert time.monotonic() < deadline, "readers never started"
        time.sleep(0.05)
    done = run_cli(["run", "--replay", "--as-of", KILL_AS_OF], shared_api_env(tmp_path, warehouse, prefect_api))
    time.sleep(0.5)
    (tmp_path / "stop").touch()
    reports = []
    for process, out in readers:
        process.communicate(timeout=60)
        reports.append(json.loads(out.read_text()))
    assert done.returncode == 0, done.stderr[-3000:]
    for report in reports:
        assert report["errors"] == [] and len(report["runs"]) == 2 and report["reads"] > 10
