"""Terminal summaries of what the last run published (rows per source, date ranges, a query to try)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from flows.settings import get_settings
from transforms.registry import SOURCES
from warehouse.db import WarehouseError, connect_readonly


def held_sql(source: str) -> str | None:
    """First and last date held in core for a registered source, and how much (rows, or distinct groups)."""
    spec = SOURCES.get(source)
    if spec is None:
        return None
    d = spec.dataset
    held = f"count(DISTINCT {d.group_column}) || ' {d.group_column}s'" if d.group_column else "count(*) || ' rows'"
    return f"SELECT min({d.date_column}), max({d.date_column}), {held} FROM {d.core_table}"  # noqa: S608


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
            sql = held_sql(source)
            first, last, held = con.execute(sql).fetchall()[0] if sql else ("", "", "")
            table.add_row(source, state if not error else f"{state}: {error[:60]}", f"{fetched:,}", f"{landed:,}",
                          str(first), str(last), str(held), f"{seconds:.2f}")
    console.print(table)
    console.print(f"warehouse: [bold]{path.resolve()}[/]")
    settings = get_settings()
    if settings.report_path.exists():
        console.print(f"report:    {settings.report_path.resolve()}")
    if settings.gx_docs_dir.joinpath("index.html").exists():
        console.print(f"data docs: {settings.gx_docs_dir.resolve() / 'index.html'}")
    console.print(f"try: duckdb -readonly {path} \"{QUERY_TO_TRY}\"")
