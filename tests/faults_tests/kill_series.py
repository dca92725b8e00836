"""The kill -9 series: `qtwatch run` SIGKILLed at every named fault point of a load, each kill followed by a normal
run. Usage: python -m tests.faults_tests.kill_series WAREHOUSE LOG_DIR OUT_JSON (PREFECT_API_URL set by the caller).

Speed: Python, Prefect and great-expectations take ~7 s of CPU to import, far more than a replay load. This driver
imports them once and forks one child per run (no threads or connections exist yet in the driver, so the fork is
clean); each child is a real process running the real `qtwatch run` (`qtwatch.cli.app`) and dies by a real SIGKILL
at its point. The driver never opens the warehouse itself: a forked child inspects it after every run.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tests.faults_tests.harness import MARKER, inspect, leftovers, orphans_after, sha256
from transforms.registry import SOURCES as REGISTRY

DB = ["lock-acquired", "stale-removed", "copy-partial", "copied", "schema-applied"]
# each kill/next pair loads one more day of the replayed world (days, not weeks: sources a pair does not load must
# not fall so far behind that a mart's gap rule quarantines it, which would be a data finding, not a crash one)
FIRST_AS_OF = date(2025, 7, 1)
MANIFEST = Path(__file__).resolve().parents[2] / "replay" / "manifest.json"


def recorded_on(day: date) -> list[str]:
    """The registered sources whose replay snapshot has a file spanning `day` (replay/manifest.json): only they have
    news to land around it (the CFTC's recorded 2025 file ends with the report of 2025-04-29)."""
    spans = [
        (e["source"], date.fromisoformat(e["first_date"]), date.fromisoformat(e["last_date"]))
        for e in json.loads(MANIFEST.read_text())
    ]
    spanning = [s for s in REGISTRY if any(name == s and first <= day <= last for name, first, last in spans)]
    return [s for s in spanning if _serves_rows_near(s, day)]


def _serves_rows_near(source: str, day: date) -> bool:
    """Does the replay serve the source rows in the fortnight before `day`? A file can span a hole (the primary
    dealers' excerpt jumps from 2025-04 to 2026-03); a source fetched group by group from its catalog (FRED) is
    judged by the span."""
    # built here, not with the tests' conftest helpers: importing tests/conftest.py would point QTWATCH_WAREHOUSE and
    # PREFECT_HOME at a pytest sandbox, and every forked run would then load the wrong warehouse
    from flows.http import make_session
    from flows.replay import ReplayAdapter, resolve
    from flows.settings import url_fields
    from flows.sources import FetchRequest, Window
    from transforms.registry import HttpPolicy

    if REGISTRY[source].groups_table is not None:  # fetched group by group from its catalog (FRED)
        return True
    spec, end = REGISTRY[source], day + timedelta(days=3)
    policy = HttpPolicy(
        "kill-series",
        "http://replay.invalid/",
        "replay_url",
        min_interval_s=0.0,
        retries=0,
        backoff_factor=0.0,
        timeout_s=5.0,
    )
    session = make_session(policy, "qtwatch-kill-series", adapter=ReplayAdapter(MANIFEST.parent, end))
    urls = url_fields()
    try:
        window = {"*": Window(day - timedelta(days=14), end)}
        request = FetchRequest(spec, window, urls[spec.http.base_url_setting], end, urls=urls)
        return not resolve(REGISTRY[source].fetch)(session, request).frame.is_empty()
    except Exception:  # noqa: BLE001 - a grouped source needs its catalog: judged by the manifest's span alone
        return True


PUBLISH = ["run-recorded", "before-checkpoint", "checkpointed", "closed", "replaced", "published", "done"]


def points() -> dict[str, list[str]]:
    """Point -> the sources a run killed there loads (the smallest that reaches the point): a kill point in the
    landing of every registered source with news to land, 22+ of the points in the code (the four middle marts and
    three extract points add nothing the others do not show, and cost a minute). Reads the replay with polars: the
    driver calls it in a forked child, never itself (a polars thread pool does not survive a fork)."""
    sources = recorded_on(FIRST_AS_OF)
    return {
        **{p: ["nyfed_rates"] for p in DB},
        "extract-fred": ["fred"],
        "extract-dts": ["dts"],
        **{f"land-{s}": [s] for s in sources},
        # a source with nothing to land in the replayed days is killed in its extract instead (it runs, fetches, parses)
        **{f"extract-{s}": [s] for s in REGISTRY if s not in sources},
        # a mart is rebuilt only when one of its sources landed rows: kill there with a source that feeds it
        "core-rebuilt": ["nyfed_rates"],
        "mart-qt_runoff_monthly": ["fred"],
        "mart-tga_daily": ["dts"],
        **{p: ["nyfed_rates"] for p in PUBLISH},
    }


def main(warehouse: Path, logs: Path, out: Path) -> None:
    """Kill at each point, then run normally; record what every step left behind."""
    import great_expectations  # noqa: F401 - imported once here so every child starts warm

    import expectations.runner  # noqa: F401
    import flows.pipeline  # noqa: F401
    import qtwatch.cli  # noqa: F401

    logs.mkdir(parents=True, exist_ok=True)
    results = {}
    for i, (point, sources) in enumerate(_in_child(points).items()):
        as_of = (FIRST_AS_OF + timedelta(days=i)).isoformat()
        args = ["run", "--replay", "--as-of", as_of, *[a for s in sources for a in ("--source", s)]]
        results[point] = _case(point, args, warehouse, logs)
        out.write_text(json.dumps(results, indent=1))


def _case(point: str, args: list[str], warehouse: Path, logs: Path) -> dict:
    before_sha, before = sha256(warehouse), _inspect(warehouse)
    clock = time.monotonic()
    killed = _run(args, logs / f"{point}.kill.log", fault=point)
    after_sha, after = sha256(warehouse), _inspect(warehouse)
    whole = after.get("ok") and not after["unrecorded_rows"] and not after["core_mismatch"]
    published = (
        "unchanged"
        if after_sha == before_sha
        else ("new" if whole and after["run_id"] != before["run_id"] else "broken")
    )
    stale = leftovers(warehouse)
    next_log = logs / f"{point}.next.log"
    nxt = _run(args, next_log)
    final = _inspect(warehouse)
    return {
        "args": args,
        "kill_exit": killed["exit"],
        "kill_orphans": killed["orphans"],
        "published": published,
        "after_kill": after,
        "stale_after_kill": stale,
        "rows_lost": sum(max(0, before["rows"][k] - after.get("rows", {}).get(k, 0)) for k in before["rows"]),
        "next_exit": nxt["exit"],
        "next_orphans": nxt["orphans"],
        "after_next": final,
        "leftovers_after_next": leftovers(warehouse),
        "rows_lost_next": sum(max(0, before["rows"][k] - final.get("rows", {}).get(k, 0)) for k in before["rows"]),
        "seconds": round(time.monotonic() - clock, 1),
        "next_log_tail": next_log.read_text(errors="replace")[-2000:] if nxt["exit"] else "",
    }


def _run(args: list[str], log: Path, fault: str | None = None) -> dict:
    """One `qtwatch ARGS` in a forked child (SIGKILLed at `fault`); its exit code and the processes it left."""
    marker = f"{os.getpid()}-{log.stem}"
    pid = os.fork()
    if pid == 0:  # the child: a qtwatch process like any other from here on
        code = 70
        try:
            fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(fd, 1)
            os.dup2(fd, 2)
            os.environ[MARKER] = marker
            if fault:
                os.environ["QTWATCH_FAULT_AT"] = fault
            from qtwatch.cli import app

            try:
                app(args, prog_name="qtwatch")
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return {"exit": os.waitstatus_to_exitcode(status), "orphans": len(orphans_after(marker))}


def _inspect(warehouse: Path) -> dict:
    """inspect() in a forked child, so that the driver never loads DuckDB (its threads would not survive a fork)."""
    return _in_child(inspect, warehouse, failed={"ok": False, "error": "inspector died"})


def _in_child(fn: Callable[..., Any], *args: Any, failed: Any = None) -> Any:
    """fn(*args) in a forked child, its JSON result piped back: the driver itself starts no DuckDB or polars
    threads, so every later fork is clean. `failed` if the child dies without an answer."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            data = json.dumps(fn(*args)).encode()
            while data:
                data = data[os.write(write, data) :]
        finally:
            os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 1 << 16):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    return json.loads(b"".join(chunks)) if chunks else failed


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
