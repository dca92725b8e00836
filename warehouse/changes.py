"""What a run changes: is a batch exactly what is already held, which core tables and marts need rebuilding.

A run that finds nothing new should cost what recording itself costs: these checks let the pipeline skip
validation of a batch that repeats the warehouse, and core, marts, the report and Data Docs when nothing landed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import duckdb
import polars as pl

from transforms.registry import LINEAGE, Dataset
from warehouse.load import _latest_sql, versions_in, windows_frame


def batch_is_held(
    con: duckdb.DuckDBPyConnection,
    dataset: Dataset,
    frame: pl.DataFrame,
    windows: Mapping[str, tuple[date | None, date]],
) -> bool:
    """True when `frame` holds exactly the latest held rows of its windows (per group, or '*'): same keys, same
    values, none missing, none extra. Such a batch would land nothing and every rule would see what it saw when
    these rows landed, so it needs no validation. An empty batch is held when nothing is held in its windows either
    (a source with nothing published yet: the completeness rules would have nothing to compare it with)."""
    key = list(dataset.key)
    needed = [*key, dataset.date_column] + ([dataset.group_column] if dataset.group_column else [])
    if any(c not in frame.columns for c in needed):
        return False
    values = [c for c in frame.columns if c not in dataset.key and c not in LINEAGE]
    group = f"CAST(l.{dataset.group_column} AS VARCHAR)" if dataset.group_column and "*" not in windows else "'*'"
    held = (
        f"SELECT l.* FROM ({_latest_sql(dataset, versions_in(dataset, windows))}) l JOIN _windows w ON w.grp = {group} "
        f"AND l.{dataset.date_column} <= w.end_date "
        f"AND (w.start_date IS NULL OR l.{dataset.date_column} >= w.start_date)"
    )
    same = " AND ".join([*(f"h.{k} = b.{k}" for k in key), *(f"h.{c} IS NOT DISTINCT FROM b.{c}" for c in values)])
    con.register("_windows", windows_frame(windows).to_arrow())
    try:  # counted first: a batch of another size (a backfill's) is told without reading it into DuckDB
        if con.execute(f"SELECT count(*) FROM ({held})").fetchall()[0][0] != frame.height:
            return False
        if frame.select(key).is_duplicated().any():
            return False
        con.register("_held_batch", frame.to_arrow())
        (missing,) = con.execute(
            f"SELECT count(*) FROM _held_batch b WHERE NOT EXISTS (SELECT 1 FROM ({held}) h WHERE {same})"
        ).fetchall()[0]
    finally:
        con.unregister("_held_batch")
        con.unregister("_windows")
    return missing == 0


def stale_core(con: duckdb.DuckDBPyConnection, datasets: Mapping[str, Dataset], landed: Iterable[str]) -> list[str]:
    """Datasets whose core tables must be rebuilt: those that landed rows, and any whose core table is missing."""
    present = {
        t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'core'").fetchall()
    }
    landed = set(landed)
    return [name for name in datasets if name in landed or name not in present or f"{name}_history" not in present]


def marts_missing(con: duckdb.DuckDBPyConnection, marts: Iterable[str]) -> list[str]:
    """Marts that must be built: absent, or empty although their last build had rows (a new warehouse, or a mart
    recreated because its DDL changed). A mart whose last build was empty (no funding event yet, no OFR row in the
    window) is current, not missing: it does not force a rebuild of core and the marts on every run."""
    built_empty = {
        m
        for (m,) in con.execute(
            "SELECT dataset FROM meta.loads WHERE source = 'marts' AND status IN ('published', 'unchanged') "
            "QUALIFY row_number() OVER (PARTITION BY dataset ORDER BY started_at DESC) = 1 "
            "AND coalesce(rows_fetched, 0) = 0"
        ).fetchall()
    }
    missing = []
    for mart in marts:
        rows = con.execute(
            "SELECT estimated_size FROM duckdb_tables() WHERE schema_name = 'marts' AND table_name = ?", [mart]
        ).fetchall()
        # mart names come from transforms.marts_registry.MARTS, never from input
        if not rows or (
            mart not in built_empty and not con.execute(f"SELECT EXISTS (SELECT 1 FROM marts.{mart})").fetchall()[0][0]
        ):
            missing.append(mart)
    return missing


def same_as_published(con: duckdb.DuckDBPyConnection, mart: str, frame: pl.DataFrame) -> bool:
    """True when marts.<mart> already holds exactly `frame`'s rows (any order): publishing it again changes nothing."""
    con.register("_mart_new", frame.to_arrow())
    try:
        columns = ", ".join(f'"{c}"' for c in frame.columns)
        published = con.execute(f"SELECT count(*) FROM marts.{mart}").fetchall()[0][0]
        if published != frame.height:
            return False
        extra = con.execute(
            f"SELECT count(*) FROM (SELECT {columns} FROM _mart_new EXCEPT ALL SELECT {columns} FROM marts.{mart})"
        ).fetchall()[0][0]
        return extra == 0
    finally:
        con.unregister("_mart_new")
