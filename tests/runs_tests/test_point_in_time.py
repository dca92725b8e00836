"""Point-in-time truth through the real flow (replay): a run as of D holds only what was published by the end of D
(New York), stamps every landed row with when it became public, and a run that would rewrite history is refused
before anything is fetched, leaving the warehouse byte-identical."""

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.support.flow_runs import run_flow
from tests.support.reader_loop import RECORDED
from transforms.registry import DATASETS
from transforms.registry import SOURCES as REGISTRY
from warehouse.db import connect_readonly

AS_OF = date(2025, 7, 2)  # a Wednesday: its own SOFR, DTS and H.4.1 week are published on the 3rd
SOURCES = list(REGISTRY)  # every registered source, CFTC and any added later
RECORDED_DATASETS = {REGISTRY[s].dataset.name for s in RECORDED}
END_OF_AS_OF = datetime.combine(AS_OF + timedelta(days=1), time(0), ZoneInfo("America/New_York"))


@pytest.fixture(scope="module")
def built(prefect_harness, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pit") / "qtwatch.duckdb"
    run = run_flow(path, AS_OF, SOURCES)
    assert run.status == "Completed", run.state.message
    return path


def dates(path: Path, sql: str) -> set[date]:
    with connect_readonly(path) as con:
        return {row[0] for row in con.execute(sql).fetchall()}


def test_sofr_and_the_dts_of_the_day_before_are_held_but_not_the_as_of_days(built):
    days = {AS_OF - timedelta(days=1), AS_OF}
    fred_sofr = dates(
        built, "SELECT date FROM core.fred_observations WHERE series_id = 'SOFR' AND date >= '2025-07-01'"
    )
    nyfed_sofr = dates(
        built,
        "SELECT effective_date FROM core.nyfed_reference_rates "
        "WHERE rate_type = 'SOFR' AND effective_date >= '2025-07-01'",
    )
    dts = dates(built, "SELECT record_date FROM core.dts_operating_cash_balance WHERE record_date >= '2025-07-01'")
    assert fred_sofr & days == nyfed_sofr & days == dts & days == {AS_OF - timedelta(days=1)}


def test_no_h41_week_ending_on_the_as_of_wednesday(built):
    walcl = dates(built, "SELECT date FROM core.fred_observations WHERE series_id = 'WALCL' AND date >= '2025-06-20'")
    assert walcl == {date(2025, 6, 25)}  # the week ending July 2 is published Thursday July 3


def test_same_day_releases_of_the_as_of_day_are_held(built):
    ops = dates(built, "SELECT operation_date FROM core.nyfed_rp_operations WHERE operation_date = '2025-07-02'")
    assert ops == {AS_OF}  # ON RRP / repo results are posted the same afternoon


def test_every_landed_row_says_when_it_became_public_and_none_after_the_as_of(built):
    with connect_readonly(built) as con:
        for table in DATASETS:
            missing, late, rows = con.execute(
                f"SELECT count(*) FILTER (WHERE published_at IS NULL), count(*) FILTER (WHERE published_at >= ?), "
                f"count(*) FROM raw.{table}",
                [END_OF_AS_OF],
            ).fetchall()[0]
            assert (table, missing, late) == (table, 0, 0)
            assert (rows > 0) == (table in RECORDED_DATASETS), (table, rows)  # OFR: no recording, no row


def test_valid_from_is_the_new_york_day_of_publication(built):
    with connect_readonly(built) as con:
        sofr = con.execute(
            "SELECT valid_from, published_at FROM core.fred_observations_history "
            "WHERE series_id = 'SOFR' AND date = '2025-07-01'"
        ).fetchall()
    assert sofr == [(AS_OF, datetime(2025, 7, 2, 8, tzinfo=ZoneInfo("America/New_York")))]


def test_an_earlier_as_of_is_refused_before_fetching_and_changes_no_byte(built, tmp_path):
    path = tmp_path / "qtwatch.duckdb"
    path.write_bytes(built.read_bytes())
    before = path.read_bytes()
    run = run_flow(path, date(2025, 6, 30), SOURCES)
    assert run.state.is_failed()
    assert run.state.message.startswith(f"run refused: {path} already knows the world as of {AS_OF}")
    assert "QTWATCH_WAREHOUSE=" in run.state.message  # says what to do
    assert path.read_bytes() == before  # no run, load, quarantine or mart written
    with connect_readonly(path) as con:
        assert con.execute("SELECT count(*) FROM meta.quarantine").fetchall() == [(0,)]


def test_an_as_of_before_any_history_is_refused(prefect_harness, tmp_path):
    path = tmp_path / "qtwatch.duckdb"
    run = run_flow_refused(path, date(1900, 1, 1))
    assert "is before any data" in run.message and not path.exists()


def run_flow_refused(path: Path, as_of: date):
    """A flow run that must be refused: its final state (no meta.runs row is written, so run_flow can't be used)."""
    from flows.pipeline import qtwatch_pipeline
    from tests.support.flow_runs import REPLAY, warehouse_env

    with warehouse_env(path):
        state = qtwatch_pipeline(sources=SOURCES, replay=True, as_of=as_of, replay_dir=str(REPLAY), return_state=True)
    assert state.is_failed()
    return state


def test_run_artifact_states_the_data_range_not_only_the_as_of(built):
    from flows.artifacts import run_markdown
    from warehouse.meta import RunSummary

    text = run_markdown(RunSummary("r", AS_OF, "replay", str(built)))
    # DGS10 starts in 1962; the latest held observations are the as-of day's same-day releases
    assert f"Data held: observation dates **1962-01-02** to **{AS_OF}** (run as of {AS_OF})." in text


def test_cli_vintages_lands_every_alfred_vintage_through_the_flow(prefect_harness, httpserver, tmp_path):
    import os
    from unittest import mock

    from typer.testing import CliRunner

    from qtwatch.cli import app
    from tests.support.alfred_fake import AlfredFake

    AlfredFake().install(httpserver)
    path = tmp_path / "qtwatch.duckdb"
    env = {
        "FRED_API_KEY": "k" * 32,
        "QTWATCH_FRED_API_URL": httpserver.url_for("/fred/"),
        "QTWATCH_WAREHOUSE": str(path),
        "QTWATCH_GX_DOCS_DIR": str(tmp_path / "gx"),
    }
    with mock.patch.dict(os.environ, env):
        result = CliRunner().invoke(app, ["run", "--source", "fred", "--vintages"], prog_name="qtwatch")
    assert result.exit_code == 0, result.output
    with connect_readonly(path) as con:
        walcl = con.execute("SELECT series_id, count(*) FROM raw.fred_observations GROUP BY ALL").fetchall()
        mode = con.execute("SELECT mode, status FROM meta.runs").fetchall()
    assert walcl == [("WALCL", 5)] and mode == [("vintages", "Completed")]  # the 5 synthetic versions


def test_cli_vintages_without_a_key_fails_with_one_line(prefect_harness, tmp_path):
    import os
    from unittest import mock

    from typer.testing import CliRunner

    from qtwatch.cli import app

    with mock.patch.dict(os.environ, {"QTWATCH_WAREHOUSE": str(tmp_path / "w.duckdb")}):
        os.environ.pop("FRED_API_KEY", None)
        result = CliRunner().invoke(app, ["run", "--source", "fred", "--vintages"], prog_name="qtwatch")
    assert result.exit_code == 1 and "FRED vintages need an API key" in result.output
    assert not (tmp_path / "w.duckdb").exists()
