"""The `qtwatch` command line: run the pipeline (live or replay) and look at what it published."""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
from datetime import date, datetime
from enum import StrEnum
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, NoReturn
from zoneinfo import ZoneInfo

import typer
from rich.console import Console

from qtwatch import analyst_commands, deployments_commands, doctor_commands, ops_commands, report_commands
from qtwatch.analyst_commands import WarehouseOpt
from transforms.registry import SOURCES

app = typer.Typer(
    help="qtwatch: watch the Fed's balance-sheet runoff (QT) and the money-market plumbing.",
    no_args_is_help=True,
    add_completion=True,
)
console = Console(width=None if Console().is_terminal else 130)
err = Console(stderr=True)


def qtwatch_version() -> str:
    """The installed qtwatch distribution's version (from its package metadata)."""
    try:
        return version("qtwatch")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"qtwatch {qtwatch_version()}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show full tracebacks instead of one line per error.")] = False,
    _version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the qtwatch version and exit."),
    ] = False,
) -> None:
    """qtwatch: watch the Fed's balance-sheet runoff (QT) and the money-market plumbing it strains."""
    from qtwatch import errors

    errors.configure(debug)
    errors.check_settings()


def use_warehouse(path: Path | None) -> None:
    """--warehouse for commands whose work reads the settings later (the flow, its report): it becomes
    QTWATCH_WAREHOUSE for this process, so the flow's entry reads it like any other setting."""
    if path is not None:
        os.environ["QTWATCH_WAREHOUSE"] = str(path)


# The --source choices: every source in the registry.
Source = StrEnum("Source", {name: name for name in SOURCES})  # type: ignore[misc]


def new_york_today() -> date:
    """Today in New York, the pipeline's calendar (not the machine's: in Tokyo, or on a UTC server after midnight,
    the local date is already New York's tomorrow)."""
    return datetime.now(ZoneInfo("America/New_York")).date()


def parse_as_of(value: str | None) -> date | None:
    """--as-of must be an ISO date that is not in the future in New York."""
    if value is None:
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD, e.g. --as-of 2025-06-30") from None
    today = new_york_today()
    if parsed > today:
        raise typer.BadParameter(f"{value} is in the future; as-of replays the past (today in New York is {today})")
    return parsed


# The options of `qtwatch run` (its --warehouse is the analyst commands' WarehouseOpt).
ReplayOpt = Annotated[
    bool,
    typer.Option(
        "--replay",
        help="Serve the sources from the bundled recorded snapshot (QTWATCH_REPLAY_DIR) instead of the network.",
    ),
]
RunAsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of", metavar="DATE", help="Treat DATE (YYYY-MM-DD) as today: nothing observed after it is fetched."
    ),
]
SourceOpt = Annotated[list[Source] | None, typer.Option("--source", help="Load only this source (repeatable).")]
FullRefreshOpt = Annotated[
    bool,
    typer.Option("--full-refresh", help="Re-read every source's full history instead of the incremental window."),
]
VintagesOpt = Annotated[
    bool,
    typer.Option(
        "--vintages",
        help="With --source fred and FRED_API_KEY: land every "
        "ALFRED vintage of the catalog series, so known_on(day) is right for "
        "days before qtwatch ran.",
    ),
]


@app.command()
def run(
    replay: ReplayOpt = False,
    as_of: RunAsOfOpt = None,
    source: SourceOpt = None,
    full_refresh: FullRefreshOpt = False,
    vintages: VintagesOpt = False,
    warehouse: WarehouseOpt = None,
) -> None:
    """Fetch every source, validate, land raw, rebuild core and marts, and publish the DuckDB warehouse."""
    as_of_date = parse_as_of(as_of)
    use_warehouse(warehouse)
    if replay:
        _check_replay_snapshot()
    sources = [s.value for s in source] if source else None
    if vintages:
        run_vintages(sources, replay=replay, as_of=as_of_date)
        return
    from qtwatch import run_command
    from warehouse.db import remembering_checks

    with remembering_checks():  # the CLI's checks and the flow's read the published file whole once
        refuse_rewriting_history(as_of_date, sources, replay=replay)
        run_command.run(sources, replay, as_of_date, full_refresh, console, err)


def run_vintages(sources: list[str] | None, *, replay: bool, as_of: date | None) -> None:
    """`qtwatch run --source fred --vintages`: the ALFRED flow (live FRED API only; exit 2 on a wrong combination,
    1 when it fails)."""
    if sources != ["fred"] or replay or as_of is not None:
        raise typer.BadParameter("--vintages goes with --source fred alone (live FRED API: no --replay, no --as-of)")
    from flows.vintages import fred_vintages

    with console.status("landing FRED vintages (Prefect logs below)…"):
        state = fred_vintages(return_state=True)
    if state.is_failed():
        typer.echo(f"run failed: {state.message}", err=True)
        raise typer.Exit(1)


def refuse_rewriting_history(as_of: date | None, sources: list[str] | None, *, replay: bool) -> None:
    """Exit 2 with one line, before Prefect even starts, when the as-of would rewrite the warehouse's history.
    Without --as-of a run's as-of is today in New York, or for a replay run the snapshot's last recorded day."""
    from flows.settings import get_settings
    from flows.snapshot import snapshot_as_of
    from warehouse.pit import AsOfRefused, check_as_of

    settings = get_settings()
    day = as_of or (snapshot_as_of(Path(settings.replay_dir)) if replay else new_york_today())
    try:
        check_as_of(Path(settings.warehouse), day, sources or list(SOURCES))
    except AsOfRefused as exc:
        typer.echo(f"run refused: {exc}", err=True)  # plain echo: one line, never wrapped
        raise typer.Exit(2) from None


def _check_replay_snapshot() -> None:
    """A replay run needs the snapshot folder (a checkout's replay/, or QTWATCH_REPLAY_DIR): one line if missing."""
    from flows.settings import get_settings
    from flows.snapshot import SnapshotError, source_last_days

    try:
        source_last_days(get_settings().replay_dir)
    except SnapshotError as exc:
        err.print(f"[bold red]error:[/] {exc}", soft_wrap=True)
        raise typer.Exit(1) from None


analyst_commands.register(app)
ops_commands.register(app)
report_commands.register(app)
doctor_commands.register(app)
deployments_commands.register(app)


def hoist_debug(argv: list[str]) -> list[str]:
    """`qtwatch COMMAND ... --debug` works like `qtwatch --debug COMMAND ...` (the error hint says "run with --debug"
    and users add it at the end): the flag moves before the command; nothing after a `--` is touched."""
    end = argv.index("--") if "--" in argv else len(argv)
    if "--debug" not in argv[1:end]:
        return list(argv)
    return ["--debug", *(a for a in argv[:end] if a != "--debug"), *argv[end:]]


def main(argv: list[str] | None = None) -> NoReturn:
    """The `qtwatch` console script: run the command, then leave without tearing the interpreter down.

    After a run the process holds a few hundred MB of objects (Prefect, great-expectations, pandas, the batches);
    the interpreter's own teardown of them took 1.2-1.4 s on every run, after the work was done. Written by hand on
    purpose: once the command has returned, stdout/stderr are flushed and every atexit handler has run (Prefect's
    log and event workers, logging's flush, any tool's own), nothing is left that a teardown would save."""
    try:
        app(hoist_debug(sys.argv[1:] if argv is None else argv), prog_name="qtwatch")
    except SystemExit as exc:
        code = exc.code
    else:  # pragma: no cover - typer's standalone mode always raises SystemExit
        code = 0
    if isinstance(code, str):  # SystemExit("message"): printed, exit status 1, as Python does
        err.print(code)
        code = 1
    atexit._run_exitfuncs()  # noqa: SLF001 - the handlers a normal exit would run, in their order
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code or 0)


if __name__ == "__main__":
    main()
