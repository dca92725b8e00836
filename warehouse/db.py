"""Open, build and publish the DuckDB warehouse.

Readers never share a live file with the writer: a run copies the published file to a private staging file,
writes there, checkpoints and atomically renames it over the published path. Readers that opened the old file keep
reading it; new readers see the new one; a crash leaves the published file exactly as it was.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

SCHEMA_DIR = Path(__file__).with_name("schema")
SEED_DIR = Path(__file__).with_name("seeds")


class WarehouseError(RuntimeError):
    """The warehouse file is missing, corrupt, locked or not built yet; the message says what to run."""


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Run every schema/NNN_*.sql in order (idempotent DDL + COMMENTs). Marts are derived and rebuilt every run, so
    a mart whose columns changed in the DDL is dropped and created anew (raw and meta are never dropped)."""
    ddl = [path.read_text() for path in sorted(SCHEMA_DIR.glob("*.sql"))]
    _drop_changed_marts(con, ddl)
    for statements in ddl:
        con.execute(statements)


def _drop_changed_marts(con: duckdb.DuckDBPyConnection, ddl: list[str]) -> None:
    with duckdb.connect() as scratch:
        for statements in ddl:
            scratch.execute(statements)
        wanted = _mart_columns(scratch)
    for table, columns in _mart_columns(con).items():
        if wanted.get(table) != columns:
            con.execute(f"DROP TABLE marts.{table}")


def _mart_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    rows = con.execute("SELECT table_name, column_name, data_type FROM duckdb_columns() "
                       "WHERE schema_name = 'marts' ORDER BY table_name, column_index").fetchall()
    columns: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        columns.setdefault(table, []).append((column, data_type))
    return columns


def load_seeds(con: duckdb.DuckDBPyConnection) -> None:
    """Replace each ref.<seed> table's rows with the reviewed CSV in warehouse/seeds/ (by column name)."""
    for path in sorted(SEED_DIR.glob("*.csv")):
        table = f"ref.{path.stem}"
        con.execute(f"DELETE FROM {table}")
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM read_csv(?, header=true, auto_detect=true)",
                    [str(path)])


# Every reader of the published file opens it locked down: a SELECT can read the warehouse and nothing else — no
# local file (read_text('/proc/self/environ') would print the API key), no URL, no extension download, no COPY/ATTACH
# — and no statement can switch that back on. (One config for every reader: DuckDB refuses a second connection to the
# same file with a different configuration in one process.) The DuckDB CLI stays the power tool for anything else.
LOCKED_DOWN = {"enable_external_access": False, "autoinstall_known_extensions": False,
               "autoload_known_extensions": False, "lock_configuration": True}


def connect_readonly(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only, locked-down (LOCKED_DOWN) connection to the published warehouse, with a clear error when it is
    missing, locked or corrupt."""
    path = Path(path)
    if not path.exists():
        raise WarehouseError(f"no warehouse at {path}: run `make demo` or `qtwatch run --replay` first")
    try:
        return duckdb.connect(str(path), read_only=True, config=dict(LOCKED_DOWN))
    except duckdb.Error as exc:
        if "lock" in str(exc).lower():
            raise WarehouseError(f"{path} is held open for writing by another process (qtwatch publishes a copy and "
                                 f"never holds this file; close the other writer, e.g. a DuckDB shell opened "
                                 f"without -readonly)") from None
        raise WarehouseError(_corrupt_message(path, exc)) from None


@contextlib.contextmanager
def staged(path: Path, wait_s: float = 600.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a read-write connection to a private copy of `path`; publish it atomically when the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _writer_lock(path, wait_s):
        staging = path.with_name(f".{path.name}.building-{os.getpid()}")
        staging.unlink(missing_ok=True)
        if path.exists():
            shutil.copyfile(path, staging)
        con = _open_staging(staging, path)
        try:
            apply_schema(con)
            load_seeds(con)
            yield con
            con.execute("CHECKPOINT")
            con.close()
            os.replace(staging, path)
        except BaseException:
            con.close()
            staging.unlink(missing_ok=True)
            Path(f"{staging}.wal").unlink(missing_ok=True)
            raise


# A new warehouse is written in the 1.4 storage format so that DuckDB 1.x clients (the PyPI `duckdb-cli`, DBeaver's
# and Harlequin's bundled drivers) can open it too; DuckDB 2 reads and writes it the same.
STORAGE_COMPATIBILITY = {"storage_compatibility_version": "v1.4.0"}


def _open_staging(staging: Path, published: Path) -> duckdb.DuckDBPyConnection:
    try:
        config: dict[str, str | bool | int | float | list[str]] = {} if staging.exists() else {**STORAGE_COMPATIBILITY}
        return duckdb.connect(str(staging), config=config)
    except duckdb.Error as exc:
        staging.unlink(missing_ok=True)
        raise WarehouseError(_corrupt_message(published, exc)) from None


@contextlib.contextmanager
def _writer_lock(path: Path, wait_s: float) -> Iterator[None]:
    """One writer at a time per warehouse file (an OS file lock, released even if the process dies)."""
    lock_path = path.with_name(f".{path.name}.lock")
    with open(lock_path, "w") as handle:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise WarehouseError(f"another qtwatch run is writing {path}; waited {wait_s:.0f}s") from None
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _corrupt_message(path: Path, exc: Exception) -> str:
    first_line = str(exc).strip().splitlines()[0][:200]
    return (f"warehouse {path} cannot be opened ({first_line}); it is not a valid DuckDB file: move it aside "
            f"(e.g. `mv {path} {path}.bad`) and rebuild with `qtwatch run --replay`")


def query_pl(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    """Run a query and return a polars DataFrame (DuckDB 2 removed `.pl()` from execute() results)."""
    return con.sql(sql, params=params).pl() if params else con.sql(sql).pl()


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN ... COMMIT around the block; ROLLBACK (and re-raise) when it fails."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        with contextlib.suppress(duckdb.Error):  # the failure may already have aborted the transaction
            con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
