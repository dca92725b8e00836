"""Every example query in warehouse/queries states its question, grain and units, and returns rows on the demo."""

from datetime import date

import pytest
from typer.testing import CliRunner

from qtwatch import analyst
from qtwatch.cli import app
from warehouse.db import connect_readonly

QUERIES = sorted(analyst.QUERIES_DIR.glob("*.sql"))


@pytest.fixture(scope="module")
def con(demo_path):
    connection = connect_readonly(demo_path)
    yield connection
    connection.close()


def test_there_are_at_least_ten_examples():
    assert len(QUERIES) >= 10


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_header_states_question_grain_units_parameters(path):
    header = analyst.query_header(path.read_text())
    assert {"question", "grain", "units", "parameters"} <= header.keys(), header.keys()
    assert header["question"].endswith("?")


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_query_runs_read_only_and_returns_rows(con, path):
    frame = analyst.run_query(con, path.read_text())
    assert frame.height > 0


def test_parameters_narrow_the_runoff_window(con):
    sql = analyst.query_file("qt_runoff_vs_cap").read_text()
    default = analyst.run_query(con, sql)
    later = analyst.run_query(con, sql, analyst.parse_params(["start_month=2024-06-01", "end_month=2024-12-01"]))
    assert later["month"].to_list() == [date(2024, m, 1) for m in range(6, 13)]
    assert default.height > later.height


def test_weakest_auctions_honours_n_and_kind(con):
    sql = analyst.query_file("weakest_auctions").read_text()
    frame = analyst.run_query(con, sql, analyst.parse_params(["n=3", "kind=Note"]))
    assert frame.height == 3
    assert set(frame["security_kind"]) == {"Note"}
    assert frame["btc_vs_prev6"].is_sorted()


def test_known_as_of_never_shows_a_later_observation(con):
    sql = analyst.query_file("known_as_of").read_text()
    for as_of in (date(2025, 6, 30), date(2026, 8, 31)):
        frame = analyst.run_query(con, sql, {"as_of": as_of})
        assert frame.height > 0
        assert frame["latest_known_date"].max() <= as_of


def test_cli_runs_a_query_file_to_csv(demo_path):
    result = CliRunner().invoke(
        app,
        ["sql", "--file", "runoff_by_cap_regime", "--format", "csv", "--warehouse", str(demo_path)],
        prog_name="qtwatch",
    )
    assert result.exit_code == 0, result.output
    header, *rows = result.stdout.strip().splitlines()
    assert header.startswith("regime,episode,first_month")
    assert any(row.startswith("QT2-") for row in rows)


def test_cli_lists_the_examples():
    result = CliRunner().invoke(app, ["sql", "--list"], prog_name="qtwatch")
    assert result.exit_code == 0
    assert all(p.name in result.stdout for p in QUERIES)
