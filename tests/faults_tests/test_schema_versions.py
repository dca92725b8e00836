"""Version skew (issue 28.2, issue 21's numbered migrations): a warehouse records the schema version that wrote it;
a newer one is refused in one line; an older one is migrated in place, in one transaction, without fake revisions;
the previous release (162efbd) fails on a current warehouse before it changes anything, and a warehouse it touched
before versions existed is repaired. The previous release's DDL is a fixture (tests/fixtures/releases/162efbd);
every row landed here is SYNTHETIC."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests.faults_tests.conftest import copy_of, shared_api_env
from tests.faults_tests.harness import KILL_AS_OF, ROOT, case_env, inspect, leftovers, run_cli, sha256
from transforms.registry import DATASETS
from warehouse import build, db, load

OLD_RELEASE = ROOT / "tests" / "fixtures" / "releases" / "162efbd" / "schema"
OPERATIONS = DATASETS["nyfed_rp_operations"]
LANDED_AT = datetime(2026, 1, 2, 14, tzinfo=UTC)


def columns(con: duckdb.DuckDBPyConnection, schema: str) -> dict[str, list[tuple[str, str]]]:
    """Table -> [(column, type)] of one schema, in column order."""
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE schema_name = ? "
        "ORDER BY table_name, column_index",
        [schema],
    ).fetchall()
    found: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        found.setdefault(table, []).append((column, data_type))
    return found


def previous_release_builds(con: duckdb.DuckDBPyConnection) -> None:
    """What 162efbd's warehouse.db.apply_schema runs at the start of every run: drop every mart its own DDL
    declares otherwise (or not at all), then each of its CREATE scripts in order."""
    ddl = [path.read_text() for path in sorted(OLD_RELEASE.glob("*.sql"))]
    with duckdb.connect() as scratch:
        for statements in ddl:
            scratch.execute(statements)
        wanted = columns(scratch, "marts")
    for table, held in columns(con, "marts").items():
        if wanted.get(table) != held:
            con.execute(f"DROP TABLE marts.{table}")
    for statements in ddl:
        con.execute(statements)


def as_built_before_versions(con: duckdb.DuckDBPyConnection) -> None:
    """Make a current warehouse look like one main built before schema versions (no meta.schema_version, no
    meta.schema_columns, meta.schema_comments without its CHECK)."""
    con.execute("""
        DROP TABLE meta.schema_version;
        DROP TABLE meta.schema_columns;
        CREATE TABLE meta.kept AS SELECT * FROM meta.schema_comments;
        DROP TABLE meta.schema_comments;
        CREATE TABLE meta.schema_comments (schema_name VARCHAR PRIMARY KEY, comment VARCHAR);
        INSERT INTO meta.schema_comments SELECT * FROM meta.kept;
        DROP TABLE meta.kept;
    """)


def land_synthetic_operation(con: duckdb.DuckDBPyConnection, load_id: str) -> None:
    """SYNTHETIC: one repo operation landed by a load recorded in meta.loads, as the previous release landed it."""
    con.execute(
        "INSERT INTO meta.loads (load_id, run_id, source, dataset, status, finished_at) "
        "VALUES (?, 'run-1', 'nyfed_repo', 'nyfed_rp_operations', 'published', ?)",
        [load_id, LANDED_AT],
    )
    con.execute(
        "INSERT INTO raw.nyfed_rp_operations (operation_id, operation_date, operation_type, "
        "total_amt_accepted_usd, load_id, fetched_at, as_of) VALUES ('RP 010226 1', DATE '2026-01-02', "
        "'Repo', 5e9, ?, ?, DATE '2026-01-02')",
        [load_id, LANDED_AT],
    )


def synthetic_batch(accepted_usd: float) -> pl.DataFrame:
    """SYNTHETIC: the same operation fetched again by the current release, which also keeps `extra`."""
    return pl.DataFrame(
        {
            "operation_id": ["RP 010226 1"],
            "operation_date": [date(2026, 1, 2)],
            "operation_type": ["Repo"],
            "total_amt_accepted_usd": [accepted_usd],
            "extra": ['{"auctionStatus": "Results"}'],
        }
    )


def versions(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str]]:
    return con.execute("SELECT version, how FROM meta.schema_version ORDER BY version").fetchall()


def test_a_new_warehouse_records_every_migration_as_created():
    con = duckdb.connect()
    assert db.ensure_built(con) is True
    assert versions(con) == [(m.version, "created") for m in build.migrations()]
    assert build.held_version(con) == build.schema_version() >= 2
    assert db.ensure_built(con) is False  # same version, same files: nothing to do


def test_a_warehouse_of_the_previous_release_is_migrated_in_place_without_fake_revisions():
    con = duckdb.connect()
    previous_release_builds(con)
    land_synthetic_operation(con, "run-1-nyfed_repo")
    con.execute("CREATE SCHEMA core; CREATE TABLE core.nyfed_rp_operations AS SELECT * FROM raw.nyfed_rp_operations")
    assert build.held_version(con) == 0

    assert db.ensure_built(con) is True
    assert versions(con) == [(m.version, "migrated") for m in build.migrations()]
    assert ("extra", "VARCHAR") in columns(con, "raw")["nyfed_rp_operations"]
    assert "nyfed_rp_operations" not in columns(con, "core")  # of the old shape: dropped, the run rebuilds it
    assert {"basis_weekly", "funding_calendar"} <= set(columns(con, "marts"))
    assert ("security_class", "VARCHAR") in columns(con, "marts")["auction_health"]
    load.rebuild_core(con, {"nyfed_rp_operations": OPERATIONS})

    # the current release fetches the operation again: `extra` is filled in, not landed as a revision
    now = datetime(2026, 12, 6, tzinfo=UTC)
    assert (
        load.land(
            con, OPERATIONS, synthetic_batch(5e9), load_id="run-2-nyfed_repo", fetched_at=now, as_of=date(2026, 12, 6)
        )
        == 0
    )
    for table in ("raw.nyfed_rp_operations", "core.nyfed_rp_operations", "core.nyfed_rp_operations_history"):
        assert con.execute(f"SELECT count(*), count(extra) FROM {table}").fetchall() == [(1, 1)], table
    # a change of value still is a revision
    assert (
        load.land(
            con, OPERATIONS, synthetic_batch(6e9), load_id="run-3-nyfed_repo", fetched_at=now, as_of=date(2026, 12, 6)
        )
        == 1
    )


def test_a_row_landed_after_the_migration_keeps_its_null_as_a_value():
    con = duckdb.connect()
    previous_release_builds(con)
    db.ensure_built(con)
    land_synthetic_operation(con, "run-1-nyfed_repo")  # landed after the column existed: its NULL was sent
    con.execute("UPDATE meta.loads SET finished_at = now() + INTERVAL 1 MINUTE")
    assert (
        load.land(
            con,
            OPERATIONS,
            synthetic_batch(5e9),
            load_id="run-2-nyfed_repo",
            fetched_at=datetime.now(UTC),
            as_of=date(2026, 12, 6),
        )
        == 1
    )


def test_a_migrated_warehouse_has_every_table_and_column_a_new_one_has():
    """A column added to a CREATE script without its migration would be missing from every existing warehouse."""
    migrated, new = duckdb.connect(), duckdb.connect()
    previous_release_builds(migrated)
    db.ensure_built(migrated)
    db.ensure_built(new)
    for schema in ("meta", "ref", "raw", "marts"):
        have = {t: sorted(c) for t, c in columns(migrated, schema).items()}
        assert have == {t: sorted(c) for t, c in columns(new, schema).items()}, schema


def test_the_previous_release_fails_on_a_current_warehouse_before_it_changes_anything():
    con = duckdb.connect()
    db.ensure_built(con)
    # 162efbd runs this at the start of every run, inside its staging copy: it fails there and publishes nothing
    with pytest.raises(duckdb.ConstraintException, match="written by a newer qtwatch.*upgrade qtwatch"):
        previous_release_builds(con)


def test_a_warehouse_the_previous_release_touched_before_versions_is_repaired():
    con = duckdb.connect()
    db.ensure_built(con)
    as_built_before_versions(con)
    previous_release_builds(con)  # drops basis_weekly and funding_calendar, leaves meta.schema_build as it was
    assert not {"basis_weekly", "funding_calendar"} & set(columns(con, "marts"))
    assert con.execute("SELECT fingerprint FROM meta.schema_build").fetchall() == [(db.build_fingerprint(),)]

    assert db.ensure_built(con) is True
    assert {"basis_weekly", "funding_calendar"} <= set(columns(con, "marts"))
    assert ("security_class", "VARCHAR") in columns(con, "marts")["auction_health"]
    assert build.held_version(con) == build.schema_version()
    with pytest.raises(duckdb.ConstraintException):  # and from now on the previous release is refused
        previous_release_builds(con)


def test_a_newer_warehouse_is_refused_in_one_line_and_left_as_it_was(published):
    with duckdb.connect(str(published)) as con:
        con.execute("INSERT INTO meta.schema_version VALUES (999, '999_from_the_future.sql', now(), 'migrated')")
    before = sha256(published)
    with pytest.raises(db.WarehouseError) as refused, db.staged(published):
        pass
    message = str(refused.value)
    assert "written by a newer qtwatch" in message and "version 999" in message and "upgrade qtwatch" in message
    assert "\n" not in message
    assert sha256(published) == before and leftovers(published) == []
    with pytest.raises(db.WarehouseError, match="newer qtwatch"):
        db.check_publishable(published)  # `qtwatch run` refuses before Prefect starts


def test_a_migration_that_fails_half_way_changes_nothing(tmp_path, monkeypatch):
    con = duckdb.connect()
    db.ensure_built(con)
    before = build.held_version(con)
    folder = Path(shutil.copytree(build.MIGRATIONS_DIR, tmp_path / "migrations"))
    (folder / "900_half_way.sql").write_text(
        "ALTER TABLE raw.nyfed_rp_operations ADD COLUMN half_done VARCHAR;\n"
        "CREATE TABLE raw.half (x INTEGER);\nSELECT * FROM raw.no_such_table;\n"
    )
    monkeypatch.setattr(build, "MIGRATIONS_DIR", folder)
    with pytest.raises(db.WarehouseError, match="migration 900_half_way.sql failed.*nothing was changed"):
        db.ensure_built(con)
    assert build.held_version(con) == before
    assert "half_done" not in dict(columns(con, "raw")["nyfed_rp_operations"])
    assert "half" not in columns(con, "raw")


def test_a_new_table_in_a_new_ddl_file_needs_no_migration(tmp_path, monkeypatch):
    con = duckdb.connect()
    db.ensure_built(con)
    folder = Path(shutil.copytree(build.SCHEMA_DIR, tmp_path / "schema"))
    (folder / "045_raw_new_source.sql").write_text(
        "CREATE TABLE IF NOT EXISTS raw.new_source (date DATE NOT NULL, value DOUBLE, load_id VARCHAR NOT NULL);\n"
    )
    monkeypatch.setattr(build, "SCHEMA_DIR", folder)
    assert db.ensure_built(con) is True
    assert "new_source" in columns(con, "raw")
    assert build.held_version(con) == build.schema_version()


def test_migrations_are_numbered_once_and_the_create_scripts_alter_nothing(tmp_path):
    found = build.migrations()
    assert [m.version for m in found] == sorted({m.version for m in found})
    assert all(m.name[:3].isdigit() and m.name[3] == "_" for m in found)
    for script in sorted(build.SCHEMA_DIR.glob("*.sql")):
        assert "ALTER TABLE" not in script.read_text().upper(), f"{script.name}: a new column is a migration"
    (tmp_path / "003_a.sql").write_text("")
    (tmp_path / "003_b.sql").write_text("")
    with pytest.raises(ValueError, match="share a number"):
        build.migrations(tmp_path)


# The same cases as an operator meets them: `qtwatch run` in a process of its own on a copy of a full replay load.
RUN = ["run", "--replay", "--as-of", KILL_AS_OF, "--source", "nyfed_rates"]


@pytest.mark.slow
def test_qtwatch_run_repairs_a_warehouse_the_previous_release_touched(prepared, prefect_api, tmp_path):
    warehouse = copy_of(prepared, tmp_path / "wh")
    with duckdb.connect(str(warehouse)) as con:
        as_built_before_versions(con)
        previous_release_builds(con)
    done = run_cli(RUN, shared_api_env(tmp_path, warehouse, prefect_api))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Exception" not in done.stderr + done.stdout and "Traceback" not in done.stderr + done.stdout
    after = inspect(warehouse)
    assert after["ok"] and after["status"] == "Completed" and not after["core_mismatch"], after
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert {"basis_weekly", "funding_calendar"} <= set(columns(con, "marts"))
        assert build.held_version(con) == build.schema_version()
    assert leftovers(warehouse) == []


@pytest.mark.slow
def test_qtwatch_run_refuses_a_newer_warehouse_in_one_line(prepared, tmp_path):
    warehouse = copy_of(prepared, tmp_path / "wh")
    with duckdb.connect(str(warehouse)) as con:
        con.execute("INSERT INTO meta.schema_version VALUES (999, '999_from_the_future.sql', now(), 'migrated')")
    before = sha256(warehouse)
    done = run_cli(RUN, case_env(tmp_path, warehouse))
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].startswith("error:") and "newer qtwatch" in errors[0], done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert sha256(warehouse) == before and leftovers(warehouse) == []
