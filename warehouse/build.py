"""Build a warehouse's schema: the numbered migrations it lacks (warehouse/migrations/NNN_*.sql), then the CREATE
scripts (warehouse/schema/NNN_*.sql), then the reviewed seeds, all in one transaction; refuse a warehouse written
by a newer qtwatch.

A new file is created whole by the CREATE scripts and records every migration as `created`. A file with fewer
migrations (none recorded: built before versions, version 0) gets the missing ones in order, then the CREATE scripts
(new tables, comments), and records them as `migrated`. A new table is a new CREATE script and nothing else; a new
column of an existing table is its line in the CREATE script plus a migration `ALTER TABLE IF EXISTS ... ADD COLUMN
IF NOT EXISTS ...` (IF EXISTS: a file older than the table gets it whole from the CREATE script)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from warehouse.base import WarehouseError, transaction

SCHEMA_DIR = Path(__file__).with_name("schema")
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
SEED_DIR = Path(__file__).with_name("seeds")
_Columns = dict[tuple[str, str], list[tuple[str, str]]]


@dataclass(frozen=True)
class Migration:
    """One numbered migration file: warehouse/migrations/NNN_what.sql is version NNN."""

    version: int
    name: str
    path: Path


def migrations(folder: Path | None = None) -> list[Migration]:
    """The migration files in order of their number; a badly named or a doubled number is an error."""
    found = []
    for path in sorted((folder or MIGRATIONS_DIR).glob("*.sql")):
        number = path.stem.partition("_")[0]
        if not number.isdigit():
            raise ValueError(f"migration {path.name} must be named NNN_what.sql")
        found.append(Migration(int(number), path.name, path))
    numbers = [m.version for m in found]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"two migrations share a number: {sorted(m.name for m in found)}")
    return sorted(found, key=lambda m: m.version)


def schema_version() -> int:
    """The schema version this qtwatch writes: its highest migration number."""
    return max((m.version for m in migrations()), default=0)


def held_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The schema version of the open file: None for an empty file, 0 for one built before versions were recorded."""
    tables = set(
        con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database()"
        ).fetchall()
    )
    if ("meta", "schema_version") in tables:
        return con.execute("SELECT coalesce(max(version), 0) FROM meta.schema_version").fetchall()[0][0]
    return 0 if tables else None


def refuse_newer(con: duckdb.DuckDBPyConnection, where: str | Path = "this warehouse") -> int | None:
    """The file's schema version; WarehouseError (one line, what to run) when a newer qtwatch wrote it."""
    held, known = held_version(con), schema_version()
    if held is not None and held > known:
        raise WarehouseError(
            f"{where} was written by a newer qtwatch (warehouse schema version {held}; this qtwatch "
            f"knows versions up to {known}): upgrade qtwatch (`git pull && make install`, or pip "
            f"install -U qtwatch) and run it again; nothing was changed"
        )
    return held


def schema_scripts() -> list[tuple[str, str]]:
    """(name, DDL) of every schema/NNN_*.sql and of the marts' generated DDL (warehouse.marts_ddl), in name order."""
    from warehouse.marts_ddl import SCRIPT_NAME, marts_ddl

    files = [(f"{path.parent.name}/{path.name}", path.read_text()) for path in SCHEMA_DIR.glob("*.sql")]
    return sorted([*files, (f"{SCHEMA_DIR.name}/{SCRIPT_NAME}", marts_ddl())])


def expected_tables() -> set[str]:
    """Every `schema.table` this release's DDL creates (built in a scratch in-memory database)."""
    with duckdb.connect() as scratch:
        for _, statements in schema_scripts():
            scratch.execute(statements)
        rows = scratch.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE database_name = current_database()"
        ).fetchall()
    return {name for (name,) in rows}


def build_fingerprint() -> str:
    """SHA-256 over every schema script (the marts' generated DDL included), migrations/*.sql and seeds/*.csv file,
    names and contents: what a warehouse is built from."""
    digest = hashlib.sha256()
    others = [*sorted(MIGRATIONS_DIR.glob("*.sql")), *sorted(SEED_DIR.glob("*.csv"))]
    named = [
        *((n, t.encode()) for n, t in schema_scripts()),
        *((f"{p.parent.name}/{p.name}", p.read_bytes()) for p in others),
    ]
    for name, content in named:
        digest.update(f"{name}\0".encode())
        digest.update(content)
        digest.update(b"\0")
    return digest.hexdigest()


def ensure_built(con: duckdb.DuckDBPyConnection, where: str | Path = "this warehouse") -> bool:
    """Migrate, apply the DDL and reload the seeds in one transaction, unless the file has this schema version and
    was last built from exactly these files; returns True when it applied them. A newer file is refused."""
    fingerprint = build_fingerprint()
    if refuse_newer(con, where) == schema_version() and _built_with(con) == fingerprint:
        return False
    with transaction(con):
        _apply(con, where)
        load_seeds(con)
        con.execute("DELETE FROM meta.schema_build")
        con.execute("INSERT INTO meta.schema_build VALUES (?, now())", [fingerprint])
    return True


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Bring the file's schema to this version in one transaction: missing migrations, then every schema/NNN_*.sql
    (idempotent DDL + COMMENTs). Marts and core are derived and rebuilt by runs, so a mart whose columns changed in
    the DDL, or a core table whose raw table gained columns, is dropped (raw, ref and meta never are)."""
    with transaction(con):
        _apply(con, "this warehouse")


def _apply(con: duckdb.DuckDBPyConnection, where: str | Path) -> None:
    held = refuse_newer(con, where)
    pending = [] if held is None else [m for m in migrations() if m.version > held]
    added: list[tuple[str, str, int]] = []
    for migration in pending:
        before = _columns(con, "raw")
        try:
            con.execute(migration.path.read_text())
        except duckdb.Error as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
            raise WarehouseError(
                f"migration {migration.name} failed on {where} ({first}): nothing was changed "
                f"(the migrations run in one transaction); report it with this line"
            ) from exc
        added += [(table, column, migration.version) for table, column in _added(before, _columns(con, "raw"))]
    ddl = [text for _, text in schema_scripts()]
    _drop_changed_marts(con, ddl)
    for statements in ddl:
        con.execute(statements)
    _drop_stale_core(con)
    _record_versions(con, migrations() if held is None else pending, "created" if held is None else "migrated")
    now = datetime.now(UTC)
    for table, column, version in added:
        con.execute("INSERT INTO meta.schema_columns VALUES (?, ?, ?, ?)", [table, column, version, now])


def _added(before: _Columns, after: _Columns) -> list[tuple[str, str]]:
    """(schema.table, column) of every column `after` has in a table `before` already had."""
    return [
        (f"{schema}.{table}", column)
        for (schema, table), columns in after.items()
        if (schema, table) in before
        for column, _type in columns
        if column not in {c for c, _ in before[(schema, table)]}
    ]


def _record_versions(con: duckdb.DuckDBPyConnection, done: list[Migration], how: str) -> None:
    now = datetime.now(UTC)
    for migration in done:
        con.execute(
            "INSERT OR REPLACE INTO meta.schema_version VALUES (?, ?, ?, ?)",
            [migration.version, migration.name, now, how],
        )


def _built_with(con: duckdb.DuckDBPyConnection) -> str | None:
    try:
        held = con.execute("SELECT fingerprint FROM meta.schema_build").fetchall()
    except duckdb.CatalogException:  # a new file, or one built before the fingerprint was recorded
        return None
    return held[0][0] if len(held) == 1 else None


def _drop_changed_marts(con: duckdb.DuckDBPyConnection, ddl: list[str]) -> None:
    with duckdb.connect() as scratch:
        for statements in ddl:
            scratch.execute(statements)
        wanted = _columns(scratch, "marts")
    for (_, table), columns in _columns(con, "marts").items():
        if wanted.get(("marts", table)) != columns:
            con.execute(f'DROP TABLE marts."{table}"')


def _drop_stale_core(con: duckdb.DuckDBPyConnection) -> None:
    """Drop core.<d> and core.<d>_history when raw.<d> has other columns (a migration added some): the run rebuilds
    them from raw instead of refreshing tables of the old shape."""
    raw, core = _columns(con, "raw"), _columns(con, "core")
    for (_, table), columns in raw.items():
        for name, derived in ((table, ()), (f"{table}_history", ("valid_from", "valid_to"))):
            held = core.get(("core", name))
            if held is not None and [c for c in held if c[0] not in derived] != columns:
                con.execute(f'DROP TABLE core."{name}"')


def _columns(con: duckdb.DuckDBPyConnection, schema: str) -> _Columns:
    rows = con.execute(
        "SELECT schema_name, table_name, column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = ? "
        "ORDER BY table_name, column_index",
        [schema],
    ).fetchall()
    columns: _Columns = {}
    for schema_name, table, column, data_type in rows:
        columns.setdefault((schema_name, table), []).append((column, data_type))
    return columns


def load_seeds(con: duckdb.DuckDBPyConnection) -> None:
    """Replace each ref.<seed> table's rows with the reviewed CSV in warehouse/seeds/ (by column name)."""
    for path in sorted(SEED_DIR.glob("*.csv")):
        table = f"ref.{path.stem}"
        con.execute(f"DELETE FROM {table}")
        con.execute(
            f"INSERT INTO {table} BY NAME SELECT * FROM read_csv(?, header=true, auto_detect=true)", [str(path)]
        )
