"""Analyst commands of the qtwatch CLI (sql, status, docs, report): registered on the Typer app by `register`."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to `app`."""
