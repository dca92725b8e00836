"""`make bench`: where a qtwatch run's time and memory go, against Prefect's own cost and the polars -> DuckDB floor.

Run: .venv/bin/python -m benchmarks.bench [--repeats 3] [--out benchmarks/results/latest.json] [--no-scaling]
Every figure is the median of `--repeats` separate processes, timed from spawn to exit, on Prefect's temporary
server and against a `prefect server start` the bench runs on a free localhost port. Scenarios:
  trivial      a one-task flow (benchmarks/trivial_flow.py): what any flow pays
  floor        benchmarks/floor.py: the same replay files read by polars and written to DuckDB, no checks
  full         `qtwatch run --replay --as-of D` into a new warehouse (= the backfill to D)
  rerun        the same again on that warehouse: nothing new
  incremental  `--as-of D+1` on that warehouse: one day of new data
  scaling      full runs on x4, x16 and x64 the rows (benchmarks/synth.py: SYNTHETIC FRED copies, temporary folder)
Stage times come from benchmarks/probe.py (timers around the library functions of the same run). Peak RSS is the
qtwatch process's own high-water mark (VmHWM); the temporary server is a separate process, reported beside it.
"""

# A command-line report, not library code: printing is its output.
# ruff: noqa: T201

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib import metadata
from pathlib import Path

from benchmarks import synth

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
# D: a Monday on which every source has data in the replay; D+1 brings a day of FRED, NY Fed rates, DTS and auctions.
D = date(2026, 6, 22)
# Analytics off; a loaded machine can need more than Prefect's default 20 s to start (and migrate) a temporary server.
QUIET_ENV = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
}
STAGES = (
    "fetch + parse",
    "check",
    "validate",
    "land",
    "open warehouse",
    "core",
    "marts",
    "report",
    "data docs",
    "publish",
)
SCALES = (4, 16, 64)


@dataclass
class Sample:
    """One process: wall seconds, its own peak RSS and the tree's, and the probe's stage record (if any)."""

    seconds: float
    cpu_s: float  # user + system CPU of the process and the children it waited for (its temporary server)
    peak_mb: float
    tree_peak_mb: float
    probe: dict = field(default_factory=dict)


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return pids


def run_process(args: list[str], env: dict[str, str], cwd: Path = ROOT, probe: bool = False) -> Sample:
    """Run one command to completion; fail loudly (with its output's tail) if it fails."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        probe_path = handle.name
    env = {**env, "QTWATCH_BENCH_PROBE": probe_path if probe else "", "QTWATCH_BENCH_T0": repr(time.time())}
    cpu_before = _children_cpu()
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peaks = {"own": 0, "tree": 0}

    def sample() -> None:
        while process.poll() is None:
            peaks["own"] = max(peaks["own"], _status_kb(process.pid, "VmHWM"))
            peaks["tree"] = max(peaks["tree"], sum(_status_kb(p, "VmRSS") for p in _tree(process.pid)))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - start
    cpu = _children_cpu() - cpu_before
    sampler.join()
    if process.returncode != 0:
        tail = output.decode(errors="replace")[-3000:]
        raise RuntimeError(f"{' '.join(args)} exited {process.returncode}:\n{tail}")
    record = json.loads(Path(probe_path).read_text()) if probe and Path(probe_path).stat().st_size else {}
    Path(probe_path).unlink(missing_ok=True)
    return Sample(seconds, cpu, peaks["own"] / 1024, peaks["tree"] / 1024, record)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Bench:
    """The scenarios of one mode (temporary server, or a running server at `api_url`)."""

    def __init__(self, work: Path, mode: str, env: dict[str, str], repeats: int) -> None:
        self.work, self.mode, self.env, self.repeats = work, mode, env, repeats

    def qtwatch(self, warehouse: Path, as_of: date, *, replay: Path = ROOT / "replay", code: Path = ROOT) -> Sample:
        """One `qtwatch run --replay --as-of` into `warehouse`, through the probe."""
        folder = warehouse.parent
        env = {
            **self.env,
            "QTWATCH_WAREHOUSE": str(warehouse),
            "QTWATCH_REPLAY_DIR": str(replay),
            "QTWATCH_GX_DOCS_DIR": str(folder / "gx_docs"),
            "QTWATCH_REPORT_PATH": str(folder / "report.html"),
        }
        return run_process(
            [PYTHON, "-m", "benchmarks.probe", "run", "--replay", "--as-of", as_of.isoformat()],
            env,
            cwd=code,
            probe=True,
        )

    def trivial(self) -> list[Sample]:
        return [run_process([PYTHON, "-m", "benchmarks.trivial_flow"], self.env) for _ in range(self.repeats)]

    def runs(self) -> dict[str, list[Sample]]:
        """full (new warehouse, as of D) -> rerun (same as-of) -> incremental (D+1), `repeats` times."""
        out: dict[str, list[Sample]] = {"full": [], "rerun": [], "incremental": []}
        for i in range(self.repeats):
            warehouse = self.work / f"{self.mode}-run{i}" / "qtwatch.duckdb"
            out["full"].append(self.qtwatch(warehouse, D))
            out["rerun"].append(self.qtwatch(warehouse, D))
            out["incremental"].append(self.qtwatch(warehouse, D + timedelta(days=1)))
        return out

    def scaling(self, scales: tuple[int, ...] = SCALES) -> dict[str, dict]:
        """On the synthetic x4 / x16 / x64 copies and on x1 (the replay copied the same way): a full run (new
        warehouse, as of D), the next day (D+1) and a re-run of it (nothing new), `repeats` times: does a daily run's
        cost grow with the history held (issue 27)? Each repeat runs every scale in turn, so that the machine's
        speed, which drifts by 2x within a session here, weighs on each scale alike."""
        factors = (1, *(f for f in scales if f != 1))
        built = {f: synth.build(f, self.work / f"synth-x{f}") for f in factors}
        samples: dict[int, dict[str, list[Sample]]] = {f: {"samples": [], "next": [], "rerun": []} for f in factors}
        for i in range(self.repeats):
            for factor, copy in built.items():
                warehouse = self.work / f"synth-x{factor}" / f"run{i}" / "qtwatch.duckdb"
                for key, day in (("samples", D), ("next", D + timedelta(days=1)), ("rerun", D + timedelta(days=1))):
                    samples[factor][key].append(
                        self.qtwatch(warehouse, day, replay=copy.replay_dir, code=copy.code_dir)
                    )
        out = {
            f"x{f}": {"rows_factor": round(copy.factor, 2), "synthetic_series": copy.synthetic_series, **samples[f]}
            for f, copy in built.items()
        }
        for factor in factors:
            shutil.rmtree(self.work / f"synth-x{factor}", ignore_errors=True)
        return out


def median(samples: list[Sample], attr: str = "seconds") -> float:
    return statistics.median(getattr(s, attr) for s in samples)


def stage_medians(samples: list[Sample]) -> dict[str, float]:
    """Median seconds per stage, plus the engine marks (imports before the flow call, Prefect start and stop)."""

    def one(sample: Sample) -> dict[str, float]:
        marks, stages = sample.probe.get("marks", {}), sample.probe.get("stages", {})
        body = marks.get("body_end", 0) - marks.get("body_start", 0)
        named = {s: stages.get(s, 0.0) for s in STAGES}
        return {
            "python + imports (before the flow starts)": marks.get("flow_called", 0),
            "Prefect engine start (server, flow run)": marks.get("body_start", 0) - marks.get("flow_called", 0),
            **named,
            "flow body, other": body - sum(named.values()),
            "Prefect finish (after the body, before the call returns)": marks.get("flow_returned", 0)
            - marks.get("body_end", 0),
            "CLI summary + exit (temporary server stop)": sample.seconds - marks.get("flow_returned", 0),
        }

    rows = [one(s) for s in samples]
    return {k: round(statistics.median(r[k] for r in rows), 3) for k in rows[0]}


def import_times(samples: list[Sample]) -> dict[str, list[float]]:
    """Median [start offset, seconds] of each watched import."""
    names = samples[0].probe.get("imports", {})
    return {
        n: [
            round(statistics.median(s.probe["imports"][n][i] for s in samples if n in s.probe.get("imports", {})), 3)
            for i in (0, 1)
        ]
        for n in names
    }


def rows_of_full_run(warehouse: Path) -> int:
    """Rows fetched from the sources by the warehouse's first run (meta.loads)."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        return (
            con.execute(
                "SELECT sum(rows_fetched) FROM meta.loads WHERE source <> 'marts' AND run_id = "
                "(SELECT run_id FROM meta.runs ORDER BY started_at LIMIT 1)"
            ).fetchall()[0][0]
            or 0
        )


def query_latency(warehouse: Path, repeats: int = 20) -> dict[str, dict[str, float]]:
    """p50/p95 milliseconds of every warehouse/queries/*.sql (default parameters) on the published warehouse."""
    import duckdb

    from qtwatch.analyst import QUERIES_DIR, run_query

    out = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for path in sorted(QUERIES_DIR.glob("*.sql")):
            sql, times = path.read_text(), []
            for _ in range(repeats):
                start = time.perf_counter()
                run_query(con, sql)
                times.append((time.perf_counter() - start) * 1e3)
            times.sort()
            out[path.stem] = {
                "p50_ms": round(statistics.median(times), 2),
                "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 2),
            }
    return out


def summarise(
    mode: str, trivial: list[Sample], runs: dict[str, list[Sample]], floor_s: float, floor_cpu: float, rows: int
) -> dict:
    """Medians, stage shares and the issue's ratios for one mode."""
    t, full, rerun, incr = (median(trivial), median(runs["full"]), median(runs["rerun"]), median(runs["incremental"]))
    cpu = {k: median(v, "cpu_s") for k, v in {"trivial": trivial, **runs}.items()}
    return {
        "mode": mode,
        "seconds": {
            "trivial": round(t, 3),
            "full": round(full, 3),
            "rerun": round(rerun, 3),
            "incremental": round(incr, 3),
        },
        "cpu_seconds": {k: round(v, 3) for k, v in cpu.items()},
        "cpu_ratios": {
            "(full - trivial) / floor": round((cpu["full"] - cpu["trivial"]) / floor_cpu, 2),
            "(rerun - trivial) / floor": round((cpu["rerun"] - cpu["trivial"]) / floor_cpu, 2),
            "(incremental - trivial) / (backfill - trivial)": round(
                (cpu["incremental"] - cpu["trivial"]) / (cpu["full"] - cpu["trivial"]), 3
            ),
        },
        "peak_rss_mb": {k: round(median(v, "peak_mb")) for k, v in runs.items()},
        "tree_peak_rss_mb": {k: round(median(v, "tree_peak_mb")) for k, v in runs.items()},
        "trivial_peak_rss_mb": round(median(trivial, "peak_mb")),
        "ratios": {
            "(full - trivial) / floor": round((full - t) / floor_s, 2),
            "(rerun - trivial) / floor": round((rerun - t) / floor_s, 2),
            "(incremental - trivial) / (backfill - trivial)": round((incr - t) / (full - t), 3),
        },
        "rows_per_s_beyond_trivial": round(rows / max(full - t, 1e-9)),
        "stages": {k: stage_medians(v) for k, v in runs.items()},
        "imports_full": import_times(runs["full"]),
        "all_seconds": {k: [round(s.seconds, 3) for s in v] for k, v in {"trivial": trivial, **runs}.items()},
    }


def versions() -> dict[str, str]:
    names = ("prefect", "great-expectations", "duckdb", "polars", "pyarrow", "pandas", "plotly")
    return {"python": platform.python_version(), **{n: metadata.version(n) for n in names}}


def machine() -> dict:
    load = os.getloadavg()
    mem = next(
        (line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), "0"
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(int(mem) / 2**20, 1),
        "load_average_at_start": [round(x, 2) for x in load],
        "platform": platform.platform(),
    }


def start_server(work: Path, env: dict[str, str]) -> tuple[subprocess.Popen, str, float]:
    """`prefect server start` on a free port with its own PREFECT_HOME; (process, API URL, seconds to healthy)."""
    from flows.deployments import start_server as start
    from flows.deployments import wait_healthy

    port = free_port()
    home = work / "prefect-server-home"
    home.mkdir(parents=True, exist_ok=True)
    process = start("127.0.0.1", port, work / "prefect-server.log", env={**env, "PREFECT_HOME": str(home)})
    api = f"http://127.0.0.1:{port}/api"
    return process, api, wait_healthy(api, timeout_s=180, process=process)


def measure(repeats: int, scales: tuple[int, ...], out: Path) -> dict:
    """Every scenario in both modes; returns the JSON result (also written to `out` after each part, marked
    partial, so an interrupted bench still leaves what it measured)."""
    from flows.deployments import stop_process

    started = time.perf_counter()
    result: dict = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": versions(),
        "repeats": repeats,
        "as_of": {"backfill": D.isoformat(), "incremental": (D + timedelta(1)).isoformat()},
        "command": "make bench  (.venv/bin/python -m benchmarks.bench)",
    }
    with tempfile.TemporaryDirectory(prefix="qtwatch-bench-") as tmp:
        work = Path(tmp)
        base = {**os.environ, **QUIET_ENV}
        base.pop("PREFECT_API_URL", None)
        for key in [k for k in base if k.startswith("QTWATCH_")]:
            base.pop(key)
        floors = [
            run_process([PYTHON, "-m", "benchmarks.floor", str(work / f"floor{i}.duckdb")], base)
            for i in range(repeats)
        ]
        floor_s, floor_cpu = median(floors), median(floors, "cpu_s")
        result["floor"] = {
            "seconds": round(floor_s, 3),
            "cpu_seconds": round(floor_cpu, 3),
            "peak_rss_mb": round(median(floors, "peak_mb")),
            "all_seconds": [round(s.seconds, 3) for s in floors],
        }
        temporary_env = {**base, "PREFECT_HOME": str(work / "prefect-home")}
        run_process([PYTHON, "-m", "benchmarks.trivial_flow"], temporary_env)  # creates the database: not timed
        temporary = Bench(work, "temporary", temporary_env, repeats)
        trivial, runs = temporary.trivial(), temporary.runs()
        rows = rows_of_full_run(work / "temporary-run0" / "qtwatch.duckdb")
        result["rows_full_run"] = rows
        result["floor"]["rows_per_s"] = round(rows / floor_s)
        result["temporary_server"] = summarise("temporary server", trivial, runs, floor_s, floor_cpu, rows)
        result["query_latency_ms"] = query_latency(work / "temporary-run0" / "qtwatch.duckdb")
        _dump(out, {**result, "partial": "temporary server only"})
        process, api, ready_s = start_server(work, base)
        try:
            running_env = {**base, "PREFECT_HOME": str(work / "prefect-client-home"), "PREFECT_API_URL": api}
            running = Bench(work, "server", running_env, repeats)
            trivial, runs = running.trivial(), running.runs()
            result["running_server"] = {
                **summarise("running server", trivial, runs, floor_s, floor_cpu, rows),
                "server_start_s": round(ready_s, 2),
            }
            if scales:
                _dump(out, {**result, "partial": "no scaling rows yet"})
                result["scaling"] = scaling_rows(running, median(trivial), rows, scales)
        finally:
            stop_process(process)
    result["bench_seconds"] = round(time.perf_counter() - started, 1)
    return result


def scaling_rows(bench: Bench, trivial_s: float, rows: int, scales: tuple[int, ...]) -> dict:
    """x1 / x4 / x16 / x64: the full run's seconds beyond the trivial flow, per million rows, and peak RSS; the next
    day's and the re-run's wall, CPU and peak RSS, and the next day's against x1's (running server, x1 measured in
    the same loop as the others)."""
    out = bench.scaling(scales)
    table = {}
    for name, entry in out.items():
        seconds = median(entry["samples"])
        total_rows = round(rows * entry["rows_factor"])
        table[name] = {
            "rows_factor": entry["rows_factor"],
            "synthetic_series": entry["synthetic_series"],
            "rows": total_rows,
            "seconds": round(seconds, 3),
            "beyond_trivial_s": round(seconds - trivial_s, 3),
            "s_per_million_rows_beyond_trivial": round((seconds - trivial_s) / total_rows * 1e6, 2),
            "peak_rss_mb": round(median(entry["samples"], "peak_mb")),
            "stages": stage_medians(entry["samples"]),
            **{f"{k}_{attr}": round(median(entry[k], attr), 2) for k in ("next", "rerun") for attr in _DAILY},
            "next_share_of_backfill_beyond_trivial": round(
                (median(entry["next"]) - trivial_s) / max(seconds - trivial_s, 1e-9), 3
            ),
            "next_stages": stage_medians(entry["next"]),
            "next_over_backfill": round(median(entry["next"]) / seconds, 3),
            "backfill_peak_mb_per_million_rows": round(median(entry["samples"], "peak_mb") / total_rows * 1e6),
            # the backfill's rows through each stage per second of it: the cost of the rows a source or mart adds
            "backfill_rows_per_s": {
                stage: round(total_rows / s) for stage, s in stage_medians(entry["samples"]).items() if s > 0.05
            },
        }
    for entry in table.values():  # the daily run against x1's, in this one bench run
        for attr in _DAILY:
            entry[f"next_{attr}_vs_x1"] = round(entry[f"next_{attr}"] / table["x1"][f"next_{attr}"], 2)
        added = entry["synthetic_series"]  # what one more FRED series adds to the next day (ms of wall)
        entry["next_ms_per_added_series"] = (
            round((entry["next_seconds"] - table["x1"]["next_seconds"]) / added * 1000, 2) if added else None
        )
    return table


# Issue 27's "done when", each as (label, scale, value key, limit): checked on one bench run's medians.
TARGETS = (
    ("next day wall / x1", "x16", "next_seconds_vs_x1", 1.15),
    ("next day peak RSS / x1", "x16", "next_peak_mb_vs_x1", 1.15),
    ("next day wall / x1", "x64", "next_seconds_vs_x1", 1.3),
    ("next day peak RSS / x1", "x64", "next_peak_mb_vs_x1", 1.3),
    ("backfill peak RSS (MB)", "x16", "peak_rss_mb", 1024),
    ("backfill peak RSS (MB)", "x64", "peak_rss_mb", 2048),
    ("(next - trivial) / (backfill - trivial)", "x16", "next_share_of_backfill_beyond_trivial", 0.1),
)


def targets(scaling: dict) -> list[str]:
    """One line per target of issue 27 the run reached a scale for: the value, the limit, met or not."""
    lines = []
    for label, scale, key, limit in TARGETS:
        if scale in scaling:
            value = scaling[scale][key]
            lines.append(
                f"- {scale} {label}: {value:g} (target <= {limit:g}): {'met' if value <= limit else 'NOT met'}"
            )
    return lines


_DAILY = ("seconds", "cpu_s", "peak_mb")  # Sample fields reported for the next day and the re-run


def render(result: dict) -> str:
    """The table `make bench` prints (and docs/benchmarks.md quotes); also renders a partial result."""
    modes = [result[k] for k in ("temporary_server", "running_server") if k in result]
    head = "| scenario | " + " | ".join(m["mode"] for m in modes) + " |"
    lines = [
        f"qtwatch benchmark {result['date']} - median of {result['repeats']} runs, "
        f"{result['machine']['cpus']} CPUs, load {result['machine']['load_average_at_start']}; "
        "wall seconds (CPU seconds of the process and its temporary server in brackets)",
        "",
        head,
        "|---" * (len(modes) + 1) + "|",
    ]

    def row(label: str, values: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(values) + " |")

    row(
        f"floor: polars -> DuckDB, same files ({result['rows_full_run']:,} rows)",
        [f"{result['floor']['seconds']:.2f} s ({result['floor']['cpu_seconds']:.2f} s)"] * len(modes),
    )
    for key, label in (
        ("trivial", "trivial one-task flow"),
        ("full", f"full run, new warehouse (as-of {D})"),
        ("rerun", "re-run, nothing new"),
        ("incremental", "daily incremental (as-of D+1)"),
    ):
        row(label, [f"{m['seconds'][key]:.2f} s ({m['cpu_seconds'][key]:.2f} s)" for m in modes])
    for key in modes[0]["ratios"]:
        row(key, [f"{m['ratios'][key]:.2f} ({m['cpu_ratios'][key]:.2f})" for m in modes])
    row(
        "peak RSS full run, qtwatch process (tree incl. server)",
        [f"{m['peak_rss_mb']['full']} MB ({m['tree_peak_rss_mb']['full']} MB)" for m in modes],
    )
    row(
        "rows/s beyond the trivial flow (floor: rows/s of the floor)",
        [f"{m['rows_per_s_beyond_trivial']:,} ({result['floor']['rows_per_s']:,})" for m in modes],
    )
    lines += [
        "",
        "Stages of the full run / re-run / incremental (seconds, median):",
        "",
        "| stage | " + " | ".join(f"{m['mode']}: full / rerun / incr" for m in modes) + " |",
        "|---" * (len(modes) + 1) + "|",
    ]
    for stage in modes[0]["stages"]["full"]:
        row(
            stage, [" / ".join(f"{m['stages'][k][stage]:.2f}" for k in ("full", "rerun", "incremental")) for m in modes]
        )
    if "scaling" in result:
        lines += [
            "",
            "Scaling (running server, full run, SYNTHETIC FRED copies):",
            "",
            "| data | rows | seconds | beyond trivial | s per 1M rows beyond trivial | peak RSS | validate | "
            "land | core |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for name, entry in result["scaling"].items():
            stages = entry["stages"]
            lines.append(
                f"| {name} ({entry['synthetic_series']} synthetic series) | {entry['rows']:,} | "
                f"{entry['seconds']:.2f} | {entry['beyond_trivial_s']:.2f} | "
                f"{entry['s_per_million_rows_beyond_trivial']:.1f} | {entry['peak_rss_mb']} MB | "
                f"{stages['validate']:.2f} | {stages['land']:.2f} | {stages['core']:.2f} |"
            )
        lines += [
            "",
            "The next day (as-of D+1) and a re-run of it on the same data (issue 27: a daily run should not grow with "
            "the history held):",
            "",
            "| data | next day: s (CPU s) | peak RSS | wall / x1 | CPU / x1 | RSS / x1 | next / backfill | "
            "(next - trivial) / (full - trivial) | ms per added series | re-run: s | peak RSS | marts | core |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for name, entry in result["scaling"].items():
            per_series = entry.get("next_ms_per_added_series")
            lines.append(
                f"| {name} | {entry['next_seconds']:.2f} ({entry['next_cpu_s']:.2f}) | "
                f"{entry['next_peak_mb']:.0f} MB | "
                f"{entry['next_seconds_vs_x1']:.2f} | {entry['next_cpu_s_vs_x1']:.2f} | "
                f"{entry['next_peak_mb_vs_x1']:.2f} | {entry['next_over_backfill']:.3f} | "
                f"{entry['next_share_of_backfill_beyond_trivial']:.3f} | "
                f"{'-' if per_series is None else f'{per_series:.1f}'} | {entry['rerun_seconds']:.2f} | "
                f"{entry['rerun_peak_mb']:.0f} MB | {entry['next_stages']['marts']:.2f} | "
                f"{entry['next_stages']['core']:.2f} |"
            )
        lines += _per_stage_lines(result["scaling"])
        lines += ["", "Issue 27's targets in this run:", "", *targets(result["scaling"])]
    lines += [
        "",
        "Example queries on the published warehouse (ms, 20 runs each):",
        "",
        "| query | p50 | p95 |",
        "|---|---|---|",
    ]
    lines += [f"| {q} | {v['p50_ms']:.1f} | {v['p95_ms']:.1f} |" for q, v in result["query_latency_ms"].items()]
    if "bench_seconds" in result:
        lines += ["", f"bench took {result['bench_seconds']:.0f} s"]
    if "partial" in result:
        lines += ["", f"PARTIAL result ({result['partial']}): the bench was stopped before it finished"]
    return "\n".join(lines)


def _per_stage_lines(scaling: dict) -> list[str]:
    """The backfill's peak RSS per million rows and its rows per second through each stage, per scale."""
    stages = [s for s in STAGES if any(s in e["backfill_rows_per_s"] for e in scaling.values())]
    lines = [
        "",
        "The backfill per scale: peak RSS per million rows, and rows per second through each stage (rows of the whole "
        "snapshot / the stage's seconds: what the rows of an added source or mart cost):",
        "",
        "| data | MB per 1M rows | " + " | ".join(stages) + " |",
        "|---" * (len(stages) + 2) + "|",
    ]
    for name, entry in scaling.items():
        rates = entry["backfill_rows_per_s"]
        cells = [f"{rates[s]:,}" if s in rates else "-" for s in stages]
        lines.append(f"| {name} | {entry['backfill_peak_mb_per_million_rows']:,} | " + " | ".join(cells) + " |")
    return lines


def _dump(out: Path, result: dict) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, default=_jsonable) + "\n")


def _jsonable(value):
    if isinstance(value, Sample):
        return {"seconds": round(value.seconds, 3), "cpu_s": round(value.cpu_s, 3), "peak_mb": round(value.peak_mb)}
    raise TypeError(type(value).__name__)


def main() -> None:
    """Measure, print the table, write the JSON result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "latest.json")
    parser.add_argument("--scales", default="4,16,64", help="synthetic data factors to run ('' = none)")
    parser.add_argument("--no-scaling", action="store_true", help="skip the x4 / x16 / x64 synthetic runs")
    args = parser.parse_args()
    scales = () if args.no_scaling else tuple(int(f) for f in args.scales.split(",") if f.strip())
    result = measure(args.repeats, scales, args.out)
    table = render(result)
    _dump(args.out, {**result, "table": table})
    print(table)
    print(f"\nJSON: {args.out}")


if __name__ == "__main__":
    main()
