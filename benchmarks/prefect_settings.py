"""Which Prefect temporary-server settings change the cost of a one-task flow: median seconds per variant.

Run: .venv/bin/python -m benchmarks.prefect_settings [--repeats 3]
Each variant runs benchmarks/trivial_flow.py as a fresh process on the temporary server, with a PREFECT_HOME whose
database is already migrated (a warm-up run creates it), so the figures are what every scheduled run pays.
"""

# A command-line report, not library code: printing is its output.
# ruff: noqa: T201

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks.bench import QUIET_ENV, run_process

# Services the temporary server starts for a run that only a long-lived server needs (the task-run recorder is
# kept: without it task runs are not recorded).
SERVICES_OFF = {
    "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_EVENT_LOGGER_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED": "events",
    "PREFECT_SERVER_SERVICES_FOREMAN_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_PAUSE_EXPIRATIONS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_CANCELLATION_CLEANUP_ENABLED": "false",
}
# Only safe when the database is already at the current migration (a new PREFECT_HOME still needs them).
NO_MIGRATION = {"PREFECT_SERVER_DATABASE_MIGRATE_ON_START": "false", "PREFECT_API_BLOCKS_REGISTER_ON_START": "false"}
UI_OFF = {"PREFECT_SERVER_UI_ENABLED": "false"}

VARIANTS: dict[str, dict[str, str]] = {
    "baseline (analytics off)": {},
    "+ unneeded services off": SERVICES_OFF,
    "+ UI off": {**SERVICES_OFF, **UI_OFF},
    "+ no migration / block registration check": {**SERVICES_OFF, **UI_OFF, **NO_MIGRATION},
    "+ event persister off (events not stored)": {
        **SERVICES_OFF,
        **UI_OFF,
        **NO_MIGRATION,
        "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED": "false",
    },
}


def main() -> None:
    """Print one line per variant: median seconds and the change against the baseline."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qtwatch-prefect-settings-") as tmp:
        base = {**os.environ, **QUIET_ENV, "PREFECT_HOME": str(Path(tmp) / "home")}
        base.pop("PREFECT_API_URL", None)
        run_process([sys.executable, "-m", "benchmarks.trivial_flow"], base)  # migrates the new database
        baseline = None
        for name, extra in VARIANTS.items():
            samples = [
                run_process([sys.executable, "-m", "benchmarks.trivial_flow"], {**base, **extra})
                for _ in range(args.repeats)
            ]
            wall = statistics.median(s.seconds for s in samples)
            cpu = statistics.median(s.cpu_s for s in samples)
            baseline = (wall, cpu) if baseline is None else baseline
            print(
                f"{name:<46} wall {wall:6.2f} s ({wall - baseline[0]:+.2f})  CPU {cpu:6.2f} s "
                f"({cpu - baseline[1]:+.2f})  walls {[round(s.seconds, 2) for s in samples]}"
            )


if __name__ == "__main__":
    main()
