"""flows.after_publish without a flow run (issue 28.8): an injected OSError(ENOSPC) in a step after the publish, and
errors great-expectations only logs, become one line each; the run's state says what was published and what not."""

from __future__ import annotations

import errno
import logging
from datetime import date

from flows.after_publish import WARNINGS_STATE, after_publish, final_state
from warehouse.meta import RunSummary


def summary() -> RunSummary:
    return RunSummary("20261206T000000Z-abcdef", date(2026, 12, 4), "replay", "/data/qtwatch.duckdb")


def full_disk() -> str:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_step_that_fails_is_one_line_and_the_run_is_published_with_warnings():
    run = summary()
    assert after_publish(run, "Data Docs in /data/gx_docs", full_disk) is None
    assert after_publish(run, "report /data/report.html", lambda: "/data/report.html") == "/data/report.html"
    assert run.warnings == ["not written: Data Docs in /data/gx_docs (OSError: [Errno 28] No space left on device)"]
    state = final_state(run)
    assert state.name == WARNINGS_STATE and state.is_completed()
    assert state.message.splitlines() == [f"published: run {run.run_id} to /data/qtwatch.duckdb", *run.warnings]


def test_errors_great_expectations_only_logs_are_collected_not_printed(caplog):
    run = summary()

    def renders_with_errors() -> str:
        site = logging.getLogger("great_expectations.render.renderer.site_builder")
        site.error(
            'An unexpected Exception occurred during data docs rendering.\n  OSError: "[Errno 28] No space '
            'left on device".  Traceback: "Traceback (most recent call last): ..."'
        )
        site.warning("a warning still reaches the log")
        return "/data/gx_docs/index.html"

    with caplog.at_level(logging.WARNING):
        assert after_publish(run, "Data Docs in /data/gx_docs", renders_with_errors) == "/data/gx_docs/index.html"
    assert run.warnings == [
        'incomplete: Data Docs in /data/gx_docs (1 pages not rendered; first: OSError: "[Errno 28] '
        'No space left on device".)'
    ]
    assert "Traceback" not in caplog.text and "a warning still reaches the log" in caplog.text


def test_a_run_without_warnings_returns_its_summary():
    run = summary()
    assert final_state(run) is run
