"""Open, build and publish the DuckDB warehouse.

Readers never share a live file with the writer: a run copies the published file to a private staging file,
writes there, checkpoints and atomically renames it over the published path. Readers that opened the old file keep
reading it; new readers see the new one; a crash leaves the published file exactly as it was.

Beside it, by job: `build` (schema, seeds, migrations), `integrity` (is a file whole), `writer_lock` (one writer at a
time), `published` (what a reader may open), `base` (the error, a transaction, the readers' locked-down config).
"""

from __future__ import annotations

import contextlib
import csv
import errno
import functools
import glob
import logging
import math
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path

import duckdb

from warehouse import faults, integrity, lake

# Re-exported (`X as X`): other modules and tests import these from warehouse.db.
from warehouse.base import LOCKED_DOWN as LOCKED_DOWN
from warehouse.base import WarehouseError as WarehouseError
from warehouse.base import transaction as transaction
from warehouse.build import SCHEMA_DIR as SCHEMA_DIR
from warehouse.build import SEED_DIR as SEED_DIR
from warehouse.build import apply_schema as apply_schema
from warehouse.build import build_fingerprint as build_fingerprint
from warehouse.build import ensure_built as ensure_built
from warehouse.build import expected_tables as expected_tables
from warehouse.build import load_seeds as load_seeds
from warehouse.build import refuse_newer
from warehouse.integrity import check_whole as check_whole
from warehouse.integrity import remembering_checks as remembering_checks
from warehouse.writer_lock import writer_lock

_COPY_CHUNK = 8 << 20
_FULL_BYTES = 1 << 20  # less free than this after a failed write: the disk is what failed
_log = logging.getLogger(__name__)


@functools.cache
def seed_rows(name: str) -> tuple[dict[str, str], ...]:
    """The reviewed seed warehouse/seeds/<name>.csv as rows of strings (e.g. "fred_series", the FRED catalog),
    read as package data so an installed qtwatch finds it too."""
    text = resources.files("warehouse").joinpath(f"seeds/{name}.csv").read_text(encoding="utf-8")
    return tuple(csv.DictReader(text.splitlines()))


def connect_readonly(path: Path, *, at_run: str | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only, locked-down (LOCKED_DOWN) connection to the published warehouse, with a clear error when it is
    missing, locked or corrupt. A team-mode lake (`ducklake:postgres:...`) is attached the same way, as of the
    snapshot run `at_run` committed when given (warehouse.lake)."""
    if lake.is_lake(path):
        return lake.connect_readonly(lake.Lake(str(path)), at_run=at_run)
    if at_run is not None:
        raise WarehouseError("--at-run reads a team-mode lake's earlier snapshot; a warehouse file has only its last")
    path = Path(path)
    if blocker := _file_in_the_way(path):
        raise WarehouseError(
            f"no warehouse at {path}: {blocker} is a file, not a folder (check QTWATCH_WAREHOUSE or --warehouse)"
        )
    if not path.exists():
        raise WarehouseError(f"no warehouse at {path}: run `make demo` or `qtwatch run --replay` first")
    if not path.is_file():
        raise WarehouseError(f"{path} is not a file: point QTWATCH_WAREHOUSE (or --warehouse) at the warehouse file")
    try:
        con = duckdb.connect(str(path), read_only=True, config=dict(LOCKED_DOWN))
    except duckdb.Error as exc:
        raise WarehouseError(integrity.corrupt_message(path, exc)) from None
    try:
        check_whole(path, con)
    except WarehouseError:
        con.close()
        raise
    return con


@contextlib.contextmanager
def staged(
    path: Path,
    wait_s: float = 600.0,
    on_wait: Callable[[str], None] | None = None,
    memory_limit: str | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a read-write connection to a private copy of `path`; publish it atomically when the block succeeds.

    Under the writer lock every stale staging file (any PID's, WALs included) is removed first; a staging file is
    never reused; if anything fails (a full disk included) the copy is removed and the published file is untouched.
    `on_wait(message)` hears that the run is waiting for another writer, and for how long. A symbolic link is
    published through: its target is replaced (with the target's mode, owner and group), the link stays.
    `memory_limit` (DuckDB's, e.g. "256MB") bounds the connection's memory: beyond it DuckDB spills to a folder
    named after the staging copy (`<staging>.tmp`), removed with it."""
    path = publish_target(path)
    _ensure_directory(path)
    with writer_lock(path, wait_s, on_wait or _log.warning):
        faults.point("lock-acquired")
        remove_stale_staging(path)
        faults.point("stale-removed")
        if path.exists():
            check_whole(path)
        staging = path.with_name(f"{_staging_prefix(path)}{os.getpid()}-{secrets.token_hex(4)}")
        con = None
        try:
            _copy_published(path, staging)
            faults.point("copied")
            con = _open_staging(staging, path, memory_limit)
            _refuse_foreign(con, path)
            ensure_built(con, path)
            faults.point("schema-applied")
            yield con
            _checkpoint_and_close(con)
            _replace(staging, path)
            shutil.rmtree(_spill(staging), ignore_errors=True)
        except BaseException as exc:
            _discard_staging(exc, con, staging, path)
            raise


def _checkpoint_and_close(con: duckdb.DuckDBPyConnection) -> None:
    faults.point("before-checkpoint")
    con.execute("CHECKPOINT")
    faults.point("checkpointed")
    con.close()
    faults.point("closed")


def _replace(staging: Path, path: Path) -> None:
    """Rename the closed staging file over the published one, with the published file's mode, owner and group."""
    # a WAL beside the published file was folded into the copy; left there it would not match the new file
    _wal(path).unlink(missing_ok=True)
    keep_ownership(path, staging)
    os.replace(staging, path)
    _sync_folder(path.parent)  # the rename itself survives a power cut, not only the file's blocks
    integrity.remember_whole(path)  # DuckDB wrote, checkpointed and closed it without an error
    faults.point("replaced")


def _discard_staging(exc: BaseException, con: duckdb.DuckDBPyConnection | None, staging: Path, path: Path) -> None:
    """After a failed write: close and remove the staged copy; a full disk is said in one line (WarehouseError)."""
    full = _disk_full(exc, path.parent)
    if con is not None:
        with contextlib.suppress(duckdb.Error):
            con.close()
    _remove(staging)
    if full:
        raise WarehouseError(
            f"no space left on the disk of {path.parent} while writing the warehouse: "
            f"nothing was published ({path.name} is unchanged) and the partial copy was "
            f"removed; free at least {_needed_mb(path)} MB there and run again"
        ) from exc


def publish_target(path: Path) -> Path:
    """The file a publish replaces: `path`, or the file a symbolic link at `path` points to (through every link).
    Renaming the new file over the link itself would fork the warehouse: the link's target would never change again."""
    path = Path(path)
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def keep_ownership(published: Path, staging: Path) -> None:
    """Give the staging file the published file's permission bits, owner and group before it replaces it (a new
    file gets the umask's mode and the writer's owner: a 0600 warehouse became 0644). The owner needs root; a
    writer that may not set it keeps the group where it can, and the mode always."""
    if not published.exists():
        return
    stat = published.stat()
    with contextlib.suppress(PermissionError):  # not root: keep at least the group (a group the writer is in)
        try:
            os.chown(staging, stat.st_uid, stat.st_gid)
        except PermissionError:
            os.chown(staging, -1, stat.st_gid)
    os.chmod(staging, stat.st_mode & 0o7777)  # after chown, which clears set-id bits


def _sync_folder(folder: Path) -> None:
    """fsync a folder, so a rename in it is on disk (DuckDB syncs the file at its checkpoint, not its folder)."""
    with contextlib.suppress(OSError):  # a file system that cannot sync a folder: the rename still happened
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def remove_stale_staging(path: Path) -> list[Path]:
    """Delete every staging file of `path` and its WAL, whoever left them (call only while holding the writer lock:
    then none of them belongs to a live run). Returns what was removed."""
    stale = sorted(path.parent.glob(f"{glob.escape(_staging_prefix(path))}*"))
    for leftover in stale:
        if leftover.is_dir() and not leftover.is_symlink():  # a killed run's spill folder (<staging>.tmp)
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
    return stale


def check_publishable(path: Path) -> None:
    """Raise WarehouseError if a run could not publish to `path`: a file in the way, a folder that cannot be
    written, or a published file that is not a whole DuckDB file. Creates and changes nothing."""
    path = publish_target(path)
    if blocker := _file_in_the_way(path):
        raise WarehouseError(
            f"warehouse path {path} is under {blocker}, which is a file, not a folder: set "
            f"QTWATCH_WAREHOUSE to a path in a folder"
        )
    folder = next(p for p in [path.parent.absolute(), *path.parent.absolute().parents] if p.exists())
    if not os.access(folder, os.W_OK):
        raise WarehouseError(
            f"cannot write in {folder}: a run needs its lock file and a staging copy beside the "
            f"warehouse; nothing was changed"
        )
    if path.exists():
        if not path.is_file():
            raise WarehouseError(f"{path} is not a file: point QTWATCH_WAREHOUSE at the warehouse file")
        check_whole(path)
        with duckdb.connect(str(path), read_only=True, config=dict(LOCKED_DOWN)) as con:
            refuse_newer(con, path)


def _ensure_directory(path: Path) -> None:
    """Create the warehouse's folder; a path under a regular file or an unwritable place is one clear error."""
    if blocker := _file_in_the_way(path):
        raise WarehouseError(
            f"warehouse path {path} is under {blocker}, which is a file, not a folder: set "
            f"QTWATCH_WAREHOUSE to a path in a folder"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseError(f"cannot create the warehouse folder {path.parent}: {exc.strerror}") from None


def _file_in_the_way(path: Path) -> Path | None:
    """The first ancestor of `path` that exists and is not a directory (None if there is none)."""
    for parent in reversed(Path(path).absolute().parents):
        if parent.exists() and not parent.is_dir():
            return parent
    return None


def _staging_prefix(path: Path) -> str:
    return f".{path.name}.building-"


def _wal(path: Path) -> Path:
    return path.with_name(f"{path.name}.wal")


def _copy_published(path: Path, staging: Path) -> None:
    """Copy the published file (and a WAL beside it, which DuckDB replays into the copy) to the staging path."""
    if not path.exists():
        return
    _copy(path, staging)
    if _wal(path).exists():
        _copy(_wal(path), _wal(staging))


def _copy(source: Path, target: Path) -> None:
    """Copy in chunks (x = exclusive: a staging name is never reused); the fault point sits between two chunks."""
    # the copy is private (0600) while it is written; keep_ownership gives it the published file's mode at the end
    with open(source, "rb") as src, open(target, "xb", opener=_private) as dst:
        while chunk := src.read(_COPY_CHUNK):
            dst.write(chunk)
            faults.point("copy-partial")


def _private(name: str, flags: int) -> int:
    return os.open(name, flags, 0o600)


def _remove(staging: Path) -> None:
    staging.unlink(missing_ok=True)
    _wal(staging).unlink(missing_ok=True)
    shutil.rmtree(_spill(staging), ignore_errors=True)


def _spill(staging: Path) -> Path:
    """Where DuckDB spills beyond its memory_limit while a run writes `staging`."""
    return staging.with_name(f"{staging.name}.tmp")


def _disk_full(exc: BaseException, folder: Path) -> bool:
    """True when `exc` (or what caused it) is a full disk; DuckDB reports it in its message, not as an errno."""
    seen: BaseException | None = exc
    while seen is not None:
        if (isinstance(seen, OSError) and seen.errno == errno.ENOSPC) or "No space left on device" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    with contextlib.suppress(OSError):  # after a failed write DuckDB may only say "database has been invalidated"
        return shutil.disk_usage(folder).free < _FULL_BYTES
    return False


def _needed_mb(path: Path) -> int:
    size = path.stat().st_size if path.exists() else 0
    return max(1, math.ceil(2 * size / 1e6))


def _refuse_foreign(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """A DuckDB file with tables but no meta.runs belongs to someone else: never write qtwatch's tables into it."""
    ours, tables = con.execute(
        "SELECT count(*) FILTER (WHERE schema_name = 'meta' AND table_name = 'runs'), "
        "count(*) FROM duckdb_tables() WHERE database_name = current_database()"
    ).fetchall()[0]
    if tables and not ours:
        raise WarehouseError(
            f"{path} is a DuckDB database but not a qtwatch warehouse ({tables} tables, no "
            f"meta.runs): qtwatch will not write into it; set QTWATCH_WAREHOUSE to another path"
        )


# A new warehouse is written in the 1.4 storage format so that DuckDB 1.x clients (the PyPI `duckdb-cli`, DBeaver's
# and Harlequin's bundled drivers) can open it too; DuckDB 2 reads and writes it the same.
STORAGE_COMPATIBILITY = {"storage_compatibility_version": "v1.4.0"}


def _open_staging(staging: Path, published: Path, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    try:
        config: dict[str, str | bool | int | float | list[str]] = {} if staging.exists() else {**STORAGE_COMPATIBILITY}
        config["temp_directory"] = str(_spill(staging))  # DuckDB's default, said here: _remove and the sweep know it
        if memory_limit:
            config["memory_limit"] = memory_limit
        return duckdb.connect(str(staging), config=config)
    except duckdb.Error as exc:
        staging.unlink(missing_ok=True)
        raise WarehouseError(integrity.corrupt_message(published, exc)) from None


def query_pl(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    """Run a query and return a polars DataFrame (DuckDB 2 removed `.pl()` from execute() results)."""
    return con.sql(sql, params=params).pl() if params else con.sql(sql).pl()
