"""The qtwatch flow: fetch each source (its own task), validate, land raw, rebuild core and marts, publish."""

from __future__ import annotations

import contextlib
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from expectations import suites
from expectations.context import Held
from expectations.runner import Validator
from flows.alerts import notify_failure, raise_stress_event
from flows.artifacts import publish_artifact
from flows.extract import fetch_source, open_session
from flows.http import SourceError
from flows.marts import MART_BUILDERS, read_core
from flows.plan import SOURCES, SourceSpec, fred_catalog, plan_windows
from flows.sources import Batch, Window
from flows.writer_slot import writer_slot
from flows.settings import Settings, get_settings
from transforms.revisions import detect_unit_changes
from transforms.units import round_amounts
from warehouse import db, load, meta
from warehouse.meta import LoadRecord

NEW_YORK = ZoneInfo("America/New_York")


class PipelineFailed(RuntimeError):
    """At least one source failed or was quarantined; the others were published."""


@dataclass
class RunSummary:
    """What a run did, per source, for the CLI and the run artifact."""

    run_id: str
    as_of: date
    mode: str
    warehouse: str
    loads: list[LoadRecord] = field(default_factory=list)
    docs_path: str | None = None
    report_path: str | None = None

    @property
    def failed(self) -> list[LoadRecord]:
        return [r for r in self.loads if r.status in ("failed", "quarantined")]


def _is_transient(task, task_run, state) -> bool:  # noqa: ARG001 - Prefect's retry_condition_fn signature
    """Retry a fetch only for network trouble; a bad payload will be just as bad a minute later."""
    try:
        state.result()
    except SourceError as exc:
        return exc.transient
    except Exception:  # noqa: BLE001 - anything unexpected is not worth retrying blindly
        return False
    return False


@task(name="extract", task_run_name="extract-{source}", retries=2, retry_delay_seconds=[10, 60],
      retry_condition_fn=_is_transient, timeout_seconds=900, cache_policy=NO_CACHE)
def extract(source: str, windows: dict, catalog: pl.DataFrame, replay_dir: str | None, as_of: date) -> Batch:
    """Fetch and parse one source for the planned windows (network or replay)."""
    logger = get_run_logger()
    settings = get_settings()
    session = open_session(source, settings, Path(replay_dir) if replay_dir else None, as_of)
    api_key = _fred_api_key(settings) if source == "fred" and not replay_dir else None
    batch = fetch_source(source, session, windows, catalog, api_key, log=logger.debug)
    logger.info("%s: fetched %s rows from %s request(s)", source, f"{batch.frame.height:,}", len(batch.urls))
    return batch


def _fred_api_key(settings: Settings) -> str | None:
    """FRED_API_KEY from the environment, else the Prefect Secret block `fred-api-key` if one exists."""
    if settings.fred_api_key:
        return settings.fred_api_key.get_secret_value()
    try:
        from prefect.blocks.system import Secret

        return Secret.load("fred-api-key").get()
    except (ValueError, ImportError):
        return None


def _run_name() -> str:
    params = flow_run.parameters
    mode = "replay" if params.get("replay") else "live"
    sources = "+".join(params.get("sources") or ["all"])
    return f"{mode}-{sources}-asof-{params.get('as_of') or datetime.now(NEW_YORK).date()}"


@flow(name="qtwatch-pipeline", flow_run_name=_run_name, log_prints=False, on_failure=[notify_failure],
      on_crashed=[notify_failure])
def qtwatch_pipeline(sources: list[str] | None = None, replay: bool = False, as_of: date | None = None,
                     full_refresh: bool = False, replay_dir: str | None = None) -> RunSummary:
    """Fetch FRED, Treasury auctions, NY Fed rates and operations and the DTS TGA; validate every batch; land raw;
    rebuild core and marts; publish the DuckDB warehouse atomically. Fails if any source failed or was quarantined."""
    logger = get_run_logger()
    settings = get_settings()
    names = _check_sources(sources)
    as_of = as_of or datetime.now(NEW_YORK).date()
    replay_path = str(replay_dir or settings.replay_dir) if replay else None
    summary = RunSummary(_new_run_id(), as_of, "replay" if replay else "live", str(settings.warehouse))
    started = datetime.now(UTC)
    logger.info("run %s: %s as of %s, sources %s -> %s", summary.run_id, summary.mode, as_of, ", ".join(names),
                settings.warehouse)
    validator = _new_validator()
    with writer_slot(), db.staged(settings.warehouse) as con:
        summary.loads.extend(load_sources(con, names, summary.run_id, as_of, full_refresh, replay_path, validator))
        load.rebuild_core(con)
        summary.loads.extend(publish_marts(con, validator, summary.run_id))
        status = "Failed" if summary.failed else "Completed"
        meta.record_run(con, run_id=summary.run_id, flow_run_id=str(flow_run.id or ""), mode=summary.mode,
                        as_of=as_of, started_at=started, finished_at=datetime.now(UTC), status=status, sources=names)
    logger.info("published %s", settings.warehouse)
    summary.docs_path = str(validator.build_data_docs(Path(settings.gx_docs_dir).resolve()))
    summary.report_path = _report(settings)
    publish_artifact(summary)
    raise_stress_event(settings.warehouse, as_of)
    if summary.failed:
        raise PipelineFailed("; ".join(f"{r.source} {r.status}: {r.error}" for r in summary.failed))
    return summary


def load_sources(con, names: list[str], run_id: str, as_of: date, full_refresh: bool, replay_path: str | None,
                 validator: Validator) -> list[LoadRecord]:
    """Plan each source's windows, fetch all sources concurrently (one task each), then validate and land them one
    by one in the staged warehouse; every outcome is recorded in meta.loads."""
    catalog = fred_catalog(con)
    planned = {n: plan_windows(con, SOURCES[n], as_of, full_refresh=full_refresh,
                               groups=catalog["series_id"].to_list() if n == "fred" else None) for n in names}
    futures = {n: extract.submit(n, planned[n], catalog, replay_path, as_of) for n in names}
    records = []
    for name in names:
        refetch = _full_history_refetch(planned[name], catalog, replay_path, as_of)
        records.append(land_source(con, SOURCES[name], futures[name], planned[name], run_id, as_of, refetch,
                                   validator))
        meta.record_load(con, records[-1])
    return records


def _full_history_refetch(windows: dict, catalog: pl.DataFrame, replay_path: str | None, as_of: date):
    """A callable that re-fetches the full history of some FRED series (after they changed units)."""

    def refetch(series: list[str]) -> pl.DataFrame:
        full = {s: Window(None, windows[s].end) for s in series}
        subset = catalog.filter(pl.col("series_id").is_in(series))
        return extract.submit("fred", full, subset, replay_path, as_of).result().frame

    return refetch


def land_source(con, spec: SourceSpec, future, windows: dict, run_id: str, as_of: date, refetch,
                validator: Validator) -> LoadRecord:
    """Wait for one source's batch, validate it, land it in its own transaction (or quarantine it).
    A failure is recorded in the returned LoadRecord, never raised, so the other sources still publish."""
    logger = get_run_logger()
    started, clock = datetime.now(UTC), time.perf_counter()
    record = LoadRecord(f"{run_id}-{spec.name}", run_id, spec.name, spec.dataset.name, "failed", started_at=started)
    starts = [w.start for w in windows.values()]
    record.window_start = None if None in starts else min(starts)  # None: some group asked for its full history
    record.window_end = max(w.end for w in windows.values())
    try:
        batch: Batch = future.result()
        record.rows_fetched = batch.frame.height
        frame = _checked_units(con, spec, batch.frame, windows, refetch)
        held = _held(con, spec, windows, frame)
        if not _validated(con, validator, spec.dataset.name, frame, record, as_of=as_of, held=held):
            return _finish(record, clock)
        con.execute("BEGIN TRANSACTION")
        record.rows_landed = load.land(con, spec.dataset, frame, load_id=record.load_id, fetched_at=started,
                                       as_of=as_of)
        con.execute("COMMIT")
        record.status = "published" if record.rows_landed else "unchanged"
        logger.info("%s: %s rows fetched, %s new or revised rows landed", spec.name, f"{record.rows_fetched:,}",
                    f"{record.rows_landed:,}")
    except Exception as exc:  # noqa: BLE001 - one failing source must not drop the others
        _rollback(con)
        record.error = str(exc).splitlines()[0][:500] if str(exc) else type(exc).__name__
        logger.error("%s failed: %s", spec.name, record.error)
    return _finish(record, clock)


def _finish(record: LoadRecord, clock: float) -> LoadRecord:
    record.finished_at, record.seconds = datetime.now(UTC), round(time.perf_counter() - clock, 3)
    return record


def _held(con, spec: SourceSpec, windows: dict, frame: pl.DataFrame) -> Held | dict[str, Held]:
    """What the warehouse already holds in each requested window, per group the dataset's suite checks (e.g. per
    FRED series, per NY Fed rate type): a new batch must not have less."""
    group_column = suites.module(spec.dataset.name).context().group_column

    def held_for(group: str | None) -> Held:
        window = windows.get(group) or windows["*"]
        return Held(*load.held_in_window(con, spec.dataset, group, window.start, window.end, group_column))

    if group_column and group_column in frame.columns:
        return {group: held_for(group) for group in frame[group_column].unique().drop_nulls().to_list()}
    return held_for(None)


def _validated(con, validator: Validator, dataset: str, frame: pl.DataFrame, record: LoadRecord, **context) -> bool:
    """Run the dataset's suite; record the outcome; quarantine a failing batch. True when the batch may publish."""
    outcome = validator.validate(dataset, frame, **context)
    now = datetime.now(UTC)
    meta.record_validation(con, load_id=record.load_id, dataset=dataset, success=outcome.success,
                           evaluated=outcome.evaluated, failed=outcome.failed, failed_rules=outcome.failed_rules,
                           seconds=outcome.seconds, validated_at=now)
    if outcome.success:
        return True
    meta.quarantine(con, load_id=record.load_id, dataset=dataset, frame=frame, failed_rules=outcome.failed_rules,
                    result_json=outcome.result_json, at=now)
    record.status = "quarantined"
    record.error = f"{dataset} failed validation: {'; '.join(outcome.failed_rules)}"[:500]
    get_run_logger().error("%s quarantined, not published: %s", dataset, "; ".join(outcome.failed_rules))
    return False


def publish_marts(con, validator: Validator, run_id: str) -> list[LoadRecord]:
    """Build every mart from core; publish each one that passes its suite, keep the previous one otherwise."""
    logger = get_run_logger()
    core = read_core(con)
    records = []
    for name, build in MART_BUILDERS.items():
        clock = time.perf_counter()
        record = LoadRecord(f"{run_id}-mart-{name}", run_id, "marts", name, "failed",
                            started_at=datetime.now(UTC))
        try:
            frame = round_amounts(build(core))
            record.rows_fetched = frame.height
            if _validated(con, validator, name, frame, record):
                record.rows_landed = load.replace_table(con, f"marts.{name}", frame)
                record.status = "published"
        except Exception as exc:  # noqa: BLE001 - one broken mart must not hide the others
            record.error = f"{type(exc).__name__}: {exc}"[:500]
            logger.error("mart %s failed: %s", name, record.error)
        records.append(_finish(record, clock))
        meta.record_load(con, record)
    logger.info("marts: %s", ", ".join(f"{r.dataset} {r.rows_landed:,} rows" for r in records))
    return records


def _report(settings: Settings) -> str | None:
    """Write the HTML report from the just-published warehouse and link it to the run (a failure only warns)."""
    from qtwatch.report import attach_report_artifact, build_report

    try:
        path = build_report(settings.warehouse, Path(settings.report_path), bundle_beside=True)
    except Exception as exc:  # noqa: BLE001 - the data is published; a report problem must not fail the run
        get_run_logger().warning("report not written: %s", exc)
        return None
    attach_report_artifact(path)
    get_run_logger().info("report: %s", path)
    return str(path)


def _new_validator() -> Validator:
    """One great-expectations context per run (its import and set-up cost seconds: pay them once)."""
    clock = time.perf_counter()
    validator = Validator()
    get_run_logger().info("great-expectations ready in %.1fs", time.perf_counter() - clock)
    return validator


class UnitChangeError(ValueError):
    """A FRED series changed scale without saying so: landing it would mix units."""


def _checked_units(con, spec: SourceSpec, frame: pl.DataFrame, windows: dict, refetch) -> pl.DataFrame:
    """Refuse an undeclared scale change; a declared one (units string changed) revises the whole series: its full
    history is fetched again so core never mixes units."""
    if spec.name != "fred" or frame.is_empty():
        return frame
    held = load.held_latest(con, spec.dataset).select("series_id", "date", "value", "units")
    changes = detect_unit_changes(held, frame)
    undeclared = changes.filter(pl.col("kind") == "undeclared")
    if not undeclared.is_empty():
        row = undeclared.row(0, named=True)
        raise UnitChangeError(
            f"{row['series_id']}: new values are {row['median_ratio']:,.0f}x the held ones on the same dates while "
            f"both are declared '{row['new_units']}'; not landed. Update units in warehouse/seeds/fred_series.csv "
            f"and run `qtwatch run --source fred --full-refresh`")
    declared = changes.filter(pl.col("kind") == "declared")["series_id"].to_list()
    if not declared:
        return frame
    get_run_logger().warning("fred: units changed for %s; reloading their full history as a revision",
                             ", ".join(declared))
    partial = [s for s in declared if windows[s].start is not None]
    if partial:
        kept = frame.filter(~pl.col("series_id").is_in(partial))
        frame = pl.concat([kept, refetch(partial).select(kept.columns)])
    return frame


def _rollback(con) -> None:
    with contextlib.suppress(Exception):  # no transaction was open
        con.execute("ROLLBACK")


def _check_sources(sources: list[str] | None) -> list[str]:
    names = list(sources or SOURCES)
    unknown = [n for n in names if n not in SOURCES]
    if unknown:
        raise ValueError(f"unknown source(s) {', '.join(unknown)}; choose from {', '.join(SOURCES)}")
    return names


def _new_run_id() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"
