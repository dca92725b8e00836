"""Land parsed batches in raw (append only new versions), rebuild core (latest version + history) and marts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

import duckdb
import polars as pl

from transforms.registry import DATASETS, LINEAGE, Dataset
from warehouse.db import query_pl


def land(con: duckdb.DuckDBPyConnection, dataset: Dataset, frame: pl.DataFrame, *, load_id: str,
         fetched_at: datetime, as_of: date) -> int:
    """Append the batch rows whose key is new or whose values differ from the latest held version; return count."""
    if frame.is_empty():
        return 0
    batch = frame.with_columns(load_id=pl.lit(load_id), fetched_at=pl.lit(fetched_at), as_of=pl.lit(as_of))
    values = [c for c in frame.columns if c not in dataset.key and c not in LINEAGE]
    same_key = " AND ".join(f"l.{k} = b.{k}" for k in dataset.key)
    same_values = " AND ".join(f"l.{c} IS NOT DISTINCT FROM b.{c}" for c in values) or "TRUE"
    con.register("_batch", batch.to_arrow())
    try:
        before = _count(con, dataset.raw_table)
        con.execute(f"""
            INSERT INTO {dataset.raw_table} BY NAME
            SELECT b.* FROM _batch b
            WHERE NOT EXISTS (
                SELECT 1 FROM ({_latest_sql(dataset)}) l WHERE {same_key} AND {same_values})
        """).fetchall()
        return _count(con, dataset.raw_table) - before
    finally:
        con.unregister("_batch")


def held_max_dates(con: duckdb.DuckDBPyConnection, dataset: Dataset) -> dict[str, date]:
    """Latest date held per group (e.g. per FRED series), or under '*' for ungrouped datasets."""
    group = dataset.group_column or "'*'"
    rows = con.execute(
        f"SELECT {group}, max({dataset.date_column}) FROM {dataset.raw_table} GROUP BY 1").fetchall()
    return {str(g): d for g, d in rows}


def held_latest(con: duckdb.DuckDBPyConnection, dataset: Dataset) -> pl.DataFrame:
    """The latest version of every key held in raw (what core shows), as a polars frame."""
    return query_pl(con, _latest_sql(dataset))


def rebuild_core(con: duckdb.DuckDBPyConnection, names: Mapping[str, Dataset] = DATASETS) -> None:
    """core.<d> = latest version per key; core.<d>_history adds valid_from/valid_to; core.<d>_known_on(day)."""
    con.execute("CREATE SCHEMA IF NOT EXISTS core")
    con.execute("INSERT OR REPLACE INTO meta.schema_comments VALUES ('core', 'Clean, typed, de-duplicated current "
                "values (core.<dataset>) and their revision history (core.<dataset>_history with valid_from/valid_to; "
                "core.<dataset>_known_on(day)).')")
    for dataset in names.values():
        _build_core_tables(con, dataset)


def _build_core_tables(con: duckdb.DuckDBPyConnection, d: Dataset) -> None:
    keys = ", ".join(d.key)
    con.execute(f"CREATE OR REPLACE TABLE {d.core_table} AS {_latest_sql(d)} ORDER BY {keys}")
    con.execute(f"""
        CREATE OR REPLACE TABLE {d.core_table}_history AS
        SELECT *, coalesce(as_of, fetched_at::DATE) AS valid_from,
               lead(coalesce(as_of, fetched_at::DATE)) OVER (PARTITION BY {keys} ORDER BY fetched_at, load_id)
                   AS valid_to
        FROM {d.raw_table} ORDER BY {keys}, fetched_at
    """)
    con.execute(f"""
        CREATE OR REPLACE MACRO {d.core_table}_known_on(day) AS TABLE
        SELECT * EXCLUDE (valid_from, valid_to) FROM {d.core_table}_history
        WHERE valid_from <= day AND (valid_to IS NULL OR valid_to > day)
    """)
    _copy_comments(con, d)


def _copy_comments(con: duckdb.DuckDBPyConnection, d: Dataset) -> None:
    """Core tables restate raw columns: carry raw's column comments over, and say what each table's grain is."""
    grain = ", ".join(d.key)
    history = f"{d.core_table}_history"
    statements = [
        f"COMMENT ON TABLE {d.core_table} IS 'Current value of every {d.name} row (grain: {grain}): the latest "
        f"version landed in raw.'",
        f"COMMENT ON TABLE {history} IS 'Every version of every {d.name} row (grain: {grain} x version) with the "
        f"dates it was known: what did we know on day D.'",
        f"COMMENT ON COLUMN {history}.valid_from IS 'First day this version was known (the load as-of date).'",
        f"COMMENT ON COLUMN {history}.valid_to IS 'Day a newer version replaced it (NULL = still current).'",
    ]
    comments = con.execute(
        "SELECT column_name, comment FROM duckdb_columns() WHERE schema_name = 'raw' AND table_name = ?",
        [d.name]).fetchall()
    for column, comment in comments:
        text = (comment or "").replace("'", "''")
        statements += [f"COMMENT ON COLUMN {table}.{column} IS '{text}'" for table in (d.core_table, history)]
    con.execute(";\n".join(statements))  # one round trip instead of ~50


def _latest_sql(d: Dataset) -> str:
    keys = ", ".join(d.key)
    return (f"SELECT * FROM {d.raw_table} "
            f"QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY fetched_at DESC, load_id DESC) = 1")


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


def held_in_window(con: duckdb.DuckDBPyConnection, dataset: Dataset, group: str | None, start: date | None,
                   end: date, group_column: str | None = None) -> tuple[int, date | None]:
    """(rows, first date) currently held for one group of `group_column` (default: the dataset's own grouping),
    or for the whole dataset when `group` is None, within [start, end]."""
    group_column = group_column or dataset.group_column
    where = [f"{dataset.date_column} <= ?"]
    params: list = [end]
    if start is not None:
        where.append(f"{dataset.date_column} >= ?")
        params.append(start)
    if group is not None and group_column:
        where.append(f"{group_column} = ?")
        params.append(group)
    sql = (f"SELECT count(*), min({dataset.date_column}) FROM ({_latest_sql(dataset)}) "
           f"WHERE {' AND '.join(where)}")
    rows, first = con.execute(sql, params).fetchall()[0]
    return rows, first


def replace_table(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> int:
    """Replace every row of `table` (a mart) with `frame`, matching columns by name, in the caller's transaction."""
    con.register("_mart", frame.to_arrow())
    try:
        con.execute(f"DELETE FROM {table}").fetchall()
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _mart").fetchall()
    finally:
        con.unregister("_mart")
    return frame.height
