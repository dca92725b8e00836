"""A Prefect server on the session's PostgreSQL for one test, and the few REST calls the team tests make to it."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import requests

from flows.deployments import start_server, stop_process, wait_healthy
from tests.team_tests.conftest import Host
from tests.team_tests.postgres import Cluster, free_port

TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


@contextlib.contextmanager
def prefect_server(cluster: Cluster, h: Host, folder: Path, database: str) -> Iterator[str]:
    """A Prefect server whose database is `database` on `cluster`, for the block; its API URL. Its scheduler is off:
    the deployments' crons exist, but no scheduled run may start during a test."""
    cluster.create(database)
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = h.env(
        PREFECT_API_DATABASE_CONNECTION_URL=f"postgresql+asyncpg://postgres@127.0.0.1:{cluster.port}/{database}",
        PREFECT_HOME=str(folder / "server-home"),
    )
    env["PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED"] = "false"
    server = start_server("127.0.0.1", port, folder / "server.log", env=env)
    try:
        wait_healthy(api, timeout_s=120, process=server)
        yield api
    finally:
        stop_process(server)


def call(api: str, method: str, path: str, **body: Any) -> Any:
    response = requests.request(method, f"{api}{path}", json=body or None, timeout=15)
    response.raise_for_status()
    return response.json()


def wait_for(predicate: Callable[[], Any], timeout_s: float, what: str) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(1)
    raise AssertionError(f"timed out after {timeout_s:.0f}s waiting for {what}")


def run_deployment(api: str, flow: str, deployment: str, **parameters: Any) -> str:
    """Create a run of `flow/deployment` with `parameters`; its id."""
    found = call(api, "GET", f"/deployments/name/{flow}/{deployment}")
    return call(api, "POST", f"/deployments/{found['id']}/create_flow_run", parameters=parameters)["id"]


def state(api: str, run_id: str) -> str:
    return call(api, "GET", f"/flow_runs/{run_id}")["state"]["type"]
