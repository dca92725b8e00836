"""Terminal summaries of what the last run published (rows per source, date ranges, a query to try)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

from flows.settings import get_settings
from transforms.registry import SOURCES
from warehouse.db import WarehouseError, connect_readonly
from warehouse.lake import display, is_lake


def held_sql(source: str) -> str | None:
    """First and last date held in core for a registered source, and how much (rows, or distinct groups)."""
    spec = SOURCES.get(source)
    if spec is None:
        return None
    d = spec.dataset
    held = f"count(DISTINCT {d.group_column}) || ' {d.group_column}s'" if d.group_column else "count(*) || ' rows'"
    return f"SELECT min({d.date_column}), max({d.date_column}), {held} FROM {d.core_table}"  # noqa: S608


DEFAULT_WAREHOUSE = Path("data/qtwatch.duckdb")
QUERY_TO_TRY = (
    "SELECT month, ust_runoff_bn, ust_cap_bn, ust_cap_attainment, regime FROM marts.qt_runoff_monthly "
    "WHERE month >= DATE '2024-01-01' ORDER BY month;"
)


def latest_run_id(path) -> str | None:
    """The run id of the newest run the published warehouse at `path` holds (None if none or unreadable)."""
    try:
        con = connect_readonly(path)
    except WarehouseError:
        return None
    with con:
        try:
            rows = con.execute("SELECT run_id FROM meta.runs ORDER BY started_at DESC LIMIT 1").fetchall()
        except duckdb.Error:
            return None
    return rows[0][0] if rows else None


def print_run_summary(console: Console, flow_run_id: str | None = None) -> None:
    """Rows per source of the latest run (of the Prefect flow run `flow_run_id`, when given: a run that published
    nothing shows no table, never the previous run's), the history held, the warehouse path, one query to try."""
    path = get_settings().warehouse
    try:
        con = connect_readonly(path)
    except WarehouseError as exc:
        console.print(f"[red]{exc}[/]")
        return
    with con:
        run = _latest_run(con, flow_run_id)
        if run is None:
            console.print(f"this run published nothing to {path}")
            return
        table = _loads_table(con, *run)
    console.print(table)
    _print_locations(console, path)


LOADS_SQL = (
    "SELECT CASE WHEN source = 'marts' THEN 'marts.' || dataset ELSE source END, status, "
    "rows_fetched, rows_landed, seconds, error FROM meta.loads "
    "WHERE run_id = ? ORDER BY source = 'marts', 1"
)
SUMMARY_COLUMNS = ("source", "status", "fetched", "landed", "held from", "held to", "held", "seconds")
RIGHT_ALIGNED = ("fetched", "landed", "seconds")


def _latest_run(con: duckdb.DuckDBPyConnection, flow_run_id: str | None) -> tuple | None:
    """(run_id, mode, as_of, status) of the newest run (of the flow run `flow_run_id`, when given), or None."""
    mine = "WHERE flow_run_id = ?" if flow_run_id else ""
    run = con.execute(
        f"SELECT run_id, mode, as_of, status FROM meta.runs {mine} ORDER BY started_at DESC LIMIT 1",
        [flow_run_id] if flow_run_id else None,
    ).fetchall()
    return run[0] if run else None


def _loads_table(con: duckdb.DuckDBPyConnection, run_id: str, mode: str, as_of: object, status: str) -> Table:
    """The run's loads, one row per source (marts last), with the history each source holds in core."""
    loads = con.execute(LOADS_SQL, [run_id]).fetchall()
    table = Table(title=f"run {run_id} ({mode}, as of {as_of}): {status}")
    for column in SUMMARY_COLUMNS:
        table.add_column(column, justify="right" if column in RIGHT_ALIGNED else "left")
    for source, state, fetched, landed, seconds, error in loads:
        sql = held_sql(source)
        first, last, held = con.execute(sql).fetchall()[0] if sql else ("", "", "")
        table.add_row(
            source,
            status_cell(source, state, error),
            f"{fetched:,}",
            f"{landed:,}",
            _cell(first),
            _cell(last),
            _cell(held),
            f"{seconds:.2f}",
        )
    return table


def _print_locations(console: Console, path: Path) -> None:
    """Where the warehouse, the report and the data docs are, and a query to try."""
    console.print(f"warehouse: [bold]{display(path)}[/]")
    settings = get_settings()
    if settings.report_path.exists():
        console.print(f"report:    {settings.report_path.resolve()}")
    if settings.gx_docs_dir.joinpath("index.html").exists():
        console.print(f"data docs: {settings.gx_docs_dir.resolve() / 'index.html'}")
    console.print(f"try: {try_command(path)}", soft_wrap=True)


def status_cell(source: str, state: str, error: str | None, width: int = 60) -> str:
    """`state: cause` for the summary table, the cause without its repeated source name and cut at a word."""
    if not error:
        return state
    cause = error.removeprefix(f"{source}: ").removeprefix(f"{source.removeprefix('marts.')}: ")
    return f"{state}: {shorten(cause, width)}"


def shorten(text: str, width: int) -> str:
    """`text` cut to at most `width` characters at a word boundary, with an ellipsis when cut."""
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    head = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return f"{head.rstrip(' ,;:(')}…"


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def qtwatch_executable() -> str:
    """How to call this qtwatch from the current folder: the script beside this Python (e.g. .venv/bin/qtwatch)."""
    beside = Path(sys.executable).parent / "qtwatch"
    if not beside.exists():
        return "qtwatch"
    try:
        return str(beside.relative_to(Path.cwd()))
    except ValueError:
        return str(beside)


def try_command(path: Path) -> str:
    """A query the user can paste after a run: `qtwatch sql` needs no other tool on PATH."""
    default = is_lake(path) or Path(path).resolve() == DEFAULT_WAREHOUSE.resolve()  # a lake: from QTWATCH_WAREHOUSE
    warehouse = "" if default else f" --warehouse {shlex.quote(str(path))}"
    return f'{shlex.quote(qtwatch_executable())} sql{warehouse} "{QUERY_TO_TRY}"'  # the query has no " $ or `
