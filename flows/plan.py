"""Which sources exist and what each run asks them for: incremental windows with a revision look-back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import polars as pl

from flows.sources import Window
from warehouse.datasets import DATASETS, SOURCE_DATASETS, Dataset
from warehouse.db import query_pl
from warehouse.load import held_max_dates


@dataclass(frozen=True)
class SourceSpec:
    """A source: the dataset it lands, how far back each incremental run re-reads, how far ahead it looks."""

    name: str
    dataset: Dataset
    revision_days: int  # re-read this many days before the latest held date to pick up revisions
    lead_days: int = 0  # ask past as-of (auctions are announced up to ~a month ahead, results come later)


SOURCES: dict[str, SourceSpec] = {
    s.name: s
    for s in (
        SourceSpec("fred", DATASETS[SOURCE_DATASETS["fred"]], revision_days=60),
        SourceSpec("auctions", DATASETS[SOURCE_DATASETS["auctions"]], revision_days=30, lead_days=30),
        SourceSpec("nyfed_rates", DATASETS[SOURCE_DATASETS["nyfed_rates"]], revision_days=14),
        SourceSpec("nyfed_repo", DATASETS[SOURCE_DATASETS["nyfed_repo"]], revision_days=14),
        SourceSpec("dts", DATASETS[SOURCE_DATASETS["dts"]], revision_days=14),
    )
}


def plan_windows(con: duckdb.DuckDBPyConnection, spec: SourceSpec, as_of: date, *, full_refresh: bool,
                 groups: list[str] | None = None) -> dict[str, Window]:
    """Per group (FRED series, or '*'): from (latest held - revision window), or full history when none is held."""
    held = {} if full_refresh else held_max_dates(con, spec.dataset)
    end = as_of + timedelta(days=spec.lead_days)
    return {g: Window(_start(held.get(g), spec.revision_days, as_of), end) for g in (groups or ["*"])}


def _start(latest: date | None, revision_days: int, as_of: date) -> date | None:
    if latest is None:
        return None
    return min(latest, as_of) - timedelta(days=revision_days)


def fred_catalog(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The FRED series catalog as loaded from warehouse/seeds/fred_series.csv."""
    return query_pl(con, "SELECT * FROM ref.fred_series ORDER BY series_id")
