"""Prefect's temporary API server for one `qtwatch run`, started by qtwatch and tied to its life.

Left to itself, Prefect starts the server (`SubprocessASGIServer`: uvicorn, ~200 MB) on the first API call and stops
it from `atexit`, so a `kill -9` of qtwatch (or an out-of-memory kill) leaves it running forever under PID 1. Here
qtwatch starts the same uvicorn command itself through `flows.server_child`, which asks the kernel to SIGKILL the
server when qtwatch dies (`prctl(PR_SET_PDEATHSIG)`), and stops it on every normal exit path. Start-up (which runs
Prefect's database migrations) is serialised per PREFECT_HOME with a file lock, so two first runs on a fresh home
do not collide in the migration.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

# Marks the API as this run's own: nothing else can share it (flows.writer_slot then relies on the file lock).
OWN_SERVER_ENV = "QTWATCH_OWN_PREFECT_SERVER"
SETUP_LOCK = ".qtwatch-server-setup.lock"
# Prefect's own ephemeral-server environment: no UI, ephemeral mode (its background services stay off).
SERVER_ENV = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}


class ServerStartError(RuntimeError):
    """Prefect's temporary server did not become healthy; the message has the last lines it printed."""


@contextlib.contextmanager
def temporary_server(
    timeout_s: float = 120.0,
    on_wait: Callable[[str], None] | None = None,
    while_starting: Callable[[], None] | None = None,
) -> Iterator[str | None]:
    """Point Prefect at a temporary server that cannot outlive this process; yield its API URL (None, and nothing
    started, when PREFECT_API_URL already names a server). `while_starting` runs in this process while the server
    starts in its own (e.g. the run's heavy imports: seconds of CPU that then cost no waiting)."""
    from prefect.settings import PREFECT_API_URL, PREFECT_HOME, temporary_settings

    if PREFECT_API_URL.value():
        yield None
        return
    home = Path(PREFECT_HOME.value())
    with _setup_lock(home, on_wait or (lambda _message: None)):
        process, url = _start(home)
        try:
            if while_starting is not None:
                while_starting()
            wait_healthy(url, process, timeout_s)
        except BaseException:
            stop(process)
            raise
    previous = os.environ.get(OWN_SERVER_ENV)
    os.environ[OWN_SERVER_ENV] = "1"
    try:
        with temporary_settings(updates={PREFECT_API_URL: url, **_no_heartbeats()}):
            try:
                yield url
            finally:
                _drain()
    finally:
        stop(process)
        if previous is None:
            os.environ.pop(OWN_SERVER_ENV, None)


def _no_heartbeats() -> dict[Any, None]:
    """Flow-run heartbeats off on a server that lives only as long as this run, unless the user set them.

    Heartbeats let a long-lived server mark a flow run whose process died as crashed; this server dies with the
    process, so nobody is left to read them. Prefect's heartbeat thread sleeps in whole seconds and the engine joins
    it when the flow ends: every run waited up to a second (half a second on average) for nothing."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, get_current_settings

    flows = get_current_settings().flows
    chosen = {"PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "PREFECT_RUNNER_HEARTBEAT_FREQUENCY"} & set(
        os.environ
    ) or flows.heartbeat_frequency != type(flows).model_fields["heartbeat_frequency"].default  # a profile
    return {} if chosen else {PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}


def _drain() -> None:
    """Send the logs and events still queued (at most 5 s each) while the server is up to take them."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        with contextlib.suppress(Exception):  # a worker that never started or cannot reach the server
            worker.drain_all(timeout=5, at_exit=False)


def stop(process: subprocess.Popen) -> None:
    """Stop the server: SIGTERM, then SIGKILL after 5 s; always reaped."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def _setup_lock(home: Path, on_wait: Callable[[str], None]) -> Iterator[None]:
    """Hold an exclusive lock on PREFECT_HOME while a server starts (and migrates its database)."""
    home.mkdir(parents=True, exist_ok=True)
    with open(home / SETUP_LOCK, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            clock = time.monotonic()
            on_wait(f"waiting for another qtwatch run to finish setting up Prefect's database in {home}")
            fcntl.flock(handle, fcntl.LOCK_EX)
            on_wait(f"Prefect's database is ready (waited {time.monotonic() - clock:.1f}s)")
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _start(home: Path) -> tuple[subprocess.Popen, str]:
    """Launch uvicorn serving Prefect's API on a free local port, as a child that dies with this process."""
    port = free_port()
    log = open(home / "qtwatch-temporary-server.log", "ab")  # noqa: SIM115 - the child keeps it; closed below
    try:
        process = subprocess.Popen(
            server_argv(port, os.getpid()),
            env=server_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    finally:
        log.close()
    return process, f"http://127.0.0.1:{port}/api"


def server_argv(port: int, parent_pid: int) -> list[str]:
    """The command Prefect's SubprocessASGIServer runs, behind the launcher that ties it to `parent_pid`."""
    import prefect

    return [
        sys.executable,
        "-m",
        "flows.server_child",
        str(parent_pid),
        sys.executable,
        "-m",
        "uvicorn",
        "--app-dir",
        str(prefect.__module_path__.parent),
        "--factory",
        "prefect.server.api.server:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "error",
        "--lifespan",
        "on",
    ]


def server_env() -> dict[str, str]:
    """The environment Prefect gives its temporary server: ours, its current settings, UI and services off."""
    from prefect.settings import get_current_settings

    return {**os.environ, **SERVER_ENV, **get_current_settings().to_environment_variables(exclude_unset=True)}


def wait_healthy(url: str, process: subprocess.Popen, timeout_s: float) -> None:
    """Return once `url`/health answers 200; ServerStartError if the process exits or `timeout_s` passes."""
    deadline = time.monotonic() + timeout_s
    with httpx.Client(timeout=2.0) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise ServerStartError(
                    f"Prefect's temporary server exited with code {process.returncode} while "
                    f"starting; see qtwatch-temporary-server.log in PREFECT_HOME"
                )
            with contextlib.suppress(httpx.HTTPError):
                if client.get(f"{url}/health").status_code == 200:
                    return
            time.sleep(0.1)
    raise ServerStartError(f"Prefect's temporary server was not healthy after {timeout_s:.0f}s")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
