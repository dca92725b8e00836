"""Prefect settings qtwatch changes on its own temporary server, and only there."""

from __future__ import annotations

from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

from flows import temp_server


def test_heartbeats_are_off_on_the_temporary_server_by_default(monkeypatch):
    for name in ("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "PREFECT_RUNNER_HEARTBEAT_FREQUENCY"):
        monkeypatch.delenv(name, raising=False)
    with temporary_settings(restore_defaults={PREFECT_FLOWS_HEARTBEAT_FREQUENCY}):
        updates = temp_server._no_heartbeats()
    assert updates == {PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}


def test_heartbeats_a_user_chose_are_kept(monkeypatch):
    monkeypatch.setenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "60")
    assert temp_server._no_heartbeats() == {}
    monkeypatch.delenv("PREFECT_FLOWS_HEARTBEAT_FREQUENCY")
    monkeypatch.delenv("PREFECT_RUNNER_HEARTBEAT_FREQUENCY", raising=False)
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: 60}):  # e.g. from a Prefect profile
        assert temp_server._no_heartbeats() == {}
