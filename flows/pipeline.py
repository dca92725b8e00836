"""The qtwatch flow: fetch and check each source, then under the writer lock land, rebuild core and marts, publish.

Reads as fetch/validate (flows.landing, before the lock) -> land (flows.landing) -> core -> marts -> publish
(flows.publishing) -> Data Docs, report, artifact, alert. Settings are read once, at the flow's entry, into a
`RunConfig` of plain values; tasks and helpers get what they need as arguments. Every step is a Prefect task named
after its source or mart, so a failed run shows the failing step red in the UI; a task that quarantines a batch or
fails a mart returns a Failed state (no traceback in the logs) and the flow goes on with the others.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
from prefect import flow, get_run_logger
from prefect.runtime import flow_run
from prefect.states import Failed, State

from flows import interrupts
from flows.after_publish import after_publish, final_state
from flows.alerts import notify_failure, raise_stress_event
from flows.artifacts import publish_artifact
from flows.landing import Prepared, _is_transient, check_batch, land_prepared, prepare_sources
from flows.publishing import publish_run, write_report
from flows.run_config import RunConfig, _api_keys, guard_secrets
from flows.settings import get_settings, outputs_dir
from flows.snapshot import snapshot_as_of
from flows.validation import LazyValidator
from flows.writer_slot import writer_slot
from transforms.registry import SOURCES
from warehouse import db, faults, lake_sync, published
from warehouse.meta import LoadStatus, RunSummary
from warehouse.pit import AsOfRefused, check_as_of

__all__ = ["PipelineFailed", "RunConfig", "_api_keys", "_is_transient", "check_sources", "qtwatch_pipeline"]
NEW_YORK = ZoneInfo("America/New_York")


class PipelineFailed(RuntimeError):
    """At least one source failed or was quarantined; the others were published."""


def _run_name() -> str:
    params = flow_run.parameters
    mode = "replay" if params.get("replay") else "live"
    sources = "+".join(params.get("sources") or ["all"])
    return f"{mode}-{sources}-asof-{params.get('as_of') or _default_as_of(mode == 'replay', params.get('replay_dir'))}"


def _default_as_of(replay: bool, replay_dir: str | Path | None) -> date:
    """Today in New York; for a replay run the snapshot's last recorded day (flows.snapshot), so the demo is fresh."""
    if replay:
        return snapshot_as_of(Path(replay_dir or get_settings().replay_dir))
    return datetime.now(NEW_YORK).date()


@flow(
    name="qtwatch-pipeline",
    flow_run_name=_run_name,
    log_prints=False,
    on_failure=[notify_failure],
    on_crashed=[notify_failure],
)
def qtwatch_pipeline(
    sources: list[str] | None = None,
    replay: bool = False,
    as_of: date | None = None,
    full_refresh: bool = False,
    replay_dir: str | None = None,
) -> RunSummary | State:
    """Fetch every registered source (FRED, Treasury auctions, NY Fed rates and operations, the DTS TGA, ...) and
    validate every batch; then, holding the writer lock, land raw, rebuild core and marts and publish the DuckDB
    warehouse atomically. Fails if any source failed or was quarantined."""
    interrupts.rearm()
    with db.remembering_checks():  # the published file is read whole once per run, not at every step
        config = RunConfig.from_settings(get_settings(), replay=replay, replay_dir=replay_dir)
        names, as_of = _start(config, sources, as_of, replay)
        pull_lake(config)
        try:  # before anything is fetched or staged: a refused run leaves the warehouse byte-identical
            check_as_of(config.warehouse, as_of, names)
        except AsOfRefused as exc:
            get_run_logger().error("run refused: %s", exc)
            return Failed(message=f"run refused: {exc}")
        summary = RunSummary(_new_run_id(), as_of, "replay" if replay else "live", str(config.warehouse))
        return _run(summary, config, names, full_refresh)


def _start(config: RunConfig, sources: list[str] | None, as_of: date | None, replay: bool) -> tuple[list[str], date]:
    """Check the replay snapshot and the source names, guard the API keys; the sources and the as-of date."""
    if config.replay_dir is not None and not config.replay_dir.is_dir():  # said once here, not once per source task
        raise FileNotFoundError(
            f"replay directory {config.replay_dir} not found: set QTWATCH_REPLAY_DIR or run "
            f"`python -m scripts.build_replay` to build the snapshot"
        )
    guard_secrets(config)
    return check_sources(sources), as_of or _default_as_of(replay, config.replay_dir)


@dataclass(frozen=True)
class _Run:
    """What the steps before and under the writer lock share: the run's summary (filled in as it goes), settings,
    sources, start time and great-expectations validator."""

    summary: RunSummary
    config: RunConfig
    names: list[str]
    full_refresh: bool
    started: datetime
    validator: LazyValidator

    def prepare(self, con: duckdb.DuckDBPyConnection) -> list[Prepared]:
        """Plan, fetch, check and validate every source against `con` (flows.landing.prepare_sources)."""
        return prepare_sources(
            con,
            names=self.names,
            run_id=self.summary.run_id,
            as_of=self.summary.as_of,
            full_refresh=self.full_refresh,
            config=self.config,
            validator=self.validator,
        )


def _run(summary: RunSummary, config: RunConfig, names: list[str], full_refresh: bool) -> RunSummary | State:
    """Fetch and check before the lock; land, rebuild and publish under it; then the after-publish steps."""
    started = datetime.now(UTC)
    _log_start(summary, config, names)
    validator = _new_validator(
        root=outputs_dir(config.warehouse.resolve()), run_name=summary.run_id, keep_runs=config.gx_keep_runs
    )
    run = _Run(summary, config, names, full_refresh, started, validator)
    prepared, seen = _prepare_before_lock(run)
    _land_and_publish(run, prepared, seen)
    get_run_logger().info("published %s", config.lake or config.warehouse)
    faults.point("published")
    _after_publish(summary, config, validator)
    if summary.failed:
        raise PipelineFailed("; ".join(f"{r.source} {r.status}: {r.error}" for r in summary.failed))
    return final_state(summary)


def _log_start(summary: RunSummary, config: RunConfig, names: list[str]) -> None:
    """One line: the run id, mode, as-of date, sources and warehouse."""
    get_run_logger().info(
        "run %s: %s as of %s, sources %s -> %s",
        summary.run_id,
        summary.mode,
        summary.as_of,
        ", ".join(names),
        config.warehouse,
    )


def _prepare_before_lock(run: _Run) -> tuple[list[Prepared] | None, published.Identity]:
    """Fetch and check against the published file, read-only (None when it must be upgraded first), and its identity
    as read, to tell later whether another run published meanwhile."""
    with published.reading(run.config.warehouse) as (reader, seen):  # no writer slot, no staging copy yet
        return (run.prepare(reader) if reader is not None else None), seen


def _land_and_publish(run: _Run, prepared: list[Prepared] | None, seen: published.Identity) -> None:
    """Under the writer lock, in a staged copy: land the batches, rebuild core and marts, record the run, publish."""
    config = run.config
    held = None
    with writer_slot(config.writer_wait_s):
        pull_lake(config)  # team mode: another host may have published while this one fetched
        with db.staged(
            config.warehouse,
            wait_s=config.writer_wait_s,
            on_wait=get_run_logger().warning,
            memory_limit=config.duckdb_memory_limit,
        ) as con:
            if prepared is None:  # a warehouse to upgrade (or unreadable) first: plan and fetch against the copy
                prepared = run.prepare(con)
            elif published.identity(config.warehouse) != seen:
                _check_again(con, prepared, run.validator)
            for item in prepared:
                run.summary.loads.append(land_prepared(con, item))
                item.release()
            held = publish_run(
                con,
                run.summary,
                sources=run.names,
                started=run.started,
                full_refresh=run.full_refresh,
                validator=run.validator,
                warehouse=config.warehouse,
                lake=config.lake,
            )
        if held is not None:  # the working copy renamed over now equals the lake's commit
            held.write(config.warehouse)


def pull_lake(config: RunConfig) -> None:
    """Team mode: bring this host's working copy to the lake's current snapshot (a no-op when it holds it)."""
    if config.lake is None:
        return
    copied = lake_sync.pull(config.lake, config.warehouse, config.writer_wait_s)
    if copied is not None:
        get_run_logger().info(
            "working copy %s pulled from the lake %s: %d changed tables copied",
            config.warehouse,
            config.lake,
            len(copied),
        )


def _check_again(con: duckdb.DuckDBPyConnection, prepared: list[Prepared], validator: LazyValidator) -> None:
    """Another run published while this one fetched: check and validate the fetched batches against its data."""
    get_run_logger().info("the warehouse was published by another run meanwhile: checking the batches again")
    for item in prepared:
        if item.batch is not None:
            check_batch(con, item, validator)


def _after_publish(summary: RunSummary, config: RunConfig, validator: LazyValidator) -> None:
    """Data Docs of this run's validations, the report (when a mart was published), the artifact, the alert."""
    if validator.used:  # Data Docs show this run's validations: none ran, nothing to render
        docs = config.gx_docs_dir.resolve()
        summary.docs_path = after_publish(summary, f"Data Docs in {docs}", lambda: str(validator.build_data_docs(docs)))
    faults.point("docs-built")
    if any(r.source == "marts" and r.status == LoadStatus.PUBLISHED for r in summary.loads):
        summary.report_path = after_publish(
            summary, f"report {config.report_path}", lambda: write_report(config.warehouse, config.report_path)
        )
    faults.point("report-written")
    publish_artifact(summary)
    raise_stress_event(config.warehouse, summary.as_of, config.alert_webhook_url)
    faults.point("done")


def _new_validator(*, root: Path, run_name: str, keep_runs: int) -> LazyValidator:
    """One great-expectations context per run, file-backed in `root`/gx so validation history survives the run (the
    last `keep_runs` runs, named by run id), set up at the first batch that needs validating (its import and set-up
    cost seconds: pay them once, and not at all when nothing needs validating)."""
    logger = get_run_logger()
    return LazyValidator(
        on_ready=lambda seconds: logger.info("great-expectations ready in %.1fs", seconds),
        project_root=root,
        run_name=run_name,
        keep_runs=keep_runs,
    )


def check_sources(sources: list[str] | None) -> list[str]:
    """The requested source names (all registered ones by default); an unknown name is refused."""
    names = list(sources or SOURCES)
    unknown = [n for n in names if n not in SOURCES]
    if unknown:
        raise ValueError(f"unknown source(s) {', '.join(unknown)}; choose from {', '.join(SOURCES)}")
    return names


def _new_run_id() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"
