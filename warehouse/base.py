"""What every warehouse module shares: the error a user sees in one line, and a transaction around a block."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import duckdb


class WarehouseError(RuntimeError):
    """The warehouse file is missing, corrupt, locked or not built yet; the message says what to run."""


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
