"""Workers on two hosts: `prefect deploy --all` registers prefect.yaml's deployments on a process work pool of a
Prefect server on PostgreSQL; a worker on each "host" (own Prefect home, own working copy of one lake) takes one run;
both runs complete and both are in the lake."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from flows.deployments import TIMEZONE, stop_process
from flows.lake_maintenance import CRON
from tests.team_tests.conftest import ROOT, Host, host
from tests.team_tests.prefect_api import TERMINAL, prefect_server, run_deployment, state, wait_for
from tests.team_tests.test_team_faults import runs_in_lake

pytestmark = [pytest.mark.slow, pytest.mark.integration]

PREFECT = str(Path(sys.executable).with_name("prefect"))
POOL = "qtwatch-process"
PIPELINE = "qtwatch-pipeline"
# docs/team.md: the weekly lake maintenance on the same work pool (prefect.yaml holds the pipeline's cadences only)
MAINTAIN = [
    "--no-prompt", "deploy", "flows/lake_maintenance.py:lake_maintenance", "--name", "lake-maintenance-weekly",
    "--pool", POOL, "--cron", CRON, "--timezone", TIMEZONE,
]  # fmt: skip


def _worker(h: Host, api: str, log: Path) -> subprocess.Popen:
    env = h.env(PREFECT_API_URL=api, QTWATCH_REPO_DIR=str(ROOT), PREFECT_WORKER_QUERY_SECONDS="2")
    with open(log, "wb") as out:
        return subprocess.Popen(
            [PREFECT, "worker", "start", "--pool", POOL, "--limit", "1", "--name", h.name],
            env=env,
            cwd=h.root,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def test_two_workers_on_two_hosts_each_take_a_run_into_one_lake(postgres, lake, tmp_path):
    a, b = host(lake, tmp_path, "host-a"), host(lake, tmp_path, "host-b")
    workers: list[subprocess.Popen] = []
    with prefect_server(postgres, a, tmp_path, "prefect_pool") as api:
        try:
            deployer = a.env(PREFECT_API_URL=api, QTWATCH_REPO_DIR=str(ROOT))
            deploy_all = ["--no-prompt", "deploy", "--all"]
            for command in (["work-pool", "create", POOL, "--type", "process"], deploy_all, MAINTAIN):
                done = subprocess.run([PREFECT, *command], env=deployer, cwd=ROOT, capture_output=True, text=True)
                assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
            workers.append(_worker(a, api, tmp_path / "worker-a.log"))
            first = run_deployment(api, PIPELINE, "nyfed-rates-morning", replay=True, sources=["nyfed_rates"])
            wait_for(lambda: state(api, first) in {"RUNNING", *TERMINAL}, 120, "host-a's worker to take the first run")
            workers.append(_worker(b, api, tmp_path / "worker-b.log"))  # host-a is busy (--limit 1): b takes the next
            second = run_deployment(api, PIPELINE, "dts-afternoon", replay=True, sources=["dts"])
            wait_for(lambda: all(state(api, r) in TERMINAL for r in (first, second)), 600, "both runs to finish")
            assert [state(api, r) for r in (first, second)] == ["COMPLETED", "COMPLETED"]
            upkeep = run_deployment(api, "qtwatch-lake-maintenance", "lake-maintenance-weekly", keep_days=0)
            wait_for(lambda: state(api, upkeep) in TERMINAL, 300, "a worker to run the lake maintenance")
            assert state(api, upkeep) == "COMPLETED"
        finally:
            for worker in workers:
                stop_process(worker, grace_s=10)
    logs = [(tmp_path / f"worker-{x}.log").read_text() for x in "ab"]
    assert first in logs[0] and second in logs[1], [log[-1500:] for log in logs]
    assert len(runs_in_lake(lake)) == 2
    assert a.working_copy.exists() and b.working_copy.exists()  # each host ran its flow on its own working copy
