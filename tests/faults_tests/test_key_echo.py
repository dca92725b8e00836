"""The FRED key never leaks, even when the server echoes it back: a real `qtwatch run` (own process, own Prefect
home) meets a FRED API 400 that repeats the request in every encoding; then stderr/stdout, every table of the
warehouse, every row of Prefect's database (logs, states, events, artifacts), every file the run wrote (report, Data
Docs, logs) and every webhook body are searched for the key in every form and any 8-character piece of it."""

from __future__ import annotations

import html
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, quote_plus

import duckdb
import pytest

pytestmark = pytest.mark.slow

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
# Synthetic key: FRED's are 32 hex characters; this one adds every character an encoding changes.
KEY = 'f0e1d2c3b4a5968778695a4b3c2d1e0f+/=&"\\ %k'
AS_OF = "2025-06-13"


def forms(value: str) -> set[str]:
    """The key as text can carry it: raw, URL-encoded (both cases, +/%20), JSON/repr/HTML-escaped."""
    escaped = {
        value,
        quote(value, safe=""),
        quote_plus(value, safe=""),
        quote(value),
        json.dumps(value)[1:-1],
        repr(value)[1:-1],
        html.escape(value),
        json.dumps(json.dumps(value)[1:-1])[1:-1],
    }
    return escaped | {f.lower() for f in escaped if "%" in f}


def pieces(value: str, size: int = 8) -> set[str]:
    """Every `size`-character piece of every form of the key (a partial echo is a leak too)."""
    return {f[i : i + size] for f in forms(value) for i in range(len(f) - size + 1)}


NEEDLES = sorted(pieces(KEY))


def hits(text: str) -> list[str]:
    return [n for n in NEEDLES if n in text]


def duckdb_text(path: Path) -> str:
    """Every value of every table of a DuckDB file, as text (the file itself is compressed: bytes would hide it)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()
        return "\n".join(str(con.execute(f'SELECT * FROM "{s}"."{t}"').fetchall()) for s, t in tables)
    finally:
        con.close()


def sqlite_text(path: Path) -> str:
    """Every value of every table of Prefect's SQLite database, as text."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return "\n".join(str(con.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables)
    finally:
        con.close()


@pytest.fixture(scope="module")
def leak_run(tmp_path_factory):
    """Run the echo scenario once in a child process; returns what to search."""
    from pytest_httpserver import HTTPServer

    work = tmp_path_factory.mktemp("key-echo")
    receiver = HTTPServer(host="127.0.0.1", port=0)
    receiver.expect_request("/hook", method="POST").respond_with_data("ok")
    receiver.start()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("QTWATCH_", "PREFECT_", "FRED_"))},
        "PREFECT_HOME": str(work / "prefect"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "FRED_API_KEY": KEY,
        "QTWATCH_WAREHOUSE": str(work / "qtwatch.duckdb"),
        "QTWATCH_GX_DOCS_DIR": str(work / "gx_docs"),
        "QTWATCH_REPORT_PATH": str(work / "report.html"),
        "QTWATCH_ALERT_WEBHOOK_URL": receiver.url_for("/hook"),
        "QTWATCH_HTTP_RETRIES": "0",
        "PYTHONPATH": str(ROOT),
        "COLUMNS": "200",
    }
    try:
        done = subprocess.run(
            [sys.executable, str(HERE / "key_echo_run.py"), str(work), AS_OF],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=400,
            check=False,
        )
        webhooks = [entry[0].get_data(as_text=True) for entry in receiver.log]
    finally:
        receiver.clear()
        receiver.stop()
    return work, done, webhooks


def test_the_run_failed_on_the_echoing_server(leak_run) -> None:
    work, done, webhooks = leak_run
    assert (work / "exit_code").read_text() == "1", done.stderr[-3000:]
    assert "FRED rejected the API key" in done.stdout + done.stderr
    assert webhooks and "REDACTED" in webhooks[0]  # the alert was sent, with the echo redacted


def test_no_key_on_stdout_or_stderr(leak_run) -> None:
    _, done, _ = leak_run
    assert hits(done.stdout) == [] and hits(done.stderr) == []


def test_no_key_in_any_warehouse_table(leak_run) -> None:
    work, _, _ = leak_run
    text = duckdb_text(work / "qtwatch.duckdb")
    assert "FRED rejected the API key" in text  # meta.loads.error holds the (redacted) echo
    assert hits(text) == []


def test_no_key_in_prefects_database(leak_run) -> None:
    work, _, _ = leak_run
    databases = list((work / "prefect").rglob("*.db"))
    assert databases
    text = "\n".join(sqlite_text(p) for p in databases)
    assert "FRED rejected the API key" in text  # logs and states were recorded there
    assert hits(text) == []


def test_no_key_in_any_file_the_run_wrote(leak_run) -> None:
    """Report, Data Docs, Prefect's files (logs, WAL, artifacts' storage): searched byte for byte."""
    work, _, _ = leak_run
    scanned = [p for p in work.rglob("*") if p.is_file() and p.suffix != ".duckdb"]
    assert any(p.name == "report.html" for p in scanned) and any("gx_docs" in p.parts for p in scanned)
    leaks = {str(p): found for p in scanned if (found := hits(p.read_bytes().decode("utf-8", "replace")))}
    assert leaks == {}


def test_no_key_in_the_webhook(leak_run) -> None:
    _, _, webhooks = leak_run
    assert [hits(body) for body in webhooks] == [[] for _ in webhooks]
