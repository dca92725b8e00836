"""Team mode's two moves between a host's working copy and the lake (see warehouse.lake): `pull` brings the working
copy to the lake's current snapshot before a run plans against it; `push` publishes a staged copy as one DuckLake
commit. Both keep the sidecar (lake.Held) true: it changes only after what it describes is durable."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import duckdb

from warehouse import db, faults, lake
from warehouse.base import WarehouseError
from warehouse.lake import ALIAS, SCHEMAS, Held, Lake


def pull(
    target: Lake, working: Path, wait_s: float = 600.0, on_wait: Callable[[str], None] | None = None
) -> list[str] | None:
    """Bring the working copy to the lake's current snapshot: None when it holds it already, else the tables copied.
    Only the tables whose rows differ (count and row hash) are copied, in a staged copy renamed over the working copy
    (none after a maintenance that only merged files). A new lake and no working copy: nothing to do (the run builds
    both). A file at `working` that is no working copy is refused."""
    held = Held.read(working)
    if working.exists() and held is None:
        raise WarehouseError(
            f"{working} is not a working copy of a lake (no {lake.sidecar(working).name} beside it): qtwatch will "
            f"not overwrite it; move it away or set QTWATCH_LAKE_WORKDIR to an empty folder"
        )
    try:
        snapshot, built = _current(target)
    except lake.LakeMissing:
        if held is None:
            return None  # a new lake: the run's commit creates it
        raise WarehouseError(
            f"the lake {target} has no catalog, but {working} holds its snapshot {held.snapshot}: was the lake "
            f"dropped or QTWATCH_WAREHOUSE changed? move {working.parent} away to start this host afresh"
        ) from None
    if (held is not None and held.snapshot == snapshot) or (held is None and not built):
        return None
    with (
        db.staged(working, wait_s=wait_s, on_wait=on_wait) as con,
        lake.attached(con, target, read_only=True, snapshot=snapshot),  # pinned: a commit meanwhile is not half-seen
    ):
        theirs = lake.fingerprints(con, ALIAS)
        ours = lake.fingerprints(con, _database(con))
        changed = [n for n in theirs if ours.get(n) != theirs[n]]
        copy_tables(con, ALIAS, _database(con), replace=changed)
    Held(snapshot, theirs).write(working)
    return changed


def _current(target: Lake) -> tuple[int, list[str]]:
    """The lake's current snapshot and tables (read-only: a missing lake raises lake.LakeMissing)."""
    with duckdb.connect() as probe:
        lake.load_extensions(probe)
        lake.attach(probe, target, read_only=True)
        return lake.current_snapshot(probe), lake.tables(probe, ALIAS)


def push(con: duckdb.DuckDBPyConnection, target: Lake, working: Path, run_id: str) -> Held:
    """Publish the staged copy on `con` as one lake commit tagged with `run_id`: every table whose rows differ from
    the snapshot the working copy holds is replaced, every table the copy no longer has is dropped. Refused, with
    nothing committed, when another writer committed since that snapshot. Returns what the lake now holds."""
    held = Held.read(working)
    local = lake.fingerprints(con, _database(con))
    with lake.attached(con, target, read_only=False):
        con.execute("BEGIN TRANSACTION")
        try:
            _check_base(con, target, held)
            changed = [n for n in local if held is None or held.tables.get(n) != local[n]]
            copy_tables(con, _database(con), ALIAS, replace=changed)
            extra = json.dumps({"run_id": run_id, "tables": changed})
            con.execute(f"CALL {ALIAS}.set_commit_message('qtwatch', ?, extra_info => ?)", [f"run {run_id}", extra])
            faults.point("lake-before-commit")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        snapshot = con.execute(f"SELECT * FROM {ALIAS}.last_committed_snapshot()").fetchall()[0][0]
    return Held(int(snapshot), local)


def _check_base(con: duckdb.DuckDBPyConnection, target: Lake, held: Held | None) -> None:
    """The lake must still be at the snapshot the working copy was pulled from (or empty, for a first run)."""
    now = lake.current_snapshot(con)
    fresh = held is None and not lake.tables(con, ALIAS)
    if not fresh and (held is None or held.snapshot != now):
        raise WarehouseError(
            f"another writer published to the lake {target} since this host's working copy was pulled "
            f"(snapshot {held.snapshot if held else 'none'}, now {now}): nothing was published; run again"
        )


def copy_tables(con: duckdb.DuckDBPyConnection, source: str, into: str, *, replace: list[str] | None) -> None:
    """Make `into`'s qtwatch tables hold `source`'s rows: the tables in `replace` (every one when None) are rebuilt,
    tables `source` lacks are dropped; table and column comments follow; core's known_on macros are recreated."""
    have = set(lake.tables(con, into))
    wanted = lake.tables(con, source)
    for schema in SCHEMAS:
        con.execute(f'CREATE SCHEMA IF NOT EXISTS {into}."{schema}"')
    for name in sorted(have - set(wanted)):
        con.execute(f"DROP TABLE {lake._ref(into, name)}")
    copied = [n for n in wanted if replace is None or n in replace or n not in have]
    for name in copied:
        _copy_table(con, source, into, name, keep_shape=name in have)
    for name in copied:  # a macro binds at call time: made again only with its table
        if name.startswith("core.") and name.endswith("_history"):
            _known_on_macro(con, into, name.removesuffix("_history"))


def _copy_table(con: duckdb.DuckDBPyConnection, source: str, into: str, name: str, *, keep_shape: bool) -> None:
    """One table's rows, and its comments: into the existing table when it has the same columns (a working copy's
    keys and checks stay), else as a new table."""
    src, dst = lake._ref(source, name), lake._ref(into, name)
    if keep_shape and _columns(con, source, name) == _columns(con, into, name):
        con.execute(f"DELETE FROM {dst}")
        con.execute(f"INSERT INTO {dst} BY NAME SELECT * FROM {src}")
    else:
        con.execute(f"CREATE OR REPLACE TABLE {dst} AS SELECT * FROM {src}")
    _copy_comments(con, source, into, name)


def _columns(con: duckdb.DuckDBPyConnection, database: str, name: str) -> list[tuple[str, str]]:
    schema, table = name.split(".")
    return con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = ? AND schema_name = ? "
        "AND table_name = ? ORDER BY column_index",
        [database, schema, table],
    ).fetchall()


def _copy_comments(con: duckdb.DuckDBPyConnection, source: str, into: str, name: str) -> None:
    schema, table = name.split(".")
    found = con.execute(
        "SELECT comment FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? AND table_name = ?",
        [source, schema, table],
    ).fetchall()
    if found and found[0][0]:
        con.execute(f"COMMENT ON TABLE {lake._ref(into, name)} IS {_literal(found[0][0])}")
    columns = con.execute(
        "SELECT column_name, comment FROM duckdb_columns() WHERE database_name = ? AND schema_name = ? "
        "AND table_name = ? AND comment IS NOT NULL AND comment <> ''",
        [source, schema, table],
    ).fetchall()
    for column, comment in columns:
        con.execute(f'COMMENT ON COLUMN {lake._ref(into, name)}."{column}" IS {_literal(comment)}')


def _known_on_macro(con: duckdb.DuckDBPyConnection, into: str, core_table: str) -> None:
    """core.<dataset>_known_on(day), as warehouse.load defines it, in `into` (its body resolves in the catalog in
    use: an analyst's connection to the lake USEs it)."""
    from warehouse.load import known_on_macro_sql

    con.execute(known_on_macro_sql(f"{into}.{core_table}", core_table))


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _database(con: duckdb.DuckDBPyConnection) -> str:
    return str(con.execute("SELECT current_database()").fetchall()[0][0])


def maintain(target: Lake, keep_days: int) -> dict[str, int]:
    """Merge the lake's small adjacent data files, expire the snapshots older than `keep_days` (time travel with
    `--at-run` reaches back that far; what a backtest asks, core.<dataset>_known_on, lives in the tables and needs no
    old snapshot) and delete the files no snapshot uses any more. Returns data files and snapshots before and after."""
    with duckdb.connect() as con:
        lake.load_extensions(con)
        lake.attach(con, target, read_only=False)
        before = _sizes(con)
        con.execute(f"CALL ducklake_merge_adjacent_files('{ALIAS}')")
        con.execute(
            f"CALL ducklake_expire_snapshots('{ALIAS}', older_than => now() - to_days(CAST(? AS INTEGER)))",
            [keep_days],
        )
        con.execute(f"CALL ducklake_cleanup_old_files('{ALIAS}', cleanup_all => true)")
        after = _sizes(con)
    return {
        "files_before": before[0],
        "files_after": after[0],
        "snapshots_before": before[1],
        "snapshots_after": after[1],
    }


def _sizes(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(data files, snapshots) of the lake: files counted in its catalog, live and awaiting deletion."""
    meta = f"__ducklake_metadata_{ALIAS}"
    files = con.execute(f"SELECT count(*) FROM {meta}.ducklake_data_file WHERE end_snapshot IS NULL").fetchall()[0][0]
    snapshots = con.execute(f"SELECT count(*) FROM {ALIAS}.snapshots()").fetchall()[0][0]
    return int(files), int(snapshots)
