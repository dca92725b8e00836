"""Land parsed batches in raw (append only new versions), rebuild core (latest version + history) and marts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

import duckdb
import polars as pl

from transforms.registry import DATASETS, LINEAGE, Dataset
from warehouse.db import query_pl
from warehouse.unrecorded import fill_unrecorded


def land(
    con: duckdb.DuckDBPyConnection,
    dataset: Dataset,
    frame: pl.DataFrame,
    *,
    load_id: str,
    fetched_at: datetime,
    as_of: date,
    revised_published_at: datetime | None = None,
) -> int:
    """Append the batch rows whose key is new or whose values differ from the latest held version; return count.

    `published_at` (when the frame has it) says when each row became public; `revised_published_at`, when given
    (a live run: the fetch time), replaces it on a new version of a key already held: a revision is known only from
    when it was fetched, not from when the observation was first published. Either way a new version is never
    placed before the one it revises."""
    if frame.is_empty():
        return 0
    batch = frame.with_columns(load_id=pl.lit(load_id), fetched_at=pl.lit(fetched_at), as_of=pl.lit(as_of))
    values = value_columns(dataset, frame)
    published = "published_at" in batch.columns
    insert = _insert_new_versions_sql(dataset, values, published)
    con.register("_batch", batch.to_arrow())
    try:
        fill_unrecorded(con, dataset, "_batch", values)  # columns a migration added: a value there is no revision
        before = _count(con, dataset.raw_table)
        con.execute(insert, [revised_published_at] if published else []).fetchall()
        return _count(con, dataset.raw_table) - before
    finally:
        con.unregister("_batch")


def value_columns(dataset: Dataset, frame: pl.DataFrame) -> list[str]:
    """The batch's columns a revision is told by: all but the key and the lineage."""
    return [c for c in frame.columns if c not in dataset.key and c not in LINEAGE]


def _insert_new_versions_sql(dataset: Dataset, values: list[str], published: bool) -> str:
    """INSERT the `_batch` rows whose key is new or whose `values` differ from the latest held version; with
    `published`, the statement takes one parameter: the published_at of a revision (or NULL: the batch's own)."""
    same_key = " AND ".join(f"l.{k} = b.{k}" for k in dataset.key)
    same_values = " AND ".join(f"l.{c} IS NOT DISTINCT FROM b.{c}" for c in values) or "TRUE"
    select = "b.*"
    if published:
        # a new version of a held key is never placed before the version it revises
        select = (
            f"b.* REPLACE (coalesce(greatest(coalesce(?::TIMESTAMPTZ, b.published_at), (SELECT "
            f"max(coalesce(l.published_at, l.fetched_at)) FROM {dataset.raw_table} l WHERE {same_key})), "
            f"b.published_at) AS published_at)"
        )
    return f"""
            INSERT INTO {dataset.raw_table} BY NAME
            SELECT {select} FROM _batch b
            WHERE NOT EXISTS (
                SELECT 1 FROM ({_latest_sql(dataset, _versions_at(dataset, "_batch"))}) l
                WHERE {same_key} AND {same_values})
        """


def held_max_dates(con: duckdb.DuckDBPyConnection, dataset: Dataset) -> dict[str, date]:
    """Latest date held per group (e.g. per FRED series), or under '*' for ungrouped datasets."""
    group = dataset.group_column or "'*'"
    rows = con.execute(f"SELECT {group}, max({dataset.date_column}) FROM {dataset.raw_table} GROUP BY 1").fetchall()
    return {str(g): d for g, d in rows}


def held_latest(
    con: duckdb.DuckDBPyConnection, dataset: Dataset, at: pl.DataFrame | None = None, columns: str = "*"
) -> pl.DataFrame:
    """The latest version of every key held in raw (what core shows), as a polars frame; with `at` (a batch holding
    the dataset's key columns) only the keys it holds, read in DuckDB: a daily batch's cost stays flat as the history
    held grows."""
    if at is None:
        return query_pl(con, f"SELECT {columns} FROM ({_latest_sql(dataset)})")
    con.register("_held_at", at.select(dataset.key).unique().to_arrow())
    try:
        return query_pl(con, f"SELECT {columns} FROM ({_latest_sql(dataset, _versions_at(dataset, '_held_at'))})")
    finally:
        con.unregister("_held_at")


def rebuild_core(con: duckdb.DuckDBPyConnection, names: Mapping[str, Dataset] = DATASETS) -> None:
    """core.<d> = latest version per key; core.<d>_history adds valid_from/valid_to; core.<d>_known_on(day)."""
    con.execute("CREATE SCHEMA IF NOT EXISTS core")
    con.execute(
        "INSERT OR REPLACE INTO meta.schema_comments VALUES ('core', 'Clean, typed, de-duplicated current "
        "values (core.<dataset>) and their revision history (core.<dataset>_history with valid_from/valid_to; "
        "core.<dataset>_known_on(day)).')"
    )
    for dataset in names.values():
        _build_core_tables(con, dataset)


def refresh_core(con: duckdb.DuckDBPyConnection, d: Dataset, load_ids: list[str]) -> int:
    """Bring core.<d> and core.<d>_history up to date for the keys `load_ids` landed rows for (a daily run: a few
    days of each series), instead of recomputing them from all of raw; the tables must exist. Returns the number of
    keys refreshed. Same rows as `rebuild_core` (a test keeps them equal); the physical order is no longer sorted."""
    keys = ", ".join(d.key)
    same = " AND ".join(f"x.{k} = t.{k}" for k in d.key)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _touched AS SELECT DISTINCT {keys} FROM {d.raw_table} "
        f"WHERE load_id IN (SELECT unnest(?::VARCHAR[]))",
        [load_ids],
    )
    try:
        touched = con.execute("SELECT count(*) FROM _touched").fetchall()[0][0]
        if not touched:
            return 0
        versions = f"(SELECT x.* FROM {d.raw_table} x SEMI JOIN _touched t ON {same})"
        for table in (d.core_table, f"{d.core_table}_history"):
            con.execute(f"DELETE FROM {table} x USING _touched t WHERE {same}")
        con.execute(f"INSERT INTO {d.core_table} BY NAME {_latest_sql(d, versions)}")
        con.execute(f"INSERT INTO {d.core_table}_history BY NAME {_history_sql(d, versions)}")
        return touched
    finally:
        con.execute("DROP TABLE IF EXISTS _touched")


def _build_core_tables(con: duckdb.DuckDBPyConnection, d: Dataset) -> None:
    keys = ", ".join(d.key)
    con.execute(f"CREATE OR REPLACE TABLE {d.core_table} AS {_latest_sql(d)} ORDER BY {keys}")
    # valid_from: the New York day the version became public (published_at), else (rows landed before it was
    # recorded) the as-of of the run that landed it; versions follow each other in the order they became public
    con.execute(
        f"CREATE OR REPLACE TABLE {d.core_table}_history AS {_history_sql(d, d.raw_table)} "
        f"ORDER BY {keys}, {_VERSION_ORDER}"
    )
    con.execute(known_on_macro_sql(d.core_table, d.core_table))
    _copy_comments(con, d)


def known_on_macro_sql(name: str, core_table: str) -> str:
    """CREATE `name`_known_on(day): the versions of `core_table` known on `day` (valid_from <= day < valid_to)."""
    return f"""
        CREATE OR REPLACE MACRO {name}_known_on(day) AS TABLE
        SELECT * EXCLUDE (valid_from, valid_to) FROM {core_table}_history
        WHERE valid_from <= day AND (valid_to IS NULL OR valid_to > day)
    """


def _copy_comments(con: duckdb.DuckDBPyConnection, d: Dataset) -> None:
    """Core tables restate raw columns: carry raw's column comments over, and say what each table's grain is."""
    grain = ", ".join(d.key)
    history = f"{d.core_table}_history"
    statements = [
        f"COMMENT ON TABLE {d.core_table} IS 'Current value of every {d.name} row (grain: {grain}): the latest "
        f"version landed in raw.'",
        f"COMMENT ON TABLE {history} IS 'Every version of every {d.name} row (grain: {grain} x version) with the "
        f"dates it was known: what did we know on day D.'",
        f"COMMENT ON COLUMN {history}.valid_from IS 'First day this version was known: the New York date of "
        f"published_at (its release time, or the fetch time of a revision), else the as-of of the run that landed "
        f"it. known_on(day) returns the versions with valid_from <= day < valid_to.'",
        f"COMMENT ON COLUMN {history}.valid_to IS 'Day a newer version replaced it (NULL = still current).'",
    ]
    comments = con.execute(
        "SELECT column_name, comment FROM duckdb_columns() WHERE schema_name = 'raw' AND table_name = ?", [d.name]
    ).fetchall()
    for column, comment in comments:
        text = (comment or "").replace("'", "''")
        statements += [f"COMMENT ON COLUMN {table}.{column} IS '{text}'" for table in (d.core_table, history)]
    con.execute(";\n".join(statements))  # one round trip instead of ~50


# The order of the versions of one key: when each became public, then when it was landed (a vintage fetched later
# is better informed about the same day than a backfill that took the revised value for the first print).
_VERSION_KEYS = ("coalesce(published_at, fetched_at)", "fetched_at", "load_id")
_VERSION_ORDER = ", ".join(_VERSION_KEYS)
_VALID_FROM = "coalesce(timezone('America/New_York', published_at)::DATE, as_of, fetched_at::DATE)"


def _versions_at(d: Dataset, keys: str) -> str:
    """The raw versions of the keys that relation `keys` holds (a batch): the latest of a batch's keys is found
    without ranking every version held."""
    return f"(SELECT r.* FROM {d.raw_table} r SEMI JOIN {keys} k USING ({', '.join(d.key)}))"


def versions_in(d: Dataset, windows: Mapping[str, tuple[date | None, date]]) -> str | None:
    """The raw versions dated inside `windows` (group -> (start or None, end)), or None (all of raw) when the date is
    not part of the key (a key's versions could then straddle a window). Every version of a key shares its date (and
    its group), so the latest version of a key in a window is the one of all of raw. Per group (a FRED series) when
    the dataset has groups, read through the `_windows` relation the caller registers (`windows_frame`): a series
    fetched whole, or years back, widens only its own read; else over the windows' span, unless one is open."""
    starts = [lo for lo, _ in windows.values()]
    if not windows or d.date_column not in d.key:
        return None
    if d.group_column and "*" not in windows:
        day = f"r.{d.date_column}"
        return (
            f"(SELECT r.* FROM {d.raw_table} r JOIN _windows w ON w.grp = CAST(r.{d.group_column} AS VARCHAR) "
            f"AND {day} <= w.end_date AND (w.start_date IS NULL OR {day} >= w.start_date))"
        )
    if None in starts:
        return None
    lo, hi = min(s for s in starts if s is not None), max(hi for _, hi in windows.values())
    return f"(SELECT * FROM {d.raw_table} WHERE {d.date_column} BETWEEN DATE '{lo}' AND DATE '{hi}')"


def windows_frame(windows: Mapping[str, tuple[date | None, date]]) -> pl.DataFrame:
    """`windows` as the `_windows` relation the version reads join: grp, start_date (None: open), end_date."""
    return pl.DataFrame(
        [{"grp": g, "start_date": s, "end_date": e} for g, (s, e) in windows.items()],
        schema={"grp": pl.Utf8, "start_date": pl.Date, "end_date": pl.Date},
    )


def _latest_sql(d: Dataset, versions: str | None = None) -> str:
    """The latest version of every key in `versions` (a table or subquery of raw rows; default all of raw)."""
    keys = ", ".join(d.key)
    latest_first = ", ".join(f"{c} DESC" for c in _VERSION_KEYS)
    return (
        f"SELECT * FROM {versions or d.raw_table} "
        f"QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY {latest_first}) = 1"
    )


def _history_sql(d: Dataset, versions: str) -> str:
    """Every version in `versions` with the days it was known: valid_from, and valid_to = the next one's."""
    keys = ", ".join(d.key)
    return (
        f"SELECT *, lead(valid_from) OVER (PARTITION BY {keys} ORDER BY {_VERSION_ORDER}) AS valid_to "
        f"FROM (SELECT *, {_VALID_FROM} AS valid_from FROM {versions})"
    )


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


def replace_table(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> int:
    """Replace every row of `table` (a mart) with `frame`, matching columns by name, in the caller's transaction."""
    con.register("_mart", frame.to_arrow())
    try:
        con.execute(f"DELETE FROM {table}").fetchall()
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _mart").fetchall()
    finally:
        con.unregister("_mart")
    return frame.height


# One row per coverage group of what the warehouse holds in the batch's window, set against the batch (one grouped
# query for every group, not one per series): held rows and dates, held keys the batch lacks, held non-null values
# the batch brings back as NULL, and where the batch itself ends. Column types are fixed so an empty result is typed.
COVERAGE_SCHEMA: dict[str, pl.DataType] = {
    "grp": pl.Utf8(),
    "held_rows": pl.Int64(),
    "held_first": pl.Date(),
    "held_last": pl.Date(),
    "missing_rows": pl.Int64(),
    "newest_missing": pl.Date(),
    "nulled_values": pl.Int64(),
    "newest_nulled": pl.Date(),
    "batch_rows": pl.Int64(),
    "batch_last": pl.Date(),
}


def coverage(
    con: duckdb.DuckDBPyConnection,
    dataset: Dataset,
    frame: pl.DataFrame,
    windows: Mapping[str, tuple[date | None, date]],
    group_column: str | None,
    value_columns: tuple[str, ...] = (),
) -> pl.DataFrame | None:
    """Per group of `group_column` ('*' when None), what is held in the window vs what `frame` brings (see
    COVERAGE_SCHEMA). `windows` maps the dataset's window group (FRED series, or '*') to (start or None, end).
    None when the batch lacks a needed column or has a mistyped one (its suite's structural rules name it)."""
    needed = list(
        dict.fromkeys([*dataset.key, dataset.date_column, *value_columns, *([group_column] if group_column else [])])
    )
    if any(c not in frame.columns for c in needed) or frame.schema[dataset.date_column] != pl.Date:
        return None
    con.register("_windows", windows_frame(windows).to_arrow())
    con.register("_cover_batch", frame.select(needed).to_arrow())
    try:
        return query_pl(con, _coverage_sql(dataset, windows, group_column, value_columns)).cast(COVERAGE_SCHEMA)
    finally:
        con.unregister("_windows")
        con.unregister("_cover_batch")


def _coverage_sql(
    dataset: Dataset,
    windows: Mapping[str, tuple[date | None, date]],
    group_column: str | None,
    value_columns: tuple[str, ...],
) -> str:
    """The COVERAGE_SCHEMA query: the latest held versions in the `_windows` set against the `_cover_batch` rows."""
    keys = " AND ".join(f"h.{k} = b.{k}" for k in dataset.key)
    grp = f"CAST({group_column} AS VARCHAR)" if group_column else "'*'"
    nulled = " OR ".join(f"(h.{c} IS NOT NULL AND b.{c} IS NULL)" for c in value_columns) or "FALSE"
    # windows per group (FRED series), or one '*' window for a source fetched whole (e.g. CFTC, grouped by contract)
    on_window = f"w.grp = l.{dataset.group_column}" if dataset.group_column and "*" not in windows else "w.grp = '*'"
    picked = ", ".join(dict.fromkeys([*dataset.key, dataset.date_column, *value_columns]))
    return f"""
            WITH held AS (
                SELECT {grp} AS grp, {dataset.date_column} AS d, {picked}
                FROM ({_latest_sql(dataset, versions_in(dataset, windows))}) l JOIN _windows w ON {on_window}
                WHERE l.{dataset.date_column} <= w.end_date
                  AND (w.start_date IS NULL OR l.{dataset.date_column} >= w.start_date)),
            batch AS (SELECT {grp} AS grp, {dataset.date_column} AS d, {picked}, TRUE AS present FROM _cover_batch),
            sides AS (
                SELECT h.grp, h.d, b.present, b.present AND ({nulled}) AS nulled
                FROM held h LEFT JOIN batch b ON {keys}),
            held_side AS (
                SELECT grp, count(*) AS held_rows, min(d) AS held_first, max(d) AS held_last,
                       count(*) FILTER (WHERE present IS NULL) AS missing_rows,
                       max(d) FILTER (WHERE present IS NULL) AS newest_missing,
                       count(*) FILTER (WHERE nulled) AS nulled_values, max(d) FILTER (WHERE nulled) AS newest_nulled
                FROM sides GROUP BY grp),
            batch_side AS (SELECT grp, count(*) AS batch_rows, max(d) AS batch_last FROM batch GROUP BY grp)
            SELECT h.*, coalesce(b.batch_rows, 0) AS batch_rows, b.batch_last
            FROM held_side h LEFT JOIN batch_side b USING (grp) ORDER BY h.grp
        """
