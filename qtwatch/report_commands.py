"""The `qtwatch report` command: registered on the Typer app by `register`. The renderer (qtwatch.report, plotly) is
imported when the command runs, not by every `qtwatch` command."""

from __future__ import annotations

import time
import webbrowser
from pathlib import Path
from typing import Annotated

import typer


def report_command(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Where to write the HTML "
            "report (default: QTWATCH_REPORT_PATH, else report.html of the "
            "warehouse: beside qtwatch.duckdb, else in a folder named after "
            "it).",
        ),
    ] = None,
    open_: Annotated[bool, typer.Option("--open", help="Open the report in the default browser.")] = False,
    warehouse: Annotated[
        Path | None,
        typer.Option(
            "--warehouse", metavar="FILE", help="Warehouse file (default: QTWATCH_WAREHOUSE, else data/qtwatch.duckdb)."
        ),
    ] = None,
) -> None:
    """Write a self-contained HTML report (QT runoff vs caps, liquidity, funding stress, auctions) from the
    warehouse marts; it opens offline."""
    from flows.settings import get_settings
    from qtwatch.report import build_report
    from warehouse.db import WarehouseError

    started = time.perf_counter()
    settings = get_settings(warehouse=warehouse) if warehouse else get_settings()  # its report path follows it
    try:
        path = build_report(warehouse or settings.warehouse, output or settings.report_path)
    except WarehouseError as exc:
        typer.secho(f"report failed: {exc}", err=True, fg="red")
        raise typer.Exit(1) from None
    size_mb = path.stat().st_size / 1e6
    typer.echo(f"report: {path.resolve()} ({size_mb:.1f} MB, {time.perf_counter() - started:.1f}s)")
    if open_:
        webbrowser.open(path.resolve().as_uri())


def register(app: typer.Typer) -> None:
    """Add this module's commands to `app`."""
    app.command("report")(report_command)
