"""Where a `qtwatch run --replay` spends its time, against the floor of a minimal hand-written polars -> DuckDB load.

Run: .venv/bin/python -m benchmarks.bench_pipeline
Prints one line per phase (seconds, peak RSS). The Prefect engine is left out on purpose (its temporary server
start-up is measured separately by timing `qtwatch run --replay` end to end, see README "Performance").
"""

# A command-line report, not library code: printing is its output.
# ruff: noqa: T201

from __future__ import annotations

import gzip
import io
import json
import resource
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AS_OF = date(2026, 11, 26)


@contextmanager
def phase(name: str):
    """Time a block and print it with the process's peak memory so far."""
    start = time.perf_counter()
    yield
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{name:<44} {time.perf_counter() - start:7.3f} s   peak RSS {peak_mb:7.0f} MB")


def floor(tmp: Path) -> None:
    """The minimal script: read the snapshot files with polars, write them to DuckDB as tables. No checks."""
    import duckdb
    import polars as pl

    con = duckdb.connect(str(tmp / "floor.duckdb"))
    for path in sorted((ROOT / "replay" / "fred" / "fredgraph").glob("*.csv")):
        frame = pl.read_csv(path, null_values=["", "."], try_parse_dates=True, infer_schema_length=None)
        con.register("f", frame.to_arrow())
        con.execute(f"CREATE TABLE fred_{path.stem} AS SELECT * FROM f").fetchall()
    for name in ("auctions_query", "operating_cash_balance"):
        records = json.loads(gzip.decompress((ROOT / "replay/fiscaldata" / f"{name}.json.gz").read_bytes()))["data"]
        con.register("f", pl.DataFrame(records).to_arrow())
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM f").fetchall()
    rates = pl.read_csv(io.BytesIO((ROOT / "replay/nyfed/rates_all.csv").read_bytes()))
    con.register("f", rates.to_arrow())
    con.execute("CREATE TABLE rates AS SELECT * FROM f").fetchall()
    con.close()


def pipeline_phases(tmp: Path) -> None:
    """The same load through qtwatch's fetchers, parsers, validation, landing, core and marts (no Prefect engine)."""
    with phase("import polars/duckdb/requests + qtwatch flows"):
        from flows.extract import fetch_source, session_for
        from flows.plan import group_catalog, plan_windows
        from flows.settings import get_settings
        from flows.sources import FetchRequest
        from transforms.registry import SOURCES
        from warehouse import db, load
    with phase("import great_expectations + Validator()"):
        from expectations.runner import Validator

        validator = Validator()
    settings = get_settings()
    with db.staged(tmp / "qtwatch.duckdb") as con:
        urls = settings.base_urls()
        for name, spec in SOURCES.items():
            catalog = group_catalog(con, spec)
            groups = catalog[spec.dataset.group_column].to_list() if catalog is not None else None
            windows = plan_windows(con, spec, AS_OF, full_refresh=True, groups=groups)
            with phase(f"{name}: fetch from replay + parse"):
                session = session_for(spec, user_agent=settings.user_agent, retries=0, timeout_s=30,
                                      replay_dir=ROOT / "replay", as_of=AS_OF, urls=urls)
                request = FetchRequest(spec, windows, urls[spec.http.base_url_setting], AS_OF, urls=urls,
                                       catalog=catalog)
                batch = fetch_source(session, request)
            with phase(f"{name}: validate ({batch.frame.height:,} rows)"):
                outcome = validator.validate(spec.dataset.name, batch.frame, as_of=AS_OF)
            with phase(f"{name}: land in raw"):
                load.land(con, spec.dataset, batch.frame, load_id=f"bench-{name}", fetched_at=datetime.now(UTC),
                          as_of=AS_OF)
            assert outcome.success, outcome.failed_rules
        with phase("rebuild core"):
            load.rebuild_core(con)
        with phase("build + validate + write 6 marts"):
            from flows.marts import MART_BUILDERS, read_core

            core = read_core(con)
            for mart, build in MART_BUILDERS.items():
                frame = build(core)
                validator.validate(mart, frame)
                load.replace_table(con, f"marts.{mart}", frame)
        publish_start = time.perf_counter()
    print(f"{'checkpoint + atomic publish':<44} {time.perf_counter() - publish_start:7.3f} s")
    print(f"warehouse size: {(tmp / 'qtwatch.duckdb').stat().st_size / 1e6:.1f} MB")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        with phase("FLOOR: minimal polars -> DuckDB script"):
            floor(Path(tmp))
        with phase("qtwatch pipeline without the Prefect engine"):
            pipeline_phases(Path(tmp))


if __name__ == "__main__":
    main()
