"""Team-mode fixtures: one throw-away PostgreSQL cluster per session, a new lake (database + data folder) per test or
module, and "hosts": separate process trees, each with its own Prefect home and working copy, running the real
`qtwatch` CLI against one lake (and, where a test starts one, one Prefect server on PostgreSQL)."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.team_tests.postgres import Cluster

ROOT = Path(__file__).resolve().parents[2]
QTWATCH = str(Path(sys.executable).with_name("qtwatch"))
RUN_TIMEOUT_S = 900
_names = itertools.count()


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    cluster = Cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@dataclass
class Lake:
    """A lake for one test: its catalog database's conninfo and its shared data folder."""

    cluster: Cluster
    database: str
    data_path: Path

    @property
    def url(self) -> str:
        return f"ducklake:postgres:{self.cluster.conninfo(self.database)}"


@dataclass
class Host:
    """One machine of the team: its own Prefect home and working copy; runs `qtwatch` in a fresh process."""

    name: str
    root: Path
    lake: Lake
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def workdir(self) -> Path:
        return self.root / "work"

    @property
    def working_copy(self) -> Path:
        return self.workdir / "qtwatch.duckdb"

    def env(self, **more: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "QTWATCH_"))}
        env.update(
            PREFECT_HOME=str(self.root / "prefect"),
            PREFECT_SERVER_ANALYTICS_ENABLED="false",
            PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180",
            DO_NOT_TRACK="1",
            GX_ANALYTICS_ENABLED="false",
            QTWATCH_WAREHOUSE=self.lake.url,
            QTWATCH_LAKE_DATA_PATH=str(self.lake.data_path) + "/",
            QTWATCH_LAKE_WORKDIR=str(self.workdir),
            QTWATCH_REPLAY_DIR=str(ROOT / "replay"),
        )
        env.update(self.extra)
        env.update(more)
        return env

    def qtwatch(self, *args: str, timeout: float = RUN_TIMEOUT_S, **env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [QTWATCH, *args], env=self.env(**env), cwd=self.root, capture_output=True, text=True, timeout=timeout
        )

    def ok(self, *args: str, **env: str) -> str:
        """Run `qtwatch ARGS`; its stdout, or an assertion with its output when it fails."""
        done = self.qtwatch(*args, **env)
        assert done.returncode == 0, f"qtwatch {' '.join(args)} exited {done.returncode}:\n{_tail(done)}"
        return done.stdout


def _tail(done: subprocess.CompletedProcess) -> str:
    return f"{done.stdout[-3000:]}\n--- stderr ---\n{done.stderr[-3000:]}"


def new_lake(cluster: Cluster, folder: Path) -> Lake:
    database = f"lake{next(_names)}"
    cluster.create(database)
    folder.mkdir(parents=True, exist_ok=True)
    return Lake(cluster, database, folder / "lake-data")


@pytest.fixture
def lake(postgres: Cluster, tmp_path: Path) -> Lake:
    """A new, empty lake for one test."""
    return new_lake(postgres, tmp_path)


def host(lake: Lake, root: Path, name: str) -> Host:
    (root / name).mkdir(parents=True, exist_ok=True)
    return Host(name, root / name, lake)
