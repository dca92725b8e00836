"""`qtwatch sql` as a newcomer pipes it: long text never pushes the numbers out; the demo's closing hint runs."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from qtwatch import report_console
from qtwatch.cli import app

runner = CliRunner()


def test_sql_piped_to_a_file_keeps_every_column(tmp_path, demo_path) -> None:
    query = (
        "SELECT repeat('long text ', 30) AS note, month, ust_runoff_bn, ust_cap_bn FROM marts.qt_runoff_monthly "
        "ORDER BY month DESC LIMIT 3"
    )
    result = runner.invoke(app, ["sql", "--warehouse", str(demo_path), query], prog_name="qtwatch")
    assert result.exit_code == 0, result.output
    header = next(line for line in result.output.splitlines() if "note" in line)
    assert all(name in header for name in ("month", "ust_runoff_bn", "ust_cap_bn"))


def test_closing_hint_is_a_command_that_works(demo_path) -> None:
    hint = report_console.try_command(demo_path)
    assert Path(shlex.split(hint)[0]).name == "qtwatch" and Path(shlex.split(hint)[0]).exists()
    run = subprocess.run(
        hint,
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,  # noqa: S602
        env={**os.environ, "COLUMNS": "200"},
    )
    assert run.returncode == 0, run.stderr
    assert "ust_runoff_bn" in run.stdout
