"""Team mode: the published warehouse is a DuckLake (catalog in PostgreSQL, data as Parquet in a folder or object
storage) that analysts on any host read, and one writer at a time publishes to.

A run works as in the single-file mode on a local *working copy* of the lake (`QTWATCH_LAKE_WORKDIR`, default
data/team/qtwatch.duckdb): staged, landed, rebuilt and validated there. Its publish is one DuckLake transaction that
replaces every table whose rows changed (compared by row count and hash), tagged with the run id (`commit_extra_info`);
the working copy is renamed over only after that commit. A crash before the commit leaves the lake's previous
snapshot; a crash after it leaves a working copy that is behind, so the next run pulls the lake first. A sidecar
(`qtwatch.duckdb.lake.json`) says which snapshot the working copy holds and each table's hash.

DuckLake runs here on the DuckDB 1.5 line: its extension (and the PostgreSQL scanner's) come as PyPI wheels for 1.5.5
(`make install-team`), loaded by path, never downloaded. DuckLake has no primary keys, indexes or sequences: the
working copy keeps them and checks every write; the lake holds the checked rows."""

from __future__ import annotations

import contextlib
import glob
import json
import os
import re
import site
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.base import WarehouseError

PREFIX = "ducklake:"
ALIAS = "qtwatch_lake"
SCHEMAS = ("meta", "ref", "raw", "core", "marts")
EXTENSIONS = ("postgres_scanner", "ducklake")
_SECRET = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)


class LakeMissing(WarehouseError):
    """The catalog database has no DuckLake yet (a read-only attach does not create one)."""


@dataclass(frozen=True)
class Lake:
    """A DuckLake warehouse: `ducklake:postgres:<libpq conninfo>`, with its data path (needed to create it)."""

    url: str
    data_path: str | None = None

    def __str__(self) -> str:
        return redact(self.url)


def is_lake(warehouse: object) -> bool:
    """True when a QTWATCH_WAREHOUSE value names a DuckLake rather than a file."""
    return str(warehouse).startswith(PREFIX)


def redact(text: str) -> str:
    """`text` with every libpq `password=...` value masked (a conninfo may carry one; it never reaches a log)."""
    return _SECRET.sub(r"\1***", text)


def password(conninfo: str) -> str | None:
    """The `password=` value of a libpq conninfo (unquoted), if it carries one: what redact() masks."""
    found = _SECRET.search(conninfo)
    return found.group(2).strip("'") if found else None


def display(warehouse: object) -> str:
    """How a warehouse is named to a user: a file by its absolute path, a lake by its URL with no password."""
    return redact(str(warehouse)) if is_lake(warehouse) else str(Path(str(warehouse)).resolve())


def sidecar(working: Path) -> Path:
    """The file beside the working copy saying which lake snapshot it holds."""
    return working.with_name(working.name + ".lake.json")


def extension_path(name: str) -> str:
    """The shipped binary of a DuckDB extension wheel (`duckdb-extension-<name>`) for this DuckDB."""
    version = duckdb.__version__
    for root in site.getsitepackages():
        found = glob.glob(f"{root}/duckdb_extension_{name}/extensions/v{version}/*.duckdb_extension")
        if found:
            return found[0]
    raise WarehouseError(
        f"team mode needs the DuckLake extension for DuckDB {version}, which this environment lacks: run "
        f"`make install-team` and use .venv-team/bin/qtwatch (DuckDB 1.5.5 with the extension wheels)"
    )


def load_extensions(con: duckdb.DuckDBPyConnection) -> None:
    """Load the PostgreSQL scanner and DuckLake by path: nothing is ever downloaded."""
    con.execute("SET autoinstall_known_extensions = false")
    for name in EXTENSIONS:
        con.execute(f"LOAD '{extension_path(name)}'")


def attach(con: duckdb.DuckDBPyConnection, lake: Lake, *, read_only: bool, snapshot: int | None = None) -> None:
    """ATTACH the lake as `qtwatch_lake` (read-only, or as of a snapshot); one clear line when it cannot be reached."""
    options = ["READ_ONLY"] if read_only else []
    if snapshot is not None:
        options.append(f"SNAPSHOT_VERSION {int(snapshot)}")
    if lake.data_path and not read_only:
        options.append(f"DATA_PATH '{_quote(lake.data_path)}'")
    clause = f" ({', '.join(options)})" if options else ""
    if lake.data_path:  # a writer creating files in object storage needs httpfs and the key before ATTACH
        object_store(con, lake.data_path)
    for attempt in (1, 2, 3):
        try:
            con.execute(f"ATTACH '{_quote(lake.url)}' AS {ALIAS}{clause}")
            object_store(con, data_path(con))
            return
        except duckdb.Error as exc:
            first = redact((str(exc).strip().splitlines() or [type(exc).__name__])[0])[:300]
            if read_only and "does not exist" in first and "creating a new DuckLake" in first:
                raise LakeMissing(f"no warehouse in the lake {lake} yet: run `qtwatch run` first") from None
            if attempt < 3 and "requires the extension httpfs" in first:  # a reader learns the lake is in S3 here
                con.execute(f"LOAD '{extension_path('httpfs')}'")
                continue
            if attempt < 3 and "already exists" in first:  # another writer created the lake meanwhile
                continue
            raise WarehouseError(
                f"cannot open the lake {lake}: {first}; check QTWATCH_WAREHOUSE (and that PostgreSQL is up)"
            ) from None


def data_path(con: duckdb.DuckDBPyConnection) -> str:
    """Where the attached lake keeps its data files (a folder, or s3://bucket/prefix/)."""
    return str(con.execute(f"SELECT value FROM {ALIAS}.options() WHERE option_name = 'data_path'").fetchall()[0][0])


def object_store(con: duckdb.DuckDBPyConnection, path: str) -> None:
    """For an s3:// data path: load httpfs (by path) and give this connection a temporary S3 secret from the
    standard AWS variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION; AWS_ENDPOINT_URL for an
    S3-compatible store). The key lives in this connection only: never in a setting, a log or the lake."""
    if not path.startswith("s3://"):
        return
    con.execute(f"LOAD '{extension_path('httpfs')}'")
    options = {"TYPE": "s3", "SCOPE": path}
    for option, variable in (("KEY_ID", "AWS_ACCESS_KEY_ID"), ("SECRET", "AWS_SECRET_ACCESS_KEY")):
        if os.environ.get(variable):
            options[option] = os.environ[variable]
    options["REGION"] = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    if endpoint := os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL"):
        scheme, _, host = endpoint.rpartition("://")
        options.update(ENDPOINT=host.rstrip("/"), URL_STYLE="path", USE_SSL="true" if scheme == "https" else "false")
    body = ", ".join(f"{k} {v}" if k in ("TYPE", "USE_SSL") else f"{k} '{_quote(v)}'" for k, v in options.items())
    con.execute(f"CREATE OR REPLACE TEMPORARY SECRET qtwatch_lake_s3 ({body})")


def current_snapshot(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute(f"SELECT max(snapshot_id) FROM {ALIAS}.snapshots()").fetchall()[0][0])


def snapshot_of_run(con: duckdb.DuckDBPyConnection, run_id: str) -> int | None:
    """The snapshot a run committed (its id is in the commit's extra info), None when no run has that id."""
    rows = con.execute(
        f"SELECT snapshot_id, commit_extra_info FROM {ALIAS}.snapshots() WHERE commit_extra_info IS NOT NULL"
    ).fetchall()
    for snapshot, extra in rows:
        with contextlib.suppress(ValueError, TypeError):
            if json.loads(extra).get("run_id") == run_id:
                return int(snapshot)
    return None


def connect_readonly(lake: Lake, *, at_run: str | None = None) -> duckdb.DuckDBPyConnection:
    """An analyst's connection: the lake attached read-only (as of a run's snapshot with `at_run`) and made the
    default catalog; then no file outside the lake's data path, no ATTACH, no setting can change (LOCKED_DOWN)."""
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    try:
        load_extensions(con)
        snapshot = None
        if at_run is not None:
            attach(con, lake, read_only=True)
            snapshot = snapshot_of_run(con, at_run)
            if snapshot is None:
                raise WarehouseError(f"no run {at_run} in the lake {lake}: `qtwatch status` lists the runs")
            con.execute(f"DETACH {ALIAS}")
        attach(con, lake, read_only=True, snapshot=snapshot)
        _require_built(con, lake)
        con.execute(f"USE {ALIAS}")
        con.execute("SET allowed_directories = ?", [[data_path(con)]])
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


def _require_built(con: duckdb.DuckDBPyConnection, lake: Lake) -> None:
    tables = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'meta'", [ALIAS]
    ).fetchall()[0][0]
    if not tables:
        raise WarehouseError(f"no warehouse in the lake {lake} yet: run `qtwatch run --replay` (or a live run) first")


@dataclass(frozen=True)
class Held:
    """What a working copy holds: the lake snapshot it equals and each table's (rows, hash) at that snapshot."""

    snapshot: int
    tables: dict[str, list[int]]

    @classmethod
    def read(cls, working: Path) -> Held | None:
        try:
            data = json.loads(sidecar(working).read_text())
            return cls(int(data["snapshot"]), {k: list(v) for k, v in data["tables"].items()})
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write(self, working: Path) -> None:
        path = sidecar(working)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(json.dumps({"snapshot": self.snapshot, "tables": self.tables}, sort_keys=True))
        temporary.replace(path)


def tables(con: duckdb.DuckDBPyConnection, database: str) -> list[str]:
    """`schema.table` of every qtwatch table in `database`."""
    rows = con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name IN "
        f"({', '.join('?' for _ in SCHEMAS)}) ORDER BY ALL",
        [database, *SCHEMAS],
    ).fetchall()
    return [f"{schema}.{table}" for schema, table in rows]


def fingerprints(con: duckdb.DuckDBPyConnection, database: str) -> dict[str, list[int]]:
    """(row count, sum of row hashes) of every qtwatch table in `database`: equal when the rows are."""
    found = {}
    for name in tables(con, database):
        rows, total = con.execute(
            f"SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM {_ref(database, name)} t"
        ).fetchall()[0]
        found[name] = [int(rows), int(total)]
    return found


def _ref(database: str, name: str) -> str:
    schema, table = name.split(".")
    return f'{database}."{schema}"."{table}"'


def _quote(text: str) -> str:
    return text.replace("'", "''")


@contextlib.contextmanager
def attached(
    con: duckdb.DuckDBPyConnection, lake: Lake, *, read_only: bool, snapshot: int | None = None
) -> Iterator[None]:
    """The lake attached to a working-copy connection for the block (as of `snapshot` when given), detached after
    it (even when it fails)."""
    load_extensions(con)
    attach(con, lake, read_only=read_only, snapshot=snapshot)
    try:
        yield
    finally:
        with contextlib.suppress(duckdb.Error):
            con.execute(f"DETACH {ALIAS}")
