"""The warehouse is documented: every table and column has a comment, and docs/warehouse.md is generated from the
catalog and kept current."""

import re

import pytest
from typer.testing import CliRunner

from qtwatch import analyst
from qtwatch.cli import app
from warehouse import dictionary
from warehouse.db import connect_readonly

ROOT = analyst.QUERIES_DIR.parents[1]
COMMITTED = ROOT / "docs" / "warehouse.md"
SCHEMAS = ("raw", "core", "ref", "meta", "marts")


@pytest.fixture(scope="module")
def con(demo_path):
    connection = connect_readonly(demo_path)
    yield connection
    connection.close()


def test_every_table_and_column_has_a_comment(con):
    missing = con.execute(
        "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
        "WHERE schema_name IN ? AND coalesce(trim(comment), '') = '' "
        "UNION ALL SELECT schema_name || '.' || table_name || '.' || column_name FROM duckdb_columns() "
        "WHERE schema_name IN ? AND coalesce(trim(comment), '') = '' ORDER BY 1",
        [list(SCHEMAS), list(SCHEMAS)],
    ).fetchall()
    assert missing == []


def test_every_schema_is_described(con):
    described = dict(con.execute("SELECT schema_name, comment FROM meta.schema_comments").fetchall())
    assert all(described.get(s) for s in SCHEMAS), described


def test_committed_dictionary_is_current(con):
    fresh = analyst.data_dictionary(con)
    assert COMMITTED.read_text() == fresh, "docs/warehouse.md is out of date: run `qtwatch docs`"


def test_dictionary_names_every_table_and_column(con):
    text = analyst.data_dictionary(con)
    for schema, table, column in con.execute(
        "SELECT schema_name, table_name, column_name FROM duckdb_columns() WHERE schema_name IN ?", [list(SCHEMAS)]
    ).fetchall():
        section = text.split(f"### `{schema}.{table}`\n", 1)[1].split("\n### ", 1)[0]
        assert f"| `{column}` |" in section


def test_table_cells_stay_on_one_line():
    assert dictionary._md("a |b\nc") == "a \\|b c"


def test_cli_docs_writes_and_checks(demo_path, tmp_path):
    out = tmp_path / "warehouse.md"
    wrote = CliRunner().invoke(app, ["docs", "--output", str(out), "--warehouse", str(demo_path)])
    assert wrote.exit_code == 0, wrote.output
    assert out.read_text() == COMMITTED.read_text()
    check = CliRunner().invoke(app, ["docs", "--check", "--output", str(out), "--warehouse", str(demo_path)])
    assert check.exit_code == 0
    out.write_text(out.read_text().replace("Primary key", "Primary  key", 1))
    stale = CliRunner().invoke(app, ["docs", "--check", "--output", str(out), "--warehouse", str(demo_path)])
    assert stale.exit_code == 1
    assert re.search(r"out of date.*qtwatch docs", stale.output.replace("\n", " "))


def test_analyst_guide_lists_every_example_query_and_command():
    guide = (ROOT / "docs" / "analyst-guide.md").read_text()
    missing = [p.name for p in sorted(analyst.QUERIES_DIR.glob("*.sql")) if f"`{p.name}`" not in guide]
    assert missing == []
    assert all(f"### `qtwatch {command}`" in guide for command in ("sql", "status", "docs"))
