"""Deployments: one per cadence, cron in New York time after each source's release, prefect.yaml in step."""

import asyncio
import subprocess
import sys
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
import yaml

from flows.deployments import CADENCES, TIMEZONE, build_deployments, default_parameters
from transforms.registry import SOURCES

ROOT = Path(__file__).resolve().parents[2]


def _fire_times(cron: str, n: int = 20) -> list[datetime]:
    from prefect.server.schemas.schedules import CronSchedule  # prefect imported lazily: other suites set its home

    schedule = CronSchedule(cron=cron, timezone=TIMEZONE)
    return list(asyncio.run(schedule.get_dates(n, start=datetime(2025, 1, 1, tzinfo=UTC))))


@pytest.mark.parametrize("cadence", CADENCES, ids=[c.name for c in CADENCES])
def test_every_run_comes_after_the_release_it_follows(cadence):
    release = time.fromisoformat(cadence.release_et)
    fires = _fire_times(cadence.cron)
    assert all(f.time() > release for f in fires), (cadence.cron, cadence.release_et)
    assert all(str(f.tzinfo) == TIMEZONE for f in fires)


def test_weekly_sources_run_on_their_release_day_and_daily_ones_skip_weekends():
    assert {f.isoweekday() for f in _fire_times(CADENCES[0].cron)} == {4}  # H.4.1: Thursday
    for cadence in (c for c in CADENCES if c.sources):
        release = SOURCES[cadence.sources[0]].release
        # a weekly observation dated on `weekday` (0 = Monday) is released `lag` calendar days later
        expected = {(release.weekday + release.lag) % 7 + 1} if release.weekly else {1, 2, 3, 4, 5}
        assert {f.isoweekday() for f in _fire_times(cadence.cron)} == expected, cadence.name


def test_cadences_cover_every_source_and_catch_up_takes_all():
    named = {s for c in CADENCES for s in (c.sources or ())}
    assert named == set(SOURCES)
    assert [c.name for c in CADENCES if c.sources is None] == ["catch-up-daily"]
    assert len({c.name for c in CADENCES}) == len(CADENCES)


def test_built_deployments_carry_schedule_parameters_and_one_at_a_time():
    deployments = build_deployments()
    assert [d.name for d in deployments] == [c.name for c in CADENCES]
    for deployment, cadence in zip(deployments, CADENCES, strict=True):
        (schedule,) = deployment.schedules
        assert (schedule.schedule.cron, schedule.schedule.timezone) == (cadence.cron, TIMEZONE)
        assert deployment.parameters == default_parameters(cadence)
        assert deployment.entrypoint == "flows.pipeline.qtwatch_pipeline"
        assert deployment.concurrency_limit == 1
        assert deployment.concurrency_options.collision_strategy.value == "ENQUEUE"


def test_parameters_are_editable_in_the_ui():
    schema = build_deployments()[0]._parameter_openapi_schema.model_dump()
    assert set(schema["properties"]) == {"sources", "replay", "as_of", "full_refresh", "replay_dir"}
    assert build_deployments(replay=True)[0].parameters["replay"] is True


def test_prefect_yaml_matches_the_python_deployments():
    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    by_name = {d["name"]: d for d in spec["deployments"]}
    assert list(by_name) == [c.name for c in CADENCES]
    for cadence in CADENCES:
        entry = by_name[cadence.name]
        assert entry["schedules"] == [{"cron": cadence.cron, "timezone": TIMEZONE}]
        assert entry["parameters"] == default_parameters(cadence)
        assert entry["entrypoint"] == "flows/pipeline.py:qtwatch_pipeline"
        assert entry["concurrency_limit"] == {"limit": 1, "collision_strategy": "ENQUEUE"}


def test_cli_lists_serve_without_importing_prefect():
    code = "import sys, qtwatch.cli; print('prefect' in sys.modules)"
    imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert imported.stdout.strip() == "False", imported.stderr
    helped = subprocess.run(
        [sys.executable, "-m", "qtwatch.cli", "serve", "--help"], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert "--no-server" in helped.stdout and "--replay" in helped.stdout
