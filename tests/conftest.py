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
