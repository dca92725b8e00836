"""A big batch is checked, validated and landed in slices of whole groups (FRED series), so a backfill's memory
follows the slice, not the history fetched (issue 27).

Only a source whose windows are per group and whose suite judges each group alone (its rules are row-wise or per
group, completeness too) is sliced: then a slice of whole groups gets the verdict its groups get in the whole batch.
Every window group is in one slice, so a group the batch brought no rows for is still judged (the completeness
rule must see it). A slice is a view of the batch's rows when each group's rows come together (as fetched), else a
copy; the whole batch is kept as the slices' frames concatenated without a copy (`pl.concat(rechunk=False)`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

# Rows of one slice: ~25 MB of FRED rows. At x16 (1.3M rows) a backfill validates and lands 6 slices; smaller slices
# save little more (great-expectations and DuckDB have their own floor) and cost a fixed ~0.1 s each.
SLICE_ROWS = 250_000


@dataclass(frozen=True)
class Slice:
    """Some window groups and the batch's rows of those groups."""

    groups: tuple[str, ...]
    frame: pl.DataFrame


def cut(frame: pl.DataFrame, column: str | None, groups: Iterable[str], max_rows: int | None = None) -> list[Slice]:
    """`frame` in slices of whole groups of `column`, each at most `max_rows` rows unless one group alone is bigger;
    every group of `groups` (the windows) is in exactly one slice, and so is every row. One slice (the frame itself)
    when it is small enough, has no such column or has a row without a group. A fetch brings each group's rows
    together: then the slices are views of `frame`, not copies. `max_rows` defaults to SLICE_ROWS."""
    max_rows = max_rows or SLICE_ROWS
    if column is None or column not in frame.columns or frame.height <= max_rows or frame[column].null_count():
        return [Slice(tuple(sorted(set(groups))), frame)]  # a row without a group is the suite's to name, whole
    runs = frame.select(pl.col(column).rle()).unnest(column)  # (len, value) per run of equal groups, in row order
    together = runs.height == runs["value"].n_unique()
    if not together:
        runs = frame.group_by(column).len().sort(column).select(len="len", value=column)
    chunks: list[tuple[list[str], int, int]] = [([], 0, 0)]  # (groups, first row, rows)
    for size, name in runs.select("len", "value").iter_rows():
        names, first, rows = chunks[-1]
        if names and rows + size > max_rows:
            chunks.append(([], first + rows, 0))
            names, first, rows = chunks[-1]
        names.append(str(name))
        chunks[-1] = (names, first, rows + size)
    absent = sorted(set(groups) - {n for names, _, _ in chunks for n in names})
    chunks[-1][0].extend(absent)  # window groups the batch brought no rows for: judged with the last slice
    if together:
        return [Slice(tuple(names), frame.slice(first, rows)) for names, first, rows in chunks]
    return [Slice(tuple(names), frame.filter(pl.col(column).is_in(names))) for names, _, _ in chunks]


def whole(parts: list[pl.DataFrame]) -> pl.DataFrame:
    """The slices' frames as one batch, without copying them."""
    return parts[0] if len(parts) == 1 else pl.concat(parts, rechunk=False)
