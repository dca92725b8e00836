"""Is a warehouse file whole? Every block its tables, catalog and free list use is there and passes its checksum.

A truncated or damaged DuckDB file still opens and answers the queries that touch only its intact blocks, so a run
and every reader check the file before trusting it (`check_whole`); within one run an unchanged file is read once
(`remembering_checks`).
"""

from __future__ import annotations

import contextlib
import struct
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

import duckdb

from warehouse import advice
from warehouse.base import LOCKED_DOWN, WarehouseError

# DuckDB's file layout: a main header block, then two database headers (the live one has the higher iteration),
# then `block_count` blocks of `block_alloc_size` bytes.
_BLOCK_HEADER = 4096
HEADER_BYTES = 3 * _BLOCK_HEADER

# Inside remembering_checks(): file -> the identity (inode, size, mtime, ctime) it had when it was last found whole.
_checked: ContextVar[dict[str, tuple[int, ...]] | None] = ContextVar("qtwatch_checked_warehouses", default=None)


@contextlib.contextmanager
def remembering_checks() -> Iterator[None]:
    """Within the block (one run: its CLI checks, flow body and task threads), check_whole reads a file's blocks
    once and then trusts it while its inode, size, mtime and ctime stay the same; a file this process published
    counts as checked. A run checked the same unchanged file 9 times (~0.12 s each for the replay warehouse). Any
    write to the file, a truncation or a replacement changes its identity and so checks it again."""
    outer = _checked.get()
    token = _checked.set({} if outer is None else outer)  # a nested block shares its run's memory
    try:
        yield
    finally:
        _checked.reset(token)


def _identity(path: Path) -> tuple[int, ...]:
    stat = path.stat()
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def remember_whole(path: Path, identity: tuple[int, ...] | None = None) -> None:
    """Inside remembering_checks(): `path` is whole as long as it keeps `identity` (default: its identity now)."""
    if (checked := _checked.get()) is not None:
        checked[str(Path(path).absolute())] = identity or _identity(Path(path))


def known_whole(path: Path) -> tuple[bool, tuple[int, ...] | None]:
    """(whether `path` was found whole in this run and is unchanged since, its identity now) — identity None outside
    remembering_checks()."""
    if (checked := _checked.get()) is None:
        return False, None
    identity = _identity(Path(path))
    return checked.get(str(Path(path).absolute())) == identity, identity


def check_whole(path: Path, con: duckdb.DuckDBPyConnection | None = None) -> None:
    """Raise WarehouseError unless `path` is a whole DuckDB file: every block its tables, catalog and free list
    use is there and passes its checksum.

    A truncated or damaged file opens and answers every query that touches only its intact blocks (row counts come
    from metadata), so the end of the file is checked against the highest block in use, and every column of every
    table is read once (DuckDB verifies a block's checksum when it reads it; ~0.1 s for the replay warehouse).
    `con`: an open connection to `path` to use. Inside remembering_checks() an unchanged file is checked once."""
    known, identity = known_whole(path)
    if known:
        return
    with open(path, "rb") as handle:
        head = handle.read(HEADER_BYTES)
    if len(head) < HEADER_BYTES or head[8:12] != b"DUCK":
        raise WarehouseError(corrupt_message(path, "not a DuckDB file"))
    # two database headers follow the main one; the one with the higher iteration is current
    headers = [struct.unpack_from("<QQqq", head, offset) for offset in (_BLOCK_HEADER, 2 * _BLOCK_HEADER)]
    _, _, meta_block, free_list = max(headers, key=lambda h: h[1])
    own = con is None
    try:
        con = con or duckdb.connect(str(path), read_only=True, config=dict(LOCKED_DOWN))
        highest = max(_highest_data_block(con), *(_block_id(p) for p in (meta_block, free_list)))
        _read_every_block(con)
        # metadata blocks (the catalog, row groups) hold no table data but may be the file's last ones; the block
        # count in the header is no bound: DuckDB truncates trailing free blocks, so a whole file may be shorter
        metadata = con.execute("SELECT max(block_id) FROM pragma_metadata_info()").fetchall()[0][0]
        highest = max(highest, metadata if metadata is not None else -1)
        block_size = con.execute("SELECT block_size FROM pragma_database_size()").fetchall()[0][0]
    except duckdb.Error as exc:
        raise WarehouseError(corrupt_message(path, exc)) from None
    finally:
        if own and con is not None:
            con.close()
    expected, actual = HEADER_BYTES + (highest + 1) * block_size, path.stat().st_size
    if actual < expected:
        raise WarehouseError(corrupt_message(path, f"truncated: {actual:,} bytes, its blocks need {expected:,}"))
    if (actual - HEADER_BYTES) % block_size:  # DuckDB writes and truncates whole blocks: a part of one is a cut
        raise WarehouseError(corrupt_message(path, f"truncated: {actual:,} bytes is not a whole number of blocks"))
    if identity is not None:  # the identity it had before it was read: a change since then is checked again
        remember_whole(path, identity)


def _highest_data_block(con: duckdb.DuckDBPyConnection) -> int:
    tables = con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database()"
    ).fetchall()
    highest = -1
    for schema, table in tables:
        used = con.execute("SELECT max(block_id) FROM pragma_storage_info(?)", [f'"{schema}"."{table}"']).fetchall()
        highest = max(highest, used[0][0] if used[0][0] is not None else -1)
    return highest


def _read_every_block(con: duckdb.DuckDBPyConnection) -> None:
    tables = con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database()"
    ).fetchall()
    for schema, table in tables:  # hashing every column makes DuckDB read (and checksum) every block of the table
        con.execute(f'SELECT count(*), bit_xor(hash(COLUMNS(*))) FROM "{schema}"."{table}"').fetchall()


def _block_id(pointer: int) -> int:
    """A metadata pointer's block id (the top byte is the index inside the block; -1 means none)."""
    return -1 if pointer < 0 else pointer & ((1 << 56) - 1)


def corrupt_message(path: Path, exc: Exception | str) -> str:
    """The one line for a file DuckDB cannot open or read: its real cause and how to keep it (warehouse.advice)."""
    return advice.cannot_open(path, exc)
