"""Team mode under attack: kill -9 just before and just after the lake's commit, a second writer whose working copy
went stale, readers in another process during commits, and a password in the conninfo."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.team_tests.conftest import Host, Lake, host
from warehouse import db, lake_sync
from warehouse import lake as lakes
from warehouse.base import WarehouseError

pytestmark = pytest.mark.slow

SMALL = ("run", "--replay", "--source", "nyfed_rates")  # one source: the fastest run that publishes
COMMITS = 20
READERS = 2  # processes reading the lake in a loop while the commits land


def lake_state(lake: Lake) -> tuple[int, dict[str, list[int]]]:
    """The lake's current snapshot and every table's (rows, hash)."""
    with duckdb.connect() as con:
        lakes.load_extensions(con)
        lakes.attach(con, lakes.Lake(lake.url), read_only=True)
        return lakes.current_snapshot(con), lakes.fingerprints(con, lakes.ALIAS)


def runs_in_lake(lake: Lake) -> list[str]:
    con = lakes.connect_readonly(lakes.Lake(lake.url))
    with con:
        return [r for (r,) in con.execute("SELECT run_id FROM meta.runs ORDER BY started_at").fetchall()]


def leftovers(h: Host) -> list[str]:
    """Files in the working copy's folder that are neither the copy, its sidecar nor a run's outputs."""
    keep = {"qtwatch.duckdb", "qtwatch.duckdb.lake.json", ".qtwatch.duckdb.lock", "report.html", "gx", "gx_docs"}
    keep |= {p.name for p in h.workdir.glob("plotly-*.min.js")}  # the report's bundled plotly.js
    return sorted(p.name for p in h.workdir.iterdir() if p.name not in keep)


@pytest.mark.parametrize("point", ["lake-before-commit", "lake-committed"])
def test_kill_9_at_the_commit_leaves_a_whole_snapshot_and_the_next_run_completes(lake, tmp_path, point):
    a = host(lake, tmp_path, "a")
    a.ok(*SMALL)
    before = lake_state(lake)
    killed = a.qtwatch(*SMALL, QTWATCH_FAULT_AT=point)
    assert killed.returncode != 0, killed.stdout[-2000:]
    after_kill = lake_state(lake)
    if point == "lake-before-commit":
        assert after_kill == before  # nothing of the killed run reached the lake
    else:
        assert after_kill[0] == before[0] + 1  # the commit is whole: the working copy is what is behind
        assert lakes.Held.read(a.working_copy).snapshot == before[0]
    a.ok(*SMALL)
    runs = runs_in_lake(lake)
    assert len(runs) == (2 if point == "lake-before-commit" else 3)
    assert lakes.Held.read(a.working_copy).snapshot == lake_state(lake)[0]
    assert leftovers(a) == []


def test_a_second_writer_with_a_stale_copy_is_refused_and_nothing_is_lost(lake, tmp_path):
    a, b = host(lake, tmp_path, "a"), host(lake, tmp_path, "b")
    a.ok(*SMALL)
    lake_sync.pull(lakes.Lake(lake.url), b.working_copy)  # b is up to date ...
    a.ok(*SMALL)  # ... until a publishes again
    before = lake_state(lake)
    with (
        pytest.raises(WarehouseError, match="another writer published to the lake") as refused,
        db.staged(b.working_copy) as con,
    ):
        con.execute("DELETE FROM meta.runs")  # whatever b would write, it must not land
        lake_sync.push(con, lakes.Lake(lake.url), b.working_copy, "stale-writer")
    assert "run again" in str(refused.value)
    assert lake_state(lake) == before
    assert len(runs_in_lake(lake)) == 2
    b.ok(*SMALL)  # b's next run pulls first and publishes
    assert len(runs_in_lake(lake)) == 3


READER = """
import json, sys, time
from pathlib import Path
from warehouse import lake as lakes
url, stop = sys.argv[1], Path(sys.argv[2])
reads = errors = inconsistent = 0
seen = set()
while not stop.exists():
    try:
        con = lakes.connect_readonly(lakes.Lake(url))
        with con:
            runs, orphans = con.execute(
                "SELECT (SELECT count(*) FROM meta.runs), (SELECT count(*) FROM meta.runs r WHERE NOT EXISTS "
                "(SELECT 1 FROM meta.loads l WHERE l.run_id = r.run_id))").fetchall()[0]
        reads += 1
        inconsistent += orphans != 0
        seen.add(runs)
    except Exception as exc:
        errors += 1
        print(repr(exc), file=sys.stderr)
print(json.dumps({"reads": reads, "errors": errors, "inconsistent": inconsistent, "versions": len(seen)}))
"""


def _commit_synthetic_run(target: lakes.Lake, working: Path, k: int) -> None:
    """Synthetic (test-only) bookkeeping: one more run with one load, committed together."""
    with db.staged(working) as con:
        run = f"synthetic-{k:03d}"
        con.execute("INSERT INTO meta.runs (run_id, status) VALUES (?, 'Completed')", [run])
        con.execute("INSERT INTO meta.loads (load_id, run_id, status) VALUES (?, ?, 'published')", [run + "-x", run])
        held = lake_sync.push(con, target, working, run)
    held.write(working)


def test_readers_in_another_process_never_fail_and_see_whole_commits(lake, tmp_path):
    a = host(lake, tmp_path, "a")
    a.ok(*SMALL)
    stop = tmp_path / "stop"
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER, lake.url, str(stop)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(READERS)
    ]
    try:
        time.sleep(1.0)
        target = lakes.Lake(lake.url, str(lake.data_path) + "/")
        for k in range(COMMITS):
            _commit_synthetic_run(target, a.working_copy, k)
    finally:
        stop.touch()
        ended = [reader.communicate(timeout=120) for reader in readers]
    for out, err in ended:
        result = json.loads(out)
        sys.stdout.write(f"reader during {COMMITS} commits: {result}\n")  # the closing note's figures (pytest -s)
        assert result["errors"] == 0, err[-2000:]
        assert result["inconsistent"] == 0
        assert result["reads"] >= COMMITS and result["versions"] >= 5, result
    assert len(runs_in_lake(lake)) == COMMITS + 1
    _maintenance_keeps_every_row_and_the_next_commit_works(lake, a, target)


def _maintenance_keeps_every_row_and_the_next_commit_works(lake: Lake, a: Host, target: lakes.Lake) -> None:
    """After many commits: `qtwatch maintain --keep-days 0` merges files and expires every older snapshot; the rows
    are the same, an expired run is no longer reachable by --at-run, and the next commit works."""
    snapshot, rows = lake_state(lake)
    out = a.ok("maintain", "--keep-days", "0")
    files = [int(n.replace(",", "")) for n in out.split("data files ")[1].split(",")[0].split(" -> ")]
    assert files[1] <= files[0] and "snapshots" in out and out.strip().endswith("-> 1"), out
    assert lake_state(lake)[1] == rows
    done = a.qtwatch("sql", "--at-run", "synthetic-000", "SELECT 1")
    assert done.returncode == 1 and "no run synthetic-000" in done.stderr
    # maintenance changes no row: the copy at most moves to a merge's new snapshot, and no table needs copying
    assert not lake_sync.pull(target, a.working_copy)
    _commit_synthetic_run(target, a.working_copy, COMMITS)
    assert len(runs_in_lake(lake)) == COMMITS + 2


def test_a_password_in_the_conninfo_never_reaches_output_files_or_the_lake(postgres, tmp_path):
    secret = "hunter2-team-secret"
    database = "lake_secret"
    postgres.create(database)
    target = Lake(postgres, database, tmp_path / "lake-data")
    a = host(target, tmp_path, "a")
    url = "ducklake:postgres:" + postgres.conninfo(database, password=secret)  # trust auth accepts any password
    done = a.qtwatch(*SMALL, QTWATCH_WAREHOUSE=url)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    status = a.qtwatch("status", QTWATCH_WAREHOUSE=url)
    broken = a.qtwatch("sql", "SELECT * FROM nowhere", QTWATCH_WAREHOUSE=url)
    down = a.qtwatch("sql", "SELECT 1", QTWATCH_WAREHOUSE=url.replace(f"port={postgres.port}", "port=1"))
    assert down.returncode == 1 and "cannot open the lake" in down.stderr and "Traceback" not in down.stderr
    for out in (done, status, broken, down):
        assert secret not in out.stdout + out.stderr
    for path in a.root.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path
    con = lakes.connect_readonly(lakes.Lake(url))
    with con:
        names = [n for (n,) in con.execute("SELECT schema_name || '.' || table_name FROM duckdb_tables()").fetchall()]
        for name in names:
            found = con.execute(f"SELECT count(*) FROM {name} t WHERE t::VARCHAR LIKE ?", [f"%{secret}%"]).fetchall()
            assert found == [(0,)], name
