"""One clear line instead of a traceback: the global `--debug` switch, bad settings, and the last-resort hook.

Without `--debug`, an error the CLI knows is printed as one red line and an unexpected one as one line naming its
type; tracebacks go only to Prefect's API (the UI's logs), not to the terminal. With `--debug`, everything as usual.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from typing import Any

import typer

DEBUG_HINT = "run with --debug for the traceback"
_state = {"debug": False}


def configure(debug: bool) -> None:
    """Remember --debug; without it an uncaught exception prints one line (and exits 1) instead of a traceback."""
    _state["debug"] = debug
    if not debug:
        sys.excepthook = _one_line_hook


def debugging() -> bool:
    """True when the user asked for --debug."""
    return _state["debug"]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print `error: message` as one red line on stderr and return the exit to raise."""
    from rich.console import Console

    if debugging() and sys.exc_info()[0] is not None:  # --debug: the traceback of the error being handled too
        traceback.print_exc()
    Console(stderr=True, highlight=False).print(f"[bold red]error:[/] {message}", soft_wrap=True)
    return typer.Exit(code)


def one_line(exc: BaseException) -> str:
    """`Type: first line of the message` (the message alone for qtwatch's own errors, which are written for users)."""
    text = (str(exc).strip().splitlines() or [""])[0]
    own = type(exc).__module__.split(".")[0] in ("warehouse", "flows", "qtwatch", "transforms", "expectations")
    return text if own and text else f"{type(exc).__name__}: {text}".rstrip(": ")


def check_settings() -> None:
    """Read the settings once; a bad value (e.g. QTWATCH_WRITER_WAIT_S=abc) exits 1 with one line per setting."""
    from pydantic import ValidationError

    from flows.settings import Settings, get_settings

    try:
        get_settings()
    except ValidationError as exc:
        raise fail("; ".join(_setting_problem(Settings, e) for e in exc.errors())) from None


def _setting_problem(settings_class: Any, error: Any) -> str:
    field = str(error["loc"][0]) if error.get("loc") else "?"
    info = settings_class.model_fields.get(field)
    alias = getattr(info, "validation_alias", None)
    names = getattr(alias, "choices", None)
    env = str(names[0]) if names else f"{settings_class.model_config.get('env_prefix', '')}{field}".upper()
    shown = "<hidden>" if "key" in field.lower() else repr(error.get("input"))
    return f"bad setting {env}={shown}: {error['msg']}"


def quiet_prefect_tracebacks() -> None:
    """Unless --debug: Prefect's console handler prints a failed run's message without its traceback (its API
    handler still sends the traceback to the Prefect UI)."""
    if debugging():
        return
    from prefect.logging.handlers import PrefectConsoleHandler

    loggers = [
        logging.getLogger(),
        *(lg for lg in logging.root.manager.loggerDict.values() if isinstance(lg, logging.Logger)),
    ]
    for logger in loggers:
        for handler in logger.handlers:
            if isinstance(handler, PrefectConsoleHandler) and not getattr(handler, "_qtwatch_quiet", False):
                handler.format = _without_traceback(handler.format)  # type: ignore[method-assign]
                setattr(handler, "_qtwatch_quiet", True)  # noqa: B010 - a marker on a foreign object


class _Repeats(logging.Filter):
    """On the terminal each cause of a failed run is printed once, by `qtwatch run`'s last line (`run failed: <source>
    <status>: <cause>; ...`): not also by the flow as it happens (`<source> failed: ...`, `... quarantined, not
    published: ...`), nor by Prefect as the task's or flow's final state or the exception that ends the flow;
    urllib3's per-retry warnings are dropped (the error after the last retry says how long it tried). The Prefect
    UI still gets every record."""

    REPEATS = (
        "Finished in state Failed(",
        "Finished in state Crashed(",
        "Encountered exception during execution: PipelineFailed(",
    )
    SAID_AT_THE_END = re.compile(r"^(mart )?\w+ (failed|quarantined|partial|quarantined, not published): ")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "urllib3.connectionpool" and record.levelno <= logging.WARNING:
            return False
        message = record.getMessage()
        if message.startswith("Task run failed with ") and " - Retry " not in message:  # a retry notice stays
            return False
        if record.levelno >= logging.ERROR and self.SAID_AT_THE_END.match(message):
            return False
        return not message.startswith(self.REPEATS)


def quiet_repeats() -> None:
    """Unless --debug: add the _Repeats filter to Prefect's console handlers (see `_Repeats`)."""
    if debugging():
        return
    from prefect.logging.handlers import PrefectConsoleHandler

    loggers = [
        logging.getLogger(),
        *(lg for lg in logging.root.manager.loggerDict.values() if isinstance(lg, logging.Logger)),
    ]
    for logger in loggers:
        for handler in logger.handlers:
            if isinstance(handler, PrefectConsoleHandler) and not any(isinstance(f, _Repeats) for f in handler.filters):
                handler.addFilter(_Repeats())


def _without_traceback(format_record):
    """Wrap a handler's format(): the record is formatted without its exception and stack (the API handler may
    already have cached the traceback text on the record, so the formatter alone cannot drop it)."""

    def format_quietly(record: logging.LogRecord) -> str:
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        try:
            return format_record(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved

    return format_quietly


def _one_line_hook(exc_type, exc, tb) -> None:  # noqa: ARG001 - sys.excepthook signature
    if issubclass(exc_type, KeyboardInterrupt):
        sys.stderr.write("interrupted\n")
        return
    sys.stderr.write(f"error: {one_line(exc)} ({DEBUG_HINT})\n")
