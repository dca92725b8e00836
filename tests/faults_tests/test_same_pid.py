"""The container case: qtwatch runs as PID 1 every time (`unshare --pid`), so a killed run and the next one share a
PID. The next run must not pick up the dead run's staging file or write-ahead log, and must publish only its own."""

from __future__ import annotations

import shlex
import subprocess

import pytest

from tests.faults_tests.conftest import copy_of
from tests.faults_tests.harness import (
    KILL_AS_OF,
    PREPARED_AS_OF,
    QTWATCH,
    ROOT,
    case_env,
    inspect,
    leftovers,
    orphans_after,
)

pytestmark = pytest.mark.slow


def as_pid_1(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """`qtwatch ARGS` as PID 1 of a new PID namespace (needs root, like the container it stands for)."""
    command = f"exec {shlex.join([QTWATCH, *args])}"
    return subprocess.run(
        ["unshare", "--pid", "--fork", "--mount-proc", "sh", "-c", command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def newest_rate(warehouse) -> str:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("SELECT max(effective_date) FROM raw.nyfed_reference_rates").fetchall()[0][0].isoformat()


def test_a_run_as_pid_1_after_a_killed_pid_1_run_publishes_only_its_own_rows(prepared, tmp_path):
    warehouse = copy_of(prepared, tmp_path / "wh")
    load = ["run", "--replay", "--source", "nyfed_rates", "--as-of"]
    env = case_env(tmp_path, warehouse, QTWATCH_FAULT_AT="land-nyfed_rates")
    killed = as_pid_1([*load, KILL_AS_OF], env)  # lands rows up to KILL_AS_OF in its staging WAL, then dies
    assert killed.returncode == 137, killed.stderr[-2000:]
    assert any(name.startswith(".qtwatch.duckdb.building-1-") for name in leftovers(warehouse))
    assert orphans_after(env["QTWATCH_FAULT_CASE"]) == []

    env = case_env(tmp_path, warehouse)
    rerun = as_pid_1([*load, PREPARED_AS_OF], env)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert newest_rate(warehouse) <= PREPARED_AS_OF  # nothing the dead run fetched for a later day
    state = inspect(warehouse)
    assert state["status"] == "Completed" and state["unrecorded_rows"] == 0
    assert leftovers(warehouse) == [] and orphans_after(env["QTWATCH_FAULT_CASE"]) == []
