"""What a newcomer and an operator meet first: --version, completion, --warehouse everywhere, sql --list
parameters, tables that keep their numbers, a closing hint that works, a replay demo that is fresh."""

from __future__ import annotations

import json
from datetime import date
from importlib.metadata import version
from pathlib import Path
from types import SimpleNamespace

import pytest
import typer
from typer.testing import CliRunner

from flows.snapshot import SnapshotError, snapshot_as_of, source_last_days
from qtwatch import analyst, report_console
from qtwatch.cli import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_version_prints_the_installed_distribution_version() -> None:
    result = runner.invoke(app, ["--version"], prog_name="qtwatch")
    assert result.exit_code == 0 and result.output.strip() == f"qtwatch {version('qtwatch')}"


def test_shell_completion_is_offered() -> None:
    result = runner.invoke(app, ["--help"], prog_name="qtwatch", env={"COLUMNS": "200"})
    assert "--install-completion" in result.output and "--show-completion" in result.output


def test_every_command_takes_warehouse() -> None:
    commands = typer.main.get_command(app).commands
    # `doctor` probes the sources over HTTP, `alerts` sets up Prefect automations and `deployments` writes
    # prefect.yaml: none reads or writes a warehouse, so they have nothing to point --warehouse at
    missing = [
        name
        for name, cmd in commands.items()
        if name not in ("doctor", "alerts", "deployments")
        and "--warehouse" not in {o for p in cmd.params for o in p.opts}
    ]
    assert set(commands) >= {"run", "sql", "status", "docs", "report", "serve"} and not missing


def test_run_warehouse_reaches_the_flow(monkeypatch, tmp_path) -> None:
    """--warehouse becomes the setting the flow reads at its entry (the flow itself is replaced here)."""
    seen = {}

    def fake_flow(**kwargs):
        from flows.settings import get_settings

        seen.update(kwargs, warehouse=get_settings().warehouse)
        return SimpleNamespace(
            name="Completed",
            is_failed=lambda: False,
            is_crashed=lambda: False,
            state_details=SimpleNamespace(flow_run_id=None),
        )

    monkeypatch.setattr("flows.pipeline.qtwatch_pipeline", fake_flow)
    monkeypatch.setattr(report_console, "print_run_summary", lambda console, **_: None)
    monkeypatch.setenv("QTWATCH_WAREHOUSE", str(tmp_path / "other.duckdb"))
    target = tmp_path / "mine.duckdb"
    result = runner.invoke(app, ["run", "--replay", "--warehouse", str(target)], prog_name="qtwatch")
    assert result.exit_code == 0, result.output
    assert seen["warehouse"] == target and seen["replay"] is True and seen["as_of"] is None


def test_report_reads_the_warehouse_it_is_given(tmp_path) -> None:
    missing = tmp_path / "absent.duckdb"
    result = runner.invoke(
        app, ["report", "--warehouse", str(missing), "-o", str(tmp_path / "r.html")], prog_name="qtwatch"
    )
    assert result.exit_code == 1 and str(missing) in " ".join(result.output.split())
    assert not (tmp_path / "r.html").exists()


def test_replay_without_a_snapshot_is_one_line(tmp_path) -> None:
    result = runner.invoke(app, ["run", "--replay"], prog_name="qtwatch", env={"QTWATCH_REPLAY_DIR": str(tmp_path)})
    assert result.exit_code == 1 and "no replay snapshot" in result.output and "Traceback" not in result.output


def test_sql_list_shows_each_querys_parameters() -> None:
    result = runner.invoke(app, ["sql", "--list"], prog_name="qtwatch", env={"COLUMNS": "250"})
    assert result.exit_code == 0 and "parameters" in result.output
    params = analyst.example_query_parameters()
    assert params["08_weakest_auctions.sql"].startswith("n INTEGER (default 10)")
    for name in params:  # every placeholder a query uses is announced in its parameters
        text = (analyst.QUERIES_DIR / name).read_text()
        used = set(analyst.GETVARIABLE.findall(text))
        assert all(u in params[name] for u in used), name


def test_query_parameters_without_a_header_lists_the_placeholders() -> None:
    assert analyst.query_parameters("SELECT $n, getvariable('kind')") == "$n, kind"
    assert analyst.query_parameters("SELECT 1") == "none"


def test_long_text_is_cut_before_numbers_are_dropped() -> None:
    # synthetic: one long text column and three numbers in an 80-column terminal
    cells = {"note": ["x" * 200], "a_bn": ["1,234.5"], "b_bn": ["2"], "c_pct": ["3.25"]}
    cut = analyst.shorten_text(cells, {"a_bn", "b_bn", "c_pct"}, 80)
    widths = {n: max([len(n), *map(len, c)]) for n, c in cut.items()}
    assert analyst.fit_columns(widths, 80) == list(cells)
    assert cut["note"][0].endswith("…") and cut["a_bn"] == ["1,234.5"]
    assert analyst.shorten_text({"t": ["short"]}, set(), 80) == {"t": ["short"]}


def test_replay_as_of_is_the_day_most_sources_reach(tmp_path) -> None:
    # synthetic manifest: three sources, the middle last day wins
    entries = [
        {"file": "a1", "source": "a", "last_date": "2026-08-26"},
        {"file": "a2", "source": "a", "last_date": "2026-06-17"},
        {"file": "b", "source": "b", "last_date": "2026-06-24"},
        {"file": "c", "source": "c", "last_date": "2025-11-24"},
    ]
    (tmp_path / "manifest.json").write_text(json.dumps(entries))
    assert source_last_days(tmp_path) == {"a": date(2026, 8, 26), "b": date(2026, 6, 24), "c": date(2025, 11, 24)}
    assert snapshot_as_of(tmp_path) == date(2026, 6, 24)
    with pytest.raises(SnapshotError, match="no replay snapshot"):
        snapshot_as_of(tmp_path / "missing")


def test_committed_snapshot_as_of_is_its_recorded_majority_day() -> None:
    days = source_last_days(ROOT / "replay")
    chosen = snapshot_as_of(ROOT / "replay")
    assert sum(day >= chosen for day in days.values()) > len(days) / 2
    assert chosen in days.values()
