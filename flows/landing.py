"""Landing: fetch and check every source before the writer lock, then land each batch in the staged warehouse.

`prepare_sources` plans each source's windows against the published warehouse (read-only), fetches all sources
concurrently (one `extract` task each), runs the source's own check and validates each batch: all of it without
the writer slot or the staging copy, so a slow source blocks no other deployment. `land_prepared` then, under the
lock, records the verdict (meta.validations, meta.quarantine) and lands the batch in its own transaction; the
outcome goes into the source's meta.loads row, never raised, so the other sources still publish.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import duckdb
import polars as pl
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.states import Completed, Failed, State

from flows import groups, slicing
from flows.extract import fetch_source, session_for
from flows.http import SourceError
from flows.plan import group_catalog, plan_windows
from flows.replay import resolve
from flows.run_config import RunConfig
from flows.sources import Batch, FetchRequest, Window
from flows.steps import fail, step
from flows.validation import LazyValidator
from transforms.publication import with_published_at
from transforms.registry import SOURCES, Source
from warehouse import changes, db, faults, load, meta
from warehouse.meta import LoadRecord, LoadStatus
from warehouse.unrecorded import unrecorded_columns

if TYPE_CHECKING:
    from expectations.runner import ValidationOutcome


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


@task(
    name="extract",
    task_run_name="extract-{source}",
    retries=2,
    retry_delay_seconds=[10, 60],
    retry_condition_fn=_is_transient,
    timeout_seconds=900,
    cache_policy=NO_CACHE,
)
def extract(
    source: str, windows: dict[str, Window], config: RunConfig, as_of: date, catalog: pl.DataFrame | None = None
) -> Batch:
    """Fetch and parse one source for the planned windows (network or replay)."""
    logger = get_run_logger()
    spec = SOURCES[source]
    session = session_for(
        spec,
        user_agent=config.user_agent,
        retries=config.http_retries,
        timeout_s=config.http_timeout_s,
        replay_dir=config.replay_dir,
        as_of=as_of,
        urls=config.urls,
    )
    api_key = config.api_keys[source].get_secret_value() if source in config.api_keys else None
    request = FetchRequest(
        spec,
        windows,
        config.urls[spec.http.base_url_setting],
        as_of,
        urls=config.urls,
        api_key=api_key,
        catalog=catalog,
        progress=logger.debug,
    )
    batch = fetch_source(session, request)
    faults.point(f"extract-{source}")
    logger.info("%s: fetched %s rows from %s request(s)", source, f"{batch.frame.height:,}", len(batch.urls))
    return batch


@dataclass(frozen=True)
class LandJob:
    """What checking and landing one source's batch needs besides the connection and the batch."""

    source: Source
    windows: dict[str, Window]
    run_id: str
    as_of: date
    config: RunConfig
    catalog: pl.DataFrame | None = None

    def new_record(self) -> LoadRecord:
        """The source's meta.loads row, 'failed' until landing says otherwise."""
        record = LoadRecord(
            f"{self.run_id}-{self.source.name}",
            self.run_id,
            self.source.name,
            self.source.dataset.name,
            LoadStatus.FAILED,
            started_at=datetime.now(UTC),
        )
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


@dataclass
class Verdict:
    """A batch's validation outcome and when it was reached, recorded in meta under the writer lock."""

    outcome: ValidationOutcome
    at: datetime


@dataclass
class Prepared:
    """One source's batch, fetched and checked before the writer lock, waiting to be landed."""

    job: LandJob
    record: LoadRecord
    batch: Batch | None = None  # None when the fetch failed (the record says why)
    frame: pl.DataFrame | None = None  # the batch after the source's own check; None when it failed
    held: bool = False  # exactly what the warehouse holds: nothing to validate or land
    verdicts: list[Verdict] = field(default_factory=list)  # the suite's verdict (none when held)
    left: dict[str, str] = field(default_factory=dict)  # groups that failed alone (flows.groups), with why
    parts: list[pl.DataFrame] = field(default_factory=list)  # `frame` in the slices it was validated in

    def release(self) -> None:
        """Let go of the batch once it is landed (core and marts read raw): a backfill's frames would otherwise stay
        in memory through core and marts."""
        self.batch, self.frame, self.parts = None, None, []


def prepare_sources(
    con: duckdb.DuckDBPyConnection,
    *,
    names: list[str],
    run_id: str,
    as_of: date,
    full_refresh: bool,
    config: RunConfig,
    validator: LazyValidator,
) -> list[Prepared]:
    """Plan each source's windows against `con`, fetch all sources concurrently (one task each), then check and
    validate each batch against `con`. Writes nothing: `con` may be the published warehouse, read-only."""
    plans = {}
    for name in names:
        source = SOURCES[name]
        catalog = group_catalog(con, source)
        group_column = source.dataset.group_column
        groups = catalog[group_column].to_list() if catalog is not None and group_column else None
        plans[name] = (plan_windows(con, source, as_of, full_refresh=full_refresh, groups=groups), catalog)
    futures = {n: extract.submit(n, plans[n][0], config, as_of, plans[n][1]) for n in names}
    prepared = []
    for name in names:
        job = LandJob(SOURCES[name], plans[name][0], run_id, as_of, config, plans[name][1])
        item = Prepared(job, job.new_record())
        try:
            item.batch = futures[name].result()
        except Exception as exc:  # noqa: BLE001 - one failing source must not drop the others
            fail(item.record, exc)
        else:
            check_batch(con, item, validator)
        prepared.append(item)
    return prepared


def check_batch(con: duckdb.DuckDBPyConnection, item: Prepared, validator: LazyValidator) -> None:
    """The source's own check against what `con` holds, then: exactly what is held (nothing to do), or the suite's
    verdict. A big batch is checked and validated in slices of whole groups (flows.slicing). Run again under the
    lock when another run published in between."""
    assert item.batch is not None
    job, item.frame, item.held, item.verdicts, clock = item.job, None, False, [], time.perf_counter()
    item.left, item.parts = {}, []
    item.record.status, item.record.error, item.record.rows_fetched = LoadStatus.FAILED, None, item.batch.frame.height
    try:
        parts = [
            slicing.Slice(part.groups, before_land(con, job, part.frame))
            for part in slicing.cut(item.batch.frame, _slice_column(job), job.windows)
        ]
        frame = slicing.whole([part.frame for part in parts])
        if changes.batch_is_held(con, job.source.dataset, frame, _bounds(job.windows)):
            item.frame, item.held = frame, True
            return
        held, coverage = _held_in_slices(con, job, parts)
        item.left = groups.left_out(coverage, frame, _split_column(job), item.batch.errors, job.catalog)
        held, coverage = groups.without(item.left, held, coverage)  # a group that failed alone is judged alone
        item.verdicts = [validate_slices(validator, job, parts, held, coverage)]
        item.frame, item.parts = frame, [part.frame for part in parts]
    except Exception as exc:  # noqa: BLE001 - one failing source must not drop the others
        fail(item.record, exc)
    finally:
        item.record.seconds = round(time.perf_counter() - clock, 3)  # landing adds its own time (flows.steps)


def land_prepared(con: duckdb.DuckDBPyConnection, item: Prepared) -> LoadRecord:
    """Under the writer lock: record the batch's verdict, then land it in its own transaction (or quarantine it)."""
    name = item.job.source.name
    with step(con, item.record) as record:
        if item.frame is None or item.batch is None:  # the fetch or the check failed: said and set already
            return record
        if item.held:
            record.status = LoadStatus.UNCHANGED
            get_run_logger().info(
                "%s: %s rows fetched, %s: nothing to land",
                name,
                f"{record.rows_fetched:,}",
                "all already held" if record.rows_fetched else "none held in its window either",
            )
            return record
        if not record_verdict(con, item.verdicts[0], record.load_id, item.frame):
            record.status, record.error = LoadStatus.QUARANTINED, quarantine_message(item.verdicts[0].outcome)
            return record
        record.rows_landed = land_task.with_options(task_run_name=f"land-{name}")(
            con,
            name,
            item.parts or [item.frame],
            record.load_id,
            record.started_at,
            item.job.as_of,
            catalog=item.job.catalog,
            live=item.job.config.replay_dir is None,
        )
        faults.point(f"land-{name}")
        record.status = LoadStatus.PUBLISHED if record.rows_landed else LoadStatus.UNCHANGED
        if item.batch.errors or item.left:  # some groups (FRED series, rate types, contracts) failed alone
            record.status, record.error = LoadStatus.PARTIAL, groups.error_line(item.batch.errors, item.left)
        get_run_logger().info(
            "%s: %s rows fetched, %s new or revised rows landed",
            name,
            f"{record.rows_fetched:,}",
            f"{record.rows_landed:,}",
        )
    return item.record


def before_land(con: duckdb.DuckDBPyConnection, job: LandJob, frame: pl.DataFrame) -> pl.DataFrame:
    """The source's own pre-landing check against what is held (FRED: unit changes), if it declares one."""
    if job.source.before_land is None:
        return frame
    request = FetchRequest(job.source, job.windows, job.config.urls[job.source.http.base_url_setting], job.as_of)
    return resolve(job.source.before_land)(con, request, frame, job.refetch, get_run_logger())


@task(name="land", cache_policy=NO_CACHE)
def land_task(
    con: duckdb.DuckDBPyConnection,
    source: str,
    frames: list[pl.DataFrame],
    load_id: str,
    fetched_at: datetime | None,
    as_of: date,
    catalog: pl.DataFrame | None = None,
    live: bool = True,
) -> int:
    """Append the batch's new or revised rows to raw (`frames`: the batch, or its slices), each row stamped with when
    it became public (its release rule; a live run: never after the fetch, and a revision at the fetch); returns the
    rows landed. One transaction; a sliced batch commits slice by slice (below)."""
    fetched_at = fetched_at or datetime.now(UTC)
    stamp = _Stamp(load_id, fetched_at, as_of, catalog, live)
    dataset = SOURCES[source].dataset
    if len(frames) > 1 and not set(unrecorded_columns(con, dataset.raw_table)) & set(
        load.value_columns(dataset, frames[0])
    ):
        return _land_slices(con, source, frames, stamp)
    with db.transaction(con):
        return sum(_land_one(con, source, frame, stamp) for frame in frames)


@dataclass(frozen=True)
class _Stamp:
    """What every landed row of one load carries besides its values."""

    load_id: str
    fetched_at: datetime
    as_of: date
    catalog: pl.DataFrame | None
    live: bool


class LandingUndoFailed(BaseException):  # noqa: N818 - a BaseException: no step may catch it and publish
    """A sliced batch failed to land and its landed slices could not be removed: the run must not publish."""


def _land_slices(con: duckdb.DuckDBPyConnection, source: str, frames: list[pl.DataFrame], stamp: _Stamp) -> int:
    """Land a big batch one slice per transaction: DuckDB keeps a transaction's appended rows in memory until it
    commits (~200 bytes a FRED row: 1 GB for a 5M-row backfill in one). If a slice fails, the rows the earlier slices
    landed (all of this load's, by load_id) are deleted before the error goes on, so the source lands nothing, as
    in one transaction. Not used when a migration left columns to fill in held rows (warehouse.unrecorded): those
    updates could not be told apart afterwards."""
    dataset, landed = SOURCES[source].dataset, 0
    try:
        for frame in frames:
            with db.transaction(con):
                landed += _land_one(con, source, frame, stamp)
    except Exception:  # a stop signal is not undone here: the run ends and its staging copy is discarded whole
        try:
            with db.transaction(con):
                con.execute(f"DELETE FROM {dataset.raw_table} WHERE load_id = ?", [stamp.load_id])
        except Exception as undo:  # noqa: BLE001 - said, and the run stops without publishing
            raise LandingUndoFailed(f"{source}: a failed landing could not be undone ({undo}); not published") from None
        raise
    return landed


def _land_one(con: duckdb.DuckDBPyConnection, source: str, frame: pl.DataFrame, stamp: _Stamp) -> int:
    """Land one frame (in the caller's transaction): stamp published_at, append the new or revised rows."""
    fetched = stamp.fetched_at if stamp.live else None
    frame = with_published_at(frame, SOURCES[source], stamp.catalog, fetched_at=fetched)
    return load.land(
        con,
        SOURCES[source].dataset,
        frame,
        load_id=stamp.load_id,
        fetched_at=stamp.fetched_at,
        as_of=stamp.as_of,
        revised_published_at=fetched,
    )


def _slice_column(job: LandJob) -> str | None:
    """The column a big batch is sliced by (flows.slicing): the dataset's group when its windows are per group
    (FRED series) and its suite judges each group alone; else None (never sliced)."""
    column = job.source.dataset.group_column
    if column is None or "*" in job.windows or _split_column(job) != column:
        return None
    return column


def _held_in_slices(
    con: duckdb.DuckDBPyConnection, job: LandJob, parts: list[slicing.Slice]
) -> tuple[Any, pl.DataFrame | None]:
    """`_held` of each slice's windows, merged: one coverage frame, and Held per group."""
    if len(parts) == 1:
        return _held(con, job, parts[0].frame, job.windows)
    held: dict[str, Any] = {}
    coverages = []
    for part in parts:
        windows = {g: job.windows[g] for g in part.groups if g in job.windows}
        part_held, coverage = _held(con, job, part.frame, windows)
        if coverage is None or not isinstance(part_held, dict):  # a mistyped batch: judged whole, as before
            return _held(con, job, slicing.whole([p.frame for p in parts]), job.windows)
        held.update(part_held)
        coverages.append(coverage)
    return held, pl.concat(coverages)


def validate_slices(
    validator: LazyValidator, job: LandJob, parts: list[slicing.Slice], held: Any, coverage: pl.DataFrame | None
) -> Verdict:
    """The suite's verdict on the batch: one validation, or one per slice (each with its groups' held rows and
    coverage) merged into one (expectations.runner.merge_outcomes)."""
    dataset, as_of = job.source.dataset.name, job.as_of
    if len(parts) == 1:
        return validate(validator, dataset, parts[0].frame, dict(as_of=as_of, held=held, coverage=coverage))[0]
    verdicts = []
    for number, part in enumerate(parts, start=1):
        groups_in = set(part.groups)
        context = dict(
            as_of=as_of,
            held={g: h for g, h in held.items() if g in groups_in} if isinstance(held, dict) else held,
            coverage=None if coverage is None else coverage.filter(pl.col("grp").is_in(part.groups)),
            part=number,
        )
        verdicts += validate(validator, dataset, part.frame, context, label=f"{number}of{len(parts)}")
    from expectations.runner import merge_outcomes

    return Verdict(merge_outcomes([v.outcome for v in verdicts]), verdicts[-1].at)


def _held(
    con: duckdb.DuckDBPyConnection, job: LandJob, frame: pl.DataFrame, windows: dict[str, Window]
) -> tuple[Any, pl.DataFrame | None]:
    """What the warehouse already holds in each requested window, from one grouped query: the coverage frame (per
    FRED series, rate type, DTS account) for the completeness rule, and Held per suite group for the row-wise rules."""
    from expectations import suites
    from expectations.context import Held

    context = suites.suite(job.source.dataset.name).context()
    spans = _bounds(windows)
    coverage = load.coverage(con, job.source.dataset, frame, spans, context.coverage_group, context.value_columns)
    if coverage is None:
        return None, None
    if context.group_column and context.group_column == context.coverage_group:
        return {r["grp"]: Held(r["held_rows"], r["held_first"]) for r in coverage.iter_rows(named=True)}, coverage
    first = coverage["held_first"].min()
    return Held(int(coverage["held_rows"].sum()), first if isinstance(first, date) else None), coverage


def _split_column(job: LandJob) -> str | None:
    """The column whose groups fail alone (FRED series, rate type, CFTC contract): the suite's group column when
    completeness is judged on it too (not the DTS accounts, which make one statement together)."""
    from expectations import suites

    context = suites.suite(job.source.dataset.name).context()
    return context.group_column if context.group_column == context.coverage_group else None


def _bounds(windows: dict[str, Window]) -> dict[str, tuple[date | None, date]]:
    return {group: (w.start, w.end) for group, w in windows.items()}


def validate(
    validator: LazyValidator, dataset: str, frame: pl.DataFrame, context: dict[str, Any], label: str = ""
) -> list[Verdict]:
    """Run the dataset's suite as a task `validate-<dataset>[-<label>]` (Failed when the batch fails it); [its
    verdict]."""
    verdicts: list[Verdict] = []
    name = f"validate-{dataset}" + (f"-{label}" if label else "")
    state = validate_task.with_options(task_run_name=name)(
        validator, dataset, frame, context, verdicts, return_state=True
    )
    if not verdicts:  # the suite itself broke
        raise RuntimeError(state.message or f"{dataset} could not be validated")
    return verdicts


@task(name="validate", cache_policy=NO_CACHE)
def validate_task(
    validator: LazyValidator, dataset: str, frame: pl.DataFrame, context: dict[str, Any], verdicts: list[Verdict]
) -> State:
    """Validate one batch (its verdict goes into `verdicts`); a failing batch is to be quarantined: Failed state."""
    outcome = validator.validate(dataset, frame, **context)
    verdicts.append(Verdict(outcome, datetime.now(UTC)))
    if outcome.success:
        return Completed(message=f"{dataset}: {outcome.evaluated} rules passed")
    get_run_logger().error("%s quarantined, not published: %s", dataset, "; ".join(outcome.described_rules))
    return Failed(message=quarantine_message(outcome))


def quarantine_message(outcome: ValidationOutcome) -> str:
    """The one line a quarantined batch's meta.loads row carries."""
    return f"{outcome.dataset} failed validation: {'; '.join(outcome.described_rules)}"[:500]  # with the bad row


def record_verdict(con: duckdb.DuckDBPyConnection, verdict: Verdict, load_id: str, frame: pl.DataFrame) -> bool:
    """Record a validation in meta.validations and a failing batch in meta.quarantine; True when it may publish."""
    outcome = verdict.outcome
    meta.record_validation(
        con,
        load_id=load_id,
        dataset=outcome.dataset,
        success=outcome.success,
        evaluated=outcome.evaluated,
        failed=outcome.failed,
        failed_rules=outcome.failed_rules,
        seconds=outcome.seconds,
        validated_at=verdict.at,
    )
    if not outcome.success:
        meta.quarantine(
            con,
            load_id=load_id,
            dataset=outcome.dataset,
            frame=frame,
            failed_rules=outcome.failed_rules,
            result_json=outcome.result_json,
            at=verdict.at,
        )
    return outcome.success
