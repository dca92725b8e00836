"""After the publish (issue 28.8): a full disk while Data Docs and the report are written does not make a published
run "run failed" with tracebacks. The run ends Completed ("Published with warnings") and says, one line each, what
was published and what was not. Also: `qtwatch run` through a symlinked warehouse path (issue 28.4)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.faults_tests.conftest import copy_of, shared_api_env
from tests.faults_tests.harness import KILL_AS_OF, inspect, leftovers, run_cli, sha256
from tests.faults_tests.test_disk import small_disk

pytestmark = pytest.mark.slow
RUN = ["run", "--replay", "--as-of", KILL_AS_OF, "--source", "nyfed_rates"]


def test_a_full_disk_for_data_docs_after_the_publish_says_what_was_published_and_what_was_not(
    prepared, prefect_api, tmp_path
):
    warehouse = copy_of(prepared, tmp_path / "wh")
    before = inspect(warehouse)
    with small_disk(tmp_path / "full", "64k") as full:
        (full / "filler").write_bytes(b"\0" * 60_000)  # what is left cannot hold one Data Docs page
        env = shared_api_env(
            tmp_path,
            warehouse,
            prefect_api,
            QTWATCH_GX_DOCS_DIR=str(full / "gx_docs"),
            QTWATCH_REPORT_PATH=str(full / "report.html"),
        )
        done = run_cli(RUN, env)
    output = done.stdout + done.stderr
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in output
    assert not [line for line in output.splitlines() if line.startswith("run failed")]
    after = inspect(warehouse)
    assert after["status"] == "Completed" and after["run_id"] != before["run_id"]  # the data was published
    said = [line.strip() for line in done.stderr.splitlines()]
    assert f"published: run {after['run_id']} to {warehouse}" in said
    assert any(line.startswith("not written: Data Docs in") and "No space left" in line for line in said), said
    assert leftovers(warehouse) == []


def test_qtwatch_run_through_a_symlink_publishes_to_its_target(prepared, prefect_api, tmp_path):
    target = copy_of(prepared, tmp_path / "real")
    (tmp_path / "links").mkdir()
    link = tmp_path / "links" / "qtwatch.duckdb"
    link.symlink_to(os.path.relpath(target, link.parent))
    os.chmod(target, 0o600)
    before = sha256(target)
    done = run_cli(RUN, shared_api_env(tmp_path, link, prefect_api))
    assert done.returncode == 0, done.stderr[-2000:]
    assert link.is_symlink() and Path(link).resolve() == target.resolve()
    assert sha256(target) != before and inspect(target)["status"] == "Completed"
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert leftovers(target) == [] and leftovers(link) == []
