"""Write pipeline bookkeeping: meta.runs, meta.loads, meta.validations and meta.quarantine."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

import duckdb
import polars as pl


class LoadStatus(StrEnum):
    """The status of a source's or a mart's load in a run (meta.loads.status; see its column comment)."""

    PUBLISHED = "published"  # new rows landed, or the mart was replaced
    UNCHANGED = "unchanged"  # nothing new: the batch or the rebuilt mart equals what is held
    PARTIAL = "partial"  # landed, but some groups (FRED series) failed alone
    QUARANTINED = "quarantined"  # failed validation: kept in meta.quarantine, never merged
    FAILED = "failed"  # fetch, parse, check or build error
    SKIPPED = "skipped"  # a mart not rebuilt: a source it is computed from failed, or none landed new rows

    @classmethod
    def failing(cls) -> tuple[LoadStatus, ...]:
        """The statuses that make a run Failed."""
        return cls.FAILED, cls.QUARANTINED, cls.PARTIAL

    @classmethod
    def good(cls) -> tuple[LoadStatus, ...]:
        """The statuses of a source load that left its data current (freshness counts from the last one)."""
        return cls.PUBLISHED, cls.UNCHANGED, cls.PARTIAL


@dataclass
class LoadRecord:
    """One source's outcome in one run (a row of meta.loads)."""

    load_id: str
    run_id: str
    source: str
    dataset: str
    status: str  # a LoadStatus
    rows_fetched: int = 0
    rows_landed: int = 0
    window_start: date | None = None
    window_end: date | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    seconds: float = 0.0
    error: str | None = None


@dataclass
class RunSummary:
    """What a run did, per source and mart, for the CLI, the run artifact and the report hook."""

    run_id: str
    as_of: date
    mode: str
    warehouse: str
    loads: list[LoadRecord] = field(default_factory=list)
    docs_path: str | None = None
    report_path: str | None = None
    warnings: list[str] = field(default_factory=list)  # what a step after the publish did not write, one line each

    @property
    def failed(self) -> list[LoadRecord]:
        """Loads that failed, were quarantined or landed only in part (the run then ends Failed)."""
        return [r for r in self.loads if r.status in LoadStatus.failing()]


def record_run(
    con: duckdb.DuckDBPyConnection,
    *,
    run_id: str,
    flow_run_id: str | None,
    mode: str,
    as_of: date,
    started_at: datetime,
    finished_at: datetime,
    status: str,
    sources: Sequence[str],
) -> None:
    """Insert (or replace) the run's row in meta.runs."""
    con.execute(
        "INSERT OR REPLACE INTO meta.runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [run_id, flow_run_id, mode, as_of, started_at, finished_at, status, list(sources)],
    ).fetchall()


def record_load(con: duckdb.DuckDBPyConnection, load: LoadRecord) -> None:
    """Insert (or replace) one row of meta.loads."""
    values = [getattr(load, f) for f in LoadRecord.__dataclass_fields__]
    con.execute(f"INSERT OR REPLACE INTO meta.loads VALUES ({', '.join('?' * len(values))})", values).fetchall()


def record_validation(
    con: duckdb.DuckDBPyConnection,
    *,
    load_id: str,
    dataset: str,
    success: bool,
    evaluated: int,
    failed: int,
    failed_rules: Sequence[str],
    seconds: float,
    validated_at: datetime,
) -> None:
    """Append one validation outcome to meta.validations."""
    con.execute(
        "INSERT INTO meta.validations VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [load_id, dataset, success, evaluated, failed, list(failed_rules), seconds, validated_at],
    ).fetchall()


def quarantine(
    con: duckdb.DuckDBPyConnection,
    *,
    load_id: str,
    dataset: str,
    frame: pl.DataFrame,
    failed_rules: Sequence[str],
    result_json: str,
    at: datetime,
) -> None:
    """Keep a failing batch (its rows, the failed rules and the GX result) in meta.quarantine; it is never merged."""
    payload = json.dumps(frame.to_dicts(), default=str)
    con.execute(
        "INSERT INTO meta.quarantine VALUES (?, ?, ?, ?, ?, ?, ?)",
        [load_id, dataset, at, list(failed_rules), result_json, frame.height, payload],
    ).fetchall()
