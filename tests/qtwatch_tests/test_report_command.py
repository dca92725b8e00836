"""`qtwatch report` as a command: one-line errors for a missing, corrupt or unbuilt warehouse; the Prefect hook."""

from pathlib import Path

import duckdb
import pytest
import typer
from typer.testing import CliRunner

from qtwatch import report, report_commands
from warehouse.db import WarehouseError


@pytest.fixture
def cli() -> typer.Typer:
    """A Typer app with the report command registered exactly as qtwatch.cli does it."""
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """Keeps `report` a sub-command."""

    report_commands.register(app)
    return app


def invoke(cli: typer.Typer, warehouse: Path, *args: str):
    """Run `qtwatch report ARGS` with QTWATCH_WAREHOUSE pointing at `warehouse`."""
    return CliRunner().invoke(cli, ["report", *args], env={"QTWATCH_WAREHOUSE": str(warehouse)})


def test_command_writes_the_report_and_prints_its_path(cli, demo_warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "r.html"
    result = invoke(cli, demo_warehouse, "--output", str(out))
    assert result.exit_code == 0, result.output
    assert str(out.resolve()) in result.output
    assert out.stat().st_size > 1_000_000  # plotly.js is inlined: opens offline


def test_missing_warehouse_is_one_line(cli, tmp_path: Path) -> None:
    result = invoke(cli, tmp_path / "absent.duckdb", "-o", str(tmp_path / "r.html"))
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "qtwatch run --replay" in result.output


def test_corrupt_warehouse_is_one_line(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"not a duckdb file" * 100)
    result = invoke(cli, bad, "-o", str(tmp_path / "r.html"))
    assert result.exit_code == 1
    assert "not a valid DuckDB file" in result.output and result.output.strip().count("\n") == 0


def test_unbuilt_marts_are_named(tmp_path: Path) -> None:
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    with pytest.raises(WarehouseError, match=r"marts\.qt_runoff_monthly.*not built yet.*qtwatch run"):
        report.build_report(path, tmp_path / "r.html")
    assert not (tmp_path / "r.html").exists()


def test_attach_report_artifact_links_the_file(monkeypatch, tmp_path: Path) -> None:
    import prefect.artifacts

    calls = []
    monkeypatch.setattr(prefect.artifacts, "create_link_artifact", lambda **kw: calls.append(kw) or "id")
    from flows.report_artifact import attach_report_artifact

    assert attach_report_artifact(tmp_path / "report.html") == "id"
    assert calls[0]["link"] == (tmp_path / "report.html").resolve().as_uri()
    assert calls[0]["key"] == "qtwatch-report"
