"""Fixtures for the report tests: a demo warehouse (built once per session, or reused) and a figure-JSON extractor."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse built by `qtwatch run --replay` in a temp dir (temp PREFECT_HOME), or the file
    QTWATCH_TEST_WAREHOUSE points to (saves the ~20-40 s build)."""
    reuse = os.environ.get("QTWATCH_TEST_WAREHOUSE")
    if reuse:
        if not Path(reuse).exists():
            pytest.fail(f"QTWATCH_TEST_WAREHOUSE={reuse} does not exist")
        return Path(reuse)
    tmp = tmp_path_factory.mktemp("report_warehouse")
    warehouse = tmp / "qtwatch.duckdb"
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "QTWATCH_WAREHOUSE": str(warehouse),
        "QTWATCH_REPLAY_DIR": str(ROOT / "replay"),
        "QTWATCH_GX_DOCS_DIR": str(tmp / "gx_docs"),
        "GX_ANALYTICS_ENABLED": "false",
    }
    env.pop("PREFECT_API_URL", None)  # never talk to a server someone else started
    done = subprocess.run(
        [sys.executable, "-m", "qtwatch.cli", "run", "--replay"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0 or not warehouse.exists():
        pytest.fail(f"demo warehouse build failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return warehouse


def plotly_figures(page: str) -> list[dict]:
    """Every `Plotly.newPlot(id, data, layout, ...)` call in an HTML page, as {"id", "data", "layout"} dicts."""
    decoder = json.JSONDecoder()
    figures = []
    for match in re.finditer(r"Plotly\.newPlot\(\s*", page):
        pos = match.end()
        parts = []
        for _ in range(3):  # div id, traces, layout
            value, pos = decoder.raw_decode(page, pos)
            parts.append(value)
            pos = re.compile(r"\s*,\s*").match(page, pos).end()
        figures.append({"id": parts[0], "data": parts[1], "layout": parts[2]})
    return figures


@pytest.fixture(scope="session")
def extract_figures():
    """The `plotly_figures(page)` parser, for tests (conftest modules are not importable under importlib mode)."""
    return plotly_figures


@pytest.fixture(scope="session")
def demo_report(demo_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The report built from the demo warehouse: {"path", "seconds", "html", "figures"} (figures in page order)."""
    import time

    from qtwatch.report import build_report

    started = time.perf_counter()
    path = build_report(demo_warehouse, tmp_path_factory.mktemp("report") / "report.html")
    seconds = time.perf_counter() - started
    page = path.read_text(encoding="utf-8")
    return {"path": path, "seconds": seconds, "html": page, "figures": plotly_figures(page)}
