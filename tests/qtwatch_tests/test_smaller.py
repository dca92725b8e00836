"""Issue 25 item 10, the smaller things an operator meets: `serve` on a busy port says so; `--debug` works after the
subcommand (where the error hint makes users put it); `make clean` keeps data/ (`make distclean` asks, then removes
it); `make help`; piped `qtwatch sql` output is CSV, not a box table; `.env.example` lists every setting.

Reproduce: .venv/bin/python -m pytest tests/qtwatch_tests/test_smaller.py -q
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_main(*argv: str, cwd: Path = ROOT, stdin: str | None = None) -> subprocess.CompletedProcess:
    """The `qtwatch` console script (qtwatch.cli.main) in a child, with its stdout a pipe."""
    code = f"from qtwatch.cli import main; main({list(argv)!r})"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120, input=stdin, check=False
    )


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_serve_on_a_busy_port_says_the_port_is_in_use(busy_port) -> None:
    done = run_main("serve", "--port", str(busy_port))
    assert done.returncode == 1
    assert f"port {busy_port} on 127.0.0.1 is already in use" in done.stderr
    assert f"--port {busy_port + 1}" in done.stderr
    assert "Traceback" not in done.stderr and "starting the Prefect server" not in done.stdout


def test_debug_after_the_subcommand_works(busy_port) -> None:
    done = run_main("serve", "--port", str(busy_port), "--debug")
    assert "No such option" not in done.stderr and "already in use" in done.stderr
    assert "Traceback" in done.stderr  # --debug: the traceback of the handled error too


def test_debug_is_not_taken_from_after_a_double_dash() -> None:
    from qtwatch.cli import hoist_debug

    assert hoist_debug(["sql", "--debug", "SELECT 1"]) == ["--debug", "sql", "SELECT 1"]
    assert hoist_debug(["sql", "--", "--debug"]) == ["sql", "--", "--debug"]
    assert hoist_debug(["--debug", "status"]) == ["--debug", "status"]


def test_piped_sql_output_is_csv_not_a_box_table(published) -> None:
    done = run_main("sql", "--warehouse", str(published), "SELECT 1 AS a, 'x y' AS b")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["a,b", "1,x y"]


@pytest.fixture
def make_dir(tmp_path) -> Path:
    """A folder with the Makefile, a fake virtualenv and a data/ folder holding a (fake) warehouse."""
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "qtwatch.duckdb").write_text("kept history")
    return tmp_path


def make(folder: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "-s", "-C", str(folder), *args], capture_output=True, text=True, input=stdin, timeout=60, check=False
    )


def test_make_clean_keeps_data(make_dir) -> None:
    assert make(make_dir, "clean").returncode == 0
    assert not (make_dir / ".venv").exists() and (make_dir / "data" / "qtwatch.duckdb").read_text() == "kept history"


def test_make_distclean_asks_before_deleting_data(make_dir) -> None:
    refused = make(make_dir, "distclean", stdin="n\n")
    assert refused.returncode != 0 and "kept data/" in refused.stdout and (make_dir / "data").is_dir()
    assert make(make_dir, "distclean", "YES=1").returncode == 0 and not (make_dir / "data").exists()


def test_make_help_lists_every_target() -> None:
    done = make(ROOT, "help")
    assert done.returncode == 0
    phony = (ROOT / "Makefile").read_text().split(".PHONY:")[1].split("\n\n")[0].replace("\\", " ").split()
    listed = {line.split()[1] for line in done.stdout.splitlines() if line.startswith("  make ")}
    assert set(phony) <= listed, set(phony) - listed


def test_env_example_lists_every_setting() -> None:
    from flows.settings import Settings

    text = (ROOT / ".env.example").read_text()
    names = []
    for name, info in Settings.model_fields.items():
        alias = getattr(info.validation_alias, "choices", None)
        names.append(str(alias[0]) if alias else f"QTWATCH_{name.upper()}")
    missing = [env for env in names if f"{env}=" not in text]
    assert not missing, f".env.example lacks {missing}"


def test_env_example_only_names_real_settings() -> None:
    from flows.settings import Settings

    known = {f"QTWATCH_{n.upper()}" for n in Settings.model_fields} | {"FRED_API_KEY"}
    heads = [
        line.lstrip("# ").split("=")[0] for line in (ROOT / ".env.example").read_text().splitlines() if "=" in line
    ]
    named = {head for head in heads if head.isupper() and " " not in head}
    assert named <= known, named - known


def test_dot_env_example_is_valid_settings(tmp_path) -> None:
    code = textwrap.dedent("""
        from flows.settings import get_settings
        print(get_settings().warehouse)
    """)
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 0 and done.stdout.strip() == "data/qtwatch.duckdb", done.stderr


def test_sigint_to_serves_pid_alone_stops_it(tmp_path) -> None:
    """Started in the background, SIGINT comes ignored; `kill -INT PID` must still stop serve. The served
    deployments are replaced by a wait (a real server takes minutes to start on two busy cores); by hand against a
    real server: `qtwatch serve &` then `kill -INT $!` stopped it in 5 s (it stayed up past 40 s before)."""
    import os
    import signal
    import time

    code = textwrap.dedent("""
        import time, flows.deployments as d
        def wait(replay=False):
            print("serving", flush=True)
            time.sleep(60)
        d.serve_deployments = wait
        import qtwatch.ops_commands as o
        o._set_up_alerts = lambda: "alerts: none"
        from qtwatch.cli import main
        main(["serve", "--no-server"])
    """)
    child = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PREFECT_API_URL": "http://127.0.0.1:9/api"},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )  # noqa: PLW1509
    try:
        assert child.stdout is not None
        assert "alerts: none" in child.stdout.readline() and "serving" in child.stdout.readline()
        started = time.monotonic()
        child.send_signal(signal.SIGINT)
        child.wait(timeout=20)
        assert time.monotonic() - started < 20 and child.returncode != 0
    finally:
        child.kill()
