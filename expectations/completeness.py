"""Completeness: a batch must bring back what the warehouse already holds in its window, per coverage group.

Judged per group (FRED series, NY Fed rate type, DTS account; the whole batch for auctions and operations) from the
coverage frame `warehouse.load.coverage` builds in one grouped query. Unlike the row-wise GX rules these also fire
on a batch with no rows at all and on a group the batch lost entirely. A revision (a held value that changed) is not
a shortfall: it lands as a new version.
"""

from __future__ import annotations

from datetime import date

import polars as pl

RULE = "completeness"


def shortfalls(coverage: pl.DataFrame | None, group_column: str | None) -> list[str]:
    """One readable rule failure per group that lost held rows, ends earlier than held or nulled a held value."""
    if coverage is None:
        return []
    label = group_column or "batch"
    failures: list[str] = []
    for row in coverage.filter(pl.col("held_rows") > 0).iter_rows(named=True):
        where = f"{RULE}: {label} {row['grp']}" if group_column else f"{RULE}: {label}"
        failures.extend(f"{where}: {problem}" for problem in _problems(row))
    return failures


def _problems(row: dict) -> list[str]:
    """What is wrong with one group, most telling first (an empty group needs no further detail)."""
    held, span = row["held_rows"], f"{_day(row['held_first'])}..{_day(row['held_last'])}"
    if row["batch_rows"] == 0:
        return [f"no rows, where {held:,} are held ({span})"]
    problems: list[str] = []
    if row["batch_last"] < row["held_last"]:
        problems.append(f"ends {_day(row['batch_last'])}, earlier than the held {_day(row['held_last'])}")
    if row["missing_rows"]:
        problems.append(f"{row['missing_rows']:,} of {held:,} held rows missing (newest {_day(row['newest_missing'])})")
    if row["nulled_values"]:
        problems.append(f"{row['nulled_values']:,} held value(s) came back NULL (newest {_day(row['newest_nulled'])})")
    return problems


def _day(value: date | None) -> str:
    return value.isoformat() if value else "?"
