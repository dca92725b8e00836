"""Every raw table (warehouse/schema/*.sql) and every mart table (generated from the mart registry) matches its one
declaration — the dataset's parser SCHEMA plus its extras and the lineage columns, the mart's `schema` — and comments
the table and every column. Parametrized over both registries, so a new source or mart is checked without an edit."""

from pathlib import Path

import duckdb
import polars as pl
import pytest

from transforms.marts_registry import MARTS
from transforms.registry import DATASETS
from warehouse.db import apply_schema

DUCKDB_TYPE = {
    pl.Date: "DATE",
    pl.Float64: "DOUBLE",
    pl.Utf8: "VARCHAR",
    pl.Boolean: "BOOLEAN",
    pl.Int64: "BIGINT",
    pl.Int32: "INTEGER",
}
# the lineage columns every raw table carries after the batch's own (transforms.registry.LINEAGE), with their types
LINEAGE = [
    ("load_id", "VARCHAR"),
    ("fetched_at", "TIMESTAMP WITH TIME ZONE"),
    ("as_of", "DATE"),
    ("source_url", "VARCHAR"),
    ("published_at", "TIMESTAMP WITH TIME ZONE"),
]
TABLES = {
    **{("raw", d.name): d.columns for d in DATASETS.values()},
    **{("marts", m.name): m.schema for m in MARTS.values()},
}
IDS = [f"{schema}.{table}" for schema, table in TABLES]


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    apply_schema(con)
    apply_schema(con)  # idempotent
    return con


def columns(con, schema: str, table: str) -> list[tuple[str, str, str | None]]:
    return con.execute(
        "SELECT column_name, data_type, comment FROM duckdb_columns() WHERE schema_name = ? AND "
        "table_name = ? ORDER BY column_index",
        [schema, table],
    ).fetchall()


def _duckdb_type(t) -> str:
    return DUCKDB_TYPE[t.base_type() if isinstance(t, pl.DataType) else t]


@pytest.mark.parametrize(("schema", "table"), list(TABLES), ids=IDS)
def test_ddl_matches_the_declaration(con, schema, table):
    expected = [(c, _duckdb_type(t)) for c, t in TABLES[(schema, table)].items()]
    expected += LINEAGE if schema == "raw" else []
    assert [(c, t) for c, t, _ in columns(con, schema, table)] == expected


@pytest.mark.parametrize(("schema", "table"), list(TABLES), ids=IDS)
def test_every_column_and_the_table_are_commented(con, schema, table):
    assert [c for c, _, comment in columns(con, schema, table) if not comment] == []
    comment = con.execute(
        "SELECT comment FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?", [schema, table]
    ).fetchone()
    assert comment and comment[0]


def test_lineage_columns_are_the_registry_s():
    from transforms.registry import LINEAGE as REGISTRY_LINEAGE

    assert tuple(c for c, _ in LINEAGE) == REGISTRY_LINEAGE


def test_schema_files_are_idempotent_and_an_older_ref_table_gains_the_purchase_column(tmp_path):
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    ref = Path(__file__).resolve().parents[2] / "warehouse" / "schema" / "005_ref.sql"
    con.execute((ref.parent / "000_meta.sql").read_text())
    con.execute(ref.read_text())  # a warehouse from before the purchases column
    apply_schema(con)
    apply_schema(con)
    names = [c for c, _, _ in columns(con, "ref", "qt_cap_regimes")]
    assert names[-1] == "purchase_target_bn" and names.count("purchase_target_bn") == 1
