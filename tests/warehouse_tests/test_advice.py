"""Issue 25 item 1 / issue 28 item 5: a message that could lead someone to move, delete or rebuild a warehouse names
the real cause and first says how to keep what is there. A file an analyst holds open read-write is locked, not
damaged; a warehouse built by another qtwatch release is intact.

Reproduce: .venv/bin/python -m pytest tests/warehouse_tests/test_advice.py -q
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qtwatch.cli import app
from warehouse import advice, db

DESTRUCTIVE = ("move it aside", "rebuild", "mv ", "delete", "rm ")


@pytest.fixture
def held_open(published: Path) -> Iterator[subprocess.Popen]:
    """Another process holds the published warehouse open read-write (the DuckDB CLI's default)."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(published)!r}); print('open', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
    yield holder
    holder.kill()
    holder.wait()


def test_run_on_a_file_held_open_names_the_lock_not_damage(published, held_open) -> None:
    result = CliRunner().invoke(app, ["run", "--replay", "--warehouse", str(published)])
    text = result.output
    assert result.exit_code == 1, text
    assert f"held open for writing by pid {held_open.pid}" in text and "nothing was changed" in text
    assert "not a valid DuckDB file" not in text and not any(word in text for word in DESTRUCTIVE)


def test_every_check_names_the_lock(published, held_open) -> None:
    for check in (db.check_publishable, db.connect_readonly, db.check_whole):
        with pytest.raises(db.WarehouseError) as caught:
            check(published)
        assert "held open for writing" in str(caught.value) and "move it aside" not in str(caught.value)


def test_a_damaged_file_says_first_how_to_keep_it(tmp_path) -> None:
    path = tmp_path / "qtwatch.duckdb"
    path.write_bytes(b"not a duckdb file" * 1000)
    with pytest.raises(db.WarehouseError) as caught:
        db.check_publishable(path)
    message = str(caught.value)
    assert message.index("Keep what is there first") < message.index("move it aside") < message.index("qtwatch run")
    assert f"mv {path} {path}.bad" in message and "without the old one's history" in message


def test_status_on_an_older_release_says_older_schema(published) -> None:
    # the previous release (162efbd) had no marts.basis_weekly or marts.funding_calendar, nor meta.schema_build
    with db.staged(published) as con:
        con.execute("DROP TABLE marts.basis_weekly")
        con.execute("DROP TABLE marts.funding_calendar")
    result = CliRunner().invoke(app, ["status", "--warehouse", str(published)])
    assert result.exit_code == 1
    text = " ".join(result.output.split())
    assert "built by an older qtwatch release" in text and "no marts.basis_weekly" in text
    assert "Keep it as it is" in text and "move it aside" not in text


def test_a_newer_release_is_named_newer(tmp_path) -> None:
    import duckdb

    path = tmp_path / "qtwatch.duckdb"
    with db.staged(path) as con:
        con.execute("CREATE TABLE marts.from_the_future (x INTEGER)")
    with duckdb.connect(str(path), read_only=True) as con:
        message = advice.schema_problem(con, path, RuntimeError("Binder Error"))
    assert message is not None and "a newer qtwatch release" in message and "has marts.from_the_future" in message


def test_this_releases_own_empty_warehouse_is_not_called_another_release(published) -> None:
    import duckdb

    with duckdb.connect(str(published), read_only=True) as con:
        assert advice.schema_problem(con, published, RuntimeError("no core yet")) is None
