"""meta.mart_builds: when each mart's published rows were computed, and by which code (incremental marts, issue 27).

A run may rebuild a mart from its first changed row only when the rows it keeps were computed by the same code; what
changed since then is read from the loads landed after that build (`changed_from`) and from the rows of an upstream
mart that differ from its published ones (`first_difference`)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

import transforms
from transforms.registry import Dataset
from warehouse.build import build_fingerprint

# Loads of other runs that finished this long before a build count as landed after it: the clocks of a team's hosts
# may differ (NTP keeps them within milliseconds; ten minutes is a wide margin), and
# counting a load twice only widens the rows recomputed.
CLOCK_MARGIN = timedelta(minutes=10)


@dataclass(frozen=True)
class Build:
    """One mart's last build: when, by which code, from which row date (None: whole)."""

    mart: str
    run_id: str
    built_at: datetime
    code: str
    cut: date | None


@cache
def code_fingerprint() -> str:
    """SHA-256 over the transforms package's sources and the schema, migration and seed files (build_fingerprint):
    what computes a mart's rows."""
    digest = hashlib.sha256(build_fingerprint().encode())
    root = Path(transforms.__file__).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(f"{path.relative_to(root)}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def previous(con: duckdb.DuckDBPyConnection) -> dict[str, Build]:
    """Every mart's last recorded build."""
    rows = con.execute("SELECT mart, run_id, built_at, code, cut FROM meta.mart_builds").fetchall()
    return {row[0]: Build(*row) for row in rows}


def record(con: duckdb.DuckDBPyConnection, mart: str, run_id: str, built_at: datetime, cut: date | None) -> None:
    """The mart's published rows were computed by run `run_id` at `built_at` by this code, from `cut` on (None:
    all)."""
    # delete and insert, not INSERT OR REPLACE: a working copy pulled from a lake may hold the table without its key
    con.execute("DELETE FROM meta.mart_builds WHERE mart = ?", [mart])
    con.execute(
        "INSERT INTO meta.mart_builds BY NAME SELECT ? AS mart, ? AS run_id, ? AS built_at, ? AS code, ? AS cut",
        [mart, run_id, built_at, code_fingerprint(), cut],
    )


def changed_from(con: duckdb.DuckDBPyConnection, dataset: Dataset, build: Build) -> date | None:
    """The earliest date of the keys whose versions other runs' loads landed after `build` (less CLOCK_MARGIN), every
    version of such a key counted (a key whose date moved counts at both dates); None when none landed."""
    keys = ", ".join(dataset.key)
    landed = (
        f"SELECT DISTINCT {keys} FROM {dataset.raw_table} WHERE load_id IN (SELECT load_id FROM meta.loads "
        f"WHERE dataset = ? AND rows_landed > 0 AND finished_at > ? AND run_id <> ?)"
    )
    rows = con.execute(
        f"SELECT min(r.{dataset.date_column}) FROM {dataset.raw_table} r SEMI JOIN ({landed}) t USING ({keys})",
        [dataset.name, build.built_at - CLOCK_MARGIN, build.run_id],
    ).fetchall()
    return rows[0][0]


def first_difference(con: duckdb.DuckDBPyConnection, mart: str, date_column: str, frame: pl.DataFrame) -> date | None:
    """The earliest `date_column` of a row that `frame` or the published marts.<mart> holds and the other does not
    (before `frame` replaces it); None when they hold the same rows."""
    con.register("_mart_next", frame.to_arrow())
    try:
        columns = ", ".join(f'"{c}"' for c in frame.columns)
        rows = con.execute(f"""
            SELECT min("{date_column}") FROM (
                (SELECT {columns} FROM _mart_next EXCEPT ALL SELECT {columns} FROM marts.{mart})
                UNION ALL
                (SELECT {columns} FROM marts.{mart} EXCEPT ALL SELECT {columns} FROM _mart_next))""").fetchall()
        return rows[0][0]
    finally:
        con.unregister("_mart_next")
