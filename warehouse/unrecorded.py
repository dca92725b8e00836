"""Columns a migration added to a raw table that already held rows: those rows never recorded them. Their NULL says
the release that landed them did not read the field, not that the source sent nothing, so a later batch bringing a
value there (everything else equal) fills it in, in raw and in core, instead of landing a revision of every row
(upgrading a 162efbd warehouse revised all 1,944 NY Fed operations held and 270 auctions, in the replay snapshot)."""

from __future__ import annotations

import logging
from datetime import datetime

import duckdb

from transforms.registry import Dataset

_log = logging.getLogger(__name__)


def unrecorded_columns(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, datetime]:
    """Column -> when a migration added it to `table` (schema.table), from meta.schema_columns."""
    try:
        rows = con.execute(
            "SELECT column_name, min(added_at) FROM meta.schema_columns WHERE table_name = ? GROUP BY column_name",
            [table],
        ).fetchall()
    except duckdb.CatalogException:  # a file built before meta.schema_columns existed
        return {}
    return dict(rows)


def fill_unrecorded(con: duckdb.DuckDBPyConnection, dataset: Dataset, batch: str, values: list[str]) -> int:
    """Fill, from the registered relation `batch`, the added columns a version landed before their migration left
    NULL, where the key matches and every other value is equal: in raw, core and core history (when built).
    Returns the raw rows filled; such a row is then equal to the batch, so it lands no revision."""
    added = {c: at for c, at in unrecorded_columns(con, dataset.raw_table).items() if c in values}
    if not added:
        return 0
    same = [f"l.{k} = b.{k}" for k in dataset.key]
    same += [f"l.{c} IS NOT DISTINCT FROM b.{c}" for c in values if c not in added]
    fills = " OR ".join(f"(l.{c} IS NULL AND b.{c} IS NOT NULL)" for c in added)
    sets = ", ".join(
        f"{c} = CASE WHEN l.{c} IS NULL AND l.load_id IN (SELECT load_id FROM meta.loads "
        f"WHERE finished_at < ?) THEN b.{c} ELSE l.{c} END"
        for c in added
    )
    present = {
        f"{s}.{t}"
        for s, t in con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database()"
        ).fetchall()
    }
    filled = 0
    for table in (dataset.raw_table, dataset.core_table, f"{dataset.core_table}_history"):
        if table in present:
            rows = con.execute(
                f"UPDATE {table} AS l SET {sets} FROM {batch} AS b WHERE {' AND '.join(same)} AND ({fills})",
                list(added.values()),
            ).fetchall()
            filled = filled or rows[0][0]
    if filled:
        _log.info(
            "%s: %d rows landed before %s existed got their value filled in (not a revision)",
            dataset.name,
            filled,
            ", ".join(added),
        )
    return filled
