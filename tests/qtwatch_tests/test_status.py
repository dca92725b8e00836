"""`qtwatch status`: last load per source, freshness against the release calendar, marts and quarantine."""

import re
import shutil
from datetime import date

import duckdb
import pytest
from typer.testing import CliRunner

from qtwatch import analyst
from qtwatch.cli import app
from tests.support.build_demo import SECOND_AS_OF
from tests.support.reader_loop import RECORDED
from transforms.registry import SOURCES
from warehouse.db import connect_readonly

runner = CliRunner()


@pytest.mark.parametrize(
    ("release", "reference", "expected"),
    [
        ("fred:h41", date(2025, 6, 27), date(2025, 6, 25)),  # Fri: Thursday's release is in
        ("fred:h41", date(2025, 6, 26), date(2025, 6, 18)),  # Thu: that day's release may be later
        ("fred:nyfed_unsecured", date(2025, 6, 30), date(2025, 6, 26)),  # Mon: Friday's T+1 print is Monday's
        ("nyfed_repo", date(2025, 6, 30), date(2025, 6, 27)),  # same-day results: the previous weekday
        ("fred:administered", date(2025, 6, 30), date(2025, 6, 29)),
        ("dts", date(2025, 7, 2), date(2025, 6, 30)),
    ],
    ids=["h41-friday", "h41-thursday", "t-plus-1-monday", "same-day", "calendar-day", "dts"],
)
def test_expected_latest_follows_the_release_calendar(release, reference, expected):
    assert analyst.expected_latest(analyst.RELEASES[release], reference) == expected


@pytest.mark.parametrize(
    ("latest", "state"),
    [
        (date(2025, 6, 26), "fresh"),
        (date(2025, 6, 25), "fresh"),
        (date(2025, 6, 20), "stale: 6 d behind"),
        (None, "no data"),
    ],
)
def test_freshness_allows_one_day_of_grace(latest, state):
    freshness = analyst.Freshness("x", latest, date(2025, 6, 26), grace_days=1)
    assert freshness.state == state


@pytest.fixture(scope="module")
def report(demo_path):
    with connect_readonly(demo_path) as con:
        return analyst.collect_status(con, demo_path)


def test_status_reports_every_source_from_the_last_run(report):
    assert [s.source for s in report.sources] == list(SOURCES)
    assert report.last_run["as_of"] == SECOND_AS_OF and report.last_run["status"] == "Completed"
    for s in report.sources:
        assert s.last_status in ("published", "unchanged") and s.error is None
        if s.source in RECORDED:  # a source with no recorded rows: the demo holds none of it, and status says so
            assert s.rows_held > 0 and s.freshness.latest is not None
        else:
            assert s.rows_held == 0 and s.freshness.latest is None
    assert report.size_bytes > 0 and report.quarantined == []
    assert report.marts and all(rows > 0 for rows in report.marts.values())


def test_freshness_is_judged_on_the_replay_runs_as_of(report, demo_path):
    assert (report.reference, report.reference_reason) == (SECOND_AS_OF, "as-of of the last run (replay)")
    with connect_readonly(demo_path) as con:
        later = analyst.collect_status(con, demo_path, as_of=date(2030, 1, 2))
    assert later.reference == date(2030, 1, 2)
    assert set(later.stale) >= {s.source for s in later.sources if not s.series}


def test_every_fred_series_in_the_catalog_has_a_freshness_row(report, demo_path):
    with connect_readonly(demo_path) as con:
        catalog = {r[0] for r in con.execute("SELECT series_id FROM ref.fred_series").fetchall()}
    fred = next(s for s in report.sources if s.source == "fred")
    assert {f.name.removeprefix("fred:") for f in fred.series} == catalog


def test_cli_status_prints_path_sources_marts_and_quarantine(demo_path):
    result = runner.invoke(app, ["status", "--warehouse", str(demo_path)], prog_name="qtwatch")
    assert result.exit_code == 0, result.output
    assert str(demo_path.resolve()) in result.output.replace("\n", "")
    assert all(source in result.output for source in SOURCES)
    assert "quarantined batches: none" in result.output and "qt_runoff_monthly" in result.output


def test_cli_status_lists_quarantined_batches(demo_path, tmp_path):
    copy = tmp_path / "q.duckdb"
    shutil.copyfile(demo_path, copy)
    with duckdb.connect(str(copy)) as con:  # a synthetic quarantined batch
        con.execute(
            "INSERT INTO meta.quarantine VALUES ('synthetic-load', 'dts_operating_cash_balance', "
            "TIMESTAMPTZ '2026-01-02 03:04:05+00', ['synthetic rule'], '{}', 7, '[]')"
        )
    result = runner.invoke(app, ["status", "--warehouse", str(copy)], prog_name="qtwatch")
    assert result.exit_code == 0, result.output
    assert "quarantined batches: 1" in result.output and "synthetic-load" in result.output


@pytest.mark.parametrize(
    ("args", "message"), [(["--as-of", "2025-02-30"], "is not a date"), (["--as-of", "2999-01-01"], "is in the future")]
)
def test_cli_status_refuses_a_bad_as_of(args, message):
    result = runner.invoke(app, ["status", *args], prog_name="qtwatch")
    assert result.exit_code == 2
    assert message in re.sub(r"[\s│]+", " ", result.output)


def test_cli_status_on_a_missing_warehouse_says_what_to_run(tmp_path):
    result = runner.invoke(app, ["status", "--warehouse", str(tmp_path / "absent.duckdb")], prog_name="qtwatch")
    assert result.exit_code == 1
    assert "no warehouse at" in result.output and "qtwatch run --replay" in result.output.replace("\n", " ")


def test_cli_status_on_a_foreign_duckdb_file_says_what_to_run(tmp_path):
    foreign = tmp_path / "foreign.duckdb"
    duckdb.connect(str(foreign)).close()
    result = runner.invoke(app, ["status", "--warehouse", str(foreign)], prog_name="qtwatch")
    assert result.exit_code == 1
    assert "is not a qtwatch warehouse" in result.output.replace("\n", " ")
