"""Run the real `qtwatch` CLI with stage timers patched in; write where the wall time went as JSON.

Run: QTWATCH_BENCH_PROBE=out.json python -m benchmarks.probe run --replay --as-of 2026-06-22
The timers wrap library functions when their module is first imported (an import hook), so the probe imports
nothing the CLI would not import itself, and it adds microseconds per call. Stages are wall-clock intervals; a stage
that runs in several threads at once (fetch) counts the union of its intervals, not their sum.
"""

from __future__ import annotations

import atexit
import functools
import importlib.abc
import importlib.util
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager

EPOCH_ENV = "QTWATCH_BENCH_T0"  # the harness's time.time() just before it spawned this process
OUT_ENV = "QTWATCH_BENCH_PROBE"

_lock = threading.Lock()
_intervals: dict[str, list[tuple[float, float]]] = {}
_marks: dict[str, float] = {}
_active: dict[str, int] = {}  # stage -> calls running now
_peak: dict = {"kb": 0, "at": 0.0, "stages": []}  # the highest RSS sampled, when, and the stages running then
_imports: dict[str, tuple[float, float]] = {}


def _now() -> float:
    return time.time()


def record(stage: str, start: float, end: float) -> None:
    """Add one [start, end] interval (epoch seconds) to `stage`."""
    with _lock:
        _intervals.setdefault(stage, []).append((start, end))


def _enter(stage: str) -> float:
    with _lock:
        _active[stage] = _active.get(stage, 0) + 1
    return _now()


def _leave(stage: str) -> None:
    with _lock:
        _active[stage] -= 1


def _rss_kb() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError):
        return 0


def _sample_peak(every: float = 0.05) -> None:
    """A daemon thread: RSS every `every` s; keeps the highest and the stages running at that moment."""
    while True:
        kb = _rss_kb()
        with _lock:
            if kb > _peak["kb"]:
                _peak.update(kb=kb, at=_now(), stages=sorted(s for s, n in _active.items() if n > 0))
        time.sleep(every)


def timed(stage: str, fn: Callable) -> Callable:
    """`fn` wrapped so each call adds its interval to `stage`."""
    if getattr(fn, "_bench_stage", None):
        return fn

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        start = _enter(stage)
        try:
            return fn(*args, **kwargs)
        finally:
            _leave(stage)
            record(stage, start, _now())

    wrapper._bench_stage = stage
    return wrapper


def _patch(obj: object, name: str, stage: str) -> None:
    if hasattr(obj, name):
        setattr(obj, name, timed(stage, getattr(obj, name)))


def _staged(original: Callable) -> Callable:
    """db.staged with its entry (copy, schema, seeds) as `open` and its exit (checkpoint, rename) as `publish`."""

    @contextmanager
    def staged(*args, **kwargs):
        start = _enter("open warehouse")
        manager = original(*args, **kwargs)
        con = manager.__enter__()
        _leave("open warehouse")
        record("open warehouse", start, _now())
        try:
            yield con
        except BaseException:
            if not manager.__exit__(*sys.exc_info()):
                raise
        else:
            start = _enter("publish")
            manager.__exit__(None, None, None)
            _leave("publish")
            record("publish", start, _now())

    return staged


def _on_warehouse_load(module) -> None:
    _patch(module, "coverage", "check")
    _patch(module, "land", "land")
    _patch(module, "rebuild_core", "core")
    _patch(module, "replace_table", "marts")


def _on_landing(module) -> None:
    _patch(module, "before_land", "check")


def _on_changes(module) -> None:
    _patch(module, "batch_is_held", "check")


def _on_warehouse_db(module) -> None:
    module.staged = _staged(module.staged)


def _on_runner(module) -> None:
    validator = module.Validator
    _patch(validator, "__init__", "validate")
    _patch(validator, "validate", "validate")
    _patch(validator, "build_data_docs", "data docs")


def _on_marts(module) -> None:
    _patch(module, "read_input", "marts")


def _on_marts_registry(module) -> None:
    _patch(module.Mart, "build", "marts")


def _on_extract(module) -> None:
    _patch(module, "fetch_source", "fetch + parse")
    _patch(module, "fetch", "fetch + parse")


def _on_report(module) -> None:
    _patch(module, "build_report", "report")
    _patch(module, "attach_report_artifact", "report")


def _on_artifacts(module) -> None:
    _patch(module, "publish_artifact", "publish")


def _on_alerts(module) -> None:
    _patch(module, "raise_stress_event", "publish")


def _on_pipeline(module) -> None:
    """Mark when the flow is called, when its body starts (Running) and ends (its final state, before other hooks)."""
    flow = module.qtwatch_pipeline
    flow.on_running_hooks.insert(0, lambda *_: _marks.setdefault("body_start", _now()))
    for hooks in (flow.on_completion_hooks, flow.on_failure_hooks):
        hooks.insert(0, lambda *_: _marks.setdefault("body_end", _now()))
    original_call = type(flow).__call__

    def call(self, *args, **kwargs):
        if self is not flow:
            return original_call(self, *args, **kwargs)
        _marks.setdefault("flow_called", _now())
        try:
            return original_call(self, *args, **kwargs)
        finally:
            _marks.setdefault("flow_returned", _now())

    type(flow).__call__ = call


def _on_publishing(module) -> None:
    for task_name, stage in (("publish", "publish"), ("rebuild_core", "core")):
        task = getattr(module, task_name, None)
        if task is not None and hasattr(task, "fn"):
            task.fn = timed(stage, task.fn)


HOOKS: dict[str, Callable] = {
    "warehouse.load": _on_warehouse_load,
    "warehouse.db": _on_warehouse_db,
    "warehouse.changes": _on_changes,
    "flows.landing": _on_landing,
    "expectations.runner": _on_runner,
    "flows.marts": _on_marts,
    "transforms.marts_registry": _on_marts_registry,
    "flows.publishing": _on_publishing,
    "flows.extract": _on_extract,
    "qtwatch.report": _on_report,
    "flows.report_artifact": _on_report,
    "flows.artifacts": _on_artifacts,
    "flows.alerts": _on_alerts,
    "flows.pipeline": _on_pipeline,
}
# Heavy third-party imports: when each one ran (inclusive of what it imports), to see if it is on the critical path.
WATCHED_IMPORTS = (
    "prefect",
    "great_expectations",
    "plotly.graph_objects",
    "polars",
    "duckdb",
    "pandas",
    "flows.pipeline",
    "qtwatch.cli",
)


class _Finder(importlib.abc.MetaPathFinder):
    """Wrap the loader of hooked and watched modules: time their execution, then patch them."""

    def find_spec(self, name, path, target=None):
        if name not in HOOKS and name not in WATCHED_IMPORTS:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        exec_module = loader.exec_module

        def exec_and_patch(module):
            start = _now()
            exec_module(module)
            _imports.setdefault(name, (start, _now()))
            if name in HOOKS:
                HOOKS[name](module)

        loader.exec_module = exec_and_patch
        return spec


def _union(intervals: list[tuple[float, float]]) -> float:
    total, end = 0.0, float("-inf")
    for start, stop in sorted(intervals):
        if stop <= end:
            continue
        total += stop - max(start, end)
        end = stop
    return total


def summary(exit_at: float) -> dict:
    """Stage seconds, flow-engine marks and import times relative to the process start."""
    t0 = float(os.environ.get(EPOCH_ENV, _marks["script_start"]))
    return {
        "stages": {stage: round(_union(spans), 4) for stage, spans in _intervals.items()},
        "calls": {stage: len(spans) for stage, spans in _intervals.items()},
        # the highest RSS sampled (every 50 ms), when, and the stages running then ([] = between the timed stages)
        "peak": {"rss_mb": round(_peak["kb"] / 1024, 1), "at": round(_peak["at"] - t0, 2), "stages": _peak["stages"]},
        # first start and last end of each stage, relative to the process start
        "spans": {
            stage: [round(min(s for s, _ in spans) - t0, 4), round(max(e for _, e in spans) - t0, 4)]
            for stage, spans in _intervals.items()
        },
        "marks": {name: round(at - t0, 4) for name, at in {**_marks, "exit": exit_at}.items()},
        "imports": {name: [round(start - t0, 4), round(stop - start, 4)] for name, (start, stop) in _imports.items()},
    }


def _write() -> None:
    out = os.environ.get(OUT_ENV)
    if out:
        with open(out, "w") as handle:
            json.dump(summary(_now()), handle, indent=1)


def main(argv: list[str]) -> None:
    """Install the hooks and run `qtwatch <argv>` exactly as the console script would."""
    _marks["script_start"] = _now()
    sys.meta_path.insert(0, _Finder())
    atexit.register(_write)
    threading.Thread(target=_sample_peak, name="bench-peak-rss", daemon=True).start()
    from qtwatch.cli import main as qtwatch_main

    qtwatch_main(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
