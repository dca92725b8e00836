"""Publishing, in the staged warehouse under the writer lock: rebuild core, build the marts, record the run, publish.

Marts come from `transforms.marts_registry.MARTS`: each is built once per run, in dependency order, and a mart that
reads another gets the frame built this run (or the published one when it was not rebuilt). Each step's row in
meta.loads is written by `flows.steps.step`; a branch only sets its outcome.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import cast

import duckdb
import polars as pl
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.states import Failed, State

from flows import incremental, interrupts
from flows.landing import quarantine_message, record_verdict, validate
from flows.marts import read_input
from flows.steps import step
from flows.validation import LazyValidator
from transforms.marts_registry import MARTS, Frames, build_since, mart_sources
from transforms.registry import DATASETS, SOURCES
from warehouse import changes, faults, lake_sync, load, mart_builds, meta
from warehouse.lake import Held, Lake
from warehouse.meta import LoadRecord, LoadStatus, RunSummary


def publish_run(
    con: duckdb.DuckDBPyConnection,
    summary: RunSummary,
    *,
    sources: list[str],
    started: datetime,
    full_refresh: bool,
    validator: LazyValidator,
    warehouse: Path,
    lake: Lake | None = None,
) -> Held | None:
    """After the sources landed: core and marts (when anything landed or a mart is missing), meta.runs, publish (in
    team mode: commit to the lake; returns what it then holds)."""
    landed = {r.source for r in summary.loads if r.rows_landed}
    missing = [] if full_refresh else changes.marts_missing(con, MARTS)  # core's refresh leaves the marts as they are
    if full_refresh or landed or missing:
        refresh_core(con, summary.loads, full_refresh=full_refresh)
    else:
        get_run_logger().info("nothing new landed: core, marts, report and Data Docs stay as published")
    faults.point("core-rebuilt")
    summary.loads.extend(
        publish_marts(
            con,
            validator=validator,
            run_id=summary.run_id,
            failed_sources={r.source for r in summary.failed},
            landed=None if full_refresh else landed,
            missing=missing,
        )
    )
    _record_run(con, summary, sources=sources, started=started)
    faults.point("run-recorded")
    interrupts.check()  # a signal some step swallowed still stops the publish
    return publish(con, warehouse, lake, summary.run_id)


def _record_run(con: duckdb.DuckDBPyConnection, summary: RunSummary, *, sources: list[str], started: datetime) -> None:
    """The run's row in meta.runs: Failed when a load failed, was quarantined or landed in part; else Completed."""
    meta.record_run(
        con,
        run_id=summary.run_id,
        flow_run_id=str(flow_run.id or ""),
        mode=summary.mode,
        as_of=summary.as_of,
        started_at=started,
        finished_at=datetime.now(UTC),
        status="Failed" if summary.failed else "Completed",
        sources=sources,
    )


def refresh_core(con: duckdb.DuckDBPyConnection, loads: list[LoadRecord], *, full_refresh: bool) -> None:
    """Core tables not built yet (every one on a full refresh) from all of raw; the others for this run's loads."""
    landed: dict[str, list[str]] = {}  # dataset -> this run's loads that landed rows in it
    for r in loads:
        if r.rows_landed:
            landed.setdefault(SOURCES[r.source].dataset.name, []).append(r.load_id)
    missing = set(DATASETS) if full_refresh else set(changes.stale_core(con, DATASETS, ()))  # not built yet
    rebuild_core(con, sorted(missing), refresh={d: ids for d, ids in landed.items() if d not in missing})


@task(name="core", cache_policy=NO_CACHE)
def rebuild_core(
    con: duckdb.DuckDBPyConnection, datasets: list[str] | None = None, refresh: dict[str, list[str]] | None = None
) -> None:
    """core.<dataset> (latest version), core.<dataset>_history and core.<dataset>_known_on built from all of raw for
    `datasets` (default every dataset; a new warehouse, a full refresh), and brought up to date for just the keys
    their loads landed for the datasets in `refresh` (dataset -> this run's load ids): a daily run's cost follows
    its new rows, not the history."""
    if datasets is None or datasets:
        load.rebuild_core(con, DATASETS if datasets is None else {d: DATASETS[d] for d in datasets})
    for dataset, load_ids in (refresh or {}).items():
        load.refresh_core(con, DATASETS[dataset], load_ids)


@dataclass
class MartRun:
    """What building this run's marts needs and has built so far."""

    validator: LazyValidator
    wanted: set[str]
    failed_sources: set[str]
    compare: bool  # an incremental run: a rebuilt mart equal to the published one is left as it is
    run_id: str = ""
    previous: dict[str, mart_builds.Build] = field(default_factory=dict)  # each mart's last build (incremental)
    frames: dict[str, pl.DataFrame] = field(default_factory=dict)  # datasets and ref tables read (whole) so far
    built: dict[str, pl.DataFrame] = field(default_factory=dict)  # marts built this run and kept, passed on
    changed: dict[str, date | None] = field(default_factory=dict)  # per mart rebuilt: its first row that changed

    def frame(self, con: duckdb.DuckDBPyConnection, name: str) -> pl.DataFrame:
        """A dataset or ref table as the wanted marts read it whole, read at its first use (an input only the marts
        built incrementally read is never read whole)."""
        if name not in self.frames:
            self.frames[name] = read_input(con, name, self.wanted)
        return self.frames[name]


def publish_marts(
    con: duckdb.DuckDBPyConnection,
    *,
    validator: LazyValidator,
    run_id: str,
    failed_sources: Collection[str] = (),
    landed: Collection[str] | None = None,
    missing: Collection[str] = (),
) -> list[LoadRecord]:
    """Build the marts from core (a task each, each once, in dependency order); publish each one that passes its
    suite, keep the previous one otherwise. A mart computed from a source that failed this run is not rebuilt: kept
    as it was, recorded skipped. With `landed` (the sources that landed rows) only marts computed from one of them,
    or not built yet, are built ('skipped' otherwise), and a rebuilt mart equal to the published one is left as it
    is ('unchanged'). `missing`: the marts changes.marts_missing() found, built in any case."""
    wanted = set(MARTS)
    if landed is not None:
        wanted = {m for m in MARTS if mart_sources(m) & set(landed)} | set(missing)
    run = MartRun(validator, wanted, set(failed_sources), compare=landed is not None, run_id=run_id)
    if run.compare:
        run.previous = mart_builds.previous(con)
    records = []
    for name in MARTS:
        record = LoadRecord(
            f"{run_id}-mart-{name}", run_id, "marts", name, LoadStatus.FAILED, started_at=datetime.now(UTC)
        )
        with step(con, record):
            publish_mart(con, run, record)
        records.append(record)
    get_run_logger().info(
        "marts: %s",
        ", ".join(
            f"{r.dataset} {r.rows_landed:,} rows" if r.status == LoadStatus.PUBLISHED else f"{r.dataset} {r.status}"
            for r in records
        ),
    )
    return records


def publish_mart(con: duckdb.DuckDBPyConnection, run: MartRun, record: LoadRecord) -> None:
    """One mart's outcome: skipped, built and unchanged, published, quarantined or failed (set on `record`)."""
    name = record.dataset
    if name not in run.wanted and not mart_sources(name) & run.failed_sources:
        record.status = LoadStatus.SKIPPED  # none of its sources landed rows: the published mart is current
        return
    if reason := _not_rebuilt(run, name):
        record.status, record.error = LoadStatus.SKIPPED, reason
        get_run_logger().warning("mart %s %s", name, reason)
        return
    started = datetime.now(UTC)  # loads that land after it are changes its next build reads
    plan = incremental.plan(con, name, run.previous, run.changed) if run.compare else incremental.WHOLE
    if plan.kept:  # none of its inputs changed since its rows were computed
        record.status, run.built[name], run.changed[name] = LoadStatus.UNCHANGED, read_input(con, name), None
        mart_builds.record(con, name, run.run_id, started, run.previous[name].cut)
        return
    state = _build(con, run, name, plan)
    if not state.is_completed():
        record.error = (state.message or "failed")[:500]
        return
    frame = cast(pl.DataFrame, state.result())
    record.rows_fetched = frame.height
    faults.point(f"mart-{name}")  # built, not yet compared, validated or written
    if run.compare and changes.same_as_published(con, name, frame):
        record.status, run.built[name], run.changed[name] = LoadStatus.UNCHANGED, frame, None
        mart_builds.record(con, name, run.run_id, started, plan.cut)
        return
    verdict = validate(run.validator, name, frame, {})[0]
    if not record_verdict(con, verdict, record.load_id, frame):
        record.status, record.error = LoadStatus.QUARANTINED, quarantine_message(verdict.outcome)
        return
    if run.compare:
        run.changed[name] = mart_builds.first_difference(con, name, MARTS[name].date_column, frame)
    record.rows_landed = load.replace_table(con, f"marts.{name}", frame)
    record.status, run.built[name] = LoadStatus.PUBLISHED, frame
    mart_builds.record(con, name, run.run_id, started, plan.cut)
    if plan.cut is not None:
        get_run_logger().info("mart %s: %s rebuilt", name, plan.describe())


def _build(con: duckdb.DuckDBPyConnection, run: MartRun, name: str, plan: incremental.Plan) -> State:
    """The mart's build task, whole or from the plan's cut (its inputs read from there, its rows before kept)."""
    frames: Frames
    kept: pl.DataFrame | None = None
    if plan.cut is None:
        frames = _inputs(con, run, name)
    else:
        frames, kept = incremental.inputs(con, name, plan.cut, run.built)
    return build_mart.with_options(task_run_name=f"mart-{name}")(frames, name, plan.cut, kept, return_state=True)


def _not_rebuilt(run: MartRun, name: str) -> str | None:
    """Why a mart is kept as published: a source it is computed from, or a mart it reads, failed this run (a side
    input that was not published this run is read as published instead)."""
    if blocked := sorted(mart_sources(name) & run.failed_sources):
        return f"not rebuilt: {', '.join(blocked)} failed this run; the previous marts.{name} is kept"
    if broken := [m for m in MARTS[name].main_inputs if m in run.wanted and m not in run.built]:
        return (
            f"not rebuilt: {', '.join(f'marts.{m}' for m in broken)} was not published this run; the previous "
            f"marts.{name} is kept"
        )
    return None


def _inputs(con: duckdb.DuckDBPyConnection, run: MartRun, name: str) -> dict[str, pl.DataFrame]:
    """A mart's input frames: datasets and ref tables read once per run, marts as built this run or as published."""
    marts = {m: run.built[m] if m in run.built else read_input(con, m) for m in MARTS[name].inputs if m in MARTS}
    return {**{i: run.frame(con, i) for i in MARTS[name].inputs if i not in MARTS}, **marts}


@task(name="mart", cache_policy=NO_CACHE)
def build_mart(
    frames: Frames, name: str, cut: date | None = None, kept: pl.DataFrame | None = None
) -> pl.DataFrame | State:
    """One mart from its input frames, amounts rounded to $1 million (from `cut` on, the `kept` rows before it: an
    incremental build); a builder error fails this task alone."""
    try:
        if cut is not None and kept is not None:
            return build_since(MARTS[name], frames, kept, cut)
        return MARTS[name].build(frames)
    except Exception as exc:  # noqa: BLE001 - one broken mart must not hide the others
        message = f"{type(exc).__name__}: {exc}"[:500]
        get_run_logger().error("mart %s failed: %s", name, message)
        return Failed(message=message)


@task(name="publish", cache_policy=NO_CACHE)
def publish(con: duckdb.DuckDBPyConnection, warehouse: Path, lake: Lake | None = None, run_id: str = "") -> Held | None:
    """Checkpoint the staged copy; `db.staged` renames it over the published file as the block closes. In team mode
    the lake's commit comes first (all or nothing): the working copy is renamed over only once the lake holds it."""
    held = None
    if lake is not None:
        held = lake_sync.push(con, lake, warehouse, run_id)
        faults.point("lake-committed")
        get_run_logger().info("committed run %s to the lake %s as snapshot %d", run_id, lake, held.snapshot)
    con.execute("CHECKPOINT")
    get_run_logger().info("staged copy of %s checkpointed; publishing it", warehouse)
    return held


@task(name="report", cache_policy=NO_CACHE)
def write_report(warehouse: Path, report_path: Path) -> str | None:
    """Write the HTML report from the just-published warehouse and link it to the run (the caller, after_publish,
    turns a failure into one warning line)."""
    from flows.report_artifact import attach_report_artifact, build_report

    path = build_report(warehouse, report_path, bundle_beside=True)
    attach_report_artifact(path)
    get_run_logger().info("report: %s", path)
    return str(path)
