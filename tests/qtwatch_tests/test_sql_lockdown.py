"""`qtwatch sql` reads the warehouse and nothing else: no local file, no URL, no extension, no setting, no write —
refused with one line, whether the statement reaches DuckDB through the CLI or through the connection itself."""

from __future__ import annotations

import os
import re
from pathlib import Path
from unittest import mock

import duckdb
import pytest
from typer.testing import CliRunner

from qtwatch.cli import app
from warehouse.db import connect_readonly

runner = CliRunner()
# A marker standing in for a secret that lives in the process environment (what /proc/self/environ would show).
MARKER = "lockdown-marker-5f2a9c71e0"


@pytest.fixture()
def tiny(tmp_path) -> Path:
    """A small synthetic warehouse with one table."""
    path = tmp_path / "tiny.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA marts; CREATE TABLE marts.t (x INTEGER); INSERT INTO marts.t VALUES (1), (2)")
    return path


@pytest.fixture()
def local_server(httpserver):
    """A loopback HTTP server that would answer a parquet download (it must never be asked)."""
    httpserver.expect_request("/x.parquet").respond_with_data(b"PAR1", content_type="application/octet-stream")
    return httpserver


ESCAPES = {
    "environ": "SELECT content FROM read_text('/proc/self/environ')",
    "passwd": "SELECT * FROM read_csv('/etc/passwd')",
    "glob": "SELECT * FROM glob('/*')",
    "blob": "SELECT * FROM read_blob('/etc/hostname')",
    "json": "SELECT * FROM read_json_auto('/etc/hostname')",
}


@pytest.mark.parametrize("query", list(ESCAPES.values()), ids=list(ESCAPES))
def test_select_cannot_read_the_machines_files(tiny, query) -> None:
    with mock.patch.dict(os.environ, {"FRED_API_KEY": MARKER}):
        result = runner.invoke(app, ["sql", query, "--warehouse", str(tiny)])
    assert result.exit_code == 1
    assert MARKER not in result.output
    assert "qtwatch sql reads only the warehouse" in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output


def test_select_cannot_reach_the_network(tiny, local_server) -> None:
    url = local_server.url_for("/x.parquet").replace("http://", "https://")
    for target in (url, local_server.url_for("/x.parquet")):
        result = runner.invoke(app, ["sql", f"SELECT * FROM read_parquet('{target}')", "--warehouse", str(tiny)])
        assert result.exit_code == 1
        assert "qtwatch sql reads only the warehouse" in result.output
    assert local_server.log == []  # refused before any request left the process


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT * FROM read_text('/proc/self/environ')",
        "COPY marts.t TO '{tmp}/leak.csv'",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "RESET enable_external_access",
        "ATTACH '{tmp}/other.duckdb' AS other",
        "SELECT * FROM glob('/*')",
    ],
    ids=["read_text", "copy_to", "install", "load", "set", "reset", "attach", "glob"],
)
def test_the_connection_itself_refuses_escapes(tiny, tmp_path, statement) -> None:
    """Even past the statement guard (e.g. another caller of connect_readonly), DuckDB refuses each escape."""
    with connect_readonly(tiny) as con, pytest.raises(duckdb.Error):
        con.execute(statement.format(tmp=tmp_path)).fetchall()
    assert not (tmp_path / "leak.csv").exists() and not (tmp_path / "other.duckdb").exists()


def test_an_https_read_installs_no_extension(tiny, tmp_path) -> None:
    """read_parquet('https://…') used to auto-install httpfs under ~/.duckdb; now it is refused and writes nothing."""
    with mock.patch.dict(os.environ, {"HOME": str(tmp_path)}), connect_readonly(tiny) as con:
        with pytest.raises(duckdb.Error, match=re.compile("disabled by configuration", re.IGNORECASE)):
            con.execute("SELECT * FROM read_parquet('https://127.0.0.1:9/x.parquet')").fetchall()
        with pytest.raises(duckdb.Error, match=re.compile("disabled", re.IGNORECASE)):
            con.execute("INSTALL httpfs").fetchall()
    assert not (tmp_path / ".duckdb").exists()


def test_warehouse_queries_and_variables_still_work(tiny) -> None:
    result = runner.invoke(
        app,
        [
            "sql",
            "SELECT sum(x) AS s FROM marts.t WHERE x >= getvariable('low')",
            "--param",
            "low=1",
            "--format",
            "csv",
            "--warehouse",
            str(tiny),
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["s", "3"]
