"""Operator commands of the qtwatch CLI (serve): registered on the Typer app by `register`.

Prefect is imported inside the command, so `qtwatch --help` stays fast.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    import subprocess


def register(app: typer.Typer) -> None:
    """Add this module's commands to `app`."""
    app.command()(serve)
    app.command()(alerts)
    app.command()(maintain)


def maintain(
    keep_days: Annotated[
        int, typer.Option("--keep-days", min=0, help="Keep the snapshots of the last N days (time travel by run id).")
    ] = 90,
    warehouse: Annotated[
        str | None,
        typer.Option(
            "--warehouse",
            metavar="LAKE",
            help="The lake, ducklake:postgres:<conninfo> (default: QTWATCH_WAREHOUSE).",
        ),
    ] = None,
) -> None:
    """Team mode: merge the lake's small files and expire old snapshots (the weekly deployment does it too)."""
    from flows.lake_maintenance import maintain_lake
    from qtwatch import errors
    from warehouse.base import WarehouseError

    if warehouse is not None:  # the flow's helpers read the settings: the option becomes the setting
        os.environ["QTWATCH_WAREHOUSE"] = warehouse
    try:
        done = maintain_lake(keep_days)
    except WarehouseError as exc:
        raise errors.fail(str(exc)) from None
    if done is None:
        raise errors.fail(
            "qtwatch maintain looks after a team-mode lake: QTWATCH_WAREHOUSE names a file (docs/team.md)"
        )
    typer.echo(
        f"lake maintained: data files {done['files_before']:,} -> {done['files_after']:,}, "
        f"snapshots {done['snapshots_before']:,} -> {done['snapshots_after']:,}"
    )


def alerts() -> None:
    """Create (or update) the Prefect notification block `qtwatch-alerts` from QTWATCH_ALERT_WEBHOOK_URL and the
    automations that alert on failed/crashed runs and new funding stress, on PREFECT_API_URL (serve does it too)."""
    from qtwatch import errors

    if not os.environ.get("PREFECT_API_URL"):
        raise errors.fail(
            "qtwatch alerts needs a running Prefect API: set PREFECT_API_URL (e.g. "
            "http://127.0.0.1:4200/api while `qtwatch serve` runs), or let `qtwatch serve` do it"
        )
    typer.echo(_set_up_alerts())


def _set_up_alerts() -> str:
    """Make the block and automations (flows.notifications); one line saying what alerts and how."""
    from flows.notifications import BLOCK, ensure_alerting
    from flows.settings import get_settings

    try:
        made = ensure_alerting(get_settings().alert_webhook_url)
    except Exception as exc:  # noqa: BLE001 - serving goes on; the flow's own failure hook still posts
        from flows.secrets import redact
        from qtwatch.errors import one_line

        return (
            f"alerts: Prefect automations not set up ({redact(one_line(exc))}); a failed run posts to "
            f"QTWATCH_ALERT_WEBHOOK_URL itself"
        )
    if made is None:
        return (
            f"alerts: none (set QTWATCH_ALERT_WEBHOOK_URL, or save a Prefect notification block named {BLOCK}: "
            f"Slack, Microsoft Teams, email, ...)"
        )
    return (
        f"alerts: Prefect automations {', '.join(repr(a) for a in made.automations)} send to the "
        f"{made.block_type} block {made.block!r}"
    )


# The options of `qtwatch serve`.
HostOpt = Annotated[str, typer.Option(help="Address the local Prefect server listens on.")]
PortOpt = Annotated[int, typer.Option(help="Port of the local Prefect server (UI and API).")]
ServerOpt = Annotated[
    bool,
    typer.Option(
        "--server/--no-server",
        help="Start a local Prefect server; with --no-server use PREFECT_API_URL (Prefect Cloud or a shared server).",
    ),
]
ServeReplayOpt = Annotated[
    bool,
    typer.Option(
        "--replay",
        help="Make replay (the bundled recorded snapshot) the deployments' default, for an offline demo.",
    ),
]
ServeWarehouseOpt = Annotated[
    Path | None,
    typer.Option(
        "--warehouse",
        metavar="FILE",
        help="Warehouse file the served runs publish (default: QTWATCH_WAREHOUSE, else data/qtwatch.duckdb).",
    ),
]


def serve(
    host: HostOpt = "127.0.0.1",
    port: PortOpt = 4200,
    server: ServerOpt = True,
    replay: ServeReplayOpt = False,
    warehouse: ServeWarehouseOpt = None,
) -> None:
    """Start the Prefect server with its UI and serve the scheduled qtwatch deployments (Ctrl-C stops both)."""
    import signal

    from flows import deployments

    # Started in the background (`qtwatch serve &` from a script, some supervisors) a process inherits SIGINT
    # ignored, and Python then keeps it ignored: `kill -INT PID` must stop serve (and its server) like Ctrl-C.
    signal.signal(signal.SIGINT, signal.default_int_handler)

    if warehouse is not None:  # the served runs read their settings from this process's environment
        os.environ["QTWATCH_WAREHOUSE"] = str(warehouse)

    process = None
    if server:
        process = _start_server(host, port)
    elif not os.environ.get("PREFECT_API_URL"):
        typer.echo("--no-server needs PREFECT_API_URL (or a Prefect profile with one); using the profile's API")
    try:
        typer.echo(_set_up_alerts())
        _serve_with_api(os.environ.get("PREFECT_API_URL"), replay)
    finally:
        if process is not None:
            deployments.stop_process(process)


def _start_server(host: str, port: int) -> subprocess.Popen:
    """Start the local Prefect server on host:port, wait until it is healthy, and point PREFECT_API_URL and
    PREFECT_UI_URL at it."""
    from flows import deployments

    _refuse_busy_port(host, port)
    api_url = f"http://{host}:{port}/api"
    log_path = Path(os.environ.get("PREFECT_HOME", Path.home() / ".prefect")) / "qtwatch-server.log"
    typer.echo(f"starting the Prefect server on http://{host}:{port} (log: {log_path})")
    process = deployments.start_server(host, port, log_path)
    waited = deployments.wait_healthy(api_url, process=process)
    typer.echo(f"Prefect UI ready in {waited:.1f}s: open http://{host}:{port}/deployments")
    os.environ["PREFECT_API_URL"] = api_url
    os.environ["PREFECT_UI_URL"] = f"http://{host}:{port}"
    return process


def _serve_with_api(api_url: str | None, replay: bool) -> None:
    """Serve the deployments against `api_url` (None: the active Prefect profile's)."""
    from prefect.settings import PREFECT_API_URL, PREFECT_UI_URL, temporary_settings

    from flows.deployments import serve_deployments

    updates = {PREFECT_API_URL: api_url, PREFECT_UI_URL: os.environ.get("PREFECT_UI_URL")} if api_url else {}
    with temporary_settings(updates={k: v for k, v in updates.items() if v}):
        serve_deployments(replay=replay)


def _refuse_busy_port(host: str, port: int) -> None:
    """Exit 1 with one line when something already listens on host:port (another Prefect server, a second
    `qtwatch serve`, any program): the server would fail to bind and the wait for it would time out."""
    import errno
    import socket

    from qtwatch import errors

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does: TIME_WAIT is no conflict
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise errors.fail(
                    f"cannot listen on {host}:{port} ({exc.strerror}): choose another --host or --port"
                ) from None
            raise errors.fail(
                f"port {port} on {host} is already in use (another Prefect server or a second "
                f"`qtwatch serve`? `ss -ltnp 'sport = :{port}'` shows which process): stop it, or "
                f"start on another port with --port {port + 1}; to serve the deployments on a Prefect "
                f"server that is already running use --no-server with "
                f"PREFECT_API_URL=http://{host}:{port}/api"
            ) from None
