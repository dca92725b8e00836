"""The analyst read path: read-only SQL with bound parameters, result output, warehouse status and the data
dictionary. Everything here opens the published warehouse read-only; only the pipeline writes it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl

from warehouse.datasets import DATASETS, SOURCE_DATASETS
from warehouse.db import SCHEMA_DIR

QUERIES_DIR = SCHEMA_DIR.parent / "queries"
FORMATS = ("table", "csv", "json", "parquet")
RUN_HINT = "run `qtwatch run --replay` (demo data) or `qtwatch run` (live)"
_READ_ONLY = frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN})
_EXPLAIN = re.compile(r"^\s*EXPLAIN\s+(ANALY[SZ]E\s+)?(\([^)]*\)\s*)?", re.IGNORECASE)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_GETVARIABLE = re.compile(r"getvariable\s*\(\s*'([^']+)'\s*\)", re.IGNORECASE)


class QueryError(ValueError):
    """A statement `qtwatch sql` refuses or cannot run; the message is one line saying what is wrong and what to do."""


# --------------------------------------------------------------------------------------------------------------- sql
def read_only_statement(sql: str) -> duckdb.Statement:
    """The single statement of `sql` when it only reads (SELECT, DESCRIBE, SHOW, or EXPLAIN of one); else QueryError."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(f"SQL syntax error: {one_line(exc)}") from None
    if len(statements) != 1:
        raise QueryError("no SQL statement given" if not statements else
                         f"pass one statement at a time ({len(statements)} given)")
    statement = statements[0]
    if statement.type == duckdb.StatementType.EXPLAIN:
        read_only_statement(_EXPLAIN.sub("", statement.query.strip(), count=1))
    elif statement.type not in _READ_ONLY:
        raise QueryError(f"qtwatch sql is read-only: {statement.type.name} statements are refused (only SELECT, "
                         "DESCRIBE, SHOW, SUMMARIZE, EXPLAIN); the pipeline is the only writer")
    return statement


def parse_params(pairs: Sequence[str]) -> dict[str, object]:
    """`--param name=value` pairs -> {name: value}; YYYY-MM-DD becomes a DATE, integers and decimals numbers."""
    params: dict[str, object] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        name = name.strip().lstrip("$")
        if not sep or not _NAME.match(name):
            raise QueryError(f"--param {pair!r} is not name=value (e.g. --param as_of=2025-06-30)")
        params[name] = _typed(name, text.strip())
    return params


def _typed(name: str, text: str) -> object:
    if _DATE_LIKE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise QueryError(f"--param {name}={text} is not a valid date; use YYYY-MM-DD, e.g. 2025-06-30") from None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def run_query(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, object] | None = None) -> pl.DataFrame:
    """Run one read-only statement: `$name` placeholders are bound, other params set DuckDB variables
    (`getvariable('name')`), so values are never formatted into the SQL text."""
    statement = read_only_statement(sql)
    params = dict(params or {})
    named = set(statement.named_parameters)
    if any(n.isdigit() for n in named):
        raise QueryError("use named placeholders ($name) with --param name=value, not ? or $1")
    if missing := sorted(named - params.keys()):
        raise QueryError(f"the query needs {', '.join(f'--param {n}=VALUE' for n in missing)}")
    variables = set(_GETVARIABLE.findall(sql))
    if unused := sorted(params.keys() - named - variables):
        uses = ", ".join(sorted({f"${n}" for n in named} | variables)) or "no parameters"
        raise QueryError(f"--param {', '.join(unused)} is not used by the query (it uses {uses})")
    for name in sorted(params.keys() & variables - named):
        con.execute(f"SET VARIABLE {name} = ?", [params[name]]).fetchall()  # name checked against _NAME
    bound = {n: params[n] for n in named}
    return con.sql(statement.query, params=bound).pl() if bound else con.sql(statement.query).pl()


def empty_marts(con: duckdb.DuckDBPyConnection, sql: str) -> list[str]:
    """Marts the query reads that hold no rows yet (the pipeline has not built them)."""
    try:
        tables = duckdb.get_table_names(sql, qualified=True)
    except duckdb.Error:
        return []
    marts = sorted(t for t in tables if t.lower().startswith("marts."))
    return [t for t in marts if con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] == 0]


def explain_error(exc: duckdb.Error, path: Path) -> str:
    """One line for a failed query: DuckDB's message and, for a missing table, what to run."""
    message = one_line(exc)
    if isinstance(exc, duckdb.CatalogException) and "does not exist" in message:
        return (f"{message} — the warehouse at {path} does not have it: `qtwatch docs` lists every table; if it "
                f"should exist, the warehouse predates it: {RUN_HINT}")
    return message


def one_line(exc: BaseException) -> str:
    """DuckDB's error on one line: the message plus its 'Did you mean' / candidate hint, without the SQL excerpt."""
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    kept = lines[:1] + [line for line in lines[1:2] if line.startswith(("Did you mean", "Candidate"))]
    return " ".join(kept)[:400] or type(exc).__name__


def write_result(frame: pl.DataFrame, fmt: str, output: Path | None) -> str | None:
    """Write `frame` as csv/json/parquet to `output`; without `output` return csv/json text (parquet needs a file)."""
    if fmt not in ("csv", "json", "parquet"):
        raise QueryError(f"--format {fmt} cannot be written; choose csv, json or parquet")
    if fmt == "parquet" and output is None:
        raise QueryError("--format parquet needs --output FILE.parquet (parquet is binary)")
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        {"csv": frame.write_csv, "json": frame.write_json, "parquet": frame.write_parquet}[fmt](output)
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
    kept, used = [], 1
    for name, width in widths.items():
        if kept and used + width + 3 > total:
            break
        kept.append(name)
        used += width + 3
    return kept


def shorten_text(cells: Mapping[str, list[str]], numeric: set[str], total: int,
                 floor: int = 16) -> dict[str, list[str]]:
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
    found = sorted(named | set(_GETVARIABLE.findall(sql)))
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
        probe = subprocess.run([binary, "-readonly", str(path), "-c", "SELECT 1"], capture_output=True, text=True,
                               timeout=30, check=False)
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
    return (f"no DuckDB CLI on PATH: install one that matches the Python library (duckdb {duckdb.__version__}) "
            f"from https://duckdb.org/docs/installation, or `pip install duckdb-cli` (qtwatch writes the 1.4 storage "
            f"format, which it reads); then `duckdb -readonly {path}`. Meanwhile: "
            f"`qtwatch sql \"SELECT ...\"` or `python -c \"import duckdb; duckdb.connect('{path}', read_only=True)\"`")


# ------------------------------------------------------------------------------------------------------- status
@dataclass(frozen=True)
class Release:
    """When a dataset's observation for day T is public: `lag` days after T, in business days or calendar days."""

    lag: int
    business_days: bool = True
    grace_days: int = 1  # a holiday can delay a release by one day without the data being stale


# The release calendar of the project's domain notes ("Calendar"): H.4.1 Wednesday levels published Thursday,
# NY Fed rates and the DTS the next business day, auction and operation results the same day. A run may happen
# before the day's release, so "expected" is the latest observation published *before* the reference day.
RELEASES: dict[str, Release] = {
    "fred:weekly": Release(lag=1, business_days=False),       # Wednesday level / week average, Thursday release
    "fred:business_day": Release(lag=1),                       # SOFR, EFFR, RRPONTSYD, DGS10: T+1
    "fred:calendar_day": Release(lag=0, business_days=False),  # IORB: administered, known ahead
    "auctions": Release(lag=0, grace_days=7),                  # results same day; not every day has an auction
    "nyfed_rates": Release(lag=1),                             # 8:00 ET the next business day
    "nyfed_repo": Release(lag=0),                              # operation results the same day
    "dts": Release(lag=1),                                     # ~16:00 ET the next business day
}


def previous_business_day(day: date) -> date:
    """The weekday before `day` (holidays are covered by each release's grace)."""
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def expected_latest(release: Release, reference: date, *, weekly: bool = False) -> date:
    """Latest observation date that should be public before `reference` (H.4.1 weeks end on Wednesdays)."""
    if weekly:
        published = reference - timedelta(days=1)  # released on or before the day before the reference
        wednesday = published - timedelta(days=(published.weekday() - 2) % 7)
        return wednesday if wednesday + timedelta(days=release.lag) <= published else wednesday - timedelta(days=7)
    if not release.business_days:
        return reference - timedelta(days=release.lag + 1)
    day = previous_business_day(reference)
    for _ in range(release.lag):
        day = previous_business_day(day)
    return day


@dataclass
class Freshness:
    """A dataset's (or FRED series') latest observation against the one the release calendar expects."""

    name: str
    latest: date | None
    expected: date
    grace_days: int

    @property
    def days_behind(self) -> int:
        """Days from the latest held observation to the expected one (huge when nothing is held)."""
        return (self.expected - self.latest).days if self.latest else 10**6

    @property
    def is_stale(self) -> bool:
        """Older than expected by more than the grace a holiday can explain."""
        return self.days_behind > self.grace_days

    @property
    def state(self) -> str:
        """fresh, stale: N d behind, or no data."""
        if self.latest is None:
            return "no data"
        return f"stale: {self.days_behind} d behind" if self.is_stale else "fresh"


@dataclass
class SourceStatus:
    """The last load of one source and the freshness of what the warehouse holds from it."""

    source: str
    dataset: str
    last_status: str | None
    last_finished_at: datetime | None
    last_good_at: datetime | None
    rows_landed: int | None
    rows_held: int
    freshness: Freshness
    error: str | None = None
    series: list[Freshness] = field(default_factory=list)


@dataclass
class WarehouseStatus:
    """What `qtwatch status` shows: the warehouse file, its latest run, each source, marts and quarantine."""

    path: Path
    size_bytes: int
    reference: date
    reference_reason: str
    last_run: dict | None
    sources: list[SourceStatus]
    marts: dict[str, int]
    quarantined: list[dict]

    @property
    def stale(self) -> list[str]:
        """Names of the sources and FRED series whose data is older than the calendar expects."""
        rows = [s.freshness for s in self.sources if not s.series] + [f for s in self.sources for f in s.series]
        return [f.name for f in rows if f.is_stale]


# Announced auctions have no results yet: freshness counts auctions whose results are in.
_OBSERVED = {"treasury_auctions": "bid_to_cover_ratio IS NOT NULL"}
_FRED_RELEASE = {"wednesday_level": "fred:weekly", "week_average": "fred:weekly", "business_day": "fred:business_day",
                 "calendar_day": "fred:calendar_day"}


def collect_status(con: duckdb.DuckDBPyConnection, path: Path, as_of: date | None = None,
                   today: date | None = None) -> WarehouseStatus:
    """Last run, per-source last load and freshness, mart rows and quarantined batches of the warehouse at `path`.
    Freshness is judged on `as_of`, else the last run's as-of for a replay run, else today."""
    last_run = _last_run(con)
    reference, reason = _reference(as_of, last_run, today or date.today())
    loads = _last_loads(con)
    sources = [_source_status(con, name, dataset, loads.get(name), reference)
               for name, dataset in SOURCE_DATASETS.items()]
    size = path.stat().st_size if path.exists() else 0
    return WarehouseStatus(path, size, reference, reason, last_run, sources, _mart_rows(con), _quarantined(con))


def _reference(as_of: date | None, last_run: dict | None, today: date) -> tuple[date, str]:
    if as_of is not None:
        return as_of, "--as-of"
    if last_run and last_run["mode"] == "replay" and last_run["as_of"]:
        return last_run["as_of"], "as-of of the last run (replay)"
    return today, "today"


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    result = con.execute(sql, params or [])
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


def _last_run(con: duckdb.DuckDBPyConnection) -> dict | None:
    runs = _rows(con, "SELECT run_id, mode, as_of, status, started_at, finished_at FROM meta.runs "
                      "ORDER BY started_at DESC LIMIT 1")
    return runs[0] if runs else None


def _last_loads(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    rows = _rows(con, """
        SELECT source, status, finished_at, rows_landed, error,
               max(finished_at) FILTER (WHERE status IN ('published', 'unchanged'))
                   OVER (PARTITION BY source) AS last_good_at
        FROM meta.loads WHERE source <> 'marts'
        QUALIFY row_number() OVER (PARTITION BY source ORDER BY started_at DESC) = 1""")
    return {row["source"]: row for row in rows}


def _source_status(con: duckdb.DuckDBPyConnection, source: str, dataset: str, load: dict | None,
                   reference: date) -> SourceStatus:
    d = DATASETS[dataset]
    where = _OBSERVED.get(dataset, "TRUE")
    held, latest = con.execute(f"SELECT count(*), max({d.date_column}) FILTER (WHERE {where}) "
                               f"FROM {d.core_table}").fetchall()[0]
    series = _fred_freshness(con, reference) if source == "fred" else []
    release = RELEASES["fred:business_day" if source == "fred" else source]
    status = SourceStatus(source, dataset, None, None, None, None, held,
                          Freshness(source, latest, expected_latest(release, reference), release.grace_days),
                          series=series)
    if load:
        status.last_status, status.last_finished_at = load["status"], load["finished_at"]
        status.last_good_at, status.rows_landed, status.error = load["last_good_at"], load["rows_landed"], load["error"]
    return status


def _fred_freshness(con: duckdb.DuckDBPyConnection, reference: date) -> list[Freshness]:
    rows = con.execute("""
        SELECT s.series_id, s.stamp, max(o.date) FILTER (WHERE o.value IS NOT NULL)
        FROM ref.fred_series s LEFT JOIN core.fred_observations o USING (series_id)
        GROUP BY ALL ORDER BY s.series_id""").fetchall()
    out = []
    for series_id, stamp, latest in rows:
        key = _FRED_RELEASE.get(stamp, "fred:business_day")
        release = RELEASES[key]
        expected = expected_latest(release, reference, weekly=key == "fred:weekly")
        out.append(Freshness(f"fred:{series_id}", latest, expected, release.grace_days))
    return out


def _mart_rows(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' "
                                        "ORDER BY table_name").fetchall()]
    return {t: con.execute(f"SELECT count(*) FROM marts.{t}").fetchall()[0][0] for t in tables}


def _quarantined(con: duckdb.DuckDBPyConnection) -> list[dict]:
    return _rows(con, "SELECT load_id, dataset, quarantined_at, row_count, failed_rules FROM meta.quarantine "
                      "ORDER BY quarantined_at DESC")


# --------------------------------------------------------------------------------------------------------- docs
SCHEMA_ORDER = ("marts", "core", "raw", "ref", "meta")  # analysts read marts first, bookkeeping last
DICTIONARY_PATH = Path("docs/warehouse.md")


def data_dictionary(con: duckdb.DuckDBPyConnection) -> str:
    """The warehouse data dictionary as Markdown, from the catalog only (schema, table and column comments, keys,
    table macros), so it is identical for any warehouse built by the same code."""
    schemas = dict(con.execute("SELECT schema_name, comment FROM meta.schema_comments").fetchall())
    lines = ["# qtwatch warehouse data dictionary", "",
             "Generated by `qtwatch docs` from the DuckDB catalog: the `COMMENT ON` text of every table and column, "
             "`meta.schema_comments` for the schemas (DuckDB cannot comment a schema) and the primary keys. Do not "
             "edit by hand: change the comments in `warehouse/schema/*.sql` (or `warehouse/load.py` for core) and "
             "run `qtwatch docs`; a test fails when this file is out of date.", "",
             "Units are in the column names: `_bn` = USD billions, `_pct` = percent, `_bp` = basis points, "
             "`_usd` = US dollars; raw tables keep each source's native units (see the column comments).", ""]
    lines += [f"- [`{s}`](#schema-{s}) — {_md(schemas.get(s, ''))}" for s in SCHEMA_ORDER]
    for schema in SCHEMA_ORDER:
        lines += ["", f"## Schema `{schema}`", "", _md(schemas.get(schema, "")), ""]
        lines += _table_index(con, schema)
        for table, comment in _tables(con, schema):
            lines += _table_section(con, schema, table, comment)
        lines += _macro_section(con, schema)
    return "\n".join(lines).rstrip() + "\n"


def _tables(con: duckdb.DuckDBPyConnection, schema: str) -> list[tuple[str, str]]:
    return con.execute("SELECT table_name, coalesce(comment, '') FROM duckdb_tables() WHERE schema_name = ? "
                       "ORDER BY table_name", [schema]).fetchall()


def _table_index(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    rows = ["| table | what it holds |", "|---|---|"]
    rows += [f"| [`{schema}.{t}`](#{schema}{t}) | {_md(c)} |" for t, c in _tables(con, schema)]
    return rows


def _table_section(con: duckdb.DuckDBPyConnection, schema: str, table: str, comment: str) -> list[str]:
    keys = con.execute("SELECT constraint_column_names FROM duckdb_constraints() WHERE schema_name = ? AND "
                       "table_name = ? AND constraint_type = 'PRIMARY KEY'", [schema, table]).fetchall()
    columns = con.execute("SELECT column_name, data_type, coalesce(comment, '') FROM duckdb_columns() "
                          "WHERE schema_name = ? AND table_name = ? ORDER BY column_index", [schema, table]).fetchall()
    lines = ["", f"### `{schema}.{table}`", "", _md(comment), ""]
    if keys:
        lines += [f"Primary key: ({', '.join(f'`{k}`' for k in keys[0][0])})", ""]
    lines += ["| column | type | description |", "|---|---|---|"]
    lines += [f"| `{name}` | {data_type} | {_md(text)} |" for name, data_type, text in columns]
    return lines


def _macro_section(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    macros = con.execute("SELECT function_name, parameters, macro_definition FROM duckdb_functions() "
                         "WHERE schema_name = ? AND function_type = 'table_macro' AND NOT internal "
                         "ORDER BY function_name", [schema]).fetchall()
    if not macros:
        return []
    lines = ["", f"### Table macros in `{schema}`", "", "| call | returns |", "|---|---|"]
    lines += [f"| `{schema}.{name}({', '.join(params)})` | `{_md(body)}` |" for name, params, body in macros]
    return lines


def _md(text: str) -> str:
    """Comment text inside a Markdown table cell: one line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")
