"""Readers are never blocked and never see a half-published warehouse; the load never fails because of them."""

from tests.support.build_demo import READERS


def test_load_completes_while_readers_query(demo):
    assert demo.first["type"] == "COMPLETED", demo.first["message"]
    assert demo.second["type"] == "COMPLETED", demo.second["message"]


def test_readers_never_see_an_error_or_a_partial_state(demo):
    assert len(demo.readers) == READERS
    for report in demo.readers:
        assert report["errors"] == []


def test_readers_kept_reading_during_the_load_and_saw_the_new_publish(demo):
    during = [sum(demo.load_started <= t <= demo.load_finished for t in r["stamps"]) for r in demo.readers]
    assert all(n >= 5 for n in during), during
    for report in demo.readers:
        assert len(report["runs"]) == 2, report["runs"]  # the old publish, then the new one
