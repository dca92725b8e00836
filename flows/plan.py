"""What each run asks each source for: incremental windows with a revision look-back, from the registry."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import polars as pl

from flows.sources import Window
from transforms.registry import Source
from warehouse.db import query_pl
from warehouse.load import held_max_dates


def plan_windows(
    con: duckdb.DuckDBPyConnection, source: Source, as_of: date, *, full_refresh: bool, groups: list[str] | None = None
) -> dict[str, Window]:
    """Per group (FRED series, or '*'): from (latest held - revision window), or full history when none is held. A
    source fetched whole (no `groups`) starts from its latest row held in any group (e.g. any CFTC contract)."""
    held = {} if full_refresh else held_max_dates(con, source.dataset)
    if groups is None and held:
        held = {"*": max(held.values())}
    end = as_of + timedelta(days=source.lead_days)
    return {g: Window(_start(held.get(g), source.revision_days, as_of), end) for g in (groups or ["*"])}


def _start(latest: date | None, revision_days: int, as_of: date) -> date | None:
    if latest is None:
        return None
    return min(latest, as_of) - timedelta(days=revision_days)


def group_catalog(con: duckdb.DuckDBPyConnection, source: Source) -> pl.DataFrame | None:
    """The rows of the source's `groups_table` (e.g. the FRED series catalog), None for a source fetched whole."""
    if source.groups_table is None:
        return None
    key = source.dataset.group_column
    return query_pl(con, f"SELECT * FROM {source.groups_table} ORDER BY {key}")  # noqa: S608 - registry constants
