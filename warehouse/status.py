"""Warehouse status: the last run, each source's last load and freshness against its release calendar (from the
source registry), mart sizes and quarantined batches. Read-only; `qtwatch status` and the run artifact use it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from transforms.registry import SOURCES, Release, Source
from warehouse.holes import Hole, find_holes
from warehouse.meta import LoadStatus

# Release rules live in the source registry (transforms/registry.py), each with its citation. A run may happen before
# the day's release, so "expected" is the latest observation published *before* the reference day.
RELEASES: dict[str, Release] = {
    **{name: source.release for name, source in SOURCES.items()},
    **{
        f"{name}:{group}": release
        for name, source in SOURCES.items()
        for group, release in source.group_releases.items()
    },
}


def previous_business_day(day: date) -> date:
    """The weekday before `day` (holidays are covered by each release's grace)."""
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def expected_latest(release: Release, reference: date) -> date:
    """Latest observation date that should be public before `reference` (weekly observations are dated on the
    release's `weekday`: Wednesday for H.4.1, Tuesday for the CFTC's positions)."""
    if release.weekly:
        published = reference - timedelta(days=1)  # released on or before the day before the reference
        weekday = 2 if release.weekday is None else release.weekday
        dated = published - timedelta(days=(published.weekday() - weekday) % 7)
        return dated if dated + timedelta(days=release.lag) <= published else dated - timedelta(days=7)
    if not release.business_days:
        return reference - timedelta(days=release.lag + 1)
    day = previous_business_day(reference)
    for _ in range(release.lag):
        day = previous_business_day(day)
    return day


@dataclass
class Freshness:
    """A dataset's (or FRED series') latest observation against the one the release calendar expects."""

    name: str
    latest: date | None
    expected: date
    grace_days: int

    @property
    def days_behind(self) -> int:
        """Days from the latest held observation to the expected one (huge when nothing is held)."""
        return (self.expected - self.latest).days if self.latest else 10**6

    @property
    def is_stale(self) -> bool:
        """Older than expected by more than the grace a holiday can explain."""
        return self.days_behind > self.grace_days

    @property
    def state(self) -> str:
        """fresh, stale: N d behind, or no data."""
        if self.latest is None:
            return "no data"
        return f"stale: {self.days_behind} d behind" if self.is_stale else "fresh"


@dataclass
class SourceStatus:
    """The last load of one source and the freshness of what the warehouse holds from it."""

    source: str
    dataset: str
    last_status: str | None
    last_finished_at: datetime | None
    last_good_at: datetime | None
    rows_landed: int | None
    rows_held: int
    freshness: Freshness
    error: str | None = None
    series: list[Freshness] = field(default_factory=list)


@dataclass
class WarehouseStatus:
    """What `qtwatch status` shows: the warehouse file, its latest run, each source, marts and quarantine."""

    path: Path
    size_bytes: int
    reference: date
    reference_reason: str
    last_run: dict | None
    sources: list[SourceStatus]
    marts: dict[str, int]
    quarantined: list[dict]
    holes: list[Hole] = field(default_factory=list)

    @property
    def stale(self) -> list[str]:
        """Names of the sources and FRED series whose data is older than the calendar expects."""
        rows = [s.freshness for s in self.sources if not s.series] + [f for s in self.sources for f in s.series]
        return [f.name for f in rows if f.is_stale]


def collect_status(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    as_of: date | None = None,
    today: date | None = None,
    *,
    with_holes: bool = True,
) -> WarehouseStatus:
    """Last run, per-source last load and freshness, mart rows and quarantined batches of the warehouse at `path`.
    Freshness is judged on `as_of`, else the last run's as-of for a replay run, else today. `with_holes=False` leaves
    the holes out (they read every held date: the run artifact shows freshness only)."""
    last_run = _last_run(con)
    reference, reason = _reference(as_of, last_run, today or date.today())
    loads = _last_loads(con)
    sources = [_source_status(con, source, loads.get(name), reference) for name, source in SOURCES.items()]
    size = path.stat().st_size if path.exists() else 0
    return WarehouseStatus(
        path,
        size,
        reference,
        reason,
        last_run,
        sources,
        _mart_rows(con),
        _quarantined(con),
        find_holes(con) if with_holes else [],
    )


def _reference(as_of: date | None, last_run: dict | None, today: date) -> tuple[date, str]:
    if as_of is not None:
        return as_of, "--as-of"
    if last_run and last_run["mode"] == "replay" and last_run["as_of"]:
        return last_run["as_of"], "as-of of the last run (replay)"
    return today, "today"


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    result = con.execute(sql, params or [])
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


def _last_run(con: duckdb.DuckDBPyConnection) -> dict | None:
    runs = _rows(
        con,
        "SELECT run_id, mode, as_of, status, started_at, finished_at FROM meta.runs ORDER BY started_at DESC LIMIT 1",
    )
    return runs[0] if runs else None


_GOOD = ", ".join(f"'{status}'" for status in LoadStatus.good())  # constants, never input


def _last_loads(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    rows = _rows(
        con,
        f"""
        SELECT source, status, finished_at, rows_landed, error,
               max(finished_at) FILTER (WHERE status IN ({_GOOD}))
                   OVER (PARTITION BY source) AS last_good_at
        FROM meta.loads WHERE source <> 'marts'
        QUALIFY row_number() OVER (PARTITION BY source ORDER BY started_at DESC) = 1""",
    )
    return {row["source"]: row for row in rows}


def _source_status(con: duckdb.DuckDBPyConnection, source: Source, load: dict | None, reference: date) -> SourceStatus:
    d = source.dataset
    where = d.observed or "TRUE"
    try:
        held, latest = con.execute(
            f"SELECT count(*), max({d.date_column}) FILTER (WHERE {where}) FROM {d.core_table}"
        ).fetchall()[0]
    except duckdb.CatalogException:  # a source registered after this warehouse was last built
        held, latest = 0, None
    series = _group_freshness(con, source, reference) if source.group_releases and source.groups_table else []
    release = source.release
    status = SourceStatus(
        source.name,
        d.name,
        None,
        None,
        None,
        None,
        held,
        Freshness(source.name, latest, expected_latest(release, reference), release.grace_days),
        series=series,
    )
    if load:
        status.last_status, status.last_finished_at = load["status"], load["finished_at"]
        status.last_good_at, status.rows_landed, status.error = load["last_good_at"], load["rows_landed"], load["error"]
    return status


def _group_freshness(con: duckdb.DuckDBPyConnection, source: Source, reference: date) -> list[Freshness]:
    """One row per group of the source's groups table (FRED series), judged by its group's release rule."""
    group, stamp, d = source.dataset.group_column, source.group_release_column, source.dataset
    rows = con.execute(f"""
        SELECT g.{group}, g.{stamp}, max(o.{d.date_column}) FILTER (WHERE o.value IS NOT NULL)
        FROM {source.groups_table} g LEFT JOIN {d.core_table} o USING ({group})
        GROUP BY ALL ORDER BY g.{group}""").fetchall()
    out = []
    for name, kind, latest in rows:
        release = source.group_releases.get(kind, source.release)
        out.append(Freshness(f"{source.name}:{name}", latest, expected_latest(release, reference), release.grace_days))
    return out


def _mart_rows(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' ORDER BY table_name"
        ).fetchall()
    ]
    return {t: con.execute(f"SELECT count(*) FROM marts.{t}").fetchall()[0][0] for t in tables}


def _quarantined(con: duckdb.DuckDBPyConnection) -> list[dict]:
    return _rows(
        con,
        "SELECT load_id, dataset, quarantined_at, row_count, failed_rules FROM meta.quarantine "
        "ORDER BY quarantined_at DESC",
    )
