"""Read the published warehouse before taking the writer lock: what a run plans, fetches and checks against.

A run fetches and validates every source before it takes the writer slot and the staging copy, so a slow source
never holds them. It reads the published file read-only (readers never block the writer: a publish renames a new
file over the path), or an empty in-memory warehouse when none is published yet. Under the lock the run compares
the published file's identity with the one it read: if another run published meanwhile, it checks again."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import duckdb

from warehouse import db

Identity = tuple[int, ...] | None


def identity(path: Path) -> Identity:
    """The published file's identity (device, inode, size, mtime, ctime), None when there is none."""
    path = Path(path)
    stat = path.stat() if path.is_file() else None
    return None if stat is None else (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


@contextlib.contextmanager
def reading(path: Path) -> Iterator[tuple[duckdb.DuckDBPyConnection | None, Identity]]:
    """(connection, identity) to plan and check against without the lock: the published file read-only when it was
    built by this code, an empty in-memory warehouse when there is no file; (None, identity) when the file must be
    upgraded first (an older schema) or cannot be read (the run then does it all under the lock, as before)."""
    path = Path(path)
    before = identity(path)
    con = _open(path) if before is not None else duckdb.connect()
    if con is None:
        yield None, before
        return
    with con:
        if before is None:
            db.ensure_built(con)
        yield con, before


def _open(path: Path) -> duckdb.DuckDBPyConnection | None:
    """The published file read-only if it is whole and built from exactly this code's schema and seeds."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:  # locked or corrupt: the staged write says what to do, under the lock
        return None
    try:
        db.check_whole(path, con)
        if con.execute("SELECT fingerprint FROM meta.schema_build").fetchall() == [(db.build_fingerprint(),)]:
            return con
    except (duckdb.Error, db.WarehouseError):
        pass
    con.close()
    return None
