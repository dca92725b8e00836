"""Fixtures for the analyst tests: one demo warehouse per session, built by the real flow in replay mode (in its
own process, see build_demo.py), with reader processes querying it while its second, full load runs."""

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

BUILDER = Path(__file__).with_name("build_demo.py")
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Demo:
    """The demo warehouse and what the reader processes saw while its second, full-refresh load ran."""

    path: Path
    first: dict  # final state of run 1: {"type": "COMPLETED", "message": ...}
    second: dict
    readers: list[dict]
    load_started: float
    load_finished: float


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> Demo:
    """Build the demo warehouse once per session (about 25 s)."""
    work = tmp_path_factory.mktemp("demo")
    env = {
        **os.environ,
        "PREFECT_HOME": tempfile.mkdtemp(prefix="qtwatch-analyst-prefect-"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PYTHONPATH": str(ROOT),
    }
    built = subprocess.run(
        [sys.executable, str(BUILDER), str(work)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = work / "report.json"
    if built.returncode != 0 or not report.exists():
        pytest.fail(f"building the demo warehouse failed ({built.returncode}):\n{built.stderr[-3000:]}")
    data = json.loads(report.read_text())
    return Demo(
        work / "qtwatch.duckdb",
        data["first"],
        data["second"],
        data["readers"],
        data["load_started"],
        data["load_finished"],
    )


@pytest.fixture(scope="session")
def demo_path(demo) -> Path:
    """Path of the session's demo warehouse (read it, never write it)."""
    return demo.path
