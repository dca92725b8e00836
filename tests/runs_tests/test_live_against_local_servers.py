"""`qtwatch run` in live mode with every base URL pointed at the local fake host serving real recorded bodies over
plain http://: every source lands (issue 11), through the same retry, pacing and redaction as https."""

import os
from datetime import date
from unittest import mock

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from qtwatch.cli import app
from tests.support.fake_host import FakeHost
from tests.support.flow_runs import read_loads, warehouse_env
from transforms.registry import DATASETS, SOURCES
from warehouse.db import connect_readonly

pytestmark = pytest.mark.slow  # two whole live runs (~110 s): `make test-slow`, which CI runs

AS_OF = date(2026, 2, 6)  # the NY Fed recordings' last day
API_KEY = "abcdefabcdef0123456789spinetests"  # synthetic, the shape of a FRED key


def _live_run(host: FakeHost, httpserver: HTTPServer, tmp_path, extra_env: dict[str, str] | None = None):
    wire = host.on_wire(httpserver)
    warehouse = tmp_path / "qtwatch.duckdb"
    env = {
        **wire,
        "QTWATCH_REPORT_PATH": str(tmp_path / "report.html"),
        **(extra_env or {}),
    }
    with warehouse_env(warehouse), mock.patch.dict(os.environ, env):
        result = CliRunner().invoke(app, ["run", "--as-of", AS_OF.isoformat()])
    con = connect_readonly(warehouse)
    try:
        run_id = con.execute("SELECT run_id FROM meta.runs ORDER BY started_at DESC LIMIT 1").fetchall()[0][0]
        counts = {
            t: con.execute(f"SELECT count(*) FROM raw.{t}").fetchall()[0][0]  # noqa: S608 - fixed names
            for t in DATASETS
        }
        urls = [r[0] for r in con.execute("SELECT DISTINCT source_url FROM raw.fred_observations").fetchall()]
    finally:
        con.close()
    return result, read_loads(warehouse, run_id), counts, urls


@pytest.mark.parametrize("keyed", [False, True], ids=["keyless", "keyed"])
def test_live_run_lands_every_source_from_local_servers(prefect_harness, fake_host, httpserver, tmp_path, keyed):
    env = {"FRED_API_KEY": API_KEY} if keyed else {}
    result, loads, counts, urls = _live_run(fake_host(AS_OF, fixtures=True), httpserver, tmp_path, env)
    statuses = {s: r["status"] for s, r in loads.items()}
    assert statuses == {s: "published" for s in statuses}, result.output
    assert set(SOURCES) <= set(loads)
    assert result.exit_code == 0, result.output
    assert counts["treasury_auctions"] == 25  # the whole recorded page
    assert counts["nyfed_rp_operations"] == 33 and counts["nyfed_reference_rates"] == 6  # incl. the SOFRAI row
    assert counts["dts_operating_cash_balance"] > 0 and counts["fred_observations"] > 10_000
    assert all(u.startswith("http://localhost:") for u in urls)
    assert all(API_KEY not in u for u in urls)
