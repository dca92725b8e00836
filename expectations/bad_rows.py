"""Name the row that broke a rule: its key (date, series, ...) and the value, for quarantine messages and the log.

A failed column rule's GX result holds example values (BASIC: `partial_unexpected_list`) and their count, not the
rows; the first example is looked up in the prepared batch to find its key. A rule over a helper column (a check
or context column the suite adds) shows the row's key and its value columns rather than the helper's name.
"""

from __future__ import annotations

import re
from typing import Any

import polars as pl

HELPER_PREFIXES = ("chk_", "ctx_")  # columns the suite adds to a batch (checks, context): not the data's own
_SHOWN_VALUES = 3  # value columns shown for a helper-column rule
_WIDTH = 60  # characters of one shown value


def describe(result: Any, batch: pl.DataFrame | None, key: tuple[str, ...]) -> str:
    """` (N rows, first: key=..., column=value)` for a failed column rule whose example row is found; else ``."""
    kwargs = getattr(result.expectation_config, "kwargs", {}) or {}
    column = kwargs.get("column") or kwargs.get("column_A")  # a pair rule's examples are (A, B) tuples
    details = result.result or {}
    examples = [
        e[0] if "column_A" in kwargs and isinstance(e, tuple | list) else e
        for e in details.get("partial_unexpected_list") or []
    ]
    if batch is None or not isinstance(column, str) or column not in batch.columns or not examples:
        return ""
    row = _first_row(batch, column, examples[0])
    count = details.get("unexpected_count")
    counted = (f"{count:,} row" + ("s" * (count != 1))) if isinstance(count, int) else "rows"
    if row is None:
        return f" ({counted}, e.g. {column}={_show(examples[0])})"
    return f" ({counted}, first: {', '.join(_cells(row, column, key))})"


def _first_row(batch: pl.DataFrame, column: str, example: object) -> dict[str, Any] | None:
    """The first batch row whose `column` equals `example` (None when it cannot be matched)."""
    try:
        match = pl.col(column).is_null() if example is None else pl.col(column).cast(pl.String) == str(example)
        rows = batch.filter(match)
    except pl.exceptions.PolarsError:
        return None
    return rows.row(0, named=True) if rows.height else None


def _cells(row: dict[str, Any], column: str, key: tuple[str, ...]) -> list[str]:
    """The row's key, then the failing column's value; for a helper column, the row's own value columns."""
    cells = [f"{k}={_show(row[k])}" for k in key if k in row]
    if not column.startswith(HELPER_PREFIXES):
        return [*cells, *([f"{column}={_show(row[column])}"] if column not in key else [])]
    values = [c for c in row if c not in key and not c.startswith(HELPER_PREFIXES) and row[c] is not None]
    return [*cells, *(f"{c}={_show(row[c])}" for c in values[:_SHOWN_VALUES])]


def _show(value: object) -> str:
    text = "NULL" if value is None else str(value)
    return text if len(text) <= _WIDTH else f"{text[: _WIDTH - 1]}…"


_COUNTED = re.compile(r"^ \(([\d,]+) rows?")


def merged(described: list[dict[str, str]]) -> dict[str, str]:
    """The `describe` texts of one rule over the slices of a batch (flows.slicing): the first slice's example row,
    with the bad rows counted over all slices."""
    out: dict[str, str] = {}
    totals: dict[str, int] = {}
    for texts in described:
        for rule, text in texts.items():
            out.setdefault(rule, text)
            if counted := _COUNTED.match(text):
                totals[rule] = totals.get(rule, 0) + int(counted.group(1).replace(",", ""))
    for rule, total in totals.items():
        if shown := _COUNTED.match(out[rule]):  # the first slice's text counts rows: count them all
            out[rule] = f" ({total:,} row" + ("s" * (total != 1)) + out[rule][shown.end() :]
    return out
