"""The floor: a minimal polars -> DuckDB script loading the same replay files as a full run (no checks, no engine).

Run: python -m benchmarks.floor WAREHOUSE.duckdb [REPLAY_DIR]   (prints the rows it loaded)
"""

# A command-line tool: printing is its output.
# ruff: noqa: T201

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import duckdb
import polars as pl

REPLAY = Path(__file__).resolve().parents[1] / "replay"


def load(con: duckdb.DuckDBPyConnection, replay: Path = REPLAY) -> int:
    """Read every snapshot file with polars and write it to one DuckDB table per file; return the rows loaded."""
    frames: dict[str, pl.DataFrame] = {}
    for path in sorted((replay / "fred" / "fredgraph").glob("*.csv")):
        frames[f"fred_{path.stem}"] = pl.read_csv(
            path, null_values=["", "."], try_parse_dates=True, infer_schema_length=None
        )
    for name in ("auctions_query", "operating_cash_balance"):
        records = json.loads(gzip.decompress((replay / "fiscaldata" / f"{name}.json.gz").read_bytes()))["data"]
        frames[name] = pl.DataFrame(records, infer_schema_length=None)
    operations = json.loads(gzip.decompress((replay / "nyfed" / "rp_operations.json.gz").read_bytes()))
    frames["rp_operations"] = pl.DataFrame(operations["repo"]["operations"], infer_schema_length=None)
    frames["rates"] = pl.read_csv(replay / "nyfed" / "rates_all.csv", infer_schema_length=None)
    for table, frame in frames.items():
        con.register("f", frame.to_arrow())
        con.execute(f'CREATE TABLE "{table}" AS SELECT * FROM f').fetchall()
        con.unregister("f")
    return sum(frame.height for frame in frames.values())


if __name__ == "__main__":
    with duckdb.connect(sys.argv[1]) as connection:
        rows = load(connection, Path(sys.argv[2]) if len(sys.argv) > 2 else REPLAY)
        connection.execute("CHECKPOINT").fetchall()
    print(rows)
