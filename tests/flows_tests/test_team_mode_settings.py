"""Team mode from the default environment (DuckDB 2.0, no DuckLake wheels): the lake URL is recognised, its password
is never shown, its outputs live in the working folder, and a command says in one line how to get the team
environment (the team-mode suite itself runs in .venv-team: `make test-team`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.settings import get_settings
from warehouse import lake

URL = "ducklake:postgres:dbname=lake host=127.0.0.1 port=1 user=qtwatch password=s3cret-pw"


def test_a_lake_url_is_team_mode_and_a_path_is_not():
    assert lake.is_lake(URL) and lake.is_lake(Path(URL))
    assert not lake.is_lake("data/qtwatch.duckdb") and not lake.is_lake(Path("data/ducklake.duckdb"))


@pytest.mark.parametrize(
    "conninfo",
    [
        "dbname=lake password=s3cret-pw host=db",
        "dbname=lake PASSWORD = s3cret-pw",
        "dbname=lake password='s3cret-pw with spaces' host=db",
    ],
)
def test_the_password_of_a_conninfo_is_redacted(conninfo):
    shown = lake.redact(f"ducklake:postgres:{conninfo}")
    assert "s3cret-pw" not in shown and "***" in shown and "dbname=lake" in shown
    assert lake.password(conninfo) in {"s3cret-pw", "s3cret-pw with spaces"}  # what a run registers for redaction


def test_team_mode_settings_keep_the_working_copy_and_outputs_in_the_workdir(monkeypatch, tmp_path):
    monkeypatch.setenv("QTWATCH_WAREHOUSE", URL)
    monkeypatch.setenv("QTWATCH_LAKE_WORKDIR", str(tmp_path / "team"))
    monkeypatch.delenv("QTWATCH_REPORT_PATH", raising=False)
    monkeypatch.delenv("QTWATCH_GX_DOCS_DIR", raising=False)
    settings = get_settings()
    assert settings.lake() == lake.Lake(URL, None)
    assert settings.working_copy() == tmp_path / "team" / "qtwatch.duckdb"
    assert settings.report_path == tmp_path / "team" / "report.html"
    assert settings.gx_docs_dir == tmp_path / "team" / "gx_docs"
    assert "s3cret-pw" not in str(settings.lake())


def test_without_the_team_environment_a_command_says_make_install_team(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "qtwatch.cli", "sql", "SELECT 1"],
        env={**os.environ, "QTWATCH_WAREHOUSE": URL},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert duckdb.__version__.startswith("2."), "this suite runs in the default environment (DuckDB 2)"
    assert done.returncode == 1
    assert "make install-team" in done.stderr and "Traceback" not in done.stderr
    assert "s3cret-pw" not in done.stdout + done.stderr


def test_maintain_on_a_warehouse_file_says_it_is_for_a_lake_and_touches_nothing(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from qtwatch.cli import app

    warehouse = tmp_path / "qtwatch.duckdb"
    monkeypatch.setenv("QTWATCH_WAREHOUSE", URL)  # --warehouse sets it for the process: restored after the test
    result = CliRunner().invoke(app, ["maintain", "--warehouse", str(warehouse)])
    assert result.exit_code == 1 and "looks after a team-mode lake" in result.output
    assert "Traceback" not in result.output and not warehouse.exists()
