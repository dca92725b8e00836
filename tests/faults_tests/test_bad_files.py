"""Corrupt, truncated and foreign warehouse files, and a warehouse path under a regular file: `run`, `status` and
`sql` each say so in one line, exit 1, print no traceback, answer nothing and leave the file as it was."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.faults_tests.conftest import shared_api_env
from tests.faults_tests.harness import KILL_AS_OF, case_env, run_cli, sha256

COMMANDS = {
    "run": ["run", "--replay", "--as-of", KILL_AS_OF, "--source", "nyfed_rates"],
    "status": ["status"],
    "sql": ["sql", "SELECT count(*) AS n FROM raw.fred_observations", "--format", "csv"],
}
BLOCK = 262_144


def truncated(prepared: Path, target: Path) -> None:
    """The prepared warehouse without its last two blocks (what a full disk or a cut copy leaves)."""
    shutil.copy(prepared, target)
    os.truncate(target, target.stat().st_size - 2 * BLOCK)


def truncated_to_half(prepared: Path, target: Path) -> None:
    """The first half of the prepared warehouse: its catalog is intact, most of its data blocks are gone."""
    shutil.copy(prepared, target)
    os.truncate(target, target.stat().st_size // 2)


def bit_flipped(prepared: Path, target: Path) -> None:
    """The prepared warehouse with 64 bytes overwritten in every other block after the first three."""
    shutil.copy(prepared, target)
    with open(target, "r+b") as handle:
        for offset in range(3 * 4096 + 3 * BLOCK, target.stat().st_size - BLOCK, 2 * BLOCK):
            handle.seek(offset + 5000)
            handle.write(b"\xff" * 64)


def text_file(_prepared: Path, target: Path) -> None:
    target.write_text("series_id,date,value\nWALCL,2025-06-25,6680000\n")  # synthetic: a CSV saved under the name


def sqlite_header(_prepared: Path, target: Path) -> None:
    target.write_bytes(b"SQLite format 3\x00" + b"\x00" * 20_000)  # synthetic: another database's header


def empty_file(_prepared: Path, target: Path) -> None:
    target.write_bytes(b"")


DAMAGE = {
    "truncated": truncated,
    "truncated-to-half": truncated_to_half,
    "bit-flipped": bit_flipped,
    "text-file": text_file,
    "sqlite-file": sqlite_header,
    "empty-file": empty_file,
}


def assert_one_line_refusal(done, warehouse: Path, before: str, expected: str) -> None:
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert done.returncode == 1, done.stderr[-2000:]
    assert len(errors) == 1 and expected in errors[0], done.stderr[-2000:]
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stdout.strip() == ""  # sql answered nothing, run printed no table
    assert sha256(warehouse) == before


@pytest.mark.parametrize("command", list(COMMANDS), ids=list(COMMANDS))
@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_warehouse_is_refused_in_one_line(prepared, tmp_path, damage, command):
    warehouse = tmp_path / "qtwatch.duckdb"
    DAMAGE[damage](prepared, warehouse)
    before = sha256(warehouse)
    done = run_cli(COMMANDS[command], case_env(tmp_path, warehouse))
    assert_one_line_refusal(done, warehouse, before, "move it aside")


@pytest.mark.parametrize("command", list(COMMANDS), ids=list(COMMANDS))
def test_a_warehouse_path_under_a_regular_file_names_the_file(tmp_path, command):
    blocker = tmp_path / "data"
    blocker.write_text("not a folder\n")
    done = run_cli(COMMANDS[command], case_env(tmp_path, blocker / "qtwatch.duckdb"))
    assert_one_line_refusal(done, blocker, sha256(blocker), "a file, not a folder")
    assert "make demo" not in done.stderr


@pytest.mark.slow
def test_a_duckdb_file_of_another_application_is_not_written_into(tmp_path, prefect_api):
    warehouse = tmp_path / "theirs.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("CREATE TABLE customers AS SELECT 1 AS id")
    before = sha256(warehouse)
    done = run_cli(COMMANDS["run"], shared_api_env(tmp_path, warehouse, prefect_api))
    assert done.returncode == 1 and "not a qtwatch warehouse" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout and sha256(warehouse) == before
