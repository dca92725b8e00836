"""Terminal summaries of what the last run published (rows per source, date ranges, a query to try)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from flows.settings import get_settings
from warehouse.db import WarehouseError, connect_readonly

DATE_RANGES = {
    "fred": "SELECT min(date), max(date), count(DISTINCT series_id) || ' series' FROM core.fred_observations",
    "auctions": "SELECT min(auction_date), max(auction_date), count(*) || ' auctions' FROM core.treasury_auctions",
    "nyfed_rates": "SELECT min(effective_date), max(effective_date), count(DISTINCT rate_type) || ' rate types' "
                   "FROM core.nyfed_reference_rates",
    "nyfed_repo": "SELECT min(operation_date), max(operation_date), count(*) || ' operations' "
                  "FROM core.nyfed_rp_operations",
    "dts": "SELECT min(record_date), max(record_date), count(DISTINCT record_date) || ' statements' "
           "FROM core.dts_operating_cash_balance",
}
DEFAULT_WAREHOUSE = Path("data/qtwatch.duckdb")
QUERY_TO_TRY = ("SELECT month, ust_runoff_bn, ust_cap_bn, ust_cap_attainment, regime FROM marts.qt_runoff_monthly "
                "WHERE month >= DATE '2024-01-01' ORDER BY month;")


def print_run_summary(console: Console) -> None:
    """Rows per source of the latest run, the history held, the warehouse path and one SQL query to try."""
    path = get_settings().warehouse
    try:
        con = connect_readonly(path)
    except WarehouseError as exc:
        console.print(f"[red]{exc}[/]")
        return
    with con:
        run = con.execute("SELECT run_id, mode, as_of, status FROM meta.runs "
                          "ORDER BY started_at DESC LIMIT 1").fetchall()
        if not run:
            return
        run_id, mode, as_of, status = run[0]
        loads = con.execute("SELECT CASE WHEN source = 'marts' THEN 'marts.' || dataset ELSE source END, status, "
                            "rows_fetched, rows_landed, seconds, error FROM meta.loads "
                            "WHERE run_id = ? ORDER BY source = 'marts', 1", [run_id]).fetchall()
        table = Table(title=f"run {run_id} ({mode}, as of {as_of}): {status}")
        for column in ("source", "status", "fetched", "landed", "held from", "held to", "held", "seconds"):
            table.add_column(column, justify="right" if column in ("fetched", "landed", "seconds") else "left")
        for source, state, fetched, landed, seconds, error in loads:
            held_sql = DATE_RANGES.get(source)
            first, last, held = con.execute(held_sql).fetchall()[0] if held_sql else ("", "", "")
            table.add_row(source, state if not error else f"{state}: {error[:60]}", f"{fetched:,}", f"{landed:,}",
                          str(first), str(last), str(held), f"{seconds:.2f}")
    console.print(table)
    console.print(f"warehouse: [bold]{path.resolve()}[/]")
    settings = get_settings()
    if settings.report_path.exists():
        console.print(f"report:    {settings.report_path.resolve()}")
    if settings.gx_docs_dir.joinpath("index.html").exists():
        console.print(f"data docs: {settings.gx_docs_dir.resolve() / 'index.html'}")
    console.print(f"try: {try_command(path)}", soft_wrap=True)


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
    warehouse = "" if Path(path).resolve() == DEFAULT_WAREHOUSE.resolve() else f" --warehouse {shlex.quote(str(path))}"
    return f'{shlex.quote(qtwatch_executable())} sql{warehouse} "{QUERY_TO_TRY}"'  # the query has no " $ or `
