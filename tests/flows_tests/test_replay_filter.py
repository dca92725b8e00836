"""The replay server's date filter (flows/replay.py): cut by bisection on rows in date order, one by one otherwise;
both give exactly what a row-by-row filter gives."""

import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from flows.replay import filter_dated_csv

RECORDED = Path(__file__).resolve().parents[2] / "replay" / "fred" / "fredgraph" / "WALCL.csv"


def _reference(text: str, low: dt.date | None, high: dt.date) -> bytes:
    header, *rows = text.splitlines()
    kept = [r for r in rows if (low or dt.date.min) <= dt.date.fromisoformat(r[:10]) <= high]
    return ("\n".join([header, *kept]) + "\n").encode()


_DAY = st.dates(dt.date(2025, 1, 1), dt.date(2025, 3, 31))


@settings(max_examples=200, deadline=None)
@given(days=st.lists(_DAY, max_size=40), in_order=st.booleans(), low=st.none() | _DAY, high=_DAY)
def test_the_filter_equals_a_row_by_row_filter(
    days: list[dt.date], in_order: bool, low: dt.date | None, high: dt.date
) -> None:
    """SYNTHETIC rows (repeated days, rows out of order, bounds on and between rows)."""
    text = "observation_date,X\n" + "".join(f"{d},{i}\n" for i, d in enumerate(sorted(days) if in_order else days))
    assert filter_dated_csv(text, low, high) == _reference(text, low, high)


def test_the_filter_on_a_real_recording_keeps_its_window() -> None:
    """replay/fred/fredgraph/WALCL.csv (the H.4.1 total assets, weekly, recorded from FRED): one quarter."""
    text = RECORDED.read_text()
    low, high = dt.date(2025, 1, 1), dt.date(2025, 3, 31)
    kept = filter_dated_csv(text, low, high)
    assert kept == _reference(text, low, high)
    assert len(kept.decode().splitlines()) == 1 + 13  # the header and the 13 Wednesdays of 2025-Q1
    assert filter_dated_csv(text, None, high) == _reference(text, None, high)
