"""Crash hygiene of the staged write, in-process: what a dead run left is removed before copying, a staging file is
never reused, a failed copy leaves nothing, a waiting run says so, and broken or foreign files are refused."""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.faults_tests.harness import leftovers, sha256
from warehouse import db

INSERT_DEAD = (
    "INSERT INTO raw.fred_observations BY NAME SELECT 'DEAD' AS series_id, DATE '2099-01-01' AS date, "
    "1.0 AS value, 'Synthetic units' AS units, ? AS load_id, now() AS fetched_at, "
    "'synthetic' AS source_url"
)
FILLER_ROWS = 3_000_000  # synthetic: enough integers to spread a table over several 256 KB blocks


def dead_run_staging(published: Path, name: str) -> Path:
    """What `kill -9` during a load leaves: a staging copy of `published` whose WAL holds the dead run's rows (one
    synthetic FRED observation, series DEAD)."""
    staging = published.with_name(name)
    shutil.copyfile(published, staging)
    con = duckdb.connect(str(staging))
    con.execute("PRAGMA disable_checkpoint_on_shutdown")
    con.execute(INSERT_DEAD, ["never-recorded"])
    con.close()
    assert Path(f"{staging}.wal").exists()
    return staging


def dead_rows(path: Path) -> int:
    con = db.connect_readonly(path)
    try:
        return con.execute("SELECT count(*) FROM raw.fred_observations WHERE series_id = 'DEAD'").fetchall()[0][0]
    finally:
        con.close()


@pytest.mark.parametrize(
    "name",
    [
        f".qtwatch.duckdb.building-{os.getpid()}",
        ".qtwatch.duckdb.building-1",
        ".qtwatch.duckdb.building-99999-0a1b2c3d",
    ],
    ids=["same-pid-old-name", "pid-1-of-a-container", "another-pid"],
)
def test_a_dead_runs_staging_file_and_wal_are_removed_and_never_replayed(published, name):
    dead_run_staging(published, name)
    with db.staged(published):
        pass
    assert leftovers(published) == []
    assert dead_rows(published) == 0


def test_a_dead_runs_spill_folder_is_removed(published):
    """What `kill -9` leaves when DuckDB was spilling beyond QTWATCH_DUCKDB_MEMORY_LIMIT: `<staging>.tmp/`."""
    spill = published.with_name(".qtwatch.duckdb.building-99999-0a1b2c3d.tmp")
    spill.mkdir()
    (spill / "duckdb_temp_storage-0.tmp").write_bytes(b"\0" * 4096)
    with db.staged(published):
        pass
    assert not spill.exists() and leftovers(published) == []


def test_a_run_that_spills_leaves_nothing_beside_the_warehouse(published):
    """A memory_limit far below what the query needs: DuckDB spills beside the staging copy, then it is gone."""
    with db.staged(published, memory_limit="64MB") as con:
        con.execute("CREATE TABLE main.spill AS SELECT range AS i, md5(range::VARCHAR) AS h FROM range(2000000)")
        con.execute("SELECT count(*) FROM (SELECT h, count(*) FROM main.spill GROUP BY h)").fetchall()
        spilled = [p for p in published.parent.iterdir() if p.name.endswith(".tmp")]
        con.execute("DROP TABLE main.spill")
    assert spilled  # it did spill, beside the staging copy
    assert leftovers(published) == []
    assert not [p for p in published.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_staging_file_is_never_reused(published):
    names = []
    for _ in range(2):
        with db.staged(published) as con:
            names.append(
                Path(
                    con.execute(
                        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
                    ).fetchall()[0][0]
                ).name
            )
    assert names[0] != names[1] and all(n.startswith(f".qtwatch.duckdb.building-{os.getpid()}-") for n in names)


def test_a_copy_that_fails_on_a_full_disk_leaves_no_partial_file_and_says_so(published, monkeypatch):
    before = sha256(published)

    def copy_half_then_fill_the_disk(source: Path, target: Path) -> None:
        target.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))

    monkeypatch.setattr(db, "_copy", copy_half_then_fill_the_disk)
    with pytest.raises(db.WarehouseError, match="no space left") as caught, db.staged(published):
        pass
    assert "nothing was published" in str(caught.value) and "\n" not in str(caught.value)
    assert leftovers(published) == [] and sha256(published) == before


def test_a_run_waiting_for_the_writer_lock_says_for_whom_and_how_long(published):
    heard = []
    with open(published.with_name(f".{published.name}.lock"), "a+") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        holder.seek(0)
        holder.truncate()
        holder.write("4242\n")
        holder.flush()
        with pytest.raises(db.WarehouseError) as caught, db.staged(published, wait_s=1.0, on_wait=heard.append):
            pass
    assert "another qtwatch run is writing" in str(caught.value) and "waited 1s" in str(caught.value)
    assert "QTWATCH_WRITER_WAIT_S=1" in str(caught.value)
    assert heard and "pid 4242" in heard[0] and "at most 1s" in heard[0]


@pytest.fixture
def truncated(published) -> Path:
    """The published warehouse with a multi-block table, cut short by its last two blocks."""
    with db.staged(published) as con:
        con.execute(f"CREATE TABLE meta.filler AS SELECT range AS x, range * 2 AS y FROM range({FILLER_ROWS})")
    os.truncate(published, published.stat().st_size - 2 * 262_144)
    return published


def test_a_truncated_warehouse_is_refused_for_reading(truncated):
    with pytest.raises(db.WarehouseError, match="truncated"):
        db.connect_readonly(truncated)


def test_a_truncated_warehouse_is_refused_for_writing_and_left_as_it_is(truncated):
    before = sha256(truncated)
    with pytest.raises(db.WarehouseError, match="truncated"), db.staged(truncated):
        pass
    assert sha256(truncated) == before and leftovers(truncated) == []


def test_a_warehouse_path_under_a_regular_file_says_which_file(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file\n")
    for attempt in (
        lambda: db.connect_readonly(blocker / "qtwatch.duckdb"),
        lambda: db.staged(blocker / "qtwatch.duckdb").__enter__(),
        lambda: db.check_publishable(blocker / "qtwatch.duckdb"),
    ):
        with pytest.raises(db.WarehouseError, match="a file, not a folder") as caught:
            attempt()
        assert str(blocker) in str(caught.value)


def test_a_duckdb_file_of_another_application_is_never_written_into(tmp_path):
    foreign = tmp_path / "theirs.duckdb"
    with duckdb.connect(str(foreign)) as con:
        con.execute("CREATE TABLE customers (id INTEGER)")
    before = sha256(foreign)
    with pytest.raises(db.WarehouseError, match="not a qtwatch warehouse"), db.staged(foreign):
        pass
    assert sha256(foreign) == before and leftovers(foreign) == []


def test_a_wal_beside_the_published_file_is_folded_into_the_publish(published):
    # e.g. a DuckDB shell opened the published file without -readonly and was killed: readers see its rows
    con = duckdb.connect(str(published))
    con.execute("PRAGMA disable_checkpoint_on_shutdown")
    con.execute(INSERT_DEAD, ["shell"])
    con.close()
    with db.staged(published):
        pass
    assert leftovers(published) == []  # a stale WAL would not match the new file: readers would fail
    assert dead_rows(published) == 1
