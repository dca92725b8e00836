"""Known, documented log noise is dropped; everything else still gets through."""

import logging

import flows  # noqa: F401 - installs the filters


def _passes(logger_name: str, message: str) -> bool:
    logger = logging.getLogger(logger_name)
    record = logger.makeRecord(logger_name, logging.WARNING, __file__, 1, message, (), None)
    return all(f.filter(record) for f in logger.filters)


def test_task_timeout_warning_is_dropped_but_other_task_warnings_pass() -> None:
    assert not _passes(
        "prefect.task_runs",
        "Timeout of 900.0 seconds configured for this task, but the task is "
        "running in a worker thread. Timeouts in worker threads cannot ...",
    )
    assert _passes("prefect.task_runs", "Task run failed with exception: SourceError('fred: HTTP 500')")


def test_gx_docs_folder_notice_is_dropped() -> None:
    assert not _passes(
        "great_expectations.data_context.types.base", "Created temporary directory '/tmp/x' for ephemeral docs site"
    )
