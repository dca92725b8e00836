"""A bad setting and a missing replay snapshot: one line naming what to fix, exit 1, before any work starts;
`--debug` brings the traceback back."""

from __future__ import annotations

import pytest

from tests.faults_tests.harness import KILL_AS_OF, case_env, run_cli

RUN = ["run", "--replay", "--as-of", KILL_AS_OF, "--source", "nyfed_rates"]


@pytest.mark.parametrize("args", [RUN, ["status"], ["sql", "SELECT 1"]], ids=["run", "status", "sql"])
@pytest.mark.parametrize(
    ("name", "value"),
    [("QTWATCH_WRITER_WAIT_S", "abc"), ("QTWATCH_HTTP_RETRIES", "many"), ("QTWATCH_DUCKDB_MEMORY_LIMIT", "lots")],
    ids=["writer-wait", "http-retries", "duckdb-memory"],
)
def test_a_bad_setting_is_one_line_naming_the_variable(tmp_path, args, name, value):
    done = run_cli(args, case_env(tmp_path, tmp_path / "qtwatch.duckdb", **{name: value}))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]  # exactly one line
    assert f"bad setting {name}='{value}'" in done.stderr and "Traceback" not in done.stderr


def test_a_missing_replay_directory_is_said_once_before_prefect_starts(tmp_path):
    done = run_cli(RUN, case_env(tmp_path, tmp_path / "qtwatch.duckdb", QTWATCH_REPLAY_DIR=str(tmp_path / "nope")))
    assert done.returncode == 1
    # one line naming the missing snapshot folder and what to do (QTWATCH_REPLAY_DIR), said once
    assert done.stderr.count("QTWATCH_REPLAY_DIR") == 1 and str(tmp_path / "nope") in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert "Starting temporary server" not in done.stderr and done.stdout == ""


def test_debug_shows_the_traceback_of_a_refusal(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("not a folder\n")
    env = case_env(tmp_path, blocker / "qtwatch.duckdb")
    quiet, loud = run_cli(["status"], env), run_cli(["--debug", "status"], env)
    assert quiet.returncode == loud.returncode == 1
    assert "Traceback" not in quiet.stderr and "Traceback" in loud.stderr
