"""The `qtwatch` command line: run the pipeline (live or replay) and look at what it published."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console

from qtwatch import analyst_commands, ops_commands, report_commands
from transforms.registry import SOURCES

app = typer.Typer(help="qtwatch: watch the Fed's balance-sheet runoff (QT) and the money-market plumbing.",
                  no_args_is_help=True, add_completion=False)
console = Console(width=None if Console().is_terminal else 130)
err = Console(stderr=True)


@app.callback()
def _root() -> None:
    """qtwatch: watch the Fed's balance-sheet runoff (QT) and the money-market plumbing it strains."""


# The --source choices: every source in the registry.
Source = StrEnum("Source", {name: name for name in SOURCES})  # type: ignore[misc]


def parse_as_of(value: str | None) -> date | None:
    """--as-of must be an ISO date that is not in the future."""
    if value is None:
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD, e.g. --as-of 2025-06-30") from None
    if parsed > date.today():
        raise typer.BadParameter(f"{value} is in the future; as-of replays the past (today is {date.today()})")
    return parsed


@app.command()
def run(
    replay: Annotated[bool, typer.Option("--replay", help="Serve the sources from the bundled recorded snapshot "
                                         "(QTWATCH_REPLAY_DIR) instead of the network.")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", metavar="DATE", help="Treat DATE (YYYY-MM-DD) as today: "
                                              "nothing observed after it is fetched.")] = None,
    source: Annotated[list[Source] | None, typer.Option("--source", help="Load only this source (repeatable).")]
    = None,
    full_refresh: Annotated[bool, typer.Option("--full-refresh", help="Re-read every source's full history instead "
                                               "of the incremental window.")] = False,
) -> None:
    """Fetch every source, validate, land raw, rebuild core and marts, and publish the DuckDB warehouse."""
    as_of_date = parse_as_of(as_of)
    from flows.warmup import start_temporary_server

    # Prefect's temporary server (if no API is configured) starts on its own core while the pipeline's modules
    # (great-expectations alone ~2-4 s) import here.
    early = start_temporary_server(then_import=_import_pipeline)
    from flows.pipeline import PipelineFailed, qtwatch_pipeline
    from qtwatch import report_console

    early.wait()

    sources = [s.value for s in source] if source else None
    with console.status("running the qtwatch pipeline (Prefect logs below)…"):
        state = qtwatch_pipeline(sources=sources, replay=replay, as_of=as_of_date, full_refresh=full_refresh,
                                 return_state=True)
    report_console.print_run_summary(console)
    if state.is_failed():
        try:
            state.result()
        except PipelineFailed as exc:
            err.print(f"[bold red]run failed:[/] {exc}")
        except Exception as exc:  # noqa: BLE001 - show one line, not a traceback
            err.print(f"[bold red]run failed:[/] {type(exc).__name__}: {exc}")
        raise typer.Exit(1)


def _import_pipeline() -> None:
    import expectations.runner  # noqa: F401 - great-expectations: loaded while the server starts
    import flows.pipeline  # noqa: F401


analyst_commands.register(app)
ops_commands.register(app)
report_commands.register(app)


if __name__ == "__main__":
    app()
