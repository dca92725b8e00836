"""Shared pytest fixtures for qtwatch: everything a test reads is inside the repository."""

import atexit
import gzip
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

# Prefect reads its home and analytics switch when it is first imported: set them before any test imports it.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="qtwatch-tests-prefect-"))
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"

# The team-mode suite runs in .venv-team (DuckDB 1.5.5 with the DuckLake wheels: `make test-team`, after `make test`
# in .ci/run). `make test`'s DuckDB 2.0 cannot load those extensions, so it does not collect that suite: nothing in
# it is skipped, it is another suite with its own command.
# Fixtures shared across the test folders (each folder mirrors a package; tests/support holds what they share).
pytest_plugins = [
    "tests.support.demo",
    "tests.support.fake_host",
    "tests.support.flow_runs",
    "tests.support.gx_batches",
    "tests.support.replay_frames",
    "tests.support.report",
]

collect_ignore_glob = [] if duckdb.__version__.startswith("1.5.") else ["team_tests/*"]

ROOT = Path(__file__).resolve().parents[1]
RECORDED = ROOT / "tests" / "fixtures" / "recorded"
REPLAY_DIR = ROOT / "replay"

# `make test` must leave the user's data/ (warehouse, report, GX docs) and Prefect home alone: every path a run may
# write points into one temporary folder, set before any test imports Prefect or reads the settings (environment
# variables win over a user's .env). Tests that need their own paths still set them.
SANDBOX = Path(tempfile.mkdtemp(prefix="qtwatch-tests-"))
atexit.register(shutil.rmtree, SANDBOX, ignore_errors=True)
USER_PREFECT_HOME = Path(os.environ.get("PREFECT_HOME", Path.home() / ".prefect"))
os.environ["PREFECT_HOME"] = str(SANDBOX / "prefect")
os.environ.update(
    QTWATCH_WAREHOUSE=str(SANDBOX / "data" / "qtwatch.duckdb"),
    QTWATCH_GX_DOCS_DIR=str(SANDBOX / "data" / "gx_docs"),
    QTWATCH_REPORT_PATH=str(SANDBOX / "data" / "report.html"),
)


def _files(folder: Path) -> dict[str, tuple[float, int]]:
    """Every file under `folder` with its modification time and size."""
    return {str(p): (p.stat().st_mtime, p.stat().st_size) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="session", autouse=True)
def users_files_untouched():
    """Fail the session if any test wrote into the user's data/ folder or Prefect home."""
    watched = [ROOT / "data", USER_PREFECT_HOME]
    before = [_files(folder) for folder in watched]
    yield
    changed = [
        f"{folder}: {sorted(set(now.items()) ^ set(then.items()))[:3]}"
        for folder, then in zip(watched, before, strict=True)
        if (now := _files(folder)) != then
    ]
    assert not changed, f"the tests wrote into the user's files: {changed}"


@pytest.fixture(scope="session")
def recorded() -> Path:
    """Small cut copies of the recordings the replay builder reads, in their original layout (its PROVENANCE.md)."""
    return RECORDED


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect API for the whole session, shared by every test package that runs the flow in-process
    (starting it costs seconds, and a second harness in the same process breaks Prefect's process-wide clients)."""
    from prefect.testing.utilities import prefect_test_harness

    # the Makefile's start-up allowance (PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS), not the harness's 30 s
    with prefect_test_harness(int(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "30"))):
        yield


@pytest.fixture
def published(tmp_path) -> Path:
    """A built, published warehouse with no data (warehouse tests and the staging fault tests)."""
    from warehouse import db

    path = tmp_path / "qtwatch.duckdb"
    with db.staged(path):
        pass
    return path


@pytest.fixture(scope="session")
def replay_dir() -> Path:
    """The project's committed replay snapshot (real recorded responses in each source's wire format)."""
    return REPLAY_DIR


def replay_bytes(rel: str) -> bytes:
    """One file of the replay snapshot, gunzipped when it is a .gz file."""
    data = (REPLAY_DIR / rel).read_bytes()
    return gzip.decompress(data) if rel.endswith(".gz") else data


def find_chromium() -> str | None:
    """The headless Chromium binary: $CHROMIUM, else chromium / chromium-browser / google-chrome on PATH."""
    candidates = [os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"]
    return next((found for name in candidates if name and (found := shutil.which(name))), None)


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of a headless Chromium for screenshot checks; fails (never skips) with how to install one."""
    found = find_chromium()
    if found is None:
        pytest.fail(
            "headless Chromium not found: install it (`apt-get install -y chromium`, which `make test` and "
            ".ci/run do when run as root) or set CHROMIUM=/path/to/chromium",
            pytrace=False,
        )
    return found


def fetch_request(source: str, window=None, windows=None, **kw):
    """A FetchRequest for `source` as the flow builds one (default base URLs from the registry)."""
    from flows.settings import url_fields
    from flows.sources import FetchRequest
    from transforms.registry import SOURCES

    spec = SOURCES[source]
    urls = url_fields()
    as_of = kw.pop("as_of", None) or (window.end if window else max(w.end for w in windows.values()))
    return FetchRequest(spec, windows or {"*": window}, urls[spec.http.base_url_setting], as_of, urls=urls, **kw)
