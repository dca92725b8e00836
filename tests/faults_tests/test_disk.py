"""A full disk and a read-only folder: the run fails in one line, removes its partial copy, leaves the published file
as it was; reading still works where writing cannot."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults_tests.conftest import shared_api_env
from tests.faults_tests.harness import KILL_AS_OF, leftovers, run_cli, sha256

pytestmark = pytest.mark.slow
RUN = ["run", "--replay", "--as-of", KILL_AS_OF, "--source", "nyfed_rates"]


@contextlib.contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` mounted on `folder` for the block (root only, as on the CI runner)."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def one_error_line(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def room_for_one(warehouse: Path) -> str:
    """A tmpfs size (KiB) that holds `warehouse` and half of it again: never a second whole copy."""
    return f"{warehouse.stat().st_size * 3 // 2 // 1024}k"


def test_a_full_disk_during_the_copy_fails_in_one_line_and_leaves_no_partial_copy(prepared, prefect_api, tmp_path):
    # room for the published file and half as much again, not for a second copy beside it
    with small_disk(tmp_path / "disk", room_for_one(prepared)) as disk:
        warehouse = Path(shutil.copy(prepared, disk / "qtwatch.duckdb"))
        before, free = sha256(warehouse), shutil.disk_usage(disk).free
        done = run_cli(RUN, shared_api_env(tmp_path, warehouse, prefect_api))
        assert done.returncode == 1
        assert "no space left" in done.stderr and "partial copy was removed" in done.stderr
        assert "Traceback" not in done.stderr + done.stdout
        assert sha256(warehouse) == before and leftovers(warehouse) == []
        # the disk is as free as before but for the lock file and this run's validation history (gx/: the batch was
        # fetched and validated before the run took the writer lock and found no room for its copy)
        history = sum(p.stat().st_size for p in (disk / "gx").rglob("*") if p.is_file())
        assert shutil.disk_usage(disk).free + history >= free - 64 * 1024


def test_a_disk_that_fills_while_duckdb_writes_fails_in_one_line_and_leaves_nothing(prefect_api, tmp_path):
    with small_disk(tmp_path / "disk", "2m") as disk:
        warehouse = disk / "qtwatch.duckdb"
        done = run_cli(RUN, shared_api_env(tmp_path, warehouse, prefect_api))
        assert done.returncode == 1
        assert "no space left" in done.stderr and "Traceback" not in done.stderr + done.stdout
        assert not warehouse.exists() and leftovers(warehouse) == []


def test_a_read_only_folder_refuses_the_run_in_one_line_and_still_serves_readers(prepared, prefect_api, tmp_path):
    with small_disk(tmp_path / "disk", room_for_one(prepared)) as disk:
        warehouse = Path(shutil.copy(prepared, disk / "qtwatch.duckdb"))
        before = sha256(warehouse)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        env = shared_api_env(tmp_path, warehouse, prefect_api)
        done = run_cli(RUN, env)
        assert done.returncode == 1 and len(one_error_line(done.stderr)) == 1, done.stderr[-2000:]
        assert "cannot write in" in done.stderr and "Traceback" not in done.stderr
        assert run_cli(["status"], env).returncode == 0
        assert run_cli(["sql", "SELECT count(*) FROM meta.runs"], env).returncode == 0
        assert sha256(warehouse) == before
