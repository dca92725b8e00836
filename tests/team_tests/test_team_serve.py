"""The operator's commands in team mode: `qtwatch serve --no-server` against a Prefect server on PostgreSQL serves
the pipeline's deployments and the weekly lake maintenance, and both kinds of run complete into the lake;
`qtwatch alerts` sets up its block and automations there; `qtwatch deployments --check` and `qtwatch doctor` (on
local fakes serving real recorded bodies) work with QTWATCH_WAREHOUSE naming a lake, and doctor writes nothing."""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from flows.deployments import CADENCES, stop_process
from qtwatch.cli import app
from tests.team_tests.conftest import QTWATCH, ROOT, host
from tests.team_tests.prefect_api import TERMINAL, call, prefect_server, run_deployment, state, wait_for
from tests.team_tests.test_team_faults import SMALL, runs_in_lake
from warehouse import lake as lakes

pytestmark = [pytest.mark.slow, pytest.mark.integration]

MAINTENANCE = ("qtwatch-lake-maintenance", "lake-maintenance-weekly")


def _deployments(api: str) -> set[tuple[str, str]]:
    flows = {f["id"]: f["name"] for f in call(api, "POST", "/flows/filter")}
    return {(flows[d["flow_id"]], d["name"]) for d in call(api, "POST", "/deployments/filter")}


def test_serve_alerts_and_maintenance_on_a_prefect_server_on_postgresql(postgres, lake, tmp_path):
    a = host(lake, tmp_path, "a")
    a.ok(*SMALL)  # the lake exists before the served runs
    served = None
    with prefect_server(postgres, a, tmp_path, "prefect_serve") as api:
        try:
            alerts = a.ok("alerts", PREFECT_API_URL=api, QTWATCH_ALERT_WEBHOOK_URL="http://127.0.0.1:9/qtwatch-hook")
            assert "send to the" in alerts and "qtwatch-alerts" in alerts, alerts
            with open(tmp_path / "serve.log", "wb") as out:
                served = subprocess.Popen(
                    [QTWATCH, "serve", "--no-server", "--replay"],
                    env=a.env(PREFECT_API_URL=api),
                    cwd=a.root,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            wanted = {("qtwatch-pipeline", c.name) for c in CADENCES} | {MAINTENANCE}
            wait_for(lambda: wanted <= _deployments(api), 180, "serve to register every deployment")
            pipeline = run_deployment(api, "qtwatch-pipeline", "dts-afternoon")
            wait_for(lambda: state(api, pipeline) in TERMINAL, 600, "the served pipeline run")
            maintenance = run_deployment(api, *MAINTENANCE, keep_days=0)
            wait_for(lambda: state(api, maintenance) in TERMINAL, 300, "the served maintenance run")
            assert [state(api, r) for r in (pipeline, maintenance)] == ["COMPLETED", "COMPLETED"]
        finally:
            if served is not None:
                stop_process(served, grace_s=20)
    log = (tmp_path / "serve.log").read_text()
    assert "lake maintained: data files" in log, log[-3000:]
    assert len(runs_in_lake(lake)) == 2  # the seeding run and the served one, both published to the lake


def test_deployments_check_works_with_a_lake(lake, tmp_path):
    a = host(lake, tmp_path, "a")
    done = a.qtwatch("deployments", "--check", "--path", str(ROOT / "prefect.yaml"))
    assert done.returncode == 0 and "matches the registry" in done.stdout, done.stdout + done.stderr


def test_doctor_works_with_a_lake_and_writes_nothing(lake, fake_host, httpserver: HTTPServer, tmp_path: Path):
    env = {
        **fake_host(None, fixtures=True).on_wire(httpserver),
        "QTWATCH_WAREHOUSE": lake.url,
        "QTWATCH_LAKE_DATA_PATH": str(lake.data_path) + "/",
        "QTWATCH_LAKE_WORKDIR": str(tmp_path / "work"),
    }
    with mock.patch.dict(os.environ, env), mock.patch("flows.doctor.date") as fake_date:
        fake_date.today.return_value = date(2026, 2, 6)  # the NY Fed recordings' last day
        result = CliRunner().invoke(app, ["doctor", "--timeout", "5"])
    assert result.exit_code == 0, result.output
    assert "qtwatch doctor" in result.output and "nyfed_repo" in result.output
    with pytest.raises(lakes.LakeMissing):
        lakes.connect_readonly(lakes.Lake(lake.url))
    assert not (tmp_path / "work").exists() and not lake.data_path.exists()
