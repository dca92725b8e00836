"""Team mode beside the file mode, in one run of `make bench-team` (.venv-team: both modes on DuckDB 1.5.5, so the
comparison is the publish path, not the DuckDB version): a full replay run, the next day and a re-run of it (nothing
new), at x1 and on the SYNTHETIC x16 copy (benchmarks/synth.py), with wall seconds and peak RSS; the lake on a
throw-away PostgreSQL cluster (tests/team_tests/postgres.py) and a local data folder.
"""

# A command-line tool: printing is its output.
# ruff: noqa: T201

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks import synth
from benchmarks.bench import PYTHON, QUIET_ENV, ROOT, D, _dump, machine, run_process, versions

RUNS = (("full", D), ("next", D + timedelta(days=1)), ("rerun", D + timedelta(days=1)))
MODES = ("file", "team")


def one_mode(mode: str, folder: Path, base: dict[str, str], lake_url: str, replay: Path, code: Path) -> dict:
    """full, next day and re-run in one mode, into a new warehouse (a file, or a new lake)."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {**base, "QTWATCH_REPLAY_DIR": str(replay), "PREFECT_HOME": str(folder / "prefect-home")}
    if mode == "file":
        env.update(
            QTWATCH_WAREHOUSE=str(folder / "qtwatch.duckdb"),
            QTWATCH_GX_DOCS_DIR=str(folder / "gx_docs"),
            QTWATCH_REPORT_PATH=str(folder / "report.html"),
        )
    else:
        env.update(
            QTWATCH_WAREHOUSE=lake_url,
            QTWATCH_LAKE_DATA_PATH=str(folder / "lake-data") + "/",
            QTWATCH_LAKE_WORKDIR=str(folder / "work"),
        )
    out: dict = {}
    for key, day in RUNS:
        args = [PYTHON, "-m", "benchmarks.probe", "run", "--replay", "--as-of", day.isoformat()]
        out[key] = run_process(args, env, cwd=code, probe=True)
        if mode == "team":
            out[f"{key}_lake_mb"] = round(_folder_mb(folder / "lake-data"), 1)
    return out


def _folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def measure(scales: tuple[int, ...]) -> dict:
    from tests.team_tests.postgres import Cluster

    started = time.perf_counter()
    result: dict = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": versions(),
        "command": "make bench-team  (.venv-team/bin/python -m benchmarks.bench_team)",
        "rows": {},
    }
    base = {k: v for k, v in os.environ.items() if not k.startswith(("QTWATCH_", "PREFECT_API_URL"))}
    base.update(QUIET_ENV)
    cluster = Cluster.start()
    try:
        with tempfile.TemporaryDirectory(prefix="qtwatch-bench-team-") as tmp:
            work = Path(tmp)
            for factor in (1, *scales):
                replay, code = ROOT / "replay", ROOT
                if factor != 1:
                    built = synth.build(factor, work / f"synth-x{factor}")
                    replay, code = built.replay_dir, built.code_dir
                for mode in MODES:
                    lake_url = "ducklake:postgres:" + cluster.create(f"bench_x{factor}") if mode == "team" else ""
                    print(f"x{factor} {mode} ...", flush=True)
                    result["rows"][f"x{factor}-{mode}"] = one_mode(
                        mode, work / f"x{factor}-{mode}", base, lake_url, replay, code
                    )
    finally:
        cluster.stop()
    result["bench_seconds"] = round(time.perf_counter() - started, 1)
    return result


def render(result: dict) -> str:
    """A markdown table: seconds and peak RSS per run, mode and scale, with team/file and x16/x1 ratios."""
    rows = result["rows"]
    lines = [
        "| run | scale | file: s | file: MB | team: s | team: MB | team/file s | team/file MB | lake MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for key, _ in RUNS:
        for scale in sorted({k.split("-")[0] for k in rows}, key=lambda s: int(s[1:])):
            f, t = rows[f"{scale}-file"][key], rows[f"{scale}-team"][key]
            lake_mb = rows[f"{scale}-team"][f"{key}_lake_mb"]
            lines.append(
                f"| {key} | {scale} | {f.seconds:.1f} | {f.peak_mb:,.0f} | {t.seconds:.1f} | {t.peak_mb:,.0f} | "
                f"{t.seconds / f.seconds:.2f}x | {t.peak_mb / f.peak_mb:.2f}x | {lake_mb} |"
            )
    for mode in MODES:
        scales = sorted({k.split("-")[0] for k in rows if k != "x1-" + mode and k.endswith(mode)})
        for scale in scales:
            a, b = rows[f"x1-{mode}"]["next"], rows[f"{scale}-{mode}"]["next"]
            lines.append(
                f"\n{mode}: next day at {scale} vs x1: {b.seconds / a.seconds:.2f}x wall, {b.peak_mb / a.peak_mb:.2f}x "
                "peak RSS"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "team-latest.json")
    parser.add_argument("--scales", default="16", help="synthetic data factors beside x1 ('' = none)")
    args = parser.parse_args()
    scales = tuple(int(f) for f in args.scales.split(",") if f.strip())
    result = measure(scales)
    table = render(result)
    _dump(args.out, {**result, "table": table})
    print(table)
    print(f"\nJSON: {args.out}")


if __name__ == "__main__":
    main()
