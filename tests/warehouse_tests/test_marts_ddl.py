"""The warehouse's mart tables are exactly their registry declarations: columns, types, key and comments."""

import duckdb
import pytest

from transforms.marts_registry import MARTS
from warehouse.db import apply_schema
from warehouse.marts_ddl import duckdb_type, mart_ddl


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    apply_schema(con)
    return con


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str, str | None]]:
    return con.execute(
        "SELECT column_name, data_type, comment FROM duckdb_columns() "
        "WHERE schema_name = 'marts' AND table_name = ? ORDER BY column_index",
        [table],
    ).fetchall()


@pytest.mark.parametrize("table", list(MARTS))
def test_ddl_columns_types_and_comments_match_the_declaration(con: duckdb.DuckDBPyConnection, table: str) -> None:
    mart = MARTS[table]
    expected = [(name, duckdb_type(dtype), mart.columns[name]) for name, dtype in mart.schema.items()]
    assert table_columns(con, table) == expected
    assert all(comment for _, _, comment in expected)


@pytest.mark.parametrize("table", list(MARTS))
def test_table_comment_and_primary_key_match_the_declaration(con: duckdb.DuckDBPyConnection, table: str) -> None:
    comment = con.execute(
        "SELECT comment FROM duckdb_tables() WHERE schema_name = 'marts' AND table_name = ?", [table]
    ).fetchone()
    assert comment == (MARTS[table].comment,) and MARTS[table].comment
    key = con.execute(
        "SELECT constraint_column_names FROM duckdb_constraints() WHERE schema_name = 'marts' AND "
        "table_name = ? AND constraint_type = 'PRIMARY KEY'",
        [table],
    ).fetchall()
    assert key == [(list(MARTS[table].key),)]


def test_the_warehouse_holds_exactly_the_registered_marts(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts'").fetchall()
    tables = {t for (t,) in rows}
    assert tables == set(MARTS)


def test_marts_ddl_is_idempotent(con: duckdb.DuckDBPyConnection) -> None:
    apply_schema(con)
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'marts'").fetchone() == (len(MARTS),)


def test_a_comment_with_a_quote_is_escaped_and_a_missing_comment_refused() -> None:
    mart = MARTS["qt_runoff_monthly"]
    assert "month''s closing Wednesday" in mart_ddl(mart)
    from dataclasses import replace

    with pytest.raises(ValueError, match="comment every schema column"):
        mart_ddl(replace(mart, columns={k: v for k, v in mart.columns.items() if k != "month"}))
