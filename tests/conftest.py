"""Shared pytest fixtures for qtwatch."""

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Prefect reads its home and analytics switch when it is first imported: set them before any test imports it.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="qtwatch-tests-prefect-"))
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"

ROOT = Path(__file__).resolve().parents[1]
REAL_DATA = ROOT.parent / "shared" / "data" / "real"
REPLAY_DIR = ROOT / "replay"


@pytest.fixture(scope="session")
def real_data() -> Path:
    """The shared folder of real recorded data (CI has it beside the checkout)."""
    if not REAL_DATA.exists():
        pytest.skip(f"real recorded data not found at {REAL_DATA}")
    return REAL_DATA


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect API for the whole session, shared by every test package that runs the flow in-process
    (starting it costs seconds, and a second harness in the same process breaks Prefect's process-wide clients)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness():
        yield


@pytest.fixture(scope="session")
def replay_dir() -> Path:
    """The project's committed replay snapshot."""
    return REPLAY_DIR


def fetch_request(source: str, window=None, windows=None, **kw):
    """A FetchRequest for `source` as the flow builds one (default base URLs from the registry)."""
    from flows.settings import url_fields
    from flows.sources import FetchRequest
    from transforms.registry import SOURCES

    spec = SOURCES[source]
    urls = url_fields()
    as_of = kw.pop("as_of", None) or (window.end if window else max(w.end for w in windows.values()))
    return FetchRequest(spec, windows or {"*": window}, urls[spec.http.base_url_setting], as_of, urls=urls, **kw)
