"""Two hosts, one Prefect server on PostgreSQL, one lake: both hosts' runs complete, their writes are serialised by
the warehouse writer slot (a Prefect global concurrency limit), and both runs are in the lake and in the UI's API."""

from __future__ import annotations

import subprocess

import pytest

from flows.writer_slot import WRITER_LIMIT
from tests.team_tests.conftest import QTWATCH, host
from tests.team_tests.prefect_api import call, prefect_server
from tests.team_tests.test_team_faults import SMALL, runs_in_lake

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def test_two_hosts_on_one_prefect_server_on_postgresql_share_one_lake(postgres, lake, tmp_path):
    a, b = host(lake, tmp_path, "a"), host(lake, tmp_path, "b")
    with prefect_server(postgres, a, tmp_path, "prefect") as api:
        runs = [
            subprocess.Popen(
                [QTWATCH, *SMALL],
                env=h.env(PREFECT_API_URL=api),
                cwd=h.root,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for h in (a, b)
        ]
        outputs = [r.communicate(timeout=900)[0] for r in runs]
        for r, out in zip(runs, outputs, strict=True):
            assert r.returncode == 0, out[-3000:]
        assert sorted(run["state"]["type"] for run in call(api, "POST", "/flow_runs/filter")) == ["COMPLETED"] * 2
        limit = call(api, "GET", f"/v2/concurrency_limits/{WRITER_LIMIT}")
        assert limit["limit"] == 1 and limit["active_slots"] == 0
    assert len(runs_in_lake(lake)) == 2
    # whichever ran second pulled the first one's commit before it staged (under the slot), never refused
    assert any("pulled from the lake" in out for out in outputs)
