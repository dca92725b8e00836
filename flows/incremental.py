"""Incremental marts in a run (issue 27): whether a mart is rebuilt whole, from its first changed row, or kept, and
its inputs read from there. What may be rebuilt from where is declared per mart (transforms.marts_registry.Reach);
what changed comes from the loads landed since the mart's last build and from the upstream marts rebuilt this run
(warehouse.mart_builds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from flows.marts import read_input
from transforms.marts_registry import MARTS, Frames, input_date, read_from, recompute_from
from transforms.registry import DATASETS
from warehouse import mart_builds
from warehouse.db import query_pl
from warehouse.mart_builds import Build


@dataclass(frozen=True)
class Plan:
    """How a mart is built this run: from `cut` on (None: whole), or `kept` (no input changed since its build)."""

    cut: date | None = None
    kept: bool = False

    def describe(self) -> str:
        return "kept: no input changed" if self.kept else "whole" if self.cut is None else f"rows from {self.cut} on"


WHOLE = Plan()


def plan(
    con: duckdb.DuckDBPyConnection,
    name: str,
    previous: dict[str, Build],
    changed: dict[str, date | None],
) -> Plan:
    """Whole unless the mart has a Reach, its published rows were computed by this code, and no mart it reads was
    rebuilt after it in a run that did not rebuild it (that change is not known). Else: from its first changed row
    (`changed`: per upstream mart rebuilt this run, its first row that differs), or kept when nothing changed."""
    mart, build = MARTS[name], previous.get(name)
    if mart.reach is None or build is None or build.code != mart_builds.code_fingerprint():
        return WHOLE
    upstream = [i for i in mart.inputs if i in MARTS]
    if any(u not in previous or previous[u].built_at > build.built_at for u in upstream):
        return WHOLE
    last = con.execute(f"SELECT max({mart.date_column}) FROM marts.{name}").fetchall()[0][0]
    if last is None:
        return WHOLE
    changes = [mart_builds.changed_from(con, DATASETS[i], build) for i in mart.inputs if i in DATASETS]
    changes += [changed.get(u) for u in upstream]
    since = min((c for c in changes if c is not None), default=None)
    return Plan(kept=True) if since is None else Plan(cut=recompute_from(mart, since, last))


def inputs(con: duckdb.DuckDBPyConnection, name: str, cut: date, built: Frames) -> tuple[Frames, pl.DataFrame]:
    """The input frames of an incremental build of `name` from `cut` (each read from read_from(cut) on; a mart as
    built this run, else as published), and the published rows it keeps (dated before `cut`)."""
    mart = MARTS[name]
    start = read_from(mart, cut)
    frames = {}
    for i in mart.inputs:
        if i in built:
            frames[i] = built[i].filter(pl.col(MARTS[i].date_column) >= start)
        else:
            frames[i] = read_input(con, i, [name], start=start if input_date(i) else None)
    kept = query_pl(con, f"SELECT * FROM marts.{name} WHERE {mart.date_column} < ?", [cut])
    return frames, kept
