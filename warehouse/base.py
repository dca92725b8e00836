"""What every warehouse module shares: the error a user sees in one line, a transaction around a block, and the
locked-down configuration every reader opens the published file with."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import duckdb

# Every reader of the published file opens it locked down: a SELECT can read the warehouse and nothing else — no
# local file (read_text('/proc/self/environ') would print the API key), no URL, no extension download, no COPY/ATTACH
# — and no statement can switch that back on. (One config for every reader: DuckDB refuses a second connection to the
# same file with a different configuration in one process.) The DuckDB CLI stays the power tool for anything else.
LOCKED_DOWN = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


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
