"""`qtwatch deployments`: print, write or check `prefect.yaml`, the work-pool copy of the registry's deployments."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DEFAULT_PATH = Path("prefect.yaml")


def deployments(
    write: Annotated[bool, typer.Option("--write", help="Write the file from the registry.")] = False,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 if the file differs from the registry's.")] = False,
    path: Annotated[
        Path, typer.Option("--path", metavar="FILE", help="The file (default: ./prefect.yaml).")
    ] = DEFAULT_PATH,
) -> None:
    """Print prefect.yaml as the source registry makes it; --write writes it, --check fails when it is stale."""
    from flows.deployment_file import render

    text = render()
    if write:
        path.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {path} ({text.count('  - name: ')} deployments)")
    elif check:
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current != text:
            typer.echo(
                f"{path} is {'missing' if current is None else 'stale'}: run `qtwatch deployments --write` "
                "and commit it",
                err=True,
            )
            raise typer.Exit(1)
        typer.echo(f"{path} matches the registry ({text.count('  - name: ')} deployments)")
    else:
        typer.echo(text, nl=False)


def register(app: typer.Typer) -> None:
    """Add `deployments` to `app`."""
    app.command(name="deployments")(deployments)
