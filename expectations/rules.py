"""Named GX 1.x expectations: each carries a human-readable rule name (its `description`, "<column>: <rule>").

Which mechanism a rule uses (runner.prepare adds the helper columns, in the order below, before GX sees the batch):

the rule is about                        write it with                                    checked by
---------------------------------------  -----------------------------------------------  --------------------------
one column (type, null, range, set),     numeric, dates, not_null, between, at_least,     a GX expectation on the
  the key, a pair in order, the columns  in_set, unique_key, ordered, columns_present     batch's own columns
a value from other columns or from the   Suite.checks (chk_* polars expressions), a rule  GX on the chk_* columns
  previous row (identity, series regex)  on each: marts.identity, holds_by_group, in_set  context.add_checks adds
the run and the warehouse: as_of, gaps,  batch_context (in_order on ctx_*), or            GX on the ctx_* columns
  history held, per-group bands          bounded_by_group on ContextSpec.lookups          context.add_context adds
one check over many columns or pairs     numeric_all, dates_all, not_null_all,            GX: chk_all_* = 0, a count
  (GX costs ~10 ms a rule)               at_least_all, between_all, ranges, in_order      combined.py adds per row
held rows the batch lost, ended early    ContextSpec.coverage_column, value_columns       completeness.py, not GX,
  or nulled (an empty batch too)         (no rule to write)                               on the coverage frame
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence

import great_expectations as gx
from great_expectations.expectations import Expectation
from great_expectations.expectations.row_conditions import Column

from expectations import combined

E = gx.expectations

# pandas dtypes a polars frame converts to (Int64 with nulls becomes float64, Date becomes datetime64[ms]).
NUMERIC_TYPES = ["float64", "int64", "Float64", "Int64", "float32", "int32"]
DATE_TYPES = ["datetime64", "datetime64[ms]", "datetime64[us]", "datetime64[ns]"]

# Context columns the runner derives before validation (see expectations.context); prefixed so they never clash.
AS_OF = "ctx_as_of"
GAP_DAYS = "ctx_gap_days"
MAX_GAP_DAYS = "ctx_max_gap_days"
GROUP_ROWS = "ctx_group_rows"
HELD_ROWS = "ctx_held_rows"
GROUP_FIRST_DATE = "ctx_group_first_date"
HELD_FIRST_DATE = "ctx_held_first_date"


# An expectation's meta under this key tells the runner how to name its failures from the data (see
# expectations.runner.failed_names): one GX rule then stands for many named checks and costs one rule's time.
NAMES = "qtwatch_failure_names"
# Per-group failure names (one per FRED series) are kept here, in the process, and the meta holds a short reference:
# GX copies and serialises every rule's meta at every validation, and three tables of 1,633 names cost ~0.9 s a
# batch at x64 (benchmarks/synth.py), paid again by every slice of a backfill (flows.slicing).
_NAME_TABLES: dict[str, dict[str, str]] = {}


def names_ref(names: Mapping[str, str]) -> str:
    """A stable, short reference to the name table `names` (its content's hash), kept for `failure_names`."""
    table = dict(names)
    ref = "names:" + hashlib.sha256(json.dumps(table, sort_keys=True).encode()).hexdigest()[:16]
    _NAME_TABLES[ref] = table
    return ref


def failure_names(spec: Mapping[str, object]) -> Mapping[str, str]:
    """The per-group failure names a rule's meta (rules.NAMES) refers to; empty when this process never built the
    suite (then each failure keeps the rule's own name and its group)."""
    names = spec.get("names") or {}
    if isinstance(names, str):
        return _NAME_TABLES.get(names, {})
    return names if isinstance(names, Mapping) else {}


def columns_present(columns: Iterable[str]) -> list[Expectation]:
    """One rule that every required column is present; a missing column fails as `<column>: present`."""
    wanted = list(columns)
    return [
        E.ExpectTableColumnsToMatchSet(
            column_set=wanted,
            exact_match=False,
            description=f"columns present: {', '.join(wanted)}",
            meta={NAMES: {"missing_columns": "{column}: present"}},
        )
    ]


def not_null(columns: Iterable[str]) -> list[Expectation]:
    """One `<column>: not null` rule per column."""
    return [E.ExpectColumnValuesToNotBeNull(column=c, description=f"{c}: not null") for c in columns]


def numeric(columns: Iterable[str]) -> list[Expectation]:
    """One `<column>: numeric` rule per column (catches a number that arrived as text)."""
    return [
        E.ExpectColumnValuesToBeInTypeList(column=c, type_list=NUMERIC_TYPES, description=f"{c}: numeric")
        for c in columns
    ]


def dates(columns: Iterable[str]) -> list[Expectation]:
    """One `<column>: date` rule per column (catches a date that arrived as text)."""
    return [
        E.ExpectColumnValuesToBeInTypeList(column=c, type_list=DATE_TYPES, description=f"{c}: date") for c in columns
    ]


# Multi-column forms: one GX rule per list of columns instead of one per column, same checks and failure names.
# The runner derives one check column per rule in polars (expectations.combined: how many listed columns fail on
# each row) and GX checks that it is 0 everywhere; a failure is named per failing column ("<column>: numeric"),
# found in the batch. Why a count column and not a wide pandas check: GX's fixed cost is per rule, polars'
# row-wise flags cost microseconds, and the batch keeps everything needed to name the columns.


def numeric_all(columns: Iterable[str]) -> Expectation:
    """One rule standing for `<column>: numeric` of every column (a number that arrived as text fails by name)."""
    return _combined("numeric", _entries(columns, "{column}: numeric"), types=NUMERIC_TYPES)


def dates_all(columns: Iterable[str]) -> Expectation:
    """One rule standing for `<column>: date` of every column."""
    return _combined("date", _entries(columns, "{column}: date"), types=DATE_TYPES)


def not_null_all(columns: Iterable[str]) -> Expectation:
    """One rule standing for `<column>: not null` of every column (NaN counts as null, as in pandas)."""
    return _combined("not_null", _entries(columns, "{column}: not null"))


def at_least_all(columns: Iterable[str], low: float) -> Expectation:
    """One rule standing for `<column>: >= low` of every column (nulls pass)."""
    name = f"{{column}}: >= {fmt_bound(low)}"
    return _combined("between", [[*e, low, None] for e in _entries(columns, name)])


def between_all(columns: Iterable[str], low: float | None, high: float | None) -> Expectation:
    """One rule standing for `<column>: in [low, high]` of every column (nulls pass)."""
    name = f"{{column}}: in [{fmt_bound(low)}, {fmt_bound(high)}]"
    return _combined("between", [[*e, low, high] for e in _entries(columns, name)])


def ranges(*parts: Expectation) -> Expectation:
    """One rule for the checks of several at_least_all / between_all / plain between rules (e.g. marts.identity),
    whatever their bands (a column may be in two):
    `rules.ranges(rules.at_least_all(AMOUNTS, 0), rules.between_all(["offering_amt"], 1e8, 1e12))`."""
    return _combined("between", [entry for part in parts for entry in _range_entries(part)])


def _range_entries(rule: Expectation) -> list[list]:
    """[column, failure name, low, high] of a range rule; ValueError for any other rule."""
    spec = (rule.meta or {}).get(NAMES) or {}
    if spec.get(combined.KIND) == "between":
        return spec[combined.ENTRIES]
    if not (
        isinstance(rule, E.ExpectColumnValuesToBeBetween)
        and rule.row_condition is None
        and not (rule.strict_min or rule.strict_max)
        and rule.mostly == 1
    ):
        raise ValueError("rules.ranges merges at_least_all / between_all / unconditional between rules only")
    return [[rule.column, rule.description or f"{rule.column}: in range", rule.min_value, rule.max_value]]


def _entries(columns: Iterable[str], name: str) -> list[list]:
    """[column, failure name] per column."""
    return [[c, name.format(column=c)] for c in columns]


def _combined(kind: str, entries: list[list], *, types: Sequence[str] | None = None) -> Expectation:
    """The rule on the derived check column; its meta (rules.NAMES) tells the runner how to derive and name it."""
    spec: dict[str, object] = {combined.KIND: kind, combined.ENTRIES: entries}
    if types is not None:
        spec[combined.TYPES] = list(types)
    # Named after what it checks, so two rules of one suite never share a column and a suite reads the same each run.
    digest = hashlib.sha1(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:8]
    spec[combined.CHECK] = check = f"chk_all_{kind}_{digest}"
    description = "; ".join(e[1] for e in entries) if kind == "ordered" else _describe(entries)
    return E.ExpectColumnValuesToBeInSet(column=check, value_set=[0], description=description, meta={NAMES: spec})


def _describe(entries: list[list]) -> str:
    """`each of a, b: numeric; c: in [0, 1]`: the failure names, columns sharing a check listed once."""
    columns_by_check: dict[str, list[str]] = {}
    for entry in entries:
        column, name = entry[0], entry[1]
        prefix = f"{column}: "
        # A name that is not "<column>: <check>" (an identity) stands as it is.
        columns_by_check.setdefault(name.removeprefix(prefix) if name.startswith(prefix) else name, []).append(
            column if name.startswith(prefix) else ""
        )
    return "; ".join(
        f"{'each of ' if len(cs) > 1 else ''}{', '.join(cs)}: {check}" if all(cs) else check
        for check, cs in columns_by_check.items()
    )


def combined_specs(expectations: Iterable[Expectation]) -> list[dict]:
    """The specs of the multi-column rules among `expectations` (what the runner derives check columns from)."""
    metas = ((e.meta or {}).get(NAMES) or {} for e in expectations)
    return [dict(m) for m in metas if combined.KIND in m]


def unique_key(columns: Sequence[str]) -> Expectation:
    """`key (a, b): unique` — the dataset's grain."""
    name = f"key ({', '.join(columns)}): unique"
    if len(columns) == 1:
        return E.ExpectColumnValuesToBeUnique(column=columns[0], description=name)
    return E.ExpectCompoundColumnsToBeUnique(column_list=list(columns), description=name)


def between(column: str, low: float | None, high: float | None, *, when: tuple[str, str] | None = None) -> Expectation:
    """`<column>: in [low, high]` (nulls pass; `when=(col, value)` limits the rule to rows where col == value)."""
    scope = f" when {when[0]} = {when[1]}" if when else ""
    name = f"{column}: in [{fmt_bound(low)}, {fmt_bound(high)}]{scope}"
    condition = Column(when[0]) == when[1] if when else None
    return E.ExpectColumnValuesToBeBetween(
        column=column, min_value=low, max_value=high, row_condition=condition, description=name
    )


def at_least(columns: Iterable[str], low: float) -> list[Expectation]:
    """One `<column>: >= low` rule per column (nulls pass)."""
    return [
        E.ExpectColumnValuesToBeBetween(column=c, min_value=low, description=f"{c}: >= {fmt_bound(low)}")
        for c in columns
    ]


def in_set(column: str, values: Iterable[object], *, when: tuple[str, str] | None = None) -> Expectation:
    """`<column>: one of {...}` (optionally only where when[0] == when[1])."""
    value_list = sorted(values, key=str)
    scope = f" when {when[0]} = {when[1]}" if when else ""
    condition = Column(when[0]) == when[1] if when else None
    return E.ExpectColumnValuesToBeInSet(
        column=column,
        value_set=value_list,
        row_condition=condition,
        description=f"{column}: one of {value_list}{scope}",
    )


def ordered(lower: str, upper: str, name: str | None = None) -> Expectation:
    """`lower <= upper` row by row, skipped where either is null (percentile order, accepted <= submitted)."""
    return E.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=upper,
        column_B=lower,
        or_equal=True,
        ignore_row_if="either_value_is_missing",
        description=name or f"{lower} <= {upper}",
    )


def bounded_by_group(column: str, low: str, high: str, group: str, names: Mapping[str, str]) -> list[Expectation]:
    """`low <= column <= high` row by row with per-row bounds (context columns joined by `group`): two rules instead
    of one per group; a failure is named by `names[<group of a failing row>]`. Nulls pass."""
    return [
        _pair(column, low, "ge", group, names, f"{column}: not under its {group}'s lower bound"),
        _pair(column, high, "le", group, names, f"{column}: not over its {group}'s upper bound"),
    ]


def equal_by_group(column: str, expected: str, group: str, names: Mapping[str, str]) -> Expectation:
    """`column == expected` row by row (`expected` joined by `group`); a failure is named by `names[group]`."""
    return _pair(column, expected, "eq", group, names, f"{column}: as its {group} declares")


def holds(check: str, description: str) -> Expectation:
    """The Boolean check column is true wherever it applies (null: the row has nothing to check)."""
    return E.ExpectColumnValuesToBeInSet(column=check, value_set=[True], description=description)


def holds_by_group(check: str, group: str, names: Mapping[str, str], description: str) -> Expectation:
    """The Boolean check column is true wherever it applies (null: the row has nothing to check): one rule instead of
    one per group; a failure is named by `names[<group of a failing row>]`."""
    return E.ExpectColumnValuesToBeInSet(
        column=check,
        value_set=[True],
        description=description,
        meta={NAMES: {"flag": check, "group": group, "names": names_ref(names)}},
    )


def _pair(a: str, b: str, op: str, group: str, names: Mapping[str, str], description: str) -> Expectation:
    meta = {NAMES: {"group": group, "a": a, "b": b, "op": op, "names": names_ref(names)}}
    if op == "eq":
        return E.ExpectColumnPairValuesToBeEqual(
            column_A=a, column_B=b, ignore_row_if="either_value_is_missing", description=description, meta=meta
        )
    upper, lower = (a, b) if op == "ge" else (b, a)
    return E.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=upper,
        column_B=lower,
        or_equal=True,
        ignore_row_if="either_value_is_missing",
        description=description,
        meta=meta,
    )


def in_order(pairs: Iterable[tuple[str, str] | tuple[str, str, str]]) -> Expectation:
    """One rule standing for `lower <= upper` of every (lower, upper[, name]) pair, named as rules.ordered names it;
    row by row, skipped where either is null."""
    entries = [[p[0], p[2] if len(p) > 2 else f"{p[0]} <= {p[1]}", p[1]] for p in pairs]
    return _combined("ordered", entries)


def batch_context(
    date_column: str, *, gaps: bool, also: Iterable[tuple[str, str] | tuple[str, str, str]] = ()
) -> Expectation:
    """One rule on the batch as a whole: no date after as_of, no gap beyond the frequency, no shrinking history, and
    the suite's own row orders `also` (pairs as in_order takes them)."""
    pairs = [
        *also,
        (date_column, AS_OF, f"{date_column}: not after the run's as_of"),
        (HELD_ROWS, GROUP_ROWS, "history: not fewer rows than already held"),
        (GROUP_FIRST_DATE, HELD_FIRST_DATE, "history: starts no later than what is already held"),
    ]
    if gaps:
        pairs.append((GAP_DAYS, MAX_GAP_DAYS, f"{date_column}: no gap beyond the series frequency"))
    return in_order(pairs)


def suite(name: str, rules: Iterable[Expectation | list[Expectation]]) -> gx.ExpectationSuite:
    """An ExpectationSuite named `name` from rules and lists of rules, in reading order."""
    flat: list[Expectation] = []
    for item in rules:
        flat.extend(item if isinstance(item, list) else [item])
    return gx.ExpectationSuite(name=name, expectations=flat)


def fmt_bound(value: float | None) -> str:
    """Bounds as an analyst writes them: 20000000.0 -> 2e+07, 25.0 -> 25, None -> open."""
    if value is None:
        return "open"
    return f"{value:g}"
