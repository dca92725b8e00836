"""Issue 28 item 6: `--as-of` is checked against New York's date, the pipeline's calendar, not the machine's.

The clock is frozen at 2026-07-01 20:30 in New York, which is already 2026-07-02 on a machine in Tokyo (and on a UTC
server after midnight): "tomorrow in New York" must be refused there, today in New York accepted."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo

import pytest
import typer

from qtwatch import cli

INSTANT = datetime(2026, 7, 2, 0, 30, tzinfo=UTC)  # 2026-07-01 20:30 EDT; 2026-07-02 09:30 JST


class _TokyoDate(date):
    @classmethod
    def today(cls) -> date:  # the machine's local date, in Tokyo
        return date(2026, 7, 2)


class _FrozenDateTime(datetime):
    @classmethod
    def now(cls, tz: tzinfo | None = None) -> datetime:
        return INSTANT.astimezone(tz) if tz else (INSTANT + timedelta(hours=9)).replace(tzinfo=None)


@pytest.fixture
def tokyo_machine(monkeypatch) -> None:
    monkeypatch.setattr(cli, "date", _TokyoDate)
    monkeypatch.setattr(cli, "datetime", _FrozenDateTime)


def test_tomorrow_in_new_york_is_refused_on_a_machine_already_there(tokyo_machine) -> None:
    with pytest.raises(typer.BadParameter, match="in the future.*today in New York is 2026-07-01"):
        cli.parse_as_of("2026-07-02")


def test_today_in_new_york_is_accepted(tokyo_machine) -> None:
    assert cli.parse_as_of("2026-07-01") == date(2026, 7, 1)
    assert cli.new_york_today() == date(2026, 7, 1)
