"""`qtwatch doctor`: check a live setup (reachability, status, latency, API key, schema drift); writes nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from flows.probes import Check


def doctor(
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for each source.")] = 15.0,
) -> None:
    """Make one small request per source and say whether a live run can use it (exit 1 if any source is unusable)."""
    from flows.doctor import run_doctor
    from flows.pipeline import _api_keys
    from flows.settings import get_settings

    settings = get_settings()
    keys = {name: secret.get_secret_value() for name, secret in _api_keys(settings, blocks=False).items()}
    console = Console(width=None if Console().is_terminal else 160)
    console.print(f"qtwatch doctor: one small request per source, at most {timeout:g}s each", soft_wrap=True)
    checks = run_doctor(
        settings.base_urls(),
        api_keys=keys,
        user_agent=settings.user_agent,
        timeout_s=timeout,
        on_check=lambda c: console.print(_progress(c), soft_wrap=True),
    )
    console.print(_table(checks))
    for c in checks:
        if not c.usable:
            console.print(f"[bold red]{c.source}[/]: {escape(c.note or 'unusable')} [{escape(c.url)}]", soft_wrap=True)
    if any(not c.usable for c in checks):
        raise typer.Exit(1)


def _status(c: Check) -> str:
    if c.timed_out:
        return "timed out"
    return str(c.status) if c.status is not None else ("unreachable" if not c.reachable else "-")


def _ms(c: Check) -> str:
    return f"{c.latency_ms:.0f}" if c.latency_ms is not None else "-"


def _progress(c: Check) -> str:
    """The line printed as soon as one source's probe is done."""
    verdict = "[bold red]NO[/]" if c.verdict == "NO" else c.verdict
    return f"  {c.source}: {verdict} (status {_status(c)}, {_ms(c)} ms)"


def _table(checks: list[Check]) -> Table:
    """The summary of every probe."""
    table = Table(title="qtwatch doctor: one small request per source")
    for column in ("source", "usable", "status", "ms", "key", "missing fields", "new fields", "note"):
        table.add_column(column)
    for c in checks:
        table.add_row(
            c.source,
            "[bold red]NO[/]" if c.verdict == "NO" else c.verdict,
            _status(c),
            _ms(c),
            c.key,
            ", ".join(c.missing) or "-",
            ", ".join(c.new) or "-",
            escape(c.note),
        )
    return table


def register(app: typer.Typer) -> None:
    """Add `doctor` to `app`."""
    app.command(name="doctor")(doctor)
