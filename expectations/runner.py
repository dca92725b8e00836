"""Run a dataset's suite on a polars batch through one ephemeral GX context per run; quiet, timed, docs-ready."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from types import ModuleType

import great_expectations as gx
import polars as pl
from great_expectations.core import ExpectationSuiteValidationResult, ExpectationValidationResult
from great_expectations.data_context.types.base import ProgressBarsConfig

from expectations import completeness, rules, suites
from expectations.context import HeldArg, add_checks, add_context

# SUMMARY keeps 20 example values per failed rule: enough to see what broke, small enough to store per load.
RESULT_FORMAT = "SUMMARY"
DOCS_SITE = "qtwatch_local_docs"


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


class Validator:
    """One per run: pays the GX import and the ephemeral context set-up once, then validates any dataset."""

    def __init__(self) -> None:
        """Ephemeral context, progress bars off, one pandas asset + validation definition per known dataset."""
        self._context = gx.get_context(mode="ephemeral")
        # Without this every validation draws a tqdm bar per metric batch into the run log.
        self._context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        self._source = self._context.data_sources.add_pandas("qtwatch_batches")
        self._definitions: dict[str, gx.ValidationDefinition] = {}

    def validate(
        self, dataset: str, frame: pl.DataFrame, *, as_of: date | None = None, held: HeldArg = None,
        coverage: pl.DataFrame | None = None,
    ) -> ValidationOutcome:
        """Validate `frame` against `dataset`'s suite; as_of = the run's date, held = history already loaded,
        coverage = the held-vs-batch frame of warehouse.load.coverage (adds the completeness rule)."""
        started = time.perf_counter()
        module = suites.module(dataset)
        prepared = prepare(module, frame, as_of=as_of, held=held)
        result = self._definition(dataset).run(
            batch_parameters={"dataframe": prepared.to_pandas()}, result_format=RESULT_FORMAT  # type: ignore[arg-type]
        )
        verdict = outcome(dataset, result, time.perf_counter() - started, prepared)
        if coverage is None:
            return verdict
        return with_completeness(verdict, completeness.shortfalls(coverage, module.context().coverage_group))

    def build_data_docs(self, path: Path) -> Path:
        """Render every validation of this run as GX Data Docs under `path`; returns its index.html."""
        path.mkdir(parents=True, exist_ok=True)
        if DOCS_SITE not in (self._context.list_data_docs_sites() or {}):
            self._context.add_data_docs_site(DOCS_SITE, _site_config(path))  # type: ignore[arg-type]
        self._context.build_data_docs(site_names=[DOCS_SITE])
        return path / "index.html"

    def _definition(self, dataset: str) -> gx.ValidationDefinition:
        """The dataset's ValidationDefinition, created on first use (suite + dataframe asset + batch)."""
        if dataset not in self._definitions:
            suite = self._context.suites.add(suites.registry[dataset]())
            asset = self._source.add_dataframe_asset(dataset)
            batch = asset.add_batch_definition_whole_dataframe(dataset)
            definition = gx.ValidationDefinition(name=dataset, data=batch, suite=suite)
            self._definitions[dataset] = self._context.validation_definitions.add(definition)
        return self._definitions[dataset]


def prepare(module: ModuleType, frame: pl.DataFrame, *, as_of: date | None, held: HeldArg) -> pl.DataFrame:
    """The batch as the suite sees it: + chk_* (mart identities) + ctx_* (as_of, gaps, held) columns."""
    if hasattr(module, "checks"):
        frame = add_checks(frame, module.checks(), module.ORDER_BY)
    return add_context(frame, module.context(), as_of, held)


def outcome(dataset: str, result: ExpectationSuiteValidationResult, seconds: float,
            batch: pl.DataFrame | None = None) -> ValidationOutcome:
    """Summarise a GX suite result: counts and the readable names of the failed rules (`batch`: the prepared
    frame, to name the failures of a rule that checks many groups or columns at once)."""
    failed = [r for r in result.results if not r.success]
    return ValidationOutcome(
        dataset=dataset,
        success=bool(result.success),
        evaluated=int(result.statistics["evaluated_expectations"]),
        failed=len(failed),
        failed_rules=[name for r in failed for name in failed_names(r, batch)],
        result_json=json.dumps(result.describe_dict(), default=str),
        seconds=round(seconds, 4),
    )


def with_completeness(verdict: ValidationOutcome, failures: list[str]) -> ValidationOutcome:
    """The verdict with the completeness rule counted as evaluated, and its failures (one per group) added."""
    return replace(verdict, success=verdict.success and not failures, evaluated=verdict.evaluated + 1,
                   failed=verdict.failed + bool(failures), failed_rules=[*failures, *verdict.failed_rules])


def rule_name(config: object) -> str:
    """The rule's description ("<column>: <rule>"), else its type and column."""
    description = getattr(config, "description", None)
    if description:
        return description
    kwargs = getattr(config, "kwargs", {})
    return f"{getattr(config, 'type', '?')}({kwargs.get('column') or kwargs.get('column_list')})"


def failed_names(result: ExpectationValidationResult, batch: pl.DataFrame | None) -> list[str]:
    """Readable names of one failed rule: for a combined rule (rules.NAMES in its meta) one name per missing
    column or per failing group, found in the result or the batch; else the rule's own name."""
    config = result.expectation_config
    spec = (getattr(config, "meta", None) or {}).get(rules.NAMES)
    names: list[str] = []
    if spec and "missing_columns" in spec:
        missing = ((result.result or {}).get("details") or {}).get("mismatched", {}).get("missing") or []
        names = [spec["missing_columns"].format(column=c) for c in missing]
    elif spec and batch is not None:
        names = [spec["names"].get(g, f"{rule_name(config)} ({g})") for g in _failing_groups(spec, batch)]
    return names or [rule_name(config)]


def _failing_groups(spec: dict, batch: pl.DataFrame) -> list[str]:
    """Groups with a row where `a op b` is false (both present), as the combined pair rule saw it."""
    a, b, group = spec["a"], spec["b"], spec["group"]
    try:
        ok = {"ge": pl.col(a) >= pl.col(b), "le": pl.col(a) <= pl.col(b), "eq": pl.col(a) == pl.col(b)}[spec["op"]]
        bad = batch.filter(pl.col(a).is_not_null() & pl.col(b).is_not_null() & ~ok)
        return sorted(str(g) for g in bad[group].unique().drop_nulls().to_list())
    except (pl.exceptions.PolarsError, KeyError):
        return []  # e.g. the column arrived as text: the type rule names that, this rule keeps its own name


def _site_config(path: Path) -> dict:
    """A local-folder Data Docs site (the ephemeral context has none of its own)."""
    return {
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(path)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }
