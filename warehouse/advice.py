"""What to tell a user whose warehouse file cannot be used: the real cause first, then how to keep what is there.

One home for every message that could lead someone to move, delete or rebuild a warehouse (a rebuild loses the
kept history and revisions): a file held open by another process is fine and needs closing, not moving; a file
written by another qtwatch or DuckDB release is intact; only a damaged file is worth moving aside, and even then a
copy is kept first. Other modules (db, the CLI's commands, schema versions and migrations) call these functions
rather than writing their own advice.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

_LOCK_HINTS = ("could not set lock", "conflicting lock")
_VERSION_HINTS = ("version number", "storage version", "serialization version", "newer version", "older version")
_PID = re.compile(r"\(PID (\d+)\)")


def first_line(cause: BaseException | str) -> str:
    """The first line of an error (or its type's name when it has no message), at most 200 characters."""
    text = (str(cause).strip().splitlines() or [""])[0]
    return (text or type(cause).__name__)[:200]


def is_locked(cause: BaseException | str) -> bool:
    """True when DuckDB refused the file because another process holds it open (a lock, not damage)."""
    return any(hint in str(cause).lower() for hint in _LOCK_HINTS)


def cannot_open(path: Path, cause: BaseException | str) -> str:
    """One line for a warehouse DuckDB could not open or read: locked, another storage version, or damaged."""
    if is_locked(cause):
        return locked(path, cause)
    if any(hint in str(cause).lower() for hint in _VERSION_HINTS):
        return other_duckdb(path, cause)
    return damaged(path, cause)


def locked(path: Path, cause: BaseException | str = "") -> str:
    """The file is held open read-write by another process: it is not damaged; say who holds it and how to close."""
    pid = _PID.search(str(cause))
    holder = f"pid {pid.group(1)}" if pid else "another process"
    find = f"`ps -p {pid.group(1)} -o pid,args` shows it" if pid else f"`fuser -v {path}` or `lsof {path}` shows it"
    return (
        f"warehouse {path} is held open for writing by {holder} (e.g. a DuckDB shell opened without -readonly; "
        f"{find}): the file is fine and nothing was changed; close that program (or reopen it with -readonly, "
        f"or use `qtwatch sql`) and run again"
    )


def other_duckdb(path: Path, cause: BaseException | str) -> str:
    """The file was written by a DuckDB this qtwatch cannot read: intact, so keep it and use a matching release."""
    return (
        f"warehouse {path} cannot be opened by this qtwatch's DuckDB ({first_line(cause)}): it was written by "
        f"another DuckDB release and is not damaged; keep it as it is and open it with the qtwatch (and DuckDB) "
        f"release that wrote it, or upgrade this one"
    )


def damaged(path: Path, cause: BaseException | str) -> str:
    """The file is not a whole DuckDB file: keep a copy first; only then move it aside and build a new one."""
    return (
        f"warehouse {path} cannot be opened ({first_line(cause)}); it is not a valid DuckDB file. Keep what is "
        f"there first: restore it from a backup if you have one, else move it aside and keep it (`mv {path} "
        f"{path}.bad`), then build a new one with `qtwatch run --replay` or `qtwatch run` (the new file starts "
        f"without the old one's history and revisions)"
    )


def other_schema(path: Path, newer: bool | None, detail: str = "") -> str:
    """A valid qtwatch warehouse built by an older or newer qtwatch release: nothing is wrong with the data."""
    which = {True: "a newer", False: "an older", None: "another"}[newer]
    said = f" ({detail})" if detail else ""
    todo = (
        "open it with that newer qtwatch, or upgrade this one"
        if newer
        else "open it with the qtwatch release that built it (or a release that migrates it in place)"
    )
    return (
        f"warehouse {path} is a valid qtwatch warehouse built by {which} qtwatch release: its schema differs "
        f"from this release's{said}. Keep it as it is (do not move or rebuild it: it holds the kept history); "
        f"{todo}"
    )


def schema_problem(con: duckdb.DuckDBPyConnection, path: Path, cause: BaseException) -> str | None:
    """When a query failed on a missing table or column of a qtwatch warehouse (it has meta.runs) whose tables differ
    from this release's, the line saying it was built by an older or newer release; else None."""
    held = _tables(con)
    if "meta.runs" not in held:
        return None
    from warehouse.db import expected_tables  # db imports this module: import at call time

    wanted = expected_tables()
    missing = sorted(wanted - held)
    unknown = sorted(t for t in held - wanted if not t.startswith("core."))  # core is built by runs, not the DDL
    if not missing and not unknown:  # this release's own tables: the cause is elsewhere (e.g. no run yet)
        return None
    newer = True if unknown and not missing else False if missing and not unknown else None
    shown = [*(f"no {t}" for t in missing[:3]), *(f"has {t}" for t in unknown[:3])] or [first_line(cause)]
    return other_schema(path, newer, ", ".join(shown))


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE database_name = current_database()"
    ).fetchall()
    return {name for (name,) in rows}
