"""Validate a polars batch against its dataset's suite: prepare (the helper columns the rules read), run (GX, through
the run's store: expectations.store), outcome (the verdict, each failed rule by its readable name and first bad row).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path

import polars as pl
from great_expectations.core import ExpectationSuiteValidationResult, ExpectationValidationResult

from expectations import bad_rows, combined, completeness, rules, suites
from expectations.context import HeldArg, add_checks, add_context
from expectations.declaration import Suite
from expectations.store import KEEP_RUNS, Store

# BASIC keeps 20 example values per failed rule (partial_unexpected_list): enough to see what broke, small enough to
# store per load. SUMMARY adds their counts and row indices at ~2 ms a rule more on every batch, failing or not
# (a 40-row FRED batch: 77 -> 58 ms); the failing rows are named from the batch itself (failed_names).
RESULT_FORMAT = "BASIC"


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
    failed_ids: tuple[str, ...] = ()  # the failed expectations (rule_name), to count them across slices

    @property
    def described_rules(self) -> list[str]:
        """The failed rules, each with its count of bad rows and the first one by key and value when known."""
        return [f"{rule}{self.bad_rows.get(rule, '')}" for rule in self.failed_rules]


class Validator:
    """One per run: pays the GX import and the context set-up once (its `store`), then validates any dataset."""

    def __init__(
        self, project_root: Path | None = None, *, run_name: str | None = None, keep_runs: int = KEEP_RUNS
    ) -> None:
        """A file-backed GX store in `project_root`/gx (history of `keep_runs` runs named `run_name`), else an
        ephemeral one (expectations.store)."""
        self.store = Store(project_root, run_name=run_name, keep_runs=keep_runs)

    def validate(
        self,
        dataset: str,
        frame: pl.DataFrame,
        *,
        as_of: date | None = None,
        held: HeldArg = None,
        coverage: pl.DataFrame | None = None,
        part: int = 0,
    ) -> ValidationOutcome:
        """Validate `frame` against `dataset`'s suite; as_of = the run's date, held = history already loaded,
        coverage = the held-vs-batch frame of warehouse.load.coverage (adds the completeness rule); `part` numbers
        the slices of one batch (flows.slicing), each kept as its own result in the store."""
        started = time.perf_counter()
        declared = suites.suite(dataset)
        prepared = prepare(declared, frame, as_of=as_of, held=held)
        result = self.store.definition(dataset).run(
            batch_parameters={"dataframe": prepared.to_pandas()},
            result_format=RESULT_FORMAT,  # type: ignore[arg-type]
            run_id=self.store.run_id_of(part),
        )
        verdict = outcome(dataset, result, time.perf_counter() - started, prepared, key=declared.key)
        if coverage is None:
            return verdict
        return with_completeness(verdict, completeness.shortfalls(coverage, declared.context().coverage_group))

    def build_data_docs(self, path: Path) -> Path:
        """This run's validations as GX Data Docs under `path` (Store.build_data_docs); returns its index.html."""
        return self.store.build_data_docs(path)

    def kept_runs(self) -> list[str]:
        """Run names of the validation results the store holds, newest first."""
        return self.store.kept_runs()


def prepare(suite: Suite, frame: pl.DataFrame, *, as_of: date | None, held: HeldArg) -> pl.DataFrame:
    """The batch as the suite sees it: + chk_* (mart identities, multi-column rules) + ctx_* (as_of, gaps, held)."""
    if suite.checks is not None and suite.order_by is not None:
        frame = add_checks(frame, suite.checks(), suite.order_by)
    frame = add_context(frame, suite.context(), as_of, held)
    return combined.add_check_columns(frame, _combined_specs(suite))  # last: orders read the ctx_* columns


@cache
def _combined_specs(suite: Suite) -> tuple[dict, ...]:
    """The suite's multi-column rules, read once per process (a suite is built from constants)."""
    return tuple(rules.combined_specs(suite.rules().expectations))


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
        failed_ids=tuple(rule_name(r.expectation_config) for r in failed),
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
        failed_ids=(*verdict.failed_ids, *([completeness.RULE] if failures else [])),
    )


def merge_outcomes(outcomes: list[ValidationOutcome]) -> ValidationOutcome:
    """One verdict for a batch validated in slices of whole groups (flows.slicing): it passes when every slice
    passes; an expectation failed when it failed in any slice; each failed rule is named once (the completeness
    failures first, as in one validation), with its bad rows counted over all slices and the first one shown."""
    first = outcomes[0]
    names = [n for o in outcomes for n in o.failed_rules]
    ordered = [n for n in names if n.startswith(completeness.RULE)] + [
        n for n in names if not n.startswith(completeness.RULE)
    ]
    failing = [o for o in outcomes if not o.success]
    ids = list(dict.fromkeys(i for o in outcomes for i in o.failed_ids))
    return ValidationOutcome(
        dataset=first.dataset,
        success=not failing,
        evaluated=max(o.evaluated for o in outcomes),
        failed=len(ids),
        failed_rules=list(dict.fromkeys(ordered)),
        result_json=(failing or [first])[0].result_json if len(failing) < 2 else _slices_json(failing),
        seconds=round(sum(o.seconds for o in outcomes), 4),
        bad_rows=bad_rows.merged([o.bad_rows for o in outcomes]),
        failed_ids=tuple(ids),
    )


def _slices_json(outcomes: list[ValidationOutcome]) -> str:
    """GX's results of the failing slices of one batch: {"success": false, "slices": [result, ...]}."""
    return json.dumps({"success": False, "slices": [json.loads(o.result_json) for o in outcomes]})


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
        table = rules.failure_names(spec)
        names = [table.get(g, f"{rule_name(config)} ({g})") for g in _failing_groups(spec, batch)]
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
