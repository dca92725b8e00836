"""warehouse/schema/030_marts.sql matches the SCHEMA dicts of the mart transforms and comments every column."""

from pathlib import Path

import duckdb
import polars as pl
import pytest

from transforms import auction_health, funding, liquidity, runoff, tga

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = ROOT / "warehouse" / "schema"
MARTS = {
    "qt_runoff_monthly": runoff.SCHEMA,
    "liquidity_weekly": liquidity.SCHEMA,
    "funding_daily": funding.SCHEMA,
    "auction_health": auction_health.SCHEMA,
    "bill_share_monthly": auction_health.BILL_SHARE_SCHEMA,
    "tga_daily": tga.SCHEMA,
}
DUCKDB_TYPE = {pl.Date: "DATE", pl.Float64: "DOUBLE", pl.Utf8: "VARCHAR", pl.Boolean: "BOOLEAN", pl.Int32: "INTEGER"}


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE SCHEMA IF NOT EXISTS meta; "
                "CREATE TABLE IF NOT EXISTS meta.schema_comments (schema_name VARCHAR PRIMARY KEY, comment VARCHAR)")
    con.execute((SCHEMA_DIR / "030_marts.sql").read_text())
    con.execute((SCHEMA_DIR / "045_marts_trust.sql").read_text())  # columns added to these marts (issue 22)
    return con


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str, str | None]]:
    return con.execute(
        "SELECT column_name, data_type, comment FROM duckdb_columns() "
        "WHERE schema_name = 'marts' AND table_name = ? ORDER BY column_index",
        [table],
    ).fetchall()


@pytest.mark.parametrize("table", list(MARTS))
def test_ddl_columns_and_types_match_schema(con: duckdb.DuckDBPyConnection, table: str) -> None:
    ddl = [(name, dtype) for name, dtype, _ in table_columns(con, table)]
    assert ddl == [(name, DUCKDB_TYPE[dtype]) for name, dtype in MARTS[table].items()]


@pytest.mark.parametrize("table", list(MARTS))
def test_every_mart_table_and_column_is_commented(con: duckdb.DuckDBPyConnection, table: str) -> None:
    uncommented = [name for name, _, comment in table_columns(con, table) if not comment]
    assert uncommented == []
    table_comment = con.execute(
        "SELECT comment FROM duckdb_tables() WHERE schema_name = 'marts' AND table_name = ?", [table]
    ).fetchone()
    assert table_comment is not None and table_comment[0]


def test_marts_ddl_is_idempotent(con: duckdb.DuckDBPyConnection) -> None:
    con.execute((SCHEMA_DIR / "030_marts.sql").read_text())
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'marts'").fetchone() == (len(MARTS),)
