"""The DDL of the analyst marts, generated from their one declaration in transforms.marts_registry.

`apply_schema` runs it right after `schema/030_marts.sql` (which creates the `marts` schema), and the build
fingerprint covers it, so a changed declaration rebuilds the mart tables (they are derived, rebuilt every run)."""

from __future__ import annotations

import polars as pl

from transforms.marts_registry import MARTS, Mart

# The virtual schema file the generated DDL runs as, in the name order of warehouse/schema/*.sql.
SCRIPT_NAME = "031_marts_registry.sql"
_DUCKDB_TYPES = {
    pl.Date: "DATE",
    pl.Float64: "DOUBLE",
    pl.Utf8: "VARCHAR",
    pl.Boolean: "BOOLEAN",
    pl.Int32: "INTEGER",
    pl.Int64: "BIGINT",
}


def duckdb_type(dtype: object) -> str:
    """The DuckDB type of a mart column's polars dtype; an unmapped one is refused (add it here)."""
    base = dtype.base_type() if isinstance(dtype, pl.DataType) else dtype
    for polars_type, name in _DUCKDB_TYPES.items():
        if base == polars_type:
            return name
    raise TypeError(f"no DuckDB type for polars {dtype!r}: add it to warehouse/marts_ddl.py")


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def mart_ddl(mart: Mart) -> str:
    """CREATE TABLE IF NOT EXISTS marts.<name> with its primary key, then its table and column comments."""
    missing = [c for c in mart.schema if not mart.columns.get(c)]
    if missing or set(mart.columns) - set(mart.schema):
        raise ValueError(f"mart {mart.name}: comment every schema column and only those (missing: {missing})")
    columns = [f"    {name} {duckdb_type(dtype)}" for name, dtype in mart.schema.items()]
    lines = [
        f"CREATE TABLE IF NOT EXISTS {mart.table} (",
        ",\n".join([*columns, f"    PRIMARY KEY ({', '.join(mart.key)})"]),
        ");",
        f"COMMENT ON TABLE {mart.table} IS {_text(mart.comment)};",
    ]
    lines += [f"COMMENT ON COLUMN {mart.table}.{name} IS {_text(text)};" for name, text in mart.columns.items()]
    return "\n".join(lines) + "\n"


def marts_ddl() -> str:
    """The DDL of every registered mart, in build order."""
    return "CREATE SCHEMA IF NOT EXISTS marts;\n" + "\n".join(mart_ddl(m) for m in MARTS.values())
