"""A source's groups fail alone (issue 28 item 1): a FRED series, a NY Fed rate type or a CFTC contract that the
batch brings no rows for, while the warehouse holds some in its window and other groups did arrive, is left out and
named (meta.loads `partial`) instead of tripping the completeness rule for the whole batch. A group the catalog marks
`required` (ref.fred_series.required) still fails the source; a batch with no rows at all is judged as a whole."""

from __future__ import annotations

from typing import Any

import polars as pl


class RequiredGroupMissing(ValueError):
    """A group the marts cannot do without brought no rows: the source fails."""


def left_out(
    coverage: pl.DataFrame | None,
    frame: pl.DataFrame,
    group_column: str | None,
    errors: dict[str, str],
    catalog: pl.DataFrame | None,
) -> dict[str, str]:
    """Group -> why it is left out: held in the window, absent from a batch that brought other groups (a fetch
    error the fetcher named, or nothing sent). Raises RequiredGroupMissing for a required one."""
    if coverage is None or group_column is None or frame.is_empty():
        return {}
    absent = coverage.filter((pl.col("held_rows") > 0) & (pl.col("batch_rows") == 0))
    reasons = {}
    for row in absent.iter_rows(named=True):
        held = f"no rows, where {row['held_rows']:,} are held ({row['held_first']}..{row['held_last']})"
        reasons[row["grp"]] = f"{errors[row['grp']]}; {held}" if row["grp"] in errors else held
    needed = sorted(set(reasons) & required(catalog, group_column))
    if needed:
        raise RequiredGroupMissing(f"{group_column} {', '.join(needed)} (required by the marts): {reasons[needed[0]]}")
    return reasons


def required(catalog: pl.DataFrame | None, group_column: str) -> set[str]:
    """The groups the catalog marks `required` (none without a catalog or the column)."""
    if catalog is None or "required" not in catalog.columns or group_column not in catalog.columns:
        return set()
    return {str(g) for g in catalog.filter(pl.col("required").fill_null(False).cast(pl.Boolean))[group_column]}


def without(groups: dict[str, str], held: Any, coverage: pl.DataFrame | None) -> tuple[Any, pl.DataFrame | None]:
    """`held` (per group) and the coverage frame with the left-out groups dropped: the completeness rule judges
    the groups that arrived."""
    if not groups:
        return held, coverage
    if isinstance(held, dict):
        held = {g: h for g, h in held.items() if g not in groups}
    if coverage is not None:
        coverage = coverage.filter(~pl.col("grp").is_in(list(groups)))
    return held, coverage


def error_line(errors: dict[str, str], left: dict[str, str]) -> str:
    """meta.loads.error of a partial load: every group that failed alone, named, with why (one line, <= 500)."""
    merged = {**errors, **left}
    return ("failed: " + "; ".join(f"{g}: {e}" for g, e in merged.items()))[:500]
