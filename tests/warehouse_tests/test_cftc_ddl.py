"""The CFTC DDL files match the parser's and the marts' SCHEMA constants and comment every table and column."""

from pathlib import Path

import duckdb
import polars as pl
import pytest

from transforms import cftc
from transforms.marts_registry import MARTS
from warehouse.db import apply_schema

DUCKDB_TYPE = {
    pl.Date: "DATE",
    pl.Float64: "DOUBLE",
    pl.Utf8: "VARCHAR",
    pl.Boolean: "BOOLEAN",
    pl.Int64: "BIGINT",
    pl.Int32: "INTEGER",
}
TABLES = {("raw", "cftc_tff"): cftc.SCHEMA, **{("marts", m.name): m.schema for m in MARTS.values()}}
LINEAGE = [
    ("load_id", "VARCHAR"),
    ("fetched_at", "TIMESTAMP WITH TIME ZONE"),
    ("as_of", "DATE"),
    ("source_url", "VARCHAR"),
    ("published_at", "TIMESTAMP WITH TIME ZONE"),
]


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    apply_schema(con)
    return con


def columns(con, schema: str, table: str) -> list[tuple[str, str, str | None]]:
    return con.execute(
        "SELECT column_name, data_type, comment FROM duckdb_columns() WHERE schema_name = ? AND "
        "table_name = ? ORDER BY column_index",
        [schema, table],
    ).fetchall()


@pytest.mark.parametrize(("schema", "table"), list(TABLES), ids=[t for _, t in TABLES])
def test_ddl_matches_schema_constant(con, schema, table):
    expected = [(c, DUCKDB_TYPE[t.base_type()]) for c, t in TABLES[(schema, table)].items()]
    expected += LINEAGE if schema == "raw" else []
    assert [(c, t) for c, t, _ in columns(con, schema, table)] == expected


@pytest.mark.parametrize(("schema", "table"), list(TABLES), ids=[t for _, t in TABLES])
def test_every_column_and_the_table_are_commented(con, schema, table):
    assert [c for c, _, comment in columns(con, schema, table) if not comment] == []
    comment = con.execute(
        "SELECT comment FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?", [schema, table]
    ).fetchone()
    assert comment and comment[0]


def test_schema_files_are_idempotent_and_an_older_ref_table_gains_the_purchase_column(tmp_path):
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    ref = Path(__file__).resolve().parents[2] / "warehouse" / "schema" / "005_ref.sql"
    con.execute((ref.parent / "000_meta.sql").read_text())
    con.execute(ref.read_text())  # a warehouse from before the purchases column
    apply_schema(con)
    apply_schema(con)
    names = [c for c, _, _ in columns(con, "ref", "qt_cap_regimes")]
    assert names[-1] == "purchase_target_bn" and names.count("purchase_target_bn") == 1
