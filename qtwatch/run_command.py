"""The body of `qtwatch run`: check what can be checked before Prefect starts, run the flow on a Prefect server that
cannot outlive this process, and end with one line (and the run's table only if this run published it)."""

from __future__ import annotations

import signal
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from qtwatch import errors

if TYPE_CHECKING:
    from prefect.states import State


def run(
    sources: list[str] | None, replay: bool, as_of: date | None, full_refresh: bool, console: Console, err: Console
) -> None:
    """Run the pipeline once; exit 1 on a failed run, 128+N on signal N, with one line and no traceback."""
    from flows.settings import get_settings

    settings = get_settings()
    _preflight(settings.working_copy(), Path(settings.replay_dir) if replay else None)  # team mode: this host's copy
    from flows import interrupts
    from flows.temp_server import ServerStartError
    from qtwatch import report_console

    before = report_console.latest_run_id(settings.warehouse)
    try:
        state = _run_pipeline(sources, replay, as_of, full_refresh, console, err)
    except interrupts.Interrupted as exc:
        raise _interrupted(exc.signum, settings.warehouse, before, err) from None
    except ServerStartError as exc:
        raise errors.fail(str(exc)) from None
    if (signum := interrupts.received()) is not None:  # the engine turned the interruption into a Crashed state
        raise _interrupted(signum, settings.warehouse, before, err)
    report_console.print_run_summary(console, flow_run_id=str(state.state_details.flow_run_id))
    _report_outcome(state, err)


def _run_pipeline(
    sources: list[str] | None, replay: bool, as_of: date | None, full_refresh: bool, console: Console, err: Console
) -> State:
    """The flow's run on a temporary Prefect server, with this process's signal handling; its final state."""
    from flows import interrupts
    from flows.temp_server import temporary_server

    with (
        interrupts.handling_signals(),
        temporary_server(on_wait=lambda m: err.print(f"[yellow]{m}[/]"), while_starting=_import_pipeline),
        console.status("running the qtwatch pipeline (Prefect logs below)…"),
    ):
        from flows.pipeline import qtwatch_pipeline

        errors.quiet_prefect_tracebacks()  # Prefect's console handlers exist once the flow's modules are loaded
        errors.quiet_repeats()
        return qtwatch_pipeline(
            sources=sources, replay=replay, as_of=as_of, full_refresh=full_refresh, return_state=True
        )


def _report_outcome(state: State, err: Console) -> None:
    """The warnings of a run published with warnings; one line and exit 1 for a failed or crashed run."""
    if state.name == "Published with warnings":  # flows.after_publish: published, but docs or report not written
        for line in (state.message or "").splitlines():
            err.print(f"[yellow]{line}[/]", soft_wrap=True)
    if state.is_failed() or state.is_crashed():
        from flows.pipeline import PipelineFailed

        try:
            state.result()
        except PipelineFailed as exc:  # every cause, once: the console log leaves them to this line
            err.print(f"[bold red]run failed:[/] {exc}", soft_wrap=True)
        except Exception as exc:  # noqa: BLE001 - show one line, not a traceback
            err.print(f"[bold red]run failed:[/] {errors.one_line(exc)}", soft_wrap=True)
        raise typer.Exit(1)


def _import_pipeline() -> None:
    """The flow's modules and great-expectations (~3 s of imports together), loaded while Prefect's temporary server
    starts in its own process rather than before or after it. A run that validates nothing (nothing new) pays the
    import in CPU and memory but not in waiting: the server's start takes longer."""
    import expectations.runner  # noqa: F401 - imported for its side effect: GX loaded once per process
    import flows.pipeline  # noqa: F401


def _preflight(warehouse: Path, replay_dir: Path | None) -> None:
    """Refuse, in one line and before the seconds Prefect takes to start, what would fail the run anyway."""
    from warehouse.db import WarehouseError, check_publishable

    if replay_dir is not None and not replay_dir.is_dir():
        raise errors.fail(
            f"replay directory {replay_dir} not found: set QTWATCH_REPLAY_DIR or run "
            f"`python -m scripts.build_replay` to build the snapshot"
        )
    try:
        check_publishable(warehouse)
    except WarehouseError as exc:
        raise errors.fail(str(exc)) from None


def _interrupted(signum: int, warehouse: Path, before: str | None, err: Console) -> typer.Exit:
    """One line saying what the interrupted run left published; exit 128 + the signal number."""
    from qtwatch import report_console

    after = report_console.latest_run_id(warehouse)
    if after == before:
        held = f"it still holds run {before}" if before else "it was not created"
        what = f"nothing was published to {warehouse} ({held})"
    else:
        what = f"run {after} had already been published to {warehouse}; what followed it (docs, report) may not"
    err.print(f"[bold red]run interrupted by {signal.Signals(signum).name}:[/] {what}", soft_wrap=True)
    return typer.Exit(128 + signum)
