"""Run a dataset's suite on a polars batch through one GX context per run; quiet, timed, docs-ready.

The pipeline uses a file-backed context beside the warehouse (`<warehouse folder>/gx`): suites, one pandas data asset
and validation definition per dataset, and the validation results of the last `keep_runs` runs (each run's results
carry the qtwatch run id as GX run name), which the Data Docs site lists. Tests use the ephemeral context."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import cast

import great_expectations as gx
import polars as pl
from great_expectations.core import ExpectationSuiteValidationResult, ExpectationValidationResult
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context import AbstractDataContext
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.data_context.types.resource_identifiers import ValidationResultIdentifier
from great_expectations.datasource.fluent import PandasDatasource

from expectations import bad_rows, combined, completeness, docs_assets, rules, suites
from expectations.context import HeldArg, add_checks, add_context

# BASIC keeps 20 example values per failed rule (partial_unexpected_list): enough to see what broke, small enough to
# store per load. SUMMARY adds their counts and row indices at ~2 ms a rule more on every batch, failing or not
# (a 40-row FRED batch: 77 -> 58 ms); the failing rows are named from the batch itself (failed_names).
RESULT_FORMAT = "BASIC"
DOCS_SITE = "qtwatch_local_docs"
DATA_SOURCE = "qtwatch_batches"
DEFINITIONS_FILE = "qtwatch_definitions.json"  # in the GX project folder: dataset -> fingerprint of its stored suite
KEEP_RUNS = 20  # validation history kept in a file-backed context: about a month of daily runs


@dataclass(frozen=True)
class ValidationOutcome:
    """One batch's verdict: which rules ran, which failed (by readable name), GX's full result as JSON."""

    dataset: str
    success: bool
    evaluated: int
    failed: int
    failed_rules: list[str] = field(default_factory=list)
    result_json: str = "{}"
    seconds: float = 0.0
    bad_rows: dict[str, str] = field(default_factory=dict)  # failed rule -> " (N rows, first: key=..., col=value)"

    @property
    def described_rules(self) -> list[str]:
        """The failed rules, each with its count of bad rows and the first one by key and value when known."""
        return [f"{rule}{self.bad_rows.get(rule, '')}" for rule in self.failed_rules]


class Validator:
    """One per run: pays the GX import and the context set-up once, then validates any dataset."""

    def __init__(
        self, project_root: Path | None = None, *, run_name: str | None = None, keep_runs: int = KEEP_RUNS
    ) -> None:
        """A file-backed context in `project_root`/gx (history of `keep_runs` runs named `run_name`), else an
        ephemeral one; progress bars off, one pandas asset + validation definition per known dataset."""
        self._context: AbstractDataContext
        if project_root is None:
            self._context = gx.get_context(mode="ephemeral")
        else:
            Path(project_root).mkdir(parents=True, exist_ok=True)
            self._context = gx.get_context(mode="file", project_root_dir=str(project_root))
        self.run_name, self.keep_runs = run_name, max(1, keep_runs)
        # GX reads a run time out of a run name given without one (dateutil): a run id whose random suffix is digits
        # and "ad" ("...Z-8158ad": an era and an offset of +81:58) then fails every validation of the run
        self.run_time = datetime.now(UTC)
        # Without this every validation draws a tqdm bar per metric batch into the run log.
        self._context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        self._source = self._pandas_source()
        self._definitions: dict[str, gx.ValidationDefinition] = {}
        self._stamps = self._load_stamps()
        self._read_back: set[str] = set()  # datasets whose stored suite was current (so was its Data Docs page)

    def validate(
        self,
        dataset: str,
        frame: pl.DataFrame,
        *,
        as_of: date | None = None,
        held: HeldArg = None,
        coverage: pl.DataFrame | None = None,
    ) -> ValidationOutcome:
        """Validate `frame` against `dataset`'s suite; as_of = the run's date, held = history already loaded,
        coverage = the held-vs-batch frame of warehouse.load.coverage (adds the completeness rule)."""
        started = time.perf_counter()
        module = suites.module(dataset)
        prepared = prepare(module, frame, as_of=as_of, held=held)
        run_id = RunIdentifier(run_name=self.run_name, run_time=self.run_time) if self.run_name else None
        result = self._definition(dataset).run(
            batch_parameters={"dataframe": prepared.to_pandas()},
            result_format=RESULT_FORMAT,  # type: ignore[arg-type]
            run_id=run_id,
        )
        verdict = outcome(dataset, result, time.perf_counter() - started, prepared, key=getattr(module, "KEY", ()))
        if coverage is None:
            return verdict
        return with_completeness(verdict, completeness.shortfalls(coverage, module.context().coverage_group))

    def build_data_docs(self, path: Path) -> Path:
        """Drop validation results older than the last `keep_runs` runs, then render this run's validations (and
        the suites they used) as GX Data Docs under `path`, whose index lists every kept run; returns its
        index.html. The kept runs' pages are already on disk: rendering them again every run cost time in
        proportion to the history kept (a site without an index is rendered whole)."""
        path.mkdir(parents=True, exist_ok=True)
        self.prune_history(path)
        keys = self._result_keys()
        mine = [k for k in keys if self.run_name and (k.run_id.run_name or "") == self.run_name]
        whole = not (path / "index.html").exists() or not mine
        self._name_data_assets(keys if whole else mine)
        sites, config = self._context.list_data_docs_sites() or {}, _site_config(path)
        if DOCS_SITE not in sites:
            self._context.add_data_docs_site(DOCS_SITE, config)  # type: ignore[arg-type]
        elif sites[DOCS_SITE] != config:  # an update rewrites the context's YAML: only when the site moved
            self._context.update_data_docs_site(DOCS_SITE, config)  # type: ignore[arg-type]
        # a suite's page is rendered again only when the suite was stored anew this run or its page is missing
        used = {k.expectation_suite_identifier.name: k.expectation_suite_identifier for k in mine}
        suites_used = [
            suite
            for name, suite in used.items()
            if name not in self._read_back or not (path / "expectations" / f"{name}.html").exists()
        ]
        # GX types the list as one kind of key; each site section keeps the keys of its own kind, so both go in
        wanted = cast(list[ValidationResultIdentifier], [*mine, *suites_used])
        self._context.build_data_docs(site_names=[DOCS_SITE], resource_identifiers=None if whole else wanted)
        docs_assets.localize(path)  # the pages' CSS/JS from the shipped copies, not CDNs: they work offline
        return path / "index.html"

    def kept_runs(self) -> list[str]:
        """Run names of the validation results the context holds, newest first."""
        latest: dict[str, str] = {}
        for key in self._result_keys():
            name, stamp = key.run_id.run_name or "", str(key.run_id.run_time)
            latest[name] = max(stamp, latest.get(name, stamp))
        return sorted(latest, key=lambda name: latest[name], reverse=True)

    def prune_history(self, docs_path: Path | None = None) -> list[str]:
        """Remove the results (and their Data Docs pages) of every run but the newest `keep_runs`; returns the
        removed run names."""
        dropped = self.kept_runs()[self.keep_runs :]
        store = self._context.validation_results_store
        for key in self._result_keys():
            if (key.run_id.run_name or "") in dropped:
                store.remove_key(key)
                if docs_path is not None:  # the site index lists the pages on disk
                    suite = key.expectation_suite_identifier.name
                    shutil.rmtree(docs_path / "validations" / suite / (key.run_id.run_name or ""), ignore_errors=True)
        return dropped

    def _result_keys(self) -> list[ValidationResultIdentifier]:
        """The keys of the stored validation results (the store only ever holds validation results)."""
        return cast(list[ValidationResultIdentifier], self._context.validation_results_store.list_keys())

    def _name_data_assets(self, keys: list[ValidationResultIdentifier]) -> None:
        """Data Docs print a result's asset from meta.batch_spec, which a dataframe batch lacks ("Data asset:
        None"): copy the asset name GX keeps in meta.active_batch_definition into it, once per stored result."""
        store = self._context.validation_results_store
        for key in keys:
            result = store.get(key)
            if result is None:
                continue
            spec = result.meta.get("batch_spec")
            name = (result.meta.get("active_batch_definition") or {}).get("data_asset_name")
            if name and hasattr(spec, "get") and not spec.get("data_asset_name"):
                spec["data_asset_name"] = name
                store.set(key, result)

    def _pandas_source(self) -> PandasDatasource:
        """The context's pandas data source with the assets earlier runs added, else a new one. (Updating it replaced
        it with an empty one: each run wrote the context's YAML twice per dataset to add its assets back.)"""
        try:
            source = self._context.data_sources.get(DATA_SOURCE)
        except KeyError:
            return self._context.data_sources.add_pandas(DATA_SOURCE)
        if isinstance(source, PandasDatasource):
            return source
        return self._context.data_sources.add_or_update_pandas(DATA_SOURCE)

    def _definition(self, dataset: str) -> gx.ValidationDefinition:
        """The dataset's ValidationDefinition, created (or refreshed) on first use: suite + dataframe asset + batch
        definition, all named after the dataset. A file-backed context keeps a fingerprint of each suite it stored
        (DEFINITIONS_FILE): an unchanged suite's stored definition is read back (~1 ms) instead of compared and
        written again (~17 ms a dataset)."""
        if dataset in self._definitions:
            return self._definitions[dataset]
        built = suites.registry[dataset]()
        stamp = _fingerprint(built)
        if self._stamps.get(dataset) == stamp:
            with contextlib.suppress(Exception):  # anything missing or unreadable: stored again below
                self._definitions[dataset] = self._context.validation_definitions.get(dataset)
                self._read_back.add(dataset)
                return self._definitions[dataset]
        suite = self._context.suites.add_or_update(built)
        # get_asset ties a stored asset to this data source (iterating .assets does not: it has no context)
        known = {a.name for a in self._source.assets}
        asset = self._source.get_asset(dataset) if dataset in known else self._source.add_dataframe_asset(dataset)
        batches = {b.name: b for b in asset.batch_definitions}
        batch = batches.get(dataset) or asset.add_batch_definition_whole_dataframe(dataset)
        definition = gx.ValidationDefinition(name=dataset, data=batch, suite=suite)
        self._definitions[dataset] = self._context.validation_definitions.add_or_update(definition)
        self._save_stamp(dataset, stamp)
        return self._definitions[dataset]

    def _stamps_path(self) -> Path | None:
        root = getattr(self._context, "root_directory", None)
        return Path(root) / DEFINITIONS_FILE if root else None

    def _load_stamps(self) -> dict[str, str]:
        path = self._stamps_path()
        try:
            stamps = json.loads(path.read_text()) if path is not None else {}
        except (OSError, ValueError):
            return {}
        return stamps if isinstance(stamps, dict) else {}

    def _save_stamp(self, dataset: str, stamp: str) -> None:
        if (path := self._stamps_path()) is None:
            return
        self._stamps[dataset] = stamp
        partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps(self._stamps, indent=1, sort_keys=True))
        os.replace(partial, path)


def _fingerprint(suite: gx.ExpectationSuite) -> str:
    """The suite as GX would store it (and the GX version that stores it), hashed."""
    text = json.dumps([gx.__version__, suite.to_json_dict()], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def prepare(module: ModuleType, frame: pl.DataFrame, *, as_of: date | None, held: HeldArg) -> pl.DataFrame:
    """The batch as the suite sees it: + chk_* (mart identities, multi-column rules) + ctx_* (as_of, gaps, held)."""
    if hasattr(module, "checks"):
        frame = add_checks(frame, module.checks(), module.ORDER_BY)
    frame = add_context(frame, module.context(), as_of, held)
    return combined.add_check_columns(frame, _combined_specs(module))  # last: orders read the ctx_* columns


@cache
def _combined_specs(module: ModuleType) -> tuple[dict, ...]:
    """The suite's multi-column rules, read once per process (a suite is built from constants)."""
    return tuple(rules.combined_specs(module.build_suite().expectations))


def outcome(
    dataset: str,
    result: ExpectationSuiteValidationResult,
    seconds: float,
    batch: pl.DataFrame | None = None,
    key: tuple[str, ...] = (),
) -> ValidationOutcome:
    """Summarise a GX suite result: counts and the readable names of the failed rules (`batch`: the prepared
    frame, to name the failures of a rule that checks many groups or columns at once, and the first bad row by
    its `key` and value)."""
    failed = [r for r in result.results if not r.success]
    return ValidationOutcome(
        dataset=dataset,
        success=bool(result.success),
        evaluated=int(result.statistics["evaluated_expectations"]),
        failed=len(failed),
        failed_rules=[name for r in failed for name in failed_names(r, batch)],
        result_json=json.dumps(result.describe_dict(), default=str),
        seconds=round(seconds, 4),
        bad_rows={
            name: shown
            for r in failed
            if (shown := bad_rows.describe(r, batch, key))
            for name in failed_names(r, batch)
        },
    )


def with_completeness(verdict: ValidationOutcome, failures: list[str]) -> ValidationOutcome:
    """The verdict with the completeness rule counted as evaluated, and its failures (one per group) added."""
    return replace(
        verdict,
        success=verdict.success and not failures,
        evaluated=verdict.evaluated + 1,
        failed=verdict.failed + bool(failures),
        failed_rules=[*failures, *verdict.failed_rules],
    )


def rule_name(config: object) -> str:
    """The rule's description ("<column>: <rule>"), else its type and column."""
    description = getattr(config, "description", None)
    if description:
        return description
    kwargs = getattr(config, "kwargs", {})
    return f"{getattr(config, 'type', '?')}({kwargs.get('column') or kwargs.get('column_list')})"


def failed_names(result: ExpectationValidationResult, batch: pl.DataFrame | None) -> list[str]:
    """Readable names of one failed rule: for a combined rule (rules.NAMES in its meta) one name per missing
    column, per failing underlying check (`<column>: numeric`) or per failing group, found in the result or the
    batch; else the rule's own name."""
    config = result.expectation_config
    spec = (getattr(config, "meta", None) or {}).get(rules.NAMES)
    names: list[str] = []
    if spec and "missing_columns" in spec:
        missing = ((result.result or {}).get("details") or {}).get("mismatched", {}).get("missing") or []
        names = [spec["missing_columns"].format(column=c) for c in missing]
    elif spec and combined.KIND in spec and batch is not None:
        names = _failing_checks(spec, batch)
    elif spec and batch is not None:
        names = [spec["names"].get(g, f"{rule_name(config)} ({g})") for g in _failing_groups(spec, batch)]
    return names or [rule_name(config)]


def _failing_checks(spec: dict, batch: pl.DataFrame) -> list[str]:
    """The names of a multi-column rule's checks that fail in the batch; none if the batch cannot say."""
    try:
        return combined.failing_names(spec, batch)
    except pl.exceptions.PolarsError:
        return []  # the rule keeps its own name ("<rule>: each of ...") rather than guessing


def _failing_groups(spec: dict, batch: pl.DataFrame) -> list[str]:
    """Groups with a row where `a op b` is false (both present), or where the check column `flag` is false, as the
    rule saw it."""
    group = spec["group"]
    try:
        if "flag" in spec:
            bad = batch.filter(pl.col(spec["flag"]) == False)  # noqa: E712 (null: nothing to check on that row)
            return sorted(str(g) for g in bad[group].unique().drop_nulls().to_list())
        a, b = spec["a"], spec["b"]
        ok = {"ge": pl.col(a) >= pl.col(b), "le": pl.col(a) <= pl.col(b), "eq": pl.col(a) == pl.col(b)}[spec["op"]]
        bad = batch.filter(pl.col(a).is_not_null() & pl.col(b).is_not_null() & ~ok)
        return sorted(str(g) for g in bad[group].unique().drop_nulls().to_list())
    except (pl.exceptions.PolarsError, KeyError):
        return []  # e.g. the column arrived as text: the type rule names that, this rule keeps its own name


def _site_config(path: Path) -> dict:
    """A local-folder Data Docs site at `path` (QTWATCH_GX_DOCS_DIR), for the file and the ephemeral context alike."""
    return {
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(path)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }
