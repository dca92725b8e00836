"""Issue 25 item 3: everything a run writes (report, GX context, Data Docs) belongs to its warehouse — beside the
default `qtwatch.duckdb`, or in a folder named after any other warehouse — unless a setting says otherwise, so the
README's backtest (QTWATCH_WAREHOUSE=data/backtest-….duckdb) never overwrites the main warehouse's report or docs.

Reproduce: .venv/bin/python -m pytest tests/runs_tests/test_backtest_outputs.py -q
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.settings import get_settings, outputs_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def default_outputs(monkeypatch) -> None:
    """No output settings: the paths come from the warehouse (the test session sets them for every other test)."""
    monkeypatch.delenv("QTWATCH_REPORT_PATH", raising=False)
    monkeypatch.delenv("QTWATCH_GX_DOCS_DIR", raising=False)


def test_the_main_warehouse_keeps_its_layout(default_outputs, monkeypatch) -> None:
    monkeypatch.setenv("QTWATCH_WAREHOUSE", "data/qtwatch.duckdb")
    settings = get_settings()
    assert (settings.report_path, settings.gx_docs_dir) == (Path("data/report.html"), Path("data/gx_docs"))
    assert outputs_dir(Path("data/qtwatch.duckdb")) == Path("data")


def test_a_backtest_writes_in_a_folder_named_after_it(default_outputs, monkeypatch) -> None:
    monkeypatch.setenv("QTWATCH_WAREHOUSE", "data/backtest-2025-06-30.duckdb")
    settings = get_settings()
    assert settings.report_path == Path("data/backtest-2025-06-30/report.html")
    assert settings.gx_docs_dir == Path("data/backtest-2025-06-30/gx_docs")


def test_a_setting_still_says_otherwise(default_outputs, monkeypatch) -> None:
    monkeypatch.setenv("QTWATCH_WAREHOUSE", "data/backtest-2025-06-30.duckdb")
    monkeypatch.setenv("QTWATCH_REPORT_PATH", "elsewhere/r.html")
    assert get_settings().report_path == Path("elsewhere/r.html")


def test_report_command_with_warehouse_writes_beside_that_warehouse(default_outputs, monkeypatch, tmp_path) -> None:
    from qtwatch.cli import app

    written: list[Path] = []

    def fake_build(warehouse: Path, output: Path, **_: object) -> Path:
        written.append(Path(output))
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text("<html></html>")
        return Path(output)

    monkeypatch.setattr("qtwatch.report.build_report", fake_build)
    result = CliRunner().invoke(app, ["report", "--warehouse", str(tmp_path / "backtest-2025-06-30.duckdb")])
    assert result.exit_code == 0, result.output
    assert written == [tmp_path / "backtest-2025-06-30" / "report.html"]


@pytest.mark.slow
def test_a_backtest_run_leaves_the_main_warehouse_outputs_alone(
    default_outputs, monkeypatch, tmp_path, prefect_harness
) -> None:
    from flows.pipeline import qtwatch_pipeline

    main_folder = tmp_path / "data"
    main_folder.mkdir()
    backtest = main_folder / "backtest-2026-01-30.duckdb"
    monkeypatch.setenv("QTWATCH_WAREHOUSE", str(backtest))
    monkeypatch.setenv("QTWATCH_REPLAY_DIR", str(ROOT / "replay"))
    state = qtwatch_pipeline(sources=["nyfed_rates"], replay=True, as_of=date(2026, 1, 30), return_state=True)
    assert state.is_completed() or "funding_daily" in str(state.message)  # one source alone: a mart lacks inputs
    own = main_folder / "backtest-2026-01-30"
    assert (own / "gx").is_dir() and (own / "gx_docs" / "index.html").is_file()
    assert not [name for name in ("report.html", "gx", "gx_docs") if (main_folder / name).exists()]
