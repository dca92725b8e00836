"""What a publish replaces (issue 28.4, 28.10): a symbolic link is published through, to its target, and the link
stays; the published file keeps its mode, owner and group (the CI runner is root, as for the tmpfs cases)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from tests.faults_tests.harness import leftovers
from warehouse import db

NOBODY = 65534  # nobody / nogroup: an owner and group that are not the writer's


def publish_a_marker(path: Path) -> None:
    """One run's worth of change: a table the published file did not have."""
    with db.staged(path) as con:
        con.execute("CREATE OR REPLACE TABLE meta.marker AS SELECT 1 AS x")


def has_marker(path: Path) -> bool:
    with duckdb.connect(str(path), read_only=True) as con:
        return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'marker'").fetchall()[0][0])


@pytest.mark.parametrize("how", ["absolute", "relative", "link-to-a-link"])
def test_a_symlinked_warehouse_is_published_to_its_target(published, tmp_path, how):
    folder = tmp_path / "links"
    folder.mkdir()
    link = folder / "qtwatch.duckdb"
    if how == "absolute":
        link.symlink_to(published)
    elif how == "relative":
        link.symlink_to(os.path.relpath(published, folder))
    else:
        (folder / "middle.duckdb").symlink_to(published)
        link.symlink_to("middle.duckdb")
    publish_a_marker(link)
    assert link.is_symlink() and link.resolve() == published.resolve()  # the link was not replaced by a file
    assert has_marker(published)  # the target is what changed
    assert leftovers(published) == [] and not list(folder.glob(".*building*"))
    publish_a_marker(link)  # and the next publish still reaches it
    assert link.is_symlink()


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o604], ids=["0600", "0640", "0604"])
def test_a_publish_keeps_the_files_mode_owner_and_group(published, mode):
    os.chown(published, NOBODY, NOBODY)
    os.chmod(published, mode)
    publish_a_marker(published)
    stat = published.stat()
    assert has_marker(published)
    assert (oct(stat.st_mode & 0o7777), stat.st_uid, stat.st_gid) == (oct(mode), NOBODY, NOBODY)


def test_the_staging_copy_is_private_while_it_is_written(published):
    os.chmod(published, 0o644)
    with db.staged(published):
        staging = [p for p in published.parent.iterdir() if ".building-" in p.name and not p.name.endswith(".wal")]
        assert [oct(p.stat().st_mode & 0o777) for p in staging] == ["0o600"]
    assert oct(published.stat().st_mode & 0o777) == "0o644"
