"""The qtwatch deployments: one per source, on the cron of its release rule in the source registry (New York time,
each a margin after the source's release; the rules and their citations are in transforms/registry.py), plus a
catch-up deployment: every source every evening (20:00, weekends included) to pick up late publications, revisions
and runs missed while the machine was off; incremental windows make it cheap when nothing changed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from transforms.registry import SOURCES

if TYPE_CHECKING:
    from prefect.deployments.runner import RunnerDeployment

TIMEZONE = "America/New_York"
FLOW_NAME = "qtwatch-pipeline"
TAGS = ("qtwatch",)


@dataclass(frozen=True)
class Cadence:
    """One deployment: its name, cron (New York time), the sources it loads (None = all), the release time (New York,
    HH:MM) its runs must come after, and why it runs then."""

    name: str
    cron: str
    sources: tuple[str, ...] | None
    release_et: str
    description: str


CATCH_UP = Cadence(
    "catch-up-daily",
    "0 20 * * *",
    None,
    "16:30",
    "Every source, every evening: late publications, revisions and missed runs.",
)


def cadences() -> tuple[Cadence, ...]:
    """One cadence per registered source with a deployment (its release cron), then the catch-up."""
    return (
        *(
            Cadence(s.deployment, s.release.cron, (s.name,), s.release.time_et, s.release.description)
            for s in SOURCES.values()
            if s.deployment
        ),
        CATCH_UP,
    )


CADENCES: tuple[Cadence, ...] = cadences()


def default_parameters(cadence: Cadence, replay: bool = False) -> dict:
    """The deployment's default flow parameters (all editable per run in the UI)."""
    return {
        "sources": list(cadence.sources) if cadence.sources else None,
        "replay": replay,
        "as_of": None,
        "full_refresh": False,
        "replay_dir": None,
    }


def build_deployments(replay: bool = False, work_pool: str | None = None) -> list[RunnerDeployment]:
    """One Prefect deployment of qtwatch-pipeline per cadence; each enqueues a second run of itself (one at a time)."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
    from prefect.deployments.runner import EntrypointType
    from prefect.schedules import Cron

    from flows.pipeline import qtwatch_pipeline

    # Per-deployment limit: a slow run is not stacked on by its own next schedule (the UI shows the newcomer as
    # AwaitingConcurrencySlot). Runs of *different* deployments are serialised by the writer slot (flows/writer_slot).
    limit = ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.ENQUEUE)
    return [
        qtwatch_pipeline.to_deployment(  # type: ignore[misc] # called from sync code: a deployment, not a coroutine
            name=c.name,
            schedules=[Cron(c.cron, timezone=TIMEZONE)],
            parameters=default_parameters(c, replay),
            description=f"{c.description} Cron `{c.cron}` ({TIMEZONE}).",
            tags=[*TAGS, *(c.sources or ["all"])],
            concurrency_limit=limit,
            entrypoint_type=EntrypointType.MODULE_PATH,
            work_pool_name=work_pool,
        )
        for c in CADENCES
    ]


def maintenance_deployments(work_pool: str | None = None) -> list[RunnerDeployment]:
    """Team mode (QTWATCH_WAREHOUSE names a lake): the weekly lake maintenance; none for a warehouse file."""
    from prefect.schedules import Cron

    from flows.lake_maintenance import CRON, lake_maintenance
    from flows.settings import get_settings

    if get_settings().lake() is None:
        return []
    return [
        lake_maintenance.to_deployment(  # type: ignore[list-item] # called from sync code: a deployment, not a coroutine
            name="lake-maintenance-weekly",
            schedules=[Cron(CRON, timezone=TIMEZONE)],
            description=f"Team mode: merge the lake's small files, expire old snapshots. Cron `{CRON}` ({TIMEZONE}).",
            tags=[*TAGS, "lake"],
            work_pool_name=work_pool,
        )
    ]


def serve_deployments(replay: bool = False) -> None:
    """Register every deployment with the current Prefect API and execute their runs here until interrupted."""
    from prefect import serve

    from flows.writer_slot import ensure_writer_limit

    ensure_writer_limit()
    serve(*build_deployments(replay=replay), *maintenance_deployments(), pause_on_shutdown=False)


def start_server(host: str, port: int, log_path: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start `prefect server start` (API + UI) in the background with `env` (default: this process's), its output in
    `log_path`, analytics off, in its own process group (see `stop_process`), behind `flows.server_child` so that
    the kernel kills it when this process dies (a `kill -9` of `qtwatch serve` left the server running before)."""
    env = {
        **(os.environ if env is None else env),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_API_URL": f"http://{host}:{port}/api",
    }
    # the automations' messages link the run (`flow_run|ui_url`): rendered by the server, from its PREFECT_UI_URL
    env.setdefault("PREFECT_UI_URL", f"http://{host}:{port}")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    prefect_bin = Path(sys.executable).with_name("prefect")
    command = [
        sys.executable,
        "-m",
        "flows.server_child",
        str(os.getpid()),
        str(prefect_bin),
        "server",
        "start",
        "--host",
        host,
        "--port",
        str(port),
    ]
    with open(log_path, "ab") as log:
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)


def wait_healthy(api_url: str, timeout_s: float = 90.0, process: subprocess.Popen | None = None) -> float:
    """Poll `<api_url>/health` until it answers; return the seconds waited. Raise if it (or `process`) dies first."""
    import requests

    clock = time.monotonic()
    while time.monotonic() - clock < timeout_s:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"Prefect server exited with code {process.returncode} before it was healthy")
        try:
            if requests.get(f"{api_url}/health", timeout=2).ok:
                return time.monotonic() - clock
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"Prefect API at {api_url} not healthy after {timeout_s:.0f}s")


def stop_process(process: subprocess.Popen, grace_s: float = 15.0) -> None:
    """Stop a process started by `start_server` and its children: SIGTERM to its group, SIGKILL after `grace_s`."""
    import signal

    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace_s)
