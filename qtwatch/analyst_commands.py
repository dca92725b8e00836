"""Analyst commands of the qtwatch CLI (sql, status, docs): registered on the Typer app by `register`.

Only typer is imported at module level so `qtwatch --help` stays fast; duckdb, polars and rich load inside commands.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

WarehouseOpt = Annotated[
    Path | None,
    typer.Option(
        "--warehouse", metavar="FILE", help="Warehouse file (default: QTWATCH_WAREHOUSE, else data/qtwatch.duckdb)."
    ),
]


def _as_of(value: str | None) -> date | None:
    from qtwatch.cli import parse_as_of  # lazy: cli imports this module

    return parse_as_of(value)


def _warehouse(path: Path | None) -> Path:
    from flows.settings import get_settings

    return Path(path) if path is not None else Path(get_settings().warehouse)


def _fail(message: str) -> typer.Exit:
    """Print one red line on stderr and return the exit to raise."""
    from qtwatch import errors

    return errors.fail(message)


@contextlib.contextmanager
def _catalog(path: Path) -> Iterator:
    """A read-only connection for status/docs; a missing, corrupt or foreign file becomes one line and exit 1."""
    import duckdb

    from qtwatch import analyst
    from warehouse import advice
    from warehouse.db import WarehouseError, connect_readonly

    try:
        con = connect_readonly(path)
    except WarehouseError as exc:
        raise _fail(str(exc)) from None
    with con:
        try:
            yield con
        except (duckdb.CatalogException, duckdb.BinderException) as exc:  # another release's tables, or not ours
            older_or_newer = advice.schema_problem(con, path, exc)
            raise _fail(
                older_or_newer or f"{path} is not a qtwatch warehouse ({analyst.one_line(exc)}); {analyst.RUN_HINT}"
            ) from None
        except duckdb.Error as exc:  # e.g. a block whose checksum fails: damaged, not a bug to trace
            raise _fail(advice.cannot_open(path, exc)) from None


def _exec(argv: list[str]) -> None:  # pragma: no cover - replaced in tests: it would replace the test process
    os.execvp(argv[0], argv)


QueryArg = Annotated[
    str | None,
    typer.Argument(
        help="One read-only SQL statement ('-' reads it from stdin). "
        "Without QUERY or --file: an interactive DuckDB shell."
    ),
]
QueryFileOpt = Annotated[
    str | None,
    typer.Option(
        "--file",
        "-f",
        metavar="FILE",
        help="Run a .sql file: a path, or the name of an example in warehouse/queries.",
    ),
]
ParamOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--param",
        "-p",
        metavar="NAME=VALUE",
        help="Bind $NAME or set getvariable('NAME') (repeatable; dates as YYYY-MM-DD).",
    ),
]
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        metavar="table|csv|json|parquet",
        help="Output format (default: from --output's suffix, else table on a terminal and csv when piped).",
    ),
]
ResultOutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write the whole result to FILE instead of the terminal."),
]
LimitOpt = Annotated[int, typer.Option("--limit", min=1, help="Rows shown in table format.")]
ListQueriesOpt = Annotated[bool, typer.Option("--list", help="List the example queries and exit.")]
AtRunOpt = Annotated[
    str | None,
    typer.Option(
        "--at-run",
        metavar="RUN_ID",
        help="Team mode: query the lake as run RUN_ID published it (time travel; ids in meta.runs).",
    ),
]


def sql(
    query: QueryArg = None,
    file: QueryFileOpt = None,
    param: ParamOpt = None,
    fmt: FormatOpt = None,
    output: ResultOutputOpt = None,
    limit: LimitOpt = 40,
    list_queries: ListQueriesOpt = False,
    warehouse: WarehouseOpt = None,
    at_run: AtRunOpt = None,
) -> None:
    """Query the warehouse read-only: a Rich table, or csv/json/parquet to --output or stdout."""
    if list_queries:
        return _print_examples()
    path = _warehouse(warehouse)
    if query is None and file is None:
        return _shell(path)
    fmt = _checked_format(fmt, output)
    text, params = _statement(query, file, param)
    frame, empty = _run(path, text, params, at_run)
    _emit(frame, fmt, output, limit, empty)


def _shell(path: Path) -> None:
    """`qtwatch sql` without QUERY or --file: the interactive DuckDB shell on a warehouse file (not a lake)."""
    from warehouse.lake import is_lake

    if is_lake(path):
        raise _fail(
            "the interactive shell reads a warehouse file: in team mode give a QUERY, or attach the "
            "lake from the DuckDB CLI as docs/team.md shows"
        )
    return _interactive(path)


def _checked_format(fmt: str | None, output: Path | None) -> str:
    """--format, or its default from --output; an unknown format is one line and exit 1."""
    from qtwatch import analyst

    fmt = fmt or _format_from(output)
    if fmt not in analyst.FORMATS:
        raise _fail(f"--format {fmt} is unknown; choose {', '.join(analyst.FORMATS)}")
    return fmt


def _statement(query: str | None, file: str | None, param: list[str] | None) -> tuple[str, dict[str, object]]:
    """The query's text and its --param values, refused (one line, exit 1) if it would write."""
    from qtwatch import analyst

    try:
        text = _query_text(query, file)
        params = analyst.parse_params(param or [])
        analyst.read_only_statement(text)  # refuse writes before touching the file
    except analyst.QueryError as exc:
        raise _fail(str(exc)) from None
    return text, params


def _format_from(output: Path | None) -> str:
    """--format's default: --output's suffix, else a table on a terminal and CSV when piped or redirected."""
    suffix = output.suffix.lower().lstrip(".") if output else ""
    if suffix in ("csv", "json", "parquet"):
        return suffix
    return "csv" if output or not sys.stdout.isatty() else "table"


def _query_text(query: str | None, file: str | None) -> str:
    from qtwatch import analyst

    if query is not None and file is not None:
        raise analyst.QueryError("give a QUERY or --file, not both")
    if file is not None:
        return analyst.query_file(file).read_text()
    if query is None:
        raise analyst.QueryError("give a QUERY (or - to read it from stdin) or --file NAME")
    return sys.stdin.read() if query == "-" else query


def _run(path: Path, text: str, params: dict, at_run: str | None = None):
    """Open read-only (as of run `at_run` in team mode), run, and return (frame, marts the query reads that are
    still empty)."""
    import duckdb

    from qtwatch import analyst
    from warehouse.db import WarehouseError, connect_readonly

    try:
        con = connect_readonly(path, at_run=at_run)
    except WarehouseError as exc:
        raise _fail(str(exc)) from None
    with con:
        try:
            frame = analyst.run_query(con, text, params)
        except analyst.QueryError as exc:
            raise _fail(str(exc)) from None
        except duckdb.Error as exc:
            raise _fail(analyst.explain_error(exc, path)) from None
        return frame, (analyst.empty_marts(con, text) if frame.is_empty() else [])


def _emit(frame, fmt: str, output: Path | None, limit: int, empty_marts: list[str]) -> None:
    from rich.console import Console

    from qtwatch import analyst

    err = Console(stderr=True, highlight=False)
    for mart in empty_marts:
        err.print(f"[yellow]note:[/] {mart} is empty: it has not been built yet; {analyst.RUN_HINT}")
    if fmt == "table" and output is None:
        return _print_table(frame, limit)
    try:
        text = analyst.write_result(frame, "csv" if fmt == "table" else fmt, output)
    except analyst.QueryError as exc:
        raise _fail(str(exc)) from None
    if text is not None:
        sys.stdout.write(text)
    else:
        err.print(f"wrote {frame.height:,} rows to {output}")


def _print_table(frame, limit: int) -> None:
    from rich.table import Table

    from qtwatch import analyst

    console = _console()
    shown = frame.head(limit)
    cells = {name: [analyst.format_cell(v) for v in shown[name].to_list()] for name in frame.columns}
    numeric = {name for name in frame.columns if frame.schema[name].is_numeric()}
    cells = analyst.shorten_text(cells, numeric, console.width)
    columns = analyst.fit_columns({n: max([len(n), *map(len, c)]) for n, c in cells.items()}, console.width)
    table = Table(header_style="bold")
    for name in columns:
        table.add_column(name, justify="right" if frame.schema[name].is_numeric() else "left", no_wrap=True)
    for i in range(shown.height):
        table.add_row(*(cells[name][i] for name in columns))
    table.caption = analyst.table_caption(frame.height, shown.height, [c for c in frame.columns if c not in columns])
    console.print(table)


def _print_examples() -> None:
    from rich.table import Table

    from qtwatch import analyst

    table = Table(
        "file", "question", "parameters (--param NAME=VALUE)", title=f"example queries in {analyst.QUERIES_DIR}"
    )
    parameters = analyst.example_query_parameters()
    for name, question in analyst.example_queries():
        table.add_row(name, question, parameters[name])
    console = _console()
    console.print(table)
    console.print("run one: qtwatch sql --file NAME [--param name=value]")


def _interactive(path: Path) -> None:
    from qtwatch import analyst
    from warehouse.db import WarehouseError, connect_readonly

    try:
        connect_readonly(path).close()
    except WarehouseError as exc:
        raise _fail(str(exc)) from None
    binary = analyst.find_duckdb_cli()
    if binary is None:
        raise _fail(analyst.no_cli_message(path))
    if problem := analyst.duckdb_cli_problem(binary, path):
        raise _fail(f"the DuckDB CLI at {binary} cannot open {path} ({problem}); " + analyst.no_cli_message(path))
    _exec([binary, "-readonly", str(path)])


def status(
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Judge freshness as of DATE (default: the last run's as-of for replay runs, else today).",
        ),
    ] = None,
    warehouse: WarehouseOpt = None,
) -> None:
    """Last run per source, data freshness against the release calendar, rows, marts, quarantined batches."""
    from qtwatch import analyst

    reference = _as_of(as_of)
    path = _warehouse(warehouse)
    with _catalog(path) as con:
        report = analyst.collect_status(con, path, reference)
    _print_status(report)


def _console(**kwargs):
    """A Rich console; 130 columns when not a terminal (pipes, CI logs) so tables are not squeezed to 80."""
    from rich.console import Console

    return Console(width=None if Console().is_terminal else 130, **kwargs)


def _print_status(report) -> None:
    console = _console(highlight=False)
    run = report.last_run
    from warehouse.lake import display, is_lake

    size = "" if is_lake(report.path) else f" ({report.size_bytes / 1e6:,.1f} MB)"
    console.print(f"warehouse: [bold]{display(report.path)}[/]{size}")
    console.print(
        f"last run: {run['run_id']} ({run['mode']}, as of {run['as_of']}) {run['status']}, finished "
        f"{run['finished_at']:%Y-%m-%d %H:%M} UTC"
        if run
        else "last run: none recorded"
    )
    console.print(_sources_table(report))
    console.print(_fred_table(report))
    marts = ", ".join(
        f"{name} {rows:,}" if rows else f"[red]{name} not built yet[/]" for name, rows in report.marts.items()
    )
    console.print(f"marts (rows): {marts or '[red]none built yet[/]'}")
    _print_holes(console, report.holes)
    _print_quarantine(console, report.quarantined)


def _print_holes(console, holes: list) -> None:
    """Holes inside each dataset's history (warehouse/holes.py): an answer spanning one rests on incomplete data."""
    if not holes:
        console.print("holes inside the history: none")
        return
    from rich.table import Table

    table = Table(
        "dataset",
        "missing inside its history",
        title=f"holes inside the history: {len(holes)} (answers spanning them rest on incomplete data)",
        title_justify="left",
    )
    for hole in holes:
        table.add_row(hole.dataset, hole.text())
    console.print(table)


def _sources_table(report):
    from rich.table import Table

    table = Table(
        title=f"sources — freshness as of {report.reference} ({report.reference_reason})", title_justify="left"
    )
    for column in ("source", "last load", "finished (UTC)", "landed", "rows held", "latest", "expected", "freshness"):
        table.add_column(column, justify="right" if column in ("landed", "rows held") else "left")
    for s in report.sources:
        state = _freshness_text(s.freshness)
        if s.series:
            stale = sum(f.is_stale for f in s.series)
            state = f"[red]{stale} of {len(s.series)} series stale[/]" if stale else "[green]fresh[/]"
        last = s.last_status or "never loaded"
        if s.error:
            last = f"[red]{last}[/]: {s.error[:60]}"
        finished = f"{s.last_finished_at:%Y-%m-%d %H:%M}" if s.last_finished_at else ""
        landed = f"{s.rows_landed:,}" if s.rows_landed is not None else ""
        table.add_row(
            s.source,
            last,
            finished,
            landed,
            f"{s.rows_held:,}",
            str(s.freshness.latest or ""),
            str(s.freshness.expected),
            state,
        )
    return table


def _fred_table(report):
    from rich.table import Table

    table = Table("FRED series", "latest", "expected", "freshness", title_justify="left")
    for s in report.sources:
        for f in s.series:
            table.add_row(f.name.removeprefix(f"{s.source}:"), str(f.latest or ""), str(f.expected), _freshness_text(f))
    return table


def _freshness_text(freshness) -> str:
    colour = "red" if freshness.is_stale else "green"
    return f"[{colour}]{freshness.state}[/]"


def _print_quarantine(console, quarantined: list[dict]) -> None:
    if not quarantined:
        console.print("quarantined batches: none")
        return
    from rich.table import Table

    table = Table(
        "load",
        "dataset",
        "quarantined (UTC)",
        "rows",
        "failed rules",
        title=f"quarantined batches: {len(quarantined)} (never merged; rows in meta.quarantine.payload)",
        title_justify="left",
    )
    for q in quarantined[:10]:
        table.add_row(
            q["load_id"],
            q["dataset"],
            f"{q['quarantined_at']:%Y-%m-%d %H:%M}",
            f"{q['row_count']:,}",
            "; ".join(q["failed_rules"] or [])[:120],
        )
    console.print(table)


def docs(
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="FILE", help="Where to write the data dictionary.")
    ] = Path("docs/warehouse.md"),
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 if FILE is out of date.")] = False,
    warehouse: WarehouseOpt = None,
) -> None:
    """Write the warehouse data dictionary (docs/warehouse.md) from the catalog's comments."""
    from qtwatch import analyst

    with _catalog(_warehouse(warehouse)) as con:
        text = analyst.data_dictionary(con)
    if check:
        if not output.exists() or output.read_text() != text:
            raise _fail(f"{output} is out of date with the warehouse catalog: run `qtwatch docs --output {output}`")
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)
    typer.echo(f"wrote {output} ({text.count(chr(10)):,} lines)")


def register(app: typer.Typer) -> None:
    """Add this module's commands to `app`."""
    app.command(name="sql")(sql)
    app.command(name="status")(status)
    app.command(name="docs")(docs)
