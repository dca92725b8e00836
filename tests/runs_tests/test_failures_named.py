"""Issue 25 item 6: a quarantine names the bad row (its key — date, series — and the value), each cause is printed
once on the terminal, and the run summary table does not cut a cause mid-word.

The batch is the real recorded WALCL series of the replay snapshot (replay/PROVENANCE.md) with ONE value replaced by
a SYNTHETIC -5.0 (a negative balance sheet), to break the band rule.
Reproduce: .venv/bin/python -m pytest tests/runs_tests/test_failures_named.py -q
"""

from __future__ import annotations

import importlib
import logging
from datetime import date

import polars as pl
import pytest

from qtwatch import errors
from qtwatch.report_console import shorten, status_cell
from tests.conftest import replay_bytes

BROKEN_DAY = date(2020, 3, 25)  # a Wednesday held in the WALCL history


@pytest.fixture(scope="module")
def walcl() -> pl.DataFrame:
    from expectations.fred_observations import catalog

    fred = importlib.import_module("transforms.fred")
    units = {e["series_id"]: e["units"] for e in catalog()}
    frame = fred.parse_fredgraph_csv(replay_bytes("fred/fredgraph/WALCL.csv"), "WALCL")
    return frame.with_columns(units=pl.col("series_id").replace_strict(units))


def test_a_quarantine_names_the_first_bad_row(walcl) -> None:
    from expectations import Validator

    assert BROKEN_DAY in walcl["date"].to_list()
    broken = walcl.with_columns(value=pl.when(pl.col("date") == BROKEN_DAY).then(-5.0).otherwise(pl.col("value")))
    outcome = Validator().validate("fred_observations", broken, as_of=walcl["date"].max())
    assert not outcome.success
    named = "(1 row, first: series_id=WALCL, date=2020-03-25, value=-5.0)"
    assert any(named in rule for rule in outcome.described_rules), outcome.described_rules


def test_a_helper_column_rule_shows_the_rows_data_not_the_helper(walcl) -> None:
    from expectations import Validator

    gap = walcl.filter(pl.col("date") != BROKEN_DAY)  # a week missing inside the history
    outcome = Validator().validate("fred_observations", gap, as_of=walcl["date"].max())
    text = "; ".join(outcome.described_rules)
    assert "first: series_id=WALCL, date=2020-04-01" in text and "ctx_" not in text and "chk_" not in text


def test_the_summary_table_cuts_a_cause_at_a_word() -> None:
    error = (
        "auctions: cannot reach 127.0.0.1:9: connection refused (gave up after 2.1s; check the network, a proxy, "
        "or the source's base-URL setting)"
    )
    cell = status_cell("auctions", "failed", error)
    assert cell == "failed: cannot reach 127.0.0.1:9: connection refused (gave up…"
    assert shorten("short", 60) == "short"
    for width in range(10, 80):
        head = shorten(error, width).rstrip("…")
        assert len(shorten(error, width)) <= width and error.startswith(head) and error[len(head)] in " ,;:("


def record(name: str, message: str, level: int = logging.ERROR) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, message, None, None)


def test_the_terminal_shows_each_cause_once() -> None:
    repeats = errors._Repeats()  # noqa: SLF001 - the filter quiet_repeats() adds to Prefect's console handlers
    cause = "fred failed: fred: cannot reach 127.0.0.1:9: connection refused"
    # said once, by `qtwatch run`'s last line: not as it happens, nor as Prefect's final states
    assert not repeats.filter(record("prefect.flow_runs", cause))
    assert not repeats.filter(record("prefect.task_runs", "funding_daily quarantined, not published: date: ..."))
    assert not repeats.filter(record("prefect.flow_runs", "mart funding_daily failed: BinderException ..."))
    assert repeats.filter(record("prefect.flow_runs", "fred failed: this is a warning", logging.WARNING))
    assert not repeats.filter(
        record(
            "prefect.task_runs", f'Finished in state Failed("Task run encountered an exception SourceError: {cause}")'
        )
    )
    assert not repeats.filter(
        record("prefect.flow_runs", f'Encountered exception during execution: PipelineFailed("{cause}")')
    )
    assert not repeats.filter(
        record(
            "prefect.flow_runs",
            f"Finished in state Failed('Flow run encountered an exception: PipelineFailed: {cause}')",
        )
    )
    assert not repeats.filter(record("urllib3.connectionpool", "Retrying (BoundedRetry(total=3 ...", logging.WARNING))
    assert repeats.filter(record("prefect.flow_runs", "Finished in state Completed()", logging.INFO))
    assert not repeats.filter(
        record(
            "prefect.task_runs", "Task run failed with state: Failed(message='funding_daily failed validation: ...')"
        )
    )
    assert repeats.filter(record("prefect.task_runs", "Task run failed with SourceError: ... - Retry 1/2 will start"))


def test_a_failed_state_logged_with_exc_info_adds_no_nonetype_line() -> None:
    """Prefect logs `Task run failed with state: ...` with exc_info=True outside an except block (a task that
    returns a Failed state): the log must not gain a `NoneType: None` traceback."""
    from flows.secrets import scrub

    logger = logging.getLogger("prefect.task_runs")
    rec = logger.makeRecord(
        "prefect.task_runs", logging.ERROR, __file__, 1, "Task run failed with state: Failed()", (), (None, None, None)
    )
    text = logging.Formatter().format(scrub(rec))
    assert "NoneType" not in text and text == "Task run failed with state: Failed()"
