"""Bad payloads for every source, through the real flow in live mode against a fake of every host (replay data).

Each case breaks one source's answers one way (payload_faults.FAULTS) on top of a warehouse that already holds the
recorded history up to 2025-06-06, in a run as of a week later. Each bad batch must be refused with one line naming
the source (and the group: FRED series, rate type, DTS account), land nothing, keep the marts built from it, and let
the other sources of the run land; a revision must land as a new version instead.

Two runs per case keep the suite affordable, over every registered source: run A breaks FRED (keyless CSV) and every
other source at an odd place in the registry (NY Fed rates, the DTS) while the rest stay healthy; run B breaks FRED
through its API (FRED_API_KEY set) and the others (auctions, NY Fed operations, CFTC) while A's stay healthy.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from unittest import mock

import polars as pl
import pytest

from tests.faults_tests.payload_faults import FAULTS, HELD_UNTIL, TARGETS
from tests.support.fake_host import FakeHost
from tests.support.flow_runs import read_raw
from transforms.marts_registry import MARTS, mart_sources
from transforms.registry import SOURCES as REGISTRY
from warehouse.db import connect_readonly, query_pl

pytestmark = pytest.mark.slow

RUN_AS_OF = date(2025, 6, 13)
# every registered source, CFTC and any added later, but those whose entry says why no payload fault can break them
SOURCES = [n for n, s in REGISTRY.items() if not s.payload_faults_excluded]
# the source with an API key ("fred"): fetched both keyless (run A) and through its API with a key (run B)
KEYED = next(n for n, s in REGISTRY.items() if s.api_key_setting)
_OTHERS = [s for s in SOURCES if s != KEYED]
# The other sources alternate between the runs in registry order, so each run keeps healthy sources beside the broken.
BROKEN = {"A": (KEYED, *_OTHERS[1::2]), "B": (KEYED, *_OTHERS[0::2])}
# (variant id, source, run): every source once per case, FRED both keyless and through the API.
VARIANTS = [
    (f"{KEYED}_csv", KEYED, "A"),
    (f"{KEYED}_api", KEYED, "B"),
    *((s, s, run) for run, broken in BROKEN.items() for s in broken if s != KEYED),
]
TEST_KEY = "0123456789abcdef0123456789abcdef"  # synthetic FRED key, only ever sent to the fake
ROW_FAULTS = ("no_rows", "held_value_null", "newest_missing", "ends_early")  # judged per group, so named per group


@dataclass
class Outcome:
    """One run of the flow with some sources broken: its state, per-source loads, marts, raw before and after."""

    state: object
    loads: dict[str, dict]
    marts: dict[str, dict]
    raw_before: dict[str, pl.DataFrame]
    raw_after: dict[str, pl.DataFrame]


def _env(warehouse: Path, keyed: bool) -> dict[str, str]:
    env = {
        "QTWATCH_WAREHOUSE": str(warehouse),
        "QTWATCH_GX_DOCS_DIR": str(warehouse.parent / "gx_docs"),
        "QTWATCH_REPORT_PATH": str(warehouse.parent / "report.html"),
        "QTWATCH_HTTP_RETRIES": "0",
    }
    return {**env, "FRED_API_KEY": TEST_KEY} if keyed else env


def run_live(warehouse: Path, as_of: date, fake: FakeHost, *, keyed: bool):
    """The real flow, live mode, every host answered by `fake`; returns the final state (failed runs too)."""
    from flows.pipeline import qtwatch_pipeline

    with mock.patch.dict(os.environ, _env(warehouse, keyed)), fake.in_process():
        if not keyed:
            os.environ.pop("FRED_API_KEY", None)
        return qtwatch_pipeline(sources=SOURCES, replay=False, as_of=as_of, return_state=True)


def _loads(path: Path) -> tuple[dict[str, dict], dict[str, dict]]:
    con = connect_readonly(path)
    try:
        frame = query_pl(
            con,
            "SELECT * FROM meta.loads WHERE run_id = (SELECT run_id FROM meta.runs ORDER BY started_at DESC LIMIT 1)",
        )
    finally:
        con.close()
    rows = list(frame.iter_rows(named=True))
    return (
        {r["source"]: r for r in rows if r["source"] != "marts"},
        {r["dataset"]: r for r in rows if r["source"] == "marts"},
    )


@pytest.fixture(scope="module")
def base(prefect_harness, tmp_path_factory) -> Path:
    """A warehouse holding every source's recorded history as of HELD_UNTIL (keyless FRED)."""
    path = tmp_path_factory.mktemp("payload-base") / "qtwatch.duckdb"
    state = run_live(path, HELD_UNTIL, FakeHost(HELD_UNTIL), keyed=False)
    assert state.is_completed(), state.message
    return path


@pytest.fixture(scope="module")
def outcomes(base, tmp_path_factory):
    """outcome(case, run) -> Outcome, each run made once (on a copy of the base warehouse) and cached."""
    cache: dict[tuple[str, str], Outcome] = {}

    def outcome(case: str, run: str) -> Outcome:
        if (case, run) not in cache:
            path = tmp_path_factory.mktemp(f"payload-{case}-{run}") / "qtwatch.duckdb"
            shutil.copyfile(base, path)
            before = read_raw(path)
            faults = {} if case == HEALTHY else {source: FAULTS[case] for source in BROKEN[run]}
            fake = FakeHost(RUN_AS_OF, faults=faults)
            state = run_live(path, RUN_AS_OF, fake, keyed=run == "B")
            cache[case, run] = Outcome(state, *_loads(path), before, read_raw(path))
        return cache[case, run]

    return outcome


def _expected_group(case: str, source: str) -> str | None:
    """The group a refusal must name: the FRED series always (its requests are per series), the rate type or DTS
    account when the fault is in rows, nothing for an ungrouped source or a body broken as a whole."""
    if source == "fred":
        return TARGETS["fred"]
    if source in TARGETS and case in ROW_FAULTS:
        return TARGETS[source]
    return None


BAD = [c for c in FAULTS if c != "revised"]
HEALTHY = "healthy"  # the same run with no fault: what each source and mart does when nothing is broken


@pytest.mark.parametrize("variant", [v[0] for v in VARIANTS])
@pytest.mark.parametrize("case", BAD)
def test_bad_payload_is_refused_naming_source_and_group(outcomes, case, variant) -> None:
    _, source, run = next(v for v in VARIANTS if v[0] == variant)
    result = outcomes(case, run)
    load = result.loads[source]
    assert load["status"] in ("failed", "quarantined"), f"{source} {case} was {load['status']}"
    assert result.state.is_failed()
    assert f"{source} {load['status']}: " in result.state.message  # the run's one line names the source
    assert load["error"] and "\n" not in load["error"] and "Traceback" not in load["error"]
    if group := _expected_group(case, source):
        assert group in load["error"], load["error"]


@pytest.mark.parametrize("variant", [v[0] for v in VARIANTS])
@pytest.mark.parametrize("case", BAD)
def test_nothing_is_published_from_a_bad_batch(outcomes, case, variant) -> None:
    _, source, run = next(v for v in VARIANTS if v[0] == variant)
    result = outcomes(case, run)
    dataset = REGISTRY[source].dataset.name
    assert result.raw_after[dataset].equals(result.raw_before[dataset]), f"{source} {case} landed rows"
    for mart in MARTS:
        if source in mart_sources(mart):
            assert result.marts[mart]["status"] == "skipped", (mart, result.marts[mart]["error"])
            assert source in result.marts[mart]["error"]


@pytest.mark.parametrize("run", list(BROKEN))
@pytest.mark.parametrize("case", BAD)
def test_other_sources_still_land(outcomes, case, run) -> None:
    result, clean = outcomes(case, run), outcomes(HEALTHY, run)
    healthy = [s for s in SOURCES if s not in BROKEN[run]]
    for source in healthy:  # as in the run without faults: published (or unchanged: no news, as the CFTC's here)
        assert clean.loads[source]["status"] in ("published", "unchanged"), (source, clean.loads[source]["error"])
        assert result.loads[source]["status"] == clean.loads[source]["status"], (source, result.loads[source]["error"])
    for mart in MARTS:
        if mart_sources(mart) <= set(healthy):
            assert result.marts[mart]["status"] == clean.marts[mart]["status"], (mart, result.marts[mart]["error"])
            assert result.marts[mart]["status"] in ("published", "unchanged"), (mart, result.marts[mart]["error"])


@pytest.mark.parametrize("variant", [v[0] for v in VARIANTS])
def test_a_revision_lands_as_a_new_version(outcomes, variant) -> None:
    _, source, run = next(v for v in VARIANTS if v[0] == variant)
    result = outcomes("revised", run)
    assert result.state.is_completed(), result.state.message
    load = result.loads[source]
    assert load["status"] == "published" and load["error"] is None
    dataset = REGISTRY[source].dataset.name
    before, after = result.raw_before[dataset], result.raw_after[dataset]
    revised = after.join(before, on=after.columns, how="anti", nulls_equal=True)
    keys = list(REGISTRY[source].dataset.key)
    # a key held before now has two versions: the revision landed beside the original, nothing was overwritten
    versions = after.join(revised.select(keys).unique(), on=keys).group_by(keys).len()
    assert (versions["len"] >= 2).any(), f"{source}: no held key got a second version"
    assert before.join(after, on=before.columns, how="anti", nulls_equal=True).is_empty()  # nothing lost
