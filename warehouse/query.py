"""The read-only query guard of the analyst read path: one read-only statement, bound parameters, clear errors."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from warehouse.lake import is_lake, redact

RUN_HINT = "run `qtwatch run --replay` (demo data) or `qtwatch run` (live)"
_READ_ONLY = frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN})
_EXPLAIN = re.compile(r"^\s*EXPLAIN\s+(ANALY[SZ]E\s+)?(\([^)]*\)\s*)?", re.IGNORECASE)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_GETVARIABLE = re.compile(r"getvariable\s*\(\s*'([^']+)'\s*\)", re.IGNORECASE)


class QueryError(ValueError):
    """A statement `qtwatch sql` refuses or cannot run; the message is one line saying what is wrong and what to do."""


def read_only_statement(sql: str) -> duckdb.Statement:
    """The single statement of `sql` when it only reads (SELECT, DESCRIBE, SHOW, or EXPLAIN of one); else QueryError."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(f"SQL syntax error: {one_line(exc)}") from None
    if len(statements) != 1:
        raise QueryError(
            "no SQL statement given" if not statements else f"pass one statement at a time ({len(statements)} given)"
        )
    statement = statements[0]
    if statement.type == duckdb.StatementType.EXPLAIN:
        read_only_statement(_EXPLAIN.sub("", statement.query.strip(), count=1))
    elif statement.type not in _READ_ONLY:
        raise QueryError(
            f"qtwatch sql is read-only: {statement.type.name} statements are refused (only SELECT, "
            "DESCRIBE, SHOW, SUMMARIZE, EXPLAIN); the pipeline is the only writer"
        )
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
        return (
            f"{message} — the warehouse at {redact(str(path))} does not have it: `qtwatch docs` lists every table; "
            f"if it should exist, the warehouse predates it: {RUN_HINT}"
        )
    if isinstance(exc, duckdb.PermissionException) or "configuration has been locked" in message:
        elsewhere = (
            "attach the lake read-only from the DuckDB CLI (docs/team.md)"
            if is_lake(path)
            else f"open the file with the DuckDB CLI (`duckdb -readonly {path}`)"
        )
        return (
            f"qtwatch sql reads only the warehouse: files, URLs, extensions and settings are off ({message}); "
            f"for anything else {elsewhere}"
        )
    return message


def one_line(exc: BaseException) -> str:
    """DuckDB's error on one line: the message plus its 'Did you mean' / candidate hint, without the SQL excerpt."""
    lines = [line.strip() for line in str(exc).strip().splitlines() if line.strip()]
    kept = lines[:1] + [line for line in lines[1:2] if line.startswith(("Did you mean", "Candidate"))]
    return " ".join(kept)[:400] or type(exc).__name__
