"""One replay into a lake and the same replay into a file: the marts are identical, and every analyst command reads
the lake from a host that never ran the pipeline (sql, status, report, docs, known_on, time travel by run id)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests.team_tests.conftest import Host, Lake, host, new_lake
from tests.team_tests.postgres import Cluster
from warehouse import lake as lakes

pytestmark = pytest.mark.slow


@dataclass
class Published:
    lake: Lake
    writer: Host
    reader: Host
    file: Path  # the same replay in the single-file mode
    first_run: str
    second_run: str


def _run_id(stdout: str) -> str:
    found = re.findall(r"\b(\d{8}T\d{6}Z-[0-9a-f]{6})\b", stdout)
    assert found, stdout[-2000:]
    return found[0]


@pytest.fixture(scope="module")
def published(postgres: Cluster, tmp_path_factory) -> Published:
    root = tmp_path_factory.mktemp("team-run")
    lake = new_lake(postgres, root)
    writer, reader = host(lake, root, "writer"), host(lake, root, "reader")
    first = writer.ok("run", "--replay")
    second = reader.ok("run", "--replay", "--source", "nyfed_rates")  # a second host: pulls, then publishes
    file_host = host(lake, root, "file")
    file = file_host.root / "qtwatch.duckdb"
    file_host.ok("run", "--replay", QTWATCH_WAREHOUSE=str(file))
    file_host.ok("run", "--replay", "--source", "nyfed_rates", QTWATCH_WAREHOUSE=str(file))
    return Published(lake, writer, reader, file, _run_id(first), _run_id(second))


def _lake_frames(published: Published, sql_by_table: dict[str, str]) -> dict[str, pl.DataFrame]:
    con = lakes.connect_readonly(lakes.Lake(published.lake.url))
    with con:
        return {name: con.execute(sql).pl() for name, sql in sql_by_table.items()}


def _file_frames(published: Published, sql_by_table: dict[str, str]) -> dict[str, pl.DataFrame]:
    with duckdb.connect(str(published.file), read_only=True) as con:
        return {name: con.execute(sql).pl() for name, sql in sql_by_table.items()}


def _marts(published: Published) -> list[str]:
    with duckdb.connect(str(published.file), read_only=True) as con:
        rows = con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' ORDER BY 1").fetchall()
    return [f"marts.{name}" for (name,) in rows]


def test_the_same_replay_gives_identical_marts_in_both_modes(published):
    marts = _marts(published)
    assert len(marts) >= 15
    queries = {name: f"SELECT * FROM {name} ORDER BY ALL" for name in marts}
    in_lake, in_file = _lake_frames(published, queries), _file_frames(published, queries)
    for name in marts:
        assert in_lake[name].height > 0, f"{name} is empty in the lake"
        assert in_lake[name].equals(in_file[name]), f"{name} differs between the lake and the file"


def test_known_on_and_the_core_tables_agree_with_the_file_mode(published):
    day = "DATE '2025-06-30'"
    queries = {
        "known_on": f"SELECT * EXCLUDE (load_id, fetched_at) FROM core.fred_observations_known_on({day}) ORDER BY ALL",
        "core": "SELECT * EXCLUDE (load_id, fetched_at) FROM core.nyfed_reference_rates ORDER BY ALL",
        "runs": "SELECT count(*) AS runs FROM meta.runs",
    }
    in_lake, in_file = _lake_frames(published, queries), _file_frames(published, queries)
    assert in_lake["known_on"].height > 1000
    for name in queries:
        assert in_lake[name].equals(in_file[name]), name


def test_sql_on_a_host_that_never_ran_reads_the_lake(published, tmp_path):
    analyst = host(published.lake, tmp_path, "analyst")
    out = analyst.ok("sql", "SELECT count(*) AS runs FROM meta.runs")
    assert out.split() == ["runs", "2"]
    assert not analyst.working_copy.exists()  # reading never pulls a working copy


def test_time_travel_by_run_id_shows_the_lake_as_that_run_left_it(published, tmp_path):
    analyst = host(published.lake, tmp_path, "analyst")
    out = analyst.ok("sql", "--at-run", published.first_run, "SELECT run_id FROM meta.runs")
    assert out.split() == ["run_id", published.first_run]
    done = analyst.qtwatch("sql", "--at-run", "20990101T000000Z-000000", "SELECT 1")
    assert done.returncode == 1 and "no run 20990101T000000Z-000000 in the lake" in done.stderr
    assert "Traceback" not in done.stderr


def test_status_report_and_docs_read_the_lake(published, tmp_path):
    analyst = host(published.lake, tmp_path, "analyst")
    status = analyst.ok("status")
    assert f"warehouse: {lakes.redact(published.lake.url)}" in " ".join(status.split())
    assert published.second_run in status
    analyst.ok("report", "--output", str(tmp_path / "report.html"))
    assert (tmp_path / "report.html").stat().st_size > 1_000_000
    analyst.ok("docs", "--output", str(tmp_path / "warehouse.md"))
    text = (tmp_path / "warehouse.md").read_text()
    assert "### `marts.reserves_weekly`" in text
    assert "Primary key: (`cusip`, `auction_date`)" in text  # declared by the schema, kept by the working copy


def test_the_lake_is_read_only_and_locked_down_for_analysts(published, tmp_path):
    analyst = host(published.lake, tmp_path, "analyst")
    for statement in (
        "SELECT * FROM read_csv('/etc/passwd')",
        "ATTACH '/tmp/other.duckdb' AS other",
        "SET enable_external_access = true",
    ):
        done = analyst.qtwatch("sql", statement)
        assert done.returncode == 1 and "Traceback" not in done.stderr, statement
    con = lakes.connect_readonly(lakes.Lake(published.lake.url))
    with con, pytest.raises(duckdb.Error):
        con.execute("DELETE FROM meta.runs")


def test_each_run_is_one_commit_tagged_with_its_run_id(published):
    con = duckdb.connect()
    lakes.load_extensions(con)
    lakes.attach(con, lakes.Lake(published.lake.url), read_only=True)
    tagged = [
        json.loads(extra)["run_id"]
        for (extra,) in con.execute(
            f"SELECT commit_extra_info FROM {lakes.ALIAS}.snapshots() WHERE commit_extra_info IS NOT NULL "
            "ORDER BY snapshot_id"
        ).fetchall()
    ]
    assert tagged == [published.first_run, published.second_run]


def test_the_second_host_pulled_the_lake_before_it_ran(published):
    held = lakes.Held.read(published.reader.working_copy)
    assert held is not None and held.tables["meta.runs"][0] == 2
    with duckdb.connect(str(published.reader.working_copy), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM meta.runs").fetchall() == [(2,)]


def test_an_as_of_that_would_rewrite_the_lakes_history_is_refused_before_anything_runs(published, tmp_path):
    other = host(published.lake, tmp_path, "other")  # a host with no working copy: the lake itself is checked
    done = other.qtwatch("run", "--replay", "--as-of", "2025-06-30")
    assert done.returncode == 2 and "already knows the world as of" in done.stderr, done.stderr[-2000:]
    assert not other.working_copy.exists()
    out = other.ok("sql", "SELECT count(*) AS runs FROM meta.runs")
    assert out.split() == ["runs", "2"]
