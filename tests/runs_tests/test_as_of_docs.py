"""The as-of examples of README.md and docs/deploying.md are ones that work: a backtest into a fresh warehouse (the
refusal message suggests the same), never an earlier as-of on a warehouse that already knows later days."""

from datetime import date
from pathlib import Path

import pytest

from transforms.registry import SOURCES
from warehouse.pit import AsOfRefused, check_as_of

ROOT = Path(__file__).resolve().parents[2]
BACKTEST = "QTWATCH_WAREHOUSE=data/backtest-2025-06-30.duckdb"


def test_readme_shows_a_backtest_into_a_fresh_warehouse():
    readme = (ROOT / "README.md").read_text()
    assert f"{BACKTEST} .venv/bin/qtwatch run --replay --as-of 2025-06-30" in readme
    assert "qtwatch run --source fred --vintages" in readme


def test_deploying_shows_a_deployment_backtest_on_a_fresh_warehouse():
    text = (ROOT / "docs" / "deploying.md").read_text()
    assert f"{BACKTEST} make serve" in text
    assert "deployment run 'qtwatch-pipeline/catch-up-daily' -p replay=true -p as_of=2025-06-30" in text


def test_the_documented_backtest_is_accepted_and_an_earlier_one_refused(tmp_path):
    check_as_of(tmp_path / "backtest-2025-06-30.duckdb", date(2025, 6, 30), list(SOURCES))  # a fresh file: fine
    with pytest.raises(AsOfRefused, match="is before any data"):
        check_as_of(tmp_path / "new.duckdb", date(1900, 1, 1), list(SOURCES))
