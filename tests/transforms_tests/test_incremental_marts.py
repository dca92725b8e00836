"""Incremental marts (issue 27): for any sequence of runs, building each mart from its first changed row on (the
mart's Reach) gives exactly the full rebuild, for every mart (a mart without a Reach is rebuilt whole, trivially).

Runs are simulated on the replay's real core frames (tests/support/replay_frames.py): a run as of D holds every row
dated up to D, and some runs revise one held FRED value years back (a revised print). What changed between two runs
is found by comparing the frames, as the pipeline finds it from the keys its loads touched and from the rows of an
upstream mart that differ from the published ones."""

from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from transforms.marts_registry import MARTS, Frames, build_since, input_date, recompute_from
from transforms.registry import DATASETS

FIRST, LAST = (
    date(2020, 1, 6),
    date(2026, 6, 22),
)  # runs fall in these years of the replay (H.8 bank assets end in 2021)
DAYS = (LAST - FIRST).days


def as_of(core: Frames, day: date, revision: tuple[str, date] | None) -> dict[str, pl.DataFrame]:
    """What a run as of `day` holds: every dataset's rows dated up to it; ref tables whole. `revision`: the value
    of one FRED series on one date revised up 1% (SYNTHETIC: a revised print)."""
    frames = {n: f.filter(pl.col(DATASETS[n].date_column) <= day) if n in DATASETS else f for n, f in core.items()}
    if revision is not None:
        series, when = revision
        fred = frames["fred_observations"]
        hit = (pl.col("series_id") == series) & (pl.col("date") == when)
        frames["fred_observations"] = fred.with_columns(pl.when(hit).then(pl.col("value") * 1.01).otherwise("value"))
    return frames


def first_change(before: pl.DataFrame, after: pl.DataFrame, column: str) -> date | None:
    """The earliest `column` date of a row one frame holds and the other does not (None: the same rows)."""
    changed = pl.concat(
        [
            before.join(after, on=before.columns, how="anti", nulls_equal=True),
            after.join(before, on=after.columns, how="anti", nulls_equal=True),
        ]
    )
    return changed[column].min() if not changed.is_empty() else None  # type: ignore[return-value]


def incremental_run(
    published: dict[str, pl.DataFrame], old: Frames, new: Frames
) -> tuple[dict[str, pl.DataFrame], dict[str, str]]:
    """Every mart after a run that brings `old` inputs to `new`: built from its first changed row where it has a Reach
    and a published table, else whole. Returns the marts and how each was built."""
    built: dict[str, pl.DataFrame] = {}
    how: dict[str, str] = {}
    for name, mart in MARTS.items():
        inputs = {**new, **built}
        changes = [
            first_change(published[i] if i in MARTS else old[i], inputs[i], column)
            for i in mart.inputs
            if (column := input_date(i)) is not None
        ]
        since = min((c for c in changes if c is not None), default=None)
        if mart.reach is None or name not in published:
            built[name], how[name] = mart.build(inputs), "whole"
        elif since is None:
            built[name], how[name] = published[name], "unchanged"
        else:
            last = published[name][mart.date_column].max()
            cut = recompute_from(mart, since, last)  # type: ignore[arg-type]
            built[name], how[name] = build_since(mart, inputs, published[name], cut), f"from {cut}"
    return built, how


def assert_same_rows(name: str, incremental: pl.DataFrame, full: pl.DataFrame, step: str) -> None:
    key = list(MARTS[name].key)
    try:
        assert_frame_equal(incremental.sort(key), full.sort(key), check_exact=True)
    except AssertionError as exc:
        raise AssertionError(
            f"marts.{name} built incrementally differs from the full rebuild ({step}): {exc}"
        ) from None


runs = st.lists(st.integers(0, DAYS), min_size=2, max_size=4, unique=True).map(sorted)
revisions = st.lists(
    st.tuples(st.sampled_from(["WALCL", "WRESBAL", "RRPONTSYD", "TOTBKCR", "SOFR"]), st.integers(0, 3 * 365)),
    min_size=4,
    max_size=4,
)


@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(offsets=runs, revised=revisions, revise=st.lists(st.booleans(), min_size=4, max_size=4))
@example(offsets=[0, 1, 2, 9], revised=[("WALCL", 30)] * 4, revise=[False, True, False, True])  # day by day
def test_incremental_marts_equal_the_full_rebuild(replay_core, offsets, revised, revise) -> None:
    days = [FIRST + timedelta(days=o) for o in offsets]
    old = as_of(replay_core, days[0], None)
    published = {n: f for n, f in _full(old).items()}
    for step, day in enumerate(days[1:], start=1):
        series, back = revised[step]
        revision = (series, _held_date(replay_core, series, day - timedelta(days=back))) if revise[step] else None
        new = as_of(replay_core, day, revision)
        full = _full(new)
        published, how = incremental_run(published, old, new)
        for name in MARTS:
            assert_same_rows(name, published[name], full[name], f"run {step} as of {day}, revision {revision}: {how}")
        old = new


def _full(frames: Frames) -> dict[str, pl.DataFrame]:
    built: dict[str, pl.DataFrame] = {}
    for name, mart in MARTS.items():
        built[name] = mart.build({**frames, **built})
    return built


def _held_date(core: Frames, series: str, near: date) -> date:
    """The series' held date nearest before `near` (a revision revises a held value)."""
    dates = core["fred_observations"].filter((pl.col("series_id") == series) & (pl.col("date") <= near))["date"]
    return dates.max() if not dates.is_empty() else near  # type: ignore[return-value]


def test_the_property_exercises_the_incremental_path(replay_core) -> None:
    """Not vacuous: a next-day run builds every mart with a Reach from a cut, not whole, and the marts without one
    are named (rebuilt whole on purpose)."""
    day = date(2026, 3, 30)  # after the FR 2004 recording's gap (2025-04-16..2026-03-25): every input moves
    old, new = as_of(replay_core, day, None), as_of(replay_core, day + timedelta(days=7), None)
    _, how = incremental_run(_full(old), old, new)
    incremental = {n for n, h in how.items() if h.startswith("from ")}
    assert incremental == {n for n, m in MARTS.items() if m.reach is not None} and len(incremental) >= 6
    assert {n for n, h in how.items() if h == "whole"} == {n for n, m in MARTS.items() if m.reach is None}


@pytest.mark.parametrize("name", [n for n, m in MARTS.items() if m.reach is not None])
def test_a_mart_with_a_reach_reads_no_ref_table_and_no_side_input(name: str) -> None:
    """A seed edit or a side input's earlier change could change any row: such marts are rebuilt whole."""
    mart = MARTS[name]
    assert not [i for i in mart.inputs if i.startswith("ref.")] and not mart.side_inputs
