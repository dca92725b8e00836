"""Benchmark of the validation layer on real recorded batches: set-up, per-suite time, pandas vs SQL paths, memory.

Run: .venv/bin/python -m benchmarks.bench_validation  (needs ../shared/data/real). Prints one line per measurement.
"""

# A command-line report, not library code: printing is its output.
# ruff: noqa: T201

from __future__ import annotations

import resource
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
FREDGRAPH = {
    "WALCL": "fred/fredgraph/qie2003/WALCL.csv",
    "WDTGAL": "fred/fredgraph/sphynxkatt0/WDTGAL.csv",
    "RRPONTSYD": "fred/fredgraph/qie2003/RRPONTSYD.csv",
    "SOFR": "fred/fredgraph/qie2003/SOFR.csv",
    "IORB": "fred/fredgraph/SOFR3/IORB.csv",
    "DGS10": "fred/fredgraph/qie2003/DGS10.csv",
}
REPEATS = 5


def timed(fn: Callable[[], object], repeats: int = REPEATS) -> tuple[float, object]:
    """Median seconds of `repeats` calls and the last result."""
    seconds, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        seconds.append(time.perf_counter() - start)
    return sorted(seconds)[len(seconds) // 2], result


def load_batches() -> dict:
    """Real batches in CONTRACTS shape, parsed by the project's parsers."""
    import polars as pl

    from expectations.fred_observations import catalog
    from transforms import fiscal, fred, nyfed

    units = {e["series_id"]: e["units"] for e in catalog()}
    observations = pl.concat([fred.parse_fredgraph_csv((REAL / f).read_bytes(), s) for s, f in FREDGRAPH.items()])
    auctions, _ = fiscal.parse_fiscal_page(
        (REAL / "treasury_auctions/fiscaldata_openbb_cassette/auctions_query_bills_2026-01.json").read_bytes()
    )
    return {
        "fred_observations": observations.with_columns(units=pl.col("series_id").replace_strict(units)),
        "nyfed_reference_rates": nyfed.parse_reference_rates_csv(
            (REAL / "nyfed/r0pc/reference_rates_all_2026.csv").read_bytes()
        ),
        "treasury_auctions": fiscal.parse_auctions(auctions),
    }


def bench_pandas(validator, batches: dict) -> None:
    """Per suite: polars -> pandas conversion alone, then the full Validator.validate (prepare + convert + GX)."""
    from expectations import runner, suites

    for dataset, frame in batches.items():
        prepared = runner.prepare(suites.suite(dataset), frame, as_of=None, held=None)
        convert, _ = timed(prepared.to_pandas)
        validator.validate(dataset, frame)  # first call builds the suite and its validation definition
        total, outcome = timed(lambda d=dataset, f=frame: validator.validate(d, f))
        print(
            f"pandas  {dataset:24s} rows={frame.height:6d} rules={outcome.evaluated:3d} "
            f"to_pandas={convert * 1e3:7.1f} ms  validate={total * 1e3:7.1f} ms  success={outcome.success}"
        )


def bench_sqlite(batches: dict) -> None:
    """The same suites through GX's SQL datasource on a sqlite file (GX has no polars or native DuckDB source)."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    from expectations import runner, suites

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "batches.sqlite"
        source = context.data_sources.add_sqlite("bench_sqlite", connection_string=f"sqlite:///{db}")
        for dataset, frame in batches.items():
            prepared = runner.prepare(suites.suite(dataset), frame, as_of=None, held=None).to_pandas()
            load, _ = timed(lambda d=dataset, p=prepared: _to_sqlite(db, d, p), repeats=1)
            batch_definition = source.add_table_asset(dataset, table_name=dataset).add_batch_definition_whole_table(
                dataset
            )
            suite = context.suites.add(suites.registry[dataset]())
            total, result = timed(lambda b=batch_definition, s=suite: b.get_batch().validate(s), repeats=3)
            print(
                f"sqlite  {dataset:24s} rows={frame.height:6d} load={load * 1e3:7.1f} ms  "
                f"validate={total * 1e3:7.1f} ms  (type rules use pandas dtypes: success={result.success})"
            )


def _to_sqlite(db: Path, table: str, frame) -> None:
    """Write a pandas frame to a sqlite table (replacing it)."""
    with sqlite3.connect(db) as connection:
        frame.to_sql(table, connection, if_exists="replace", index=False)


def bench_duckdb_engine() -> None:
    """DuckDB through SQLAlchemy needs the duckdb_engine dialect, which is not a project dependency."""
    try:
        import duckdb_engine  # noqa: F401
    except ImportError:
        print("duckdb  skipped: duckdb_engine (SQLAlchemy dialect) is not installed")
        return
    print("duckdb  duckdb_engine importable: GX could use a 'duckdb:///:memory:' SQL datasource")


def main() -> None:
    """Run every measurement and print it."""
    start = time.perf_counter()
    import great_expectations  # noqa: F401

    imported = time.perf_counter()
    from expectations import Validator

    validator = Validator()
    ready = time.perf_counter()
    print(
        f"setup   import great_expectations={imported - start:.2f} s  Validator()={ready - imported:.3f} s  "
        f"RSS after set-up={_rss_mb():.0f} MiB"
    )
    batches = load_batches()
    bench_pandas(validator, batches)
    bench_sqlite(batches)
    bench_duckdb_engine()
    print(f"memory  max RSS of the whole benchmark={_rss_mb():.0f} MiB")


def _rss_mb() -> float:
    """Peak resident memory of this process so far, MiB (tracemalloc would slow GX ~5x and skew the timings)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
