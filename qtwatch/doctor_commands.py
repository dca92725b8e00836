"""`qtwatch doctor`: check a live setup (reachability, status, latency, API key, schema drift); writes nothing."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table


def doctor(
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for each source.")] = 15.0,
) -> None:
    """Make one small request per source and say whether a live run can use it (exit 1 if any source is unusable)."""
    from flows.doctor import run_doctor
    from flows.pipeline import _api_keys
    from flows.settings import get_settings

    settings = get_settings()
    keys = {name: secret.get_secret_value() for name, secret in _api_keys(settings, blocks=False).items()}
    checks = run_doctor(settings.base_urls(), api_keys=keys, user_agent=settings.user_agent, timeout_s=timeout)
    console = Console(width=None if Console().is_terminal else 160)
    table = Table(title="qtwatch doctor: one small request per source")
    for column in ("source", "usable", "status", "ms", "key", "missing fields", "new fields", "note"):
        table.add_column(column)
    for c in checks:
        status = str(c.status) if c.status is not None else ("unreachable" if not c.reachable else "-")
        table.add_row(c.source, "yes" if c.usable else "[bold red]NO[/]", status,
                      f"{c.latency_ms:.0f}" if c.latency_ms is not None else "-", c.key,
                      ", ".join(c.missing) or "-", ", ".join(c.new) or "-", c.note)
    console.print(table)
    for c in checks:
        if not c.usable:
            console.print(f"[bold red]{c.source}[/]: {c.note or 'unusable'} [{c.url}]", soft_wrap=True)
    if any(not c.usable for c in checks):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add `doctor` to `app`."""
    app.command(name="doctor")(doctor)
