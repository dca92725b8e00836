"""Point-in-time guards and facts of a warehouse: what as-of it already knows, the date range its data really spans,
and the landing of FRED vintages (every ALFRED version of an observation, each stamped with when it became public).

Read-only except `land_vintages`; the guards run before a run opens the warehouse for writing, so a refused run
leaves the file byte-identical.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from transforms.registry import LINEAGE, SOURCES, Dataset
from warehouse.db import WarehouseError, connect_readonly
from warehouse.lake import is_lake, redact


class AsOfRefused(ValueError):
    """A run's as-of would rewrite what the warehouse already knows, or predates every source's history."""


@dataclass(frozen=True)
class KnownAsOf:
    """The latest as-of the warehouse records: which run, and which date."""

    as_of: date
    run_id: str


# A run "published" when one of its loads landed rows: a run that landed nothing (e.g. a live run with no network)
# leaves the world the warehouse knows as it was, so it must not move the as-of a later run is compared with.
_PUBLISHED = (
    "EXISTS (SELECT 1 FROM meta.loads l WHERE l.run_id = r.run_id AND (l.rows_landed > 0 "
    "OR l.status IN ('published', 'partial')))"
)


def latest_as_of(con: duckdb.DuckDBPyConnection) -> KnownAsOf | None:
    """The run with the latest as-of in meta.runs among those that published something (None when there is none)."""
    try:
        rows = con.execute(
            f"SELECT as_of, run_id FROM meta.runs r WHERE as_of IS NOT NULL AND {_PUBLISHED} "
            "ORDER BY as_of DESC, started_at DESC LIMIT 1"
        ).fetchall()
    except duckdb.CatalogException:  # not a qtwatch warehouse yet: nothing to rewrite
        return None
    return KnownAsOf(*rows[0]) if rows else None


def check_as_of(warehouse: Path, as_of: date, sources: list[str]) -> None:
    """Refuse (AsOfRefused, one line saying what to do) an as-of before every requested source's history start, or
    earlier than the latest as-of `warehouse` records. Opens the file read-only, and only when it exists."""
    starts = {name: SOURCES[name].history_start for name in sources}
    if starts and as_of < min(starts.values()):
        first = min(starts, key=starts.__getitem__)
        raise AsOfRefused(
            f"as-of {as_of} is before any data: the earliest history ({first}) starts on "
            f"{starts[first]}; choose a later --as-of"
        )
    path = Path(warehouse)
    if not is_lake(path) and not path.exists():  # a lake (team mode) is read where it is; a new one raises below
        return
    try:
        con = connect_readonly(path)
    except WarehouseError:  # corrupt or locked: the run itself stops on it with the message that says what to do
        return
    with con:
        known = latest_as_of(con)
    if known is not None and as_of < known.as_of:
        raise AsOfRefused(
            f"{redact(str(path))} already knows the world as of {known.as_of} (run {known.run_id}); a run as of "
            f"{as_of} would rewrite its history. For a backtest use a fresh warehouse, e.g. "
            f"QTWATCH_WAREHOUSE=data/backtest-{as_of}.duckdb qtwatch run --replay --as-of {as_of}; to ask what "
            f"this one knew then, query core.<dataset>_known_on(DATE '{as_of}')"
        )


def data_range(con: duckdb.DuckDBPyConnection) -> tuple[date | None, date | None]:
    """The first and the latest observation date held in core over every dataset (auctions: held ones only)."""
    firsts, lasts = [], []
    for source in SOURCES.values():
        d = source.dataset
        where = d.observed or "TRUE"
        try:
            first, last = con.execute(
                f"SELECT min({d.date_column}), max({d.date_column}) FROM {d.core_table} WHERE {where}"
            ).fetchall()[0]
        except duckdb.CatalogException:
            continue
        firsts += [first] if first else []
        lasts += [last] if last else []
    return (min(firsts) if firsts else None, max(lasts) if lasts else None)


def land_vintages(
    con: duckdb.DuckDBPyConnection,
    dataset: Dataset,
    frame: pl.DataFrame,
    *,
    load_id: str,
    fetched_at: datetime,
    as_of: date,
) -> int:
    """Append every vintage in `frame` (one row per key and `published_at`, the time it became public) that raw
    does not already hold with the same values and time; consecutive vintages with equal values are one version.
    Returns the rows appended."""
    if frame.is_empty():
        return 0
    values = [c for c in frame.columns if c not in dataset.key and c not in LINEAGE]
    batch = _value_changes(frame, dataset, values).with_columns(
        load_id=pl.lit(load_id), fetched_at=pl.lit(fetched_at), as_of=pl.lit(as_of)
    )
    same = " AND ".join(
        [
            *(f"r.{k} = b.{k}" for k in dataset.key),
            "r.published_at = b.published_at",
            *(f"r.{c} IS NOT DISTINCT FROM b.{c}" for c in values),
        ]
    )
    con.register("_vintages", batch.to_arrow())
    try:
        before = con.execute(f"SELECT count(*) FROM {dataset.raw_table}").fetchall()[0][0]
        con.execute(
            f"INSERT INTO {dataset.raw_table} BY NAME SELECT b.* FROM _vintages b "
            f"WHERE NOT EXISTS (SELECT 1 FROM {dataset.raw_table} r WHERE {same})"
        ).fetchall()
        return con.execute(f"SELECT count(*) FROM {dataset.raw_table}").fetchall()[0][0] - before
    finally:
        con.unregister("_vintages")


def _value_changes(frame: pl.DataFrame, dataset: Dataset, values: list[str]) -> pl.DataFrame:
    """The vintages of `frame` in key and publication order, keeping only those whose `values` differ from the
    previous vintage of their key (every first vintage of a key is kept)."""
    changed = (
        pl.any_horizontal([pl.col(c).ne_missing(pl.col(c).shift(1).over(list(dataset.key))) for c in values])
        if values
        else pl.lit(True)
    )
    return frame.sort([*dataset.key, "published_at"]).filter(changed.fill_null(True))
