"""Warehouse: staged writes publish atomically or not at all, one writer at a time, and raw keeps every version."""

import hashlib
import os
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from transforms.registry import DATASETS
from warehouse import build, db, integrity, load

FRED = DATASETS["fred_observations"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(path: Path) -> list[str]:
    """Staging files (and their WALs) a write left beside the published file."""
    return sorted(p.name for p in path.parent.glob(f".{path.name}.building-*"))


def obs(value: float, day: date = date(2024, 1, 3)) -> pl.DataFrame:
    """One synthetic FRED observation (series TEST), in the raw landing shape before lineage."""
    return pl.DataFrame(
        {
            "series_id": ["TEST"],
            "date": [day],
            "value": [value],
            "units": ["Synthetic units"],
            "source_url": ["synthetic"],
        }
    )


def land(con, value: float, as_of: date, load_id: str) -> int:
    fetched = datetime(as_of.year, as_of.month, as_of.day, 12, tzinfo=UTC)
    return load.land(con, FRED, obs(value), load_id=load_id, fetched_at=fetched, as_of=as_of)


def test_crash_inside_staged_leaves_published_file_untouched(published):
    before = sha256(published)
    with pytest.raises(RuntimeError, match="boom"), db.staged(published) as con:
        land(con, 1.0, date(2024, 1, 5), "crash")
        raise RuntimeError("boom")
    assert sha256(published) == before
    assert leftovers(published) == []
    con = db.connect_readonly(published)
    assert con.execute("SELECT count(*) FROM raw.fred_observations").fetchall() == [(0,)]
    con.close()


def test_successful_block_publishes(published):
    with db.staged(published) as con:
        land(con, 1.0, date(2024, 1, 5), "ok")
    con = db.connect_readonly(published)
    assert con.execute("SELECT value FROM raw.fred_observations").fetchall() == [(1.0,)]
    con.close()
    assert leftovers(published) == []


def test_reader_keeps_its_snapshot_while_a_writer_publishes(published):
    reader = db.connect_readonly(published)
    with db.staged(published) as con:
        land(con, 1.0, date(2024, 1, 5), "ok")
    assert reader.execute("SELECT count(*) FROM raw.fred_observations").fetchall() == [(0,)]
    reader.close()


def test_corrupt_warehouse_says_what_to_do(tmp_path):
    path = tmp_path / "qtwatch.duckdb"
    path.write_bytes(b"this is not a duckdb file\x00\x01\x02" * 100)
    before = sha256(path)
    for open_it in (lambda: db.connect_readonly(path), lambda: db.staged(path).__enter__()):
        with pytest.raises(db.WarehouseError) as caught:
            open_it()
        message = str(caught.value)
        assert "not a valid DuckDB file" in message and f"mv {path}" in message and "qtwatch run" in message
    assert sha256(path) == before and leftovers(path) == []


def test_missing_warehouse_says_what_to_run(tmp_path):
    with pytest.raises(db.WarehouseError, match="qtwatch run --replay"):
        db.connect_readonly(tmp_path / "absent.duckdb")


def test_second_writer_is_refused_while_the_first_holds_the_lock(published):
    # the second staged() is entered while the first still holds the lock
    with (
        db.staged(published),
        pytest.raises(db.WarehouseError, match="another qtwatch run is writing"),
        db.staged(published, wait_s=0),
    ):
        pass
    with db.staged(published, wait_s=0):  # released once the first writer is done
        pass


@pytest.fixture
def revised() -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse where TEST 2024-01-03 was 100 as of Jan 5 and revised to 101 as of Jan 12."""
    con = duckdb.connect()
    db.apply_schema(con)
    db.load_seeds(con)
    assert land(con, 100.0, date(2024, 1, 5), "v1") == 1
    assert land(con, 100.0, date(2024, 1, 8), "v1-again") == 0  # same value: not a new version
    assert land(con, 101.0, date(2024, 1, 12), "v2") == 1
    load.rebuild_core(con)
    yield con
    con.close()


def test_revision_is_a_new_version_with_validity(revised):
    rows = revised.execute(
        "SELECT value, valid_from, valid_to FROM core.fred_observations_history "
        "WHERE series_id = 'TEST' ORDER BY valid_from"
    ).fetchall()
    assert rows == [(100.0, date(2024, 1, 5), date(2024, 1, 12)), (101.0, date(2024, 1, 12), None)]
    assert revised.execute("SELECT value FROM core.fred_observations WHERE series_id = 'TEST'").fetchall() == [(101.0,)]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 1, 4), []),
        (date(2024, 1, 5), [(100.0,)]),
        (date(2024, 1, 11), [(100.0,)]),
        (date(2024, 1, 12), [(101.0,)]),
        (date(2024, 6, 1), [(101.0,)]),
    ],
    ids=["before-first-load", "first-day", "day-before-revision", "revision-day", "later"],
)
def test_known_on_returns_what_was_known_that_day(revised, day, expected):
    got = revised.execute(
        "SELECT value FROM core.fred_observations_known_on(?) WHERE series_id = 'TEST'", [day]
    ).fetchall()
    assert got == expected


def test_held_max_dates_are_per_series(revised):
    assert load.held_max_dates(revised, FRED) == {"TEST": date(2024, 1, 3)}


def test_held_latest_at_a_batch_reads_only_its_keys_and_their_latest_version(revised):
    fetched = datetime(2024, 1, 12, 12, tzinfo=UTC)
    load.land(revised, FRED, obs(7.0, date(2024, 1, 10)), load_id="other", fetched_at=fetched, as_of=date(2024, 1, 12))
    batch = pl.concat([obs(102.0), obs(5.0, date(2024, 2, 7))])  # a held key (revised once) and a new one
    at = load.held_latest(revised, FRED, at=batch, columns="series_id, date, value")
    assert at.rows() == [("TEST", date(2024, 1, 3), 101.0)]
    whole = load.held_latest(revised, FRED, columns="series_id, date, value").sort("date")
    assert whole.rows() == [("TEST", date(2024, 1, 3), 101.0), ("TEST", date(2024, 1, 10), 7.0)]


def test_an_unchanged_build_is_not_applied_again_and_a_changed_seed_is(tmp_path, monkeypatch):
    con = duckdb.connect()
    assert db.ensure_built(con) is True  # a new file: DDL and seeds applied, fingerprint recorded
    assert db.ensure_built(con) is False  # same files: nothing to do
    seeds = tmp_path / "seeds"
    shutil.copytree(build.SEED_DIR, seeds)
    catalog = seeds / "fred_series.csv"
    header, first, *rest = catalog.read_text().splitlines()
    catalog.write_text("\n".join([header, *rest]) + "\n")  # one series fewer
    monkeypatch.setattr(build, "SEED_DIR", seeds)
    before = con.execute("SELECT count(*) FROM ref.fred_series").fetchall()[0][0]
    assert db.ensure_built(con) is True
    assert con.execute("SELECT count(*) FROM ref.fred_series").fetchall()[0][0] == before - 1


def count_reads(monkeypatch) -> list[Path]:
    """Every time check_whole reads a file's blocks (it reads them through _read_every_block)."""
    reads: list[Path] = []
    original = integrity._read_every_block
    monkeypatch.setattr(integrity, "_read_every_block", lambda con: (reads.append(con), original(con))[1])
    return reads


def test_within_one_run_an_unchanged_warehouse_is_read_whole_once(published, monkeypatch):
    reads = count_reads(monkeypatch)
    with db.remembering_checks():
        for _ in range(3):
            db.check_whole(published)
        db.connect_readonly(published).close()
    assert len(reads) == 1
    db.check_whole(published)  # outside a run nothing is remembered
    db.check_whole(published)
    assert len(reads) == 3


def test_within_one_run_a_file_changed_after_its_check_is_checked_again(published, tmp_path, monkeypatch):
    reads = count_reads(monkeypatch)
    with db.remembering_checks():
        db.check_whole(published)
        with db.staged(published):  # this process's own publish counts as checked
            pass
        db.check_whole(published)
        assert len(reads) == 1  # staged did not read again what was just checked, nor what it published
        copy = tmp_path / "copy.duckdb"
        shutil.copy(published, copy)
        db.check_whole(copy)
        assert len(reads) == 2
        os.truncate(copy, copy.stat().st_size - 4096)  # cut behind the run's back: size and ctime change
        with pytest.raises(db.WarehouseError, match="not a valid DuckDB file"):
            db.check_whole(copy)


def test_a_publish_syncs_the_folder_after_the_rename(published, monkeypatch):
    events: list[str] = []
    real_replace, real_fsync = os.replace, os.fsync
    monkeypatch.setattr(db.os, "replace", lambda a, b: (events.append("replace"), real_replace(a, b))[1])
    monkeypatch.setattr(db.os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])
    with db.staged(published):
        pass
    assert events[-2:] == ["replace", "fsync"]
