"""The `qtwatch report` command: registered on the Typer app by `register`."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to `app`."""
    from qtwatch.report import report_command

    app.command("report")(report_command)
