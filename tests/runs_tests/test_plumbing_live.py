"""`qtwatch run --source nyfed_pd --source ofr_stfm` in live mode against a local server on 127.0.0.1 playing the
real recorded primary dealer and OFR bodies (the OFR's total volumes are unrecorded and answer []): the values land."""

import json
import os
from datetime import date
from unittest import mock

import pytest
from typer.testing import CliRunner

from flows.replay import ReplayCall
from flows.sources import ofr_stfm as ofr_source
from qtwatch.cli import app
from tests.conftest import REPLAY_DIR
from tests.support.flow_runs import read_loads, warehouse_env
from transforms import ofr_stfm
from warehouse.db import connect_readonly

AS_OF = date(2026, 2, 6)


@pytest.mark.slow
def test_live_run_lands_recorded_dealer_statistics(prefect_harness, fake_host, httpserver, tmp_path):
    wire = fake_host(AS_OF, fixtures=True).on_wire(httpserver)
    warehouse = tmp_path / "qtwatch.duckdb"
    env = {**wire, "QTWATCH_REPORT_PATH": str(tmp_path / "report.html")}
    with warehouse_env(warehouse), mock.patch.dict(os.environ, env):
        result = CliRunner().invoke(
            app, ["run", "--source", "nyfed_pd", "--source", "ofr_stfm", "--as-of", AS_OF.isoformat()]
        )
    con = connect_readonly(warehouse)
    try:
        run_id = con.execute("SELECT run_id FROM meta.runs ORDER BY started_at DESC LIMIT 1").fetchall()[0][0]
        rows = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE suppressed), count(value_mn) FROM core.nyfed_pd"
        ).fetchall()[0]
        total = con.execute(
            "SELECT value_mn, series_break FROM core.nyfed_pd WHERE keyid = 'PDPOSGST-TOT' "
            "AND as_of_date = DATE '2022-01-05'"
        ).fetchall()
        urls = [r[0] for r in con.execute("SELECT DISTINCT source_url FROM raw.nyfed_pd").fetchall()]
        ofr = con.execute("SELECT count(*) FROM raw.ofr_stfm").fetchall()[0][0]
    finally:
        con.close()
    loads = read_loads(warehouse, run_id)
    assert {s: r["status"] for s, r in loads.items()} == {"nyfed_pd": "published", "ofr_stfm": "published"}, (
        result.output
    )
    assert result.exit_code == 0, result.output
    # replay/nyfed/pd_get.json up to the as-of: 182 observations of 2021-12..2022-02 (16 key ids, two from
    # 2022-01-05; 7 suppressed cells NULL) + 14 positions key ids x 4 weeks of 2025-03..04
    assert rows == (238, 7, 231)
    assert total == [(112141.0, "SBN2022")]  # the recorded "112141"
    assert len(urls) == 1 and urls[0].startswith("http://localhost:") and "/pd/get/PDPOSGST-TOT_" in urls[0]
    # the recorded OFR rates the replay serves as of the run (each vintage's publication lag), volumes none
    served = sum(
        len(
            json.loads(
                ofr_source.replay(
                    ReplayCall(REPLAY_DIR, "ofr_url", ofr_source.TIMESERIES_PATH, {"mnemonic": m}, AS_OF)
                )[1]
            )
        )
        for m in ofr_stfm.MNEMONICS
    )
    assert ofr == served == 807
