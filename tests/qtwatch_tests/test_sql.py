"""`qtwatch sql`: read-only by construction, bound parameters, table/csv/json/parquet output, one-line errors."""

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest
from typer.testing import CliRunner

from qtwatch import analyst, analyst_commands
from qtwatch.cli import app

runner = CliRunner()


def sql(*args: str):
    return runner.invoke(app, ["sql", *args], prog_name="qtwatch")


def one_line(result) -> str:
    text = re.sub(r"\s+", " ", result.output).strip()
    return text


@pytest.fixture()
def tiny(tmp_path) -> Path:
    """A small synthetic warehouse: one mart with rows, one empty mart."""
    path = tmp_path / "tiny.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(
            "CREATE SCHEMA marts; CREATE TABLE marts.t (d DATE, x DOUBLE, s VARCHAR); "
            "INSERT INTO marts.t VALUES ('2025-01-01', 1.5, 'a'), ('2025-02-01', NULL, 'b'), "
            "('2025-03-01', 3.25, 'c'); CREATE TABLE marts.unbuilt (d DATE)"
        )
    return path


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM marts.t",
        "ATTACH 'other.duckdb'",
        "COPY (SELECT 1) TO 'x.csv'",
        "INSTALL httpfs",
        "SET threads = 1",
        "SET VARIABLE a = 1",
        "CREATE TABLE x AS SELECT 1",
        "DROP TABLE marts.t",
        "UPDATE marts.t SET x = 0",
        "PRAGMA threads = 1",
        "CALL pragma_version()",
        "CHECKPOINT",
        "EXPLAIN ANALYZE DELETE FROM marts.t",
        "EXPORT DATABASE 'dump'",
        "LOAD httpfs",
        "DETACH x",
    ],
)
def test_write_statements_are_refused_before_the_warehouse_is_opened(statement, tmp_path):
    result = sql(statement, "--warehouse", str(tmp_path / "absent.duckdb"))
    assert result.exit_code == 1
    assert "qtwatch sql is read-only:" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_several_statements_are_refused():
    with pytest.raises(analyst.QueryError, match="one statement at a time"):
        analyst.read_only_statement("SELECT 1; DELETE FROM marts.t")


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT 1",
        "FROM marts.t",
        "WITH a AS (SELECT 1) SELECT * FROM a",
        "DESCRIBE marts.t",
        "SHOW ALL TABLES",
        "SUMMARIZE marts.t",
        "EXPLAIN SELECT 1",
        "EXPLAIN (FORMAT json) SELECT 1",
        "-- a comment\nSELECT 1;\n",
    ],
)
def test_reads_are_allowed(statement, tiny):
    with duckdb.connect(str(tiny), read_only=True) as con:
        assert analyst.run_query(con, statement).height > 0


@pytest.mark.parametrize(
    ("pair", "value"),
    [
        ("as_of=2025-06-30", date(2025, 6, 30)),
        ("n=5", 5),
        ("min_bn=1.5", 1.5),
        ("kind=Note", "Note"),
        ("$start=2024-01-01", date(2024, 1, 1)),
        ("text= spaced ", "spaced"),
    ],
    ids=["date", "int", "float", "text", "dollar-prefix", "stripped"],
)
def test_params_are_typed(pair, value):
    assert analyst.parse_params([pair]) == {pair.split("=")[0].lstrip("$"): value}


@pytest.mark.parametrize(
    ("pair", "message"),
    [("as_of=2025-13-01", "not a valid date"), ("novalue", "is not name=value"), ("bad name=1", "is not name=value")],
)
def test_bad_params_say_why(pair, message):
    with pytest.raises(analyst.QueryError, match=message):
        analyst.parse_params([pair])


def test_named_placeholders_are_bound_not_formatted(tiny):
    hostile = "x'; DROP TABLE marts.t; --"
    with duckdb.connect(str(tiny), read_only=True) as con:
        frame = analyst.run_query(
            con, "SELECT $s AS s, count(*) AS n FROM marts.t WHERE d >= $d", {"s": hostile, "d": date(2025, 2, 1)}
        )
    assert frame.rows() == [(hostile, 2)]


def test_getvariable_params_are_set_as_variables(tiny):
    with duckdb.connect(str(tiny), read_only=True) as con:
        frame = analyst.run_query(
            con,
            "SELECT s FROM marts.t WHERE d >= coalesce(getvariable('since')::DATE, DATE '2000-01-01') ORDER BY d",
            {"since": date(2025, 3, 1)},
        )
    assert frame["s"].to_list() == ["c"]


@pytest.mark.parametrize(
    ("statement", "params", "message"),
    [
        ("SELECT $a", {}, "needs --param a=VALUE"),
        ("SELECT 1", {"a": 1}, "--param a is not used"),
        ("SELECT ?", {}, "named placeholders"),
    ],
    ids=["missing", "unused", "positional"],
)
def test_param_mismatches_are_explained(statement, params, message, tiny):
    with duckdb.connect(str(tiny), read_only=True) as con, pytest.raises(analyst.QueryError, match=message):
        analyst.run_query(con, statement, params)


def test_table_output_shows_rows_nulls_and_count(tiny):
    result = sql("SELECT * FROM marts.t ORDER BY d", "--warehouse", str(tiny), "--limit", "2", "--format", "table")
    assert result.exit_code == 0, result.output
    assert "1.5" in result.output and "NULL" in result.output and "3.25" not in result.output
    assert "3 rows; first 2 shown" in one_line(result)


def test_csv_and_json_go_to_stdout(tiny):
    csv = sql("SELECT d, x FROM marts.t ORDER BY d", "--warehouse", str(tiny), "--format", "csv")
    assert csv.stdout.splitlines() == ["d,x", "2025-01-01,1.5", "2025-02-01,", "2025-03-01,3.25"]
    js = sql("SELECT s, x FROM marts.t ORDER BY d", "--warehouse", str(tiny), "--format", "json")
    assert json.loads(js.stdout) == [{"s": "a", "x": 1.5}, {"s": "b", "x": None}, {"s": "c", "x": 3.25}]


def test_parquet_goes_to_a_file_chosen_by_suffix(tiny, tmp_path):
    out = tmp_path / "out" / "t.parquet"
    result = sql("SELECT * FROM marts.t ORDER BY d", "--warehouse", str(tiny), "--output", str(out))
    assert result.exit_code == 0, result.output
    assert pl.read_parquet(out)["s"].to_list() == ["a", "b", "c"]


def test_parquet_to_stdout_is_refused(tiny):
    result = sql("SELECT 1", "--warehouse", str(tiny), "--format", "parquet")
    assert result.exit_code == 1
    assert "--format parquet needs --output" in result.output


def test_missing_warehouse_says_what_to_run(tmp_path):
    result = sql("SELECT 1", "--warehouse", str(tmp_path / "absent.duckdb"))
    assert result.exit_code == 1
    assert "no warehouse at" in result.output and "qtwatch run --replay" in one_line(result)


def test_corrupt_warehouse_says_what_to_do(tmp_path):
    bad = tmp_path / "bad.duckdb"
    bad.write_text("not a database")
    result = sql("SELECT 1", "--warehouse", str(bad))
    assert result.exit_code == 1
    assert "not a valid DuckDB file" in one_line(result) and "qtwatch run --replay" in one_line(result)


def test_missing_table_says_what_to_run(tiny):
    result = sql("SELECT * FROM marts.qt_runoff_monthly", "--warehouse", str(tiny))
    assert result.exit_code == 1
    assert "does not exist" in one_line(result) and "qtwatch run" in one_line(result)


def test_an_empty_mart_is_reported_as_not_built(tiny):
    result = sql("SELECT * FROM marts.unbuilt", "--warehouse", str(tiny))
    assert result.exit_code == 0
    assert "marts.unbuilt is empty: it has not been built yet" in one_line(result)


def test_no_query_without_a_cli_says_how_to_get_one(tiny, monkeypatch):
    monkeypatch.setattr(analyst, "find_duckdb_cli", lambda: None)
    result = sql("--warehouse", str(tiny))
    assert result.exit_code == 1
    assert "no DuckDB CLI on PATH" in one_line(result) and "duckdb -readonly" in one_line(result)


def _fake_cli(tmp_path: Path, exit_code: int) -> Path:
    script = tmp_path / "duckdb"
    script.write_text(f"#!/bin/sh\necho 'IO Error: version mismatch' >&2\nexit {exit_code}\n")
    script.chmod(0o755)
    return script


def test_no_query_opens_the_duckdb_shell_read_only(tiny, tmp_path, monkeypatch):
    binary = _fake_cli(tmp_path, 0)
    calls = []
    monkeypatch.setattr(analyst, "find_duckdb_cli", lambda: str(binary))
    monkeypatch.setattr(analyst_commands, "_exec", calls.append)
    result = sql("--warehouse", str(tiny))
    assert result.exit_code == 0, result.output
    assert calls == [[str(binary), "-readonly", str(tiny)]]


def test_a_shell_that_cannot_open_the_file_is_explained(tiny, tmp_path, monkeypatch):
    monkeypatch.setattr(analyst, "find_duckdb_cli", lambda: str(_fake_cli(tmp_path, 1)))
    monkeypatch.setattr(analyst_commands, "_exec", lambda argv: pytest.fail("must not exec"))
    result = sql("--warehouse", str(tiny))
    assert result.exit_code == 1
    assert "cannot open" in result.output and "version mismatch" in one_line(result)


def test_analyst_commands_import_nothing_heavy():
    code = (
        "import sys, qtwatch.analyst_commands; "
        "print(sorted(m for m in ('duckdb', 'polars', 'prefect', 'great_expectations') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert out.stdout.strip() == "[]"
