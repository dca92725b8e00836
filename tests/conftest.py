"""Shared pytest fixtures for qtwatch."""

from pathlib import Path

import pytest

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
