"""Fetch one source for one run, live or from the replay snapshot, through the same fetchers and parsers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import requests

from flows.http import SourceError, SourcePolicy, make_session
from flows.replay import ReplayAdapter
from flows.sources import Batch, Window, fiscal, fred, nyfed
from flows.settings import Settings

POLICIES: dict[str, SourcePolicy] = {
    "fred": fred.POLICY,
    "auctions": fiscal.POLICY,
    "dts": fiscal.POLICY,
    "nyfed_rates": nyfed.POLICY,
    "nyfed_repo": nyfed.POLICY,
}


def open_session(source: str, settings: Settings, replay_dir: Path | None, as_of: date) -> requests.Session:
    """A session for `source`: the network, or the replay adapter playing the recorded snapshot as of `as_of`."""
    policy = POLICIES[source]
    policy = SourcePolicy(policy.name, policy.min_interval_s, settings.http_retries, policy.backoff_factor,
                          settings.http_timeout_s)
    if replay_dir is None:
        return make_session(policy, settings.user_agent)
    if not Path(replay_dir).is_dir():
        raise SourceError(source, str(replay_dir), "replay directory not found: set QTWATCH_REPLAY_DIR or "
                          "run `python -m scripts.build_replay` to build the snapshot")
    return make_session(policy, settings.user_agent, adapter=ReplayAdapter(Path(replay_dir), as_of))


def fetch_source(source: str, session: requests.Session, windows: dict[str, Window], catalog: pl.DataFrame,
                 api_key: str | None, log=None) -> Batch:
    """Dispatch to the source's fetcher; `log(msg)` receives progress lines (pages, series)."""
    if source == "fred":
        return fred.fetch_fred(session, catalog, windows, api_key, on_series=log)
    on_page = (lambda n, total: log(f"{source}: page {n}/{total}")) if log else None
    window = windows["*"]
    match source:
        case "auctions":
            return fiscal.fetch_auctions(session, window, on_page)
        case "dts":
            return fiscal.fetch_dts(session, window, on_page)
        case "nyfed_rates":
            return nyfed.fetch_rates(session, window)
        case "nyfed_repo":
            return nyfed.fetch_operations(session, window)
    raise ValueError(f"unknown source {source!r}")
