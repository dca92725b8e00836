"""The plumbing raw DDL file and the marts' generated DDL match the SCHEMA constants and comment every table and
column; the side inputs of the marts that read the plumbing marts."""

import duckdb
import polars as pl
import pytest

from transforms import nyfed_pd, ofr_stfm
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
# raw: 013_raw_plumbing.sql; marts: generated from the registry (the three plumbing marts, basis_weekly's new columns)
TABLES = {
    ("raw", "nyfed_pd"): nyfed_pd.SCHEMA,
    ("raw", "ofr_stfm"): ofr_stfm.SCHEMA,
    **{("marts", m.name): m.schema for m in MARTS.values()},
}
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
    apply_schema(con)  # idempotent
    return con


def columns(con, schema: str, table: str) -> list[tuple[str, str, str | None]]:
    return con.execute(
        "SELECT column_name, data_type, comment FROM duckdb_columns() WHERE schema_name = ? AND "
        "table_name = ? ORDER BY column_index",
        [schema, table],
    ).fetchall()


@pytest.mark.parametrize(("schema", "table"), list(TABLES), ids=[t for _, t in TABLES])
def test_ddl_matches_schema_constant_and_is_commented(con, schema, table):
    expected = [
        (c, DUCKDB_TYPE[t.base_type() if isinstance(t, pl.DataType) else t]) for c, t in TABLES[(schema, table)].items()
    ]
    expected += LINEAGE if schema == "raw" else []
    got = columns(con, schema, table)
    assert [(c, t) for c, t, _ in got] == expected
    assert [c for c, _, comment in got if not comment] == []
    comment = con.execute(
        "SELECT comment FROM duckdb_tables() WHERE schema_name = ? AND table_name = ?", [schema, table]
    ).fetchone()
    assert comment and comment[0]


def test_side_inputs_never_hold_back_the_funding_events():
    from transforms.marts_registry import MARTS, mart_sources

    for mart in MARTS.values():
        assert set(mart.side_inputs) <= set(mart.inputs), mart.name
    assert not {"nyfed_pd", "ofr_stfm"} & mart_sources("funding_events")  # their failure must not freeze alerts
    assert not {"nyfed_pd", "ofr_stfm"} & mart_sources("basis_weekly")
    assert mart_sources("dealer_positions_weekly") == {"nyfed_pd"} and "ofr_stfm" in mart_sources("repo_segments_daily")
    assert {"dealer_positions_weekly", "repo_segments_daily"} <= set(MARTS["funding_events"].inputs)


def test_a_side_input_must_be_an_input():
    from dataclasses import replace

    from transforms.marts_registry import MARTS, _in_dependency_order

    stray = replace(MARTS["funding_events"], side_inputs=("cftc_tff",))  # SYNTHETIC: a side input it does not read
    with pytest.raises(ValueError, match="side inputs cftc_tff are not among its inputs"):
        _in_dependency_order([*(m for m in MARTS.values() if m.name != "funding_events"), stray])
    assert MARTS["basis_weekly"].main_inputs == ("cftc_tff", "funding_daily")
