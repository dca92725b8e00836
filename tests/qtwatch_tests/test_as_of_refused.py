"""On the demo warehouse (as of 2026-08-31), `qtwatch run --replay --as-of 2025-06-30` is refused before anything
runs: exit 2, one line saying what the warehouse knows and what to do, the file byte-identical."""

import os
from unittest import mock

from typer.testing import CliRunner

from qtwatch.cli import app
from tests.support.build_demo import SECOND_AS_OF

runner = CliRunner()


def test_an_earlier_as_of_on_the_demo_exits_2_with_one_line_and_changes_no_byte(demo_path, tmp_path):
    path = tmp_path / "qtwatch.duckdb"
    path.write_bytes(demo_path.read_bytes())  # a copy: the demo is shared by the session's tests
    before = path.read_bytes()
    with mock.patch.dict(os.environ, {"QTWATCH_WAREHOUSE": str(path)}):
        result = runner.invoke(app, ["run", "--replay", "--as-of", "2025-06-30"], prog_name="qtwatch")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert lines[0].startswith(f"run refused: {path} already knows the world as of {SECOND_AS_OF}")
    assert "QTWATCH_WAREHOUSE=data/backtest-2025-06-30.duckdb qtwatch run --replay --as-of 2025-06-30" in lines[0]
    assert path.read_bytes() == before


def test_an_as_of_before_any_history_exits_2(tmp_path):
    with mock.patch.dict(os.environ, {"QTWATCH_WAREHOUSE": str(tmp_path / "new.duckdb")}):
        result = runner.invoke(app, ["run", "--replay", "--as-of", "1900-01-01"], prog_name="qtwatch")
    assert result.exit_code == 2 and "is before any data" in result.output
    assert not (tmp_path / "new.duckdb").exists()
