"""The qtwatch flow: fetch each source, validate, land raw, rebuild core and marts, publish; each step a task.

Reads as fetch -> validate/land -> core -> marts -> publish -> report. Settings are read once, at the flow's entry,
into a `RunConfig` of plain values; tasks and helpers get what they need as arguments. Every step is a Prefect task
named after its source or mart, so a failed run shows the failing step red in the UI; a task that quarantines a
batch or fails a mart returns a Failed state (no traceback in the logs) and the flow goes on with the others.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import duckdb
import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.states import Completed, Failed, State
from pydantic import SecretStr

from flows import interrupts, secrets
from flows.alerts import notify_failure, raise_stress_event
from flows.artifacts import publish_artifact
from flows.extract import fetch_source, session_for
from flows.http import SourceError
from flows.marts import MART_BUILDERS, mart_sources, read_core
from flows.plan import group_catalog, plan_windows
from flows.replay import resolve
from flows.settings import BaseQtwatchSettings, get_settings, outputs_dir
from flows.snapshot import snapshot_as_of
from flows.sources import Batch, FetchRequest, Window
from flows.validation import LazyValidator
from flows.writer_slot import writer_slot
from transforms.publication import with_published_at
from transforms.registry import DATASETS, SOURCES, Source
from transforms.units import round_amounts
from warehouse import changes, db, faults, load, meta
from warehouse.meta import LoadRecord, RunSummary
from warehouse.pit import AsOfRefused, check_as_of

NEW_YORK = ZoneInfo("America/New_York")


class PipelineFailed(RuntimeError):
    """At least one source failed or was quarantined; the others were published."""


@dataclass(frozen=True)
class RunConfig:
    """The settings one run needs, read once at the flow's entry and passed down as plain values."""

    warehouse: Path
    replay_dir: Path | None
    urls: dict[str, str]
    user_agent: str
    http_retries: int
    http_timeout_s: float
    writer_wait_s: float
    gx_docs_dir: Path
    report_path: Path
    alert_webhook_url: str | None = None
    gx_keep_runs: int = 20  # runs whose validation results the file-backed GX context keeps
    api_keys: dict[str, SecretStr] = field(default_factory=dict, repr=False)  # per source that takes one

    @classmethod
    def from_settings(cls, settings: BaseQtwatchSettings, *, replay: bool, replay_dir: str | None) -> RunConfig:
        """Plain values from the settings; a replay run uses `replay_dir` or the configured snapshot."""
        return cls(warehouse=Path(settings.warehouse), replay_dir=Path(replay_dir or settings.replay_dir)
                   if replay else None, urls=settings.base_urls(), user_agent=settings.user_agent,
                   http_retries=settings.http_retries, http_timeout_s=settings.http_timeout_s,
                   writer_wait_s=settings.writer_wait_s, gx_docs_dir=Path(settings.gx_docs_dir),
                   report_path=Path(settings.report_path), alert_webhook_url=settings.alert_webhook_url,
                   gx_keep_runs=settings.gx_keep_runs,
                   api_keys=_api_keys(settings, blocks=not replay))


def _is_transient(task, task_run, state) -> bool:  # noqa: ARG001 - Prefect's retry_condition_fn signature
    """Retry a fetch only for network trouble; a bad payload will be just as bad a minute later."""
    try:
        state.result()
    except SourceError as exc:
        # an unreachable host already spent its short connection budget: retrying the task would only add minutes
        return exc.transient and not exc.connection
    except Exception:  # noqa: BLE001 - anything unexpected is not worth retrying blindly
        return False
    return False


@task(name="extract", task_run_name="extract-{source}", retries=2, retry_delay_seconds=[10, 60],
      retry_condition_fn=_is_transient, timeout_seconds=900, cache_policy=NO_CACHE)
def extract(source: str, windows: dict[str, Window], config: RunConfig, as_of: date,
            catalog: pl.DataFrame | None = None) -> Batch:
    """Fetch and parse one source for the planned windows (network or replay)."""
    logger = get_run_logger()
    spec = SOURCES[source]
    session = session_for(spec, user_agent=config.user_agent, retries=config.http_retries,
                          timeout_s=config.http_timeout_s, replay_dir=config.replay_dir, as_of=as_of,
                          urls=config.urls)
    api_key = config.api_keys[source].get_secret_value() if source in config.api_keys else None
    request = FetchRequest(spec, windows, config.urls[spec.http.base_url_setting], as_of, urls=config.urls,
                           api_key=api_key, catalog=catalog, progress=logger.debug)
    batch = fetch_source(session, request)
    faults.point(f"extract-{source}")
    logger.info("%s: fetched %s rows from %s request(s)", source, f"{batch.frame.height:,}", len(batch.urls))
    return batch


def _api_keys(settings: BaseQtwatchSettings, *, blocks: bool = True) -> dict[str, SecretStr]:
    """Each keyed source's API key: its setting (e.g. FRED_API_KEY), else its Prefect Secret block if one exists.

    A replay run uses a key set in the environment (the replay serves the keyed API too) but reads no block."""
    keys = {}
    for source in SOURCES.values():
        secret = getattr(settings, source.api_key_setting, None) if source.api_key_setting else None
        if secret is None and source.api_key_block and blocks:
            secret = _secret_block(source.api_key_block)
        if secret is not None:
            keys[source.name] = secret
    return keys


def _guard_secrets(config: RunConfig) -> None:
    """At the flow's entry: register every API key's value for redaction and scrub every log record from here on."""
    for key in config.api_keys.values():
        secrets.register_secret(key.get_secret_value())
    secrets.register_webhook(config.alert_webhook_url)  # its path holds its token
    secrets.install_log_redaction()


def _secret_block(name: str) -> SecretStr | None:
    try:
        from prefect.blocks.system import Secret

        return SecretStr(Secret.load(name).get())  # type: ignore[union-attr] # sync context: a block, not a coroutine
    except (ValueError, ImportError):
        return None


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


@flow(name="qtwatch-pipeline", flow_run_name=_run_name, log_prints=False, on_failure=[notify_failure],
      on_crashed=[notify_failure])
def qtwatch_pipeline(sources: list[str] | None = None, replay: bool = False, as_of: date | None = None,
                     full_refresh: bool = False, replay_dir: str | None = None) -> RunSummary | State:
    """Fetch every registered source (FRED, Treasury auctions, NY Fed rates and operations, the DTS TGA, ...);
    validate every batch; land raw; rebuild core and marts; publish the DuckDB warehouse atomically. Fails if any
    source failed or was quarantined."""
    interrupts.rearm()
    with db.remembering_checks():  # the published file is read whole once per run, not at every step
        return _run_pipeline(sources, replay, as_of, full_refresh, replay_dir)


def _run_pipeline(sources: list[str] | None, replay: bool, as_of: date | None, full_refresh: bool,
                  replay_dir: str | None) -> RunSummary | State:
    logger = get_run_logger()
    config = RunConfig.from_settings(get_settings(), replay=replay, replay_dir=replay_dir)
    if config.replay_dir is not None and not config.replay_dir.is_dir():  # said once here, not once per source task
        raise FileNotFoundError(f"replay directory {config.replay_dir} not found: set QTWATCH_REPLAY_DIR or run "
                                f"`python -m scripts.build_replay` to build the snapshot")
    _guard_secrets(config)
    names = check_sources(sources)
    as_of = as_of or _default_as_of(replay, config.replay_dir)
    try:  # before anything is fetched or staged: a refused run leaves the warehouse byte-identical
        check_as_of(config.warehouse, as_of, names)
    except AsOfRefused as exc:
        logger.error("run refused: %s", exc)
        return Failed(message=f"run refused: {exc}")
    summary = RunSummary(_new_run_id(), as_of, "replay" if replay else "live", str(config.warehouse))
    started = datetime.now(UTC)
    logger.info("run %s: %s as of %s, sources %s -> %s", summary.run_id, summary.mode, as_of, ", ".join(names),
                config.warehouse)
    validator = _new_validator(root=outputs_dir(config.warehouse.resolve()), run_name=summary.run_id,
                               keep_runs=config.gx_keep_runs)
    with writer_slot(config.writer_wait_s), db.staged(config.warehouse, wait_s=config.writer_wait_s,
                                                      on_wait=logger.warning) as con:
        summary.loads.extend(load_sources(con, names=names, run_id=summary.run_id, as_of=as_of,
                                          full_refresh=full_refresh, config=config, validator=validator))
        landed = {r.source for r in summary.loads if r.rows_landed}
        rebuild = full_refresh or bool(landed) or bool(changes.marts_missing(con, MART_BUILDERS))
        if rebuild:
            loads: dict[str, list[str]] = {}  # dataset -> this run's loads that landed rows in it
            for r in summary.loads:
                if r.rows_landed:
                    loads.setdefault(SOURCES[r.source].dataset.name, []).append(r.load_id)
            missing = set(DATASETS) if full_refresh else set(changes.stale_core(con, DATASETS, ()))  # not built yet
            rebuild_core(con, sorted(missing), refresh={d: ids for d, ids in loads.items() if d not in missing})
        else:
            logger.info("nothing new landed: core, marts, report and Data Docs stay as published")
        faults.point("core-rebuilt")
        summary.loads.extend(publish_marts(con, validator=validator, run_id=summary.run_id,
                                           failed_sources={r.source for r in summary.failed},
                                           landed=None if full_refresh else landed))
        status = "Failed" if summary.failed else "Completed"
        meta.record_run(con, run_id=summary.run_id, flow_run_id=str(flow_run.id or ""), mode=summary.mode,
                        as_of=as_of, started_at=started, finished_at=datetime.now(UTC), status=status, sources=names)
        faults.point("run-recorded")
        interrupts.check()  # a signal some step swallowed still stops the publish
        publish(con, config.warehouse)
    logger.info("published %s", config.warehouse)
    faults.point("published")
    if validator.used:  # Data Docs show this run's validations: none ran, nothing to render
        summary.docs_path = str(validator.build_data_docs(config.gx_docs_dir.resolve()))
    faults.point("docs-built")
    if any(r.source == "marts" and r.status == "published" for r in summary.loads):
        summary.report_path = write_report(config.warehouse, config.report_path)
    faults.point("report-written")
    publish_artifact(summary)
    raise_stress_event(config.warehouse, as_of, config.alert_webhook_url)
    faults.point("done")
    if summary.failed:
        raise PipelineFailed("; ".join(f"{r.source} {r.status}: {r.error}" for r in summary.failed))
    return summary


def load_sources(con: duckdb.DuckDBPyConnection, *, names: list[str], run_id: str, as_of: date, full_refresh: bool,
                 config: RunConfig, validator: LazyValidator) -> list[LoadRecord]:
    """Plan each source's windows, fetch all sources concurrently (one task each), then validate and land them one
    by one in the staged warehouse; every outcome is recorded in meta.loads."""
    plans = {}
    for name in names:
        source = SOURCES[name]
        catalog = group_catalog(con, source)
        group_column = source.dataset.group_column
        groups = catalog[group_column].to_list() if catalog is not None and group_column else None
        plans[name] = (plan_windows(con, source, as_of, full_refresh=full_refresh, groups=groups), catalog)
    futures = {n: extract.submit(n, plans[n][0], config, as_of, plans[n][1]) for n in names}
    records = []
    for name in names:
        windows, catalog = plans[name]
        job = LandJob(source=SOURCES[name], windows=windows, run_id=run_id, as_of=as_of, config=config,
                      catalog=catalog)
        record = job.new_record()
        try:
            batch = futures[name].result()
        except Exception as exc:  # noqa: BLE001 - one failing source must not drop the others
            _fail(record, exc)
        else:
            land_source(con, job=job, batch=batch, record=record, validator=validator)
        meta.record_load(con, _finish(record))
        records.append(record)
    return records


@dataclass(frozen=True)
class LandJob:
    """What landing one source's batch needs besides the connection and the batch."""

    source: Source
    windows: dict[str, Window]
    run_id: str
    as_of: date
    config: RunConfig
    catalog: pl.DataFrame | None = None

    def new_record(self) -> LoadRecord:
        """The source's meta.loads row, 'failed' until landing says otherwise."""
        record = LoadRecord(f"{self.run_id}-{self.source.name}", self.run_id, self.source.name,
                            self.source.dataset.name, "failed", started_at=datetime.now(UTC))
        starts = [w.start for w in self.windows.values()]
        record.window_start = None if None in starts else min(s for s in starts if s is not None)
        record.window_end = max(w.end for w in self.windows.values())
        return record

    def refetch(self, groups: list[str]) -> pl.DataFrame:
        """The full history of some groups (FRED series that changed units), fetched again."""
        full = {g: Window(None, self.windows[g].end) for g in groups}
        catalog = None
        if self.catalog is not None and self.source.dataset.group_column:
            catalog = self.catalog.filter(pl.col(self.source.dataset.group_column).is_in(groups))
        return extract.submit(self.source.name, full, self.config, self.as_of, catalog).result().frame


def land_source(con: duckdb.DuckDBPyConnection, *, job: LandJob, batch: Batch, record: LoadRecord,
                validator: LazyValidator) -> LoadRecord:
    """Check, validate and land one source's batch in its own transaction (or quarantine it); the outcome goes into
    `record`, never raised, so the other sources still publish."""
    clock = time.perf_counter()
    record.rows_fetched = batch.frame.height
    try:
        frame = before_land(con, job, batch.frame)
        if not frame.is_empty() and changes.batch_is_held(con, job.source.dataset, frame, _bounds(job.windows)):
            record.status = "unchanged"  # exactly what is held: nothing to validate or land
            get_run_logger().info("%s: %s rows fetched, all already held: nothing to land", job.source.name,
                                  f"{record.rows_fetched:,}")
            record.seconds = round(time.perf_counter() - clock, 3)
            return record
        held, coverage = _held(con, job, frame)
        outcome = validate_batch(con, validator=validator, dataset=job.source.dataset.name, frame=frame,
                                 load_id=record.load_id, as_of=job.as_of, held=held, coverage=coverage)
        if outcome.success:
            record.rows_landed = land_task.with_options(task_run_name=f"land-{job.source.name}")(
                con, job.source.name, frame, record.load_id, record.started_at, job.as_of, catalog=job.catalog,
                live=job.config.replay_dir is None)
            faults.point(f"land-{job.source.name}")
            record.status = "published" if record.rows_landed else "unchanged"
            if batch.errors:  # some groups (FRED series) failed alone; the others landed
                record.status = "partial"
                record.error = ("failed: " + "; ".join(f"{g}: {e}" for g, e in batch.errors.items()))[:500]
            get_run_logger().info("%s: %s rows fetched, %s new or revised rows landed", job.source.name,
                                  f"{record.rows_fetched:,}", f"{record.rows_landed:,}")
        else:
            record.status, record.error = "quarantined", outcome.message
    except Exception as exc:  # noqa: BLE001 - one failing source must not drop the others
        _fail(record, exc)
    record.seconds = round(time.perf_counter() - clock, 3)
    return record


def before_land(con: duckdb.DuckDBPyConnection, job: LandJob, frame: pl.DataFrame) -> pl.DataFrame:
    """The source's own pre-landing check against what is held (FRED: unit changes), if it declares one."""
    if job.source.before_land is None:
        return frame
    request = FetchRequest(job.source, job.windows, job.config.urls[job.source.http.base_url_setting], job.as_of)
    return resolve(job.source.before_land)(con, request, frame, job.refetch, get_run_logger())


@task(name="land", cache_policy=NO_CACHE)
def land_task(con: duckdb.DuckDBPyConnection, source: str, frame: pl.DataFrame, load_id: str,
              fetched_at: datetime | None, as_of: date, catalog: pl.DataFrame | None = None,
              live: bool = True) -> int:
    """Append the batch's new or revised rows to raw in one transaction, each stamped with when it became public
    (its release rule; a live run: never after the fetch, and a revision at the fetch); returns the rows landed."""
    fetched_at = fetched_at or datetime.now(UTC)
    frame = with_published_at(frame, SOURCES[source], catalog, fetched_at=fetched_at if live else None)
    with db.transaction(con):
        return load.land(con, SOURCES[source].dataset, frame, load_id=load_id, fetched_at=fetched_at, as_of=as_of,
                         revised_published_at=fetched_at if live else None)


def _held(con: duckdb.DuckDBPyConnection, job: LandJob, frame: pl.DataFrame) -> tuple[Any, pl.DataFrame | None]:
    """What the warehouse already holds in each requested window, from one grouped query: the coverage frame (per
    FRED series, rate type, DTS account) for the completeness rule, and Held per suite group for the row-wise rules."""
    from expectations import suites
    from expectations.context import Held

    context = suites.module(job.source.dataset.name).context()
    spans = {group: (w.start, w.end) for group, w in job.windows.items()}
    coverage = load.coverage(con, job.source.dataset, frame, spans, context.coverage_group, context.value_columns)
    if coverage is None:
        return None, None
    if context.group_column and context.group_column == context.coverage_group:
        return {r["grp"]: Held(r["held_rows"], r["held_first"]) for r in coverage.iter_rows(named=True)}, coverage
    first = coverage["held_first"].min()
    return Held(int(coverage["held_rows"].sum()), first if isinstance(first, date) else None), coverage


def _bounds(windows: dict[str, Window]) -> dict[str, tuple[date | None, date]]:
    return {group: (w.start, w.end) for group, w in windows.items()}


@dataclass(frozen=True)
class Outcome:
    """A validation's verdict: may the batch publish, and if not, the one line that says why."""

    success: bool
    message: str | None = None


def validate_batch(con: duckdb.DuckDBPyConnection, *, validator: LazyValidator, dataset: str, frame: pl.DataFrame,
                   load_id: str, **context: Any) -> Outcome:
    """Run the dataset's suite as a task `validate-<dataset>`; a failing batch is quarantined and the task Failed."""
    state = validate_task.with_options(task_run_name=f"validate-{dataset}")(
        con, validator, dataset, frame, load_id, context, return_state=True)
    if state.is_completed():
        return Outcome(True)
    return Outcome(False, state.message or f"{dataset} failed validation")


@task(name="validate", cache_policy=NO_CACHE)
def validate_task(con: duckdb.DuckDBPyConnection, validator: LazyValidator, dataset: str, frame: pl.DataFrame,
                  load_id: str, context: dict[str, Any]) -> State:
    """Validate one batch; record the outcome in meta.validations; quarantine a failing batch (Failed state)."""
    outcome = validator.validate(dataset, frame, **context)
    now = datetime.now(UTC)
    meta.record_validation(con, load_id=load_id, dataset=dataset, success=outcome.success,
                           evaluated=outcome.evaluated, failed=outcome.failed, failed_rules=outcome.failed_rules,
                           seconds=outcome.seconds, validated_at=now)
    if outcome.success:
        return Completed(message=f"{dataset}: {outcome.evaluated} rules passed")
    meta.quarantine(con, load_id=load_id, dataset=dataset, frame=frame, failed_rules=outcome.failed_rules,
                    result_json=outcome.result_json, at=now)
    described = "; ".join(outcome.described_rules)  # each rule with its first bad row (key and value)
    message = f"{dataset} failed validation: {described}"[:500]
    get_run_logger().error("%s quarantined, not published: %s", dataset, described)
    return Failed(message=message)


@task(name="core", cache_policy=NO_CACHE)
def rebuild_core(con: duckdb.DuckDBPyConnection, datasets: list[str] | None = None,
                 refresh: dict[str, list[str]] | None = None) -> None:
    """core.<dataset> (latest version), core.<dataset>_history and core.<dataset>_known_on built from all of raw for
    `datasets` (default every dataset; a new warehouse, a full refresh), and brought up to date for just the keys
    their loads landed for the datasets in `refresh` (dataset -> this run's load ids): a daily run's cost follows
    its new rows, not the history."""
    if datasets is None or datasets:
        load.rebuild_core(con, DATASETS if datasets is None else {d: DATASETS[d] for d in datasets})
    for dataset, load_ids in (refresh or {}).items():
        load.refresh_core(con, DATASETS[dataset], load_ids)


def publish_marts(con: duckdb.DuckDBPyConnection, *, validator: LazyValidator, run_id: str,
                  failed_sources: Collection[str] = (), landed: Collection[str] | None = None) -> list[LoadRecord]:
    """Build the marts from core (a task each); publish each one that passes its suite, keep the previous one
    otherwise. A mart computed from a source that failed this run is not rebuilt: kept as it was, recorded skipped.
    With `landed` (the sources that landed rows) only marts computed from one of them, or not built yet, are built
    ('skipped' otherwise), and a rebuilt mart equal to the published one is left as it is ('unchanged')."""
    wanted = set(MART_BUILDERS)
    if landed is not None:
        wanted = {m for m in MART_BUILDERS if mart_sources(m) & set(landed)}
        wanted |= set(changes.marts_missing(con, MART_BUILDERS))
    core = read_core(con) if wanted else None
    records = []
    for name in MART_BUILDERS:
        record = LoadRecord(f"{run_id}-mart-{name}", run_id, "marts", name, "failed", started_at=datetime.now(UTC))
        clock = time.perf_counter()
        if blocked := sorted(mart_sources(name) & set(failed_sources)):
            records.append(_skip_mart(con, record, blocked))
            continue
        if name not in wanted:
            record.status = "skipped"  # none of its sources landed rows: the published mart is current
            records.append(_finish(record))
            meta.record_load(con, record)
            continue
        state = build_mart.with_options(task_run_name=f"mart-{name}")(core, name, return_state=True)
        if state.is_completed():
            frame = cast(pl.DataFrame, state.result())
            record.rows_fetched = frame.height
            faults.point(f"mart-{name}")  # built, not yet compared, validated or written
            if landed is not None and changes.same_as_published(con, name, frame):
                record.status = "unchanged"
                record.seconds = round(time.perf_counter() - clock, 3)
                records.append(_finish(record))
                meta.record_load(con, record)
                continue
            outcome = validate_batch(con, validator=validator, dataset=name, frame=frame, load_id=record.load_id)
            if outcome.success:
                record.rows_landed = load.replace_table(con, f"marts.{name}", frame)
                record.status = "published"
            else:
                record.status, record.error = "quarantined", outcome.message
        else:
            record.error = (state.message or "failed")[:500]
        record.seconds = round(time.perf_counter() - clock, 3)
        records.append(_finish(record))
        meta.record_load(con, record)
    get_run_logger().info("marts: %s", ", ".join(f"{r.dataset} {r.rows_landed:,} rows" if r.status == "published"
                                                 else f"{r.dataset} {r.status}" for r in records))
    return records


def _skip_mart(con: duckdb.DuckDBPyConnection, record: LoadRecord, blocked: list[str]) -> LoadRecord:
    """Record a mart left as it was because a source it is computed from failed this run."""
    record.status = "skipped"
    record.error = f"not rebuilt: {', '.join(blocked)} failed this run; the previous marts.{record.dataset} is kept"
    get_run_logger().warning("mart %s %s", record.dataset, record.error)
    meta.record_load(con, _finish(record))
    return record


@task(name="mart", cache_policy=NO_CACHE)
def build_mart(core: Any, name: str) -> pl.DataFrame | State:
    """One mart from the core frames, amounts rounded to $1 million; a builder error fails this task alone."""
    try:
        return round_amounts(MART_BUILDERS[name](core))
    except Exception as exc:  # noqa: BLE001 - one broken mart must not hide the others
        message = f"{type(exc).__name__}: {exc}"[:500]
        get_run_logger().error("mart %s failed: %s", name, message)
        return Failed(message=message)


@task(name="publish", cache_policy=NO_CACHE)
def publish(con: duckdb.DuckDBPyConnection, warehouse: Path) -> None:
    """Checkpoint the staged copy; `db.staged` renames it over the published file as the block closes."""
    con.execute("CHECKPOINT")
    get_run_logger().info("staged copy of %s checkpointed; publishing it", warehouse)


@task(name="report", cache_policy=NO_CACHE)
def write_report(warehouse: Path, report_path: Path) -> str | None:
    """Write the HTML report from the just-published warehouse and link it to the run (a failure only warns)."""
    from flows.report_artifact import attach_report_artifact, build_report

    try:
        path = build_report(warehouse, report_path, bundle_beside=True)
    except Exception as exc:  # noqa: BLE001 - the data is published; a report problem must not fail the run
        get_run_logger().warning("report not written: %s", exc)
        return None
    attach_report_artifact(path)
    get_run_logger().info("report: %s", path)
    return str(path)


def _new_validator(*, root: Path, run_name: str, keep_runs: int) -> LazyValidator:
    """One great-expectations context per run, file-backed in `root`/gx so validation history survives the run (the
    last `keep_runs` runs, named by run id), set up at the first batch that needs validating (its import and set-up
    cost seconds: pay them once, and not at all when nothing needs validating)."""
    logger = get_run_logger()
    return LazyValidator(on_ready=lambda seconds: logger.info("great-expectations ready in %.1fs", seconds),
                         project_root=root, run_name=run_name, keep_runs=keep_runs)


def _fail(record: LoadRecord, exc: BaseException) -> None:
    interrupts.reraise_if_stopping(exc)  # a signal (e.g. turned into DuckDB's "Query interrupted") stops the run
    record.status = "failed"
    record.error = secrets.redact(str(exc).splitlines()[0])[:500] if str(exc) else type(exc).__name__
    get_run_logger().error("%s failed: %s", record.source, record.error)


def _finish(record: LoadRecord) -> LoadRecord:
    record.finished_at = datetime.now(UTC)
    return record


def check_sources(sources: list[str] | None) -> list[str]:
    """The requested source names (all registered ones by default); an unknown name is refused."""
    names = list(sources or SOURCES)
    unknown = [n for n in names if n not in SOURCES]
    if unknown:
        raise ValueError(f"unknown source(s) {', '.join(unknown)}; choose from {', '.join(SOURCES)}")
    return names


def _new_run_id() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"
