"""The analyst read path as the CLI shows it: result output, example queries, the DuckDB CLI. The query guard,
warehouse status and the data dictionary live in `warehouse/` (re-exported here for the CLI commands)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import duckdb
import polars as pl

from warehouse.db import SCHEMA_DIR
from warehouse.dictionary import DICTIONARY_PATH, SCHEMA_ORDER, data_dictionary
from warehouse.query import (
    RUN_HINT,
    QueryError,
    empty_marts,
    explain_error,
    one_line,
    parse_params,
    read_only_statement,
    run_query,
)
from warehouse.status import (
    RELEASES,
    Freshness,
    SourceStatus,
    WarehouseStatus,
    collect_status,
    expected_latest,
    previous_business_day,
)

__all__ = [
    "DICTIONARY_PATH",
    "RELEASES",
    "RUN_HINT",
    "SCHEMA_ORDER",
    "Freshness",
    "QueryError",
    "SourceStatus",
    "WarehouseStatus",
    "collect_status",
    "data_dictionary",
    "empty_marts",
    "expected_latest",
    "explain_error",
    "one_line",
    "parse_params",
    "previous_business_day",
    "read_only_statement",
    "run_query",
]

QUERIES_DIR = SCHEMA_DIR.parent / "queries"
FORMATS = ("table", "csv", "json", "parquet")


def write_result(frame: pl.DataFrame, fmt: str, output: Path | None) -> str | None:
    """Write `frame` as csv/json/parquet to `output`; without `output` return csv/json text (parquet needs a file)."""
    if fmt not in ("csv", "json", "parquet"):
        raise QueryError(f"--format {fmt} cannot be written; choose csv, json or parquet")
    if fmt == "parquet" and output is None:
        raise QueryError("--format parquet needs --output FILE.parquet (parquet is binary)")
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        writers: dict[str, Callable[[Path], object]] = {
            "csv": frame.write_csv,
            "json": frame.write_json,
            "parquet": frame.write_parquet,
        }
        writers[fmt](output)
        return None
    return frame.write_csv() if fmt == "csv" else frame.write_json() + "\n"


def format_cell(value: object) -> str:
    """A result cell for the terminal: NULL spelled out, floats without binary noise (at most 4 decimals)."""
    if value is None:
        return "NULL"
    if isinstance(value, float):
        text = f"{value:,.4f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return str(value)


def fit_columns(widths: Mapping[str, int], total: int) -> list[str]:
    """The leading columns whose cells fit side by side in `total` characters (each adds 3 for its border and
    padding); at least one. Like the DuckDB shell, a wide result is cut rather than folded into unreadable slivers."""
    kept: list[str] = []
    used = 1
    for name, width in widths.items():
        if kept and used + width + 3 > total:
            break
        kept.append(name)
        used += width + 3
    return kept


# getvariable('name') in an example query: a parameter set with --param name=VALUE (warehouse.query binds it).
GETVARIABLE = re.compile(r"getvariable\s*\(\s*'([^']+)'\s*\)", re.IGNORECASE)


def shorten_text(
    cells: Mapping[str, list[str]], numeric: set[str], total: int, floor: int = 16
) -> dict[str, list[str]]:
    """Cut the widest text columns (never below `floor` characters or their header, ending in "…") until every column
    fits side by side in `total` characters, so a long text column does not push the numbers off the table."""
    widths = {n: max([len(n), *map(len, c)]) for n, c in cells.items()}
    texts = [n for n in cells if n not in numeric]
    cap = max((widths[n] for n in texts), default=0)

    def used(limit: int) -> int:
        return 1 + sum(min(w, max(limit, len(n))) if n in texts else w for n, w in widths.items()) + 3 * len(widths)

    while cap > floor and used(cap) > total:
        cap -= 1
    if not texts or used(cap) == used(max(widths.values(), default=0)):
        return dict(cells)
    return {n: [_cut(v, max(cap, len(n))) for v in c] if n in texts else list(c) for n, c in cells.items()}


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def query_parameters(sql: str) -> str:
    """The parameters a query file takes: its `-- Parameters:` header, else the $names / getvariable() it uses."""
    header = query_header(sql).get("parameters")
    if header:
        return header
    try:
        named = {f"${n}" for s in duckdb.extract_statements(sql) for n in s.named_parameters}
    except duckdb.Error:
        named = set()
    found = sorted(named | set(GETVARIABLE.findall(sql)))
    return ", ".join(found) if found else "none"


def table_caption(rows: int, shown: int, hidden: Sequence[str]) -> str:
    """What the terminal table leaves out: rows beyond --limit and columns beyond the width."""
    parts = [f"{rows:,} row{'s' if rows != 1 else ''}"]
    if shown < rows:
        parts.append(f"first {shown:,} shown (--limit N)")
    if hidden:
        parts.append(f"{len(hidden)} more column{'s' if len(hidden) != 1 else ''} not shown: {', '.join(hidden)}")
    if shown < rows or hidden:
        parts.append("everything: --format csv|json|parquet --output FILE")
    return "; ".join(parts)


def query_file(name: str) -> Path:
    """A file of warehouse/queries by path, file name or stem (e.g. `weakest_auctions`)."""
    path = Path(name)
    if path.exists():
        return path
    for candidate in (QUERIES_DIR / name, QUERIES_DIR / f"{name}.sql"):
        if candidate.exists():
            return candidate
    matches = sorted(QUERIES_DIR.glob(f"*{path.stem}*.sql"))
    if len(matches) == 1:
        return matches[0]
    raise QueryError(f"no query file {name!r}; the examples are in {QUERIES_DIR} (`qtwatch sql --list`)")


def example_queries() -> list[tuple[str, str]]:
    """(file name, question) of every example query in warehouse/queries, in file order."""
    return [(p.name, query_header(p.read_text()).get("question", "")) for p in sorted(QUERIES_DIR.glob("*.sql"))]


def example_query_parameters() -> dict[str, str]:
    """{file name: the parameters it takes (with defaults, from its header)} for every example query."""
    return {p.name: query_parameters(p.read_text()) for p in sorted(QUERIES_DIR.glob("*.sql"))}


def query_header(sql: str) -> dict[str, str]:
    """The `-- Key: text` header of a query file as {key (lower case): text}, continuation lines joined."""
    header: dict[str, str] = {}
    key = None
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        text = line[2:].strip()
        match = re.match(r"^([A-Za-z][A-Za-z ]*):\s*(.*)$", text)
        if match:
            key = match.group(1).lower()
            header[key] = match.group(2)
        elif key and text:
            header[key] += " " + text
    return header


# ---------------------------------------------------------------------------------------------------- duckdb CLI
def duckdb_cli_problem(binary: str, path: Path) -> str | None:
    """None when the DuckDB CLI at `binary` can open `path` read-only, else its one-line complaint."""
    try:
        probe = subprocess.run(
            [binary, "-readonly", str(path), "-c", "SELECT 1"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{binary} did not start: {exc}"
    if probe.returncode == 0:
        return None
    return " ".join((probe.stderr or probe.stdout).strip().splitlines()[:1]) or f"{binary} exited {probe.returncode}"


def find_duckdb_cli() -> str | None:
    """Path of a `duckdb` executable: beside this Python (the dev install's `duckdb-cli`), else on PATH."""
    beside = Path(sys.executable).with_name("duckdb")
    return str(beside) if beside.is_file() else shutil.which("duckdb")


def no_cli_message(path: Path) -> str:
    """How to get an interactive shell on the warehouse when no usable DuckDB CLI is installed."""
    return (
        f"no DuckDB CLI on PATH: install one that matches the Python library (duckdb {duckdb.__version__}) "
        f"from https://duckdb.org/docs/installation, or `pip install duckdb-cli` (qtwatch writes the 1.4 storage "
        f"format, which it reads); then `duckdb -readonly {path}`. Meanwhile: "
        f'`qtwatch sql "SELECT ..."` or `python -c "import duckdb; duckdb.connect(\'{path}\', read_only=True)"`'
    )
