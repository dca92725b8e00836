"""prefect.yaml is written from the registry by one command (`qtwatch deployments --write`) and checked by it."""

from pathlib import Path

import yaml
from typer.testing import CliRunner

from flows.deployment_file import render
from flows.deployments import CADENCES
from qtwatch.cli import app

ROOT = Path(__file__).resolve().parents[2]


def test_committed_prefect_yaml_is_the_registrys():
    assert (ROOT / "prefect.yaml").read_text(encoding="utf-8") == render(), (
        "prefect.yaml is stale: run `qtwatch deployments --write` and commit it"
    )


def test_rendered_file_is_yaml_with_one_deployment_per_cadence():
    spec = yaml.safe_load(render())
    assert [d["name"] for d in spec["deployments"]] == [c.name for c in CADENCES]
    assert spec["definitions"]["common"]["entrypoint"] == "flows/pipeline.py:qtwatch_pipeline"
    assert spec["pull"][0]["prefect.deployments.steps.set_working_directory"]["directory"] == "{{ $QTWATCH_REPO_DIR }}"


def test_check_fails_on_a_stale_file_and_write_fixes_it(tmp_path: Path):
    path = tmp_path / "prefect.yaml"
    path.write_text(render().replace('cron: "45 15 * * 5"', 'cron: "0 9 * * 5"'), encoding="utf-8")
    stale = CliRunner().invoke(app, ["deployments", "--check", "--path", str(path)])
    assert stale.exit_code == 1 and "stale: run `qtwatch deployments --write`" in stale.output
    assert "Traceback" not in stale.output
    wrote = CliRunner().invoke(app, ["deployments", "--write", "--path", str(path)])
    assert wrote.exit_code == 0 and f"({len(CADENCES)} deployments)" in wrote.output
    assert CliRunner().invoke(app, ["deployments", "--check", "--path", str(path)]).exit_code == 0
    assert path.read_text(encoding="utf-8") == render()


def test_without_a_flag_it_prints_the_file():
    printed = CliRunner().invoke(app, ["deployments"])
    assert printed.exit_code == 0 and printed.output == render()
