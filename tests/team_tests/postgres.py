"""A throw-away PostgreSQL cluster for the team-mode tests: Debian's `postgresql` (`make postgresql` installs it as
root), initialised in a temporary folder with trust authentication on 127.0.0.1 and a free port, removed after.

PostgreSQL refuses to run as root: as root the cluster runs as the `postgres` user (its folder is made traversable
for it); otherwise as the current user."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


def bin_dir() -> Path:
    """The folder holding initdb and pg_ctl: on PATH, else Debian's /usr/lib/postgresql/<version>/bin (newest)."""
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not candidates:
        raise RuntimeError("PostgreSQL not found: run `make postgresql` as root (apt-get install -y postgresql)")
    return Path(candidates[-1]).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Cluster:
    """One running cluster: `conninfo(db)` for libpq, `create(db)` for a new database."""

    folder: Path
    port: int
    bin: Path

    @classmethod
    def start(cls) -> Cluster:
        folder = Path(tempfile.mkdtemp(prefix="qtwatch-pg-"))
        cluster = cls(folder, free_port(), bin_dir())
        if os.geteuid() == 0:
            folder.chmod(0o755)
            shutil.chown(folder, user="postgres")
        cluster._as_owner([str(cluster.bin / "initdb"), "-D", str(folder / "data"), "-U", "postgres", "--auth=trust"])
        options = f"-p {cluster.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        cluster._as_owner(
            [str(cluster.bin / "pg_ctl"), "-D", str(folder / "data"), "-o", options, "-l", str(folder / "log"), "-w"]
            + ["start"]
        )
        return cluster

    def _as_owner(self, command: list[str]) -> None:
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=self.folder)
        if result.returncode:
            log = (self.folder / "log").read_text()[-2000:] if (self.folder / "log").exists() else ""
            raise RuntimeError(f"{command[-1]} failed ({result.returncode}): {result.stderr[-2000:]}\n{log}")

    def conninfo(self, database: str, user: str = "postgres", password: str | None = None) -> str:
        secret = f" password={password}" if password else ""
        return f"dbname={database} host=127.0.0.1 port={self.port} user={user}{secret}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        command = [self._client("psql"), "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1"]
        command += ["-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database, "-c", sql]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        if result.returncode:
            raise RuntimeError(f"psql failed: {result.stderr}")
        return result.stdout

    def _client(self, name: str) -> str:
        return str(self.bin / name) if (self.bin / name).exists() else (shutil.which(name) or name)

    def create(self, database: str) -> str:
        """A new empty database; its conninfo."""
        self.psql(f'CREATE DATABASE "{database}"')
        return self.conninfo(database)

    def stop(self) -> None:
        try:
            self._as_owner([str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "stop"])
        finally:
            time.sleep(0.2)
            shutil.rmtree(self.folder, ignore_errors=True)


def owner_exists() -> bool:
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return False
    return True
