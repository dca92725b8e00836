"""Fetch one source for one run, live or from the replay snapshot, through the same fetchers and parsers.

Dispatch derives from the source registry: a source's `fetch` names its function, its `HttpPolicy` the host's pace
and base URLs; nothing here names a source."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path

import requests

from flows.http import SourceError, make_session
from flows.replay import ReplayAdapter, default_routes, resolve
from flows.sources import Batch, FetchRequest
from transforms.registry import HttpPolicy, Source


def session_for(
    source: Source,
    *,
    user_agent: str,
    retries: int,
    timeout_s: float,
    replay_dir: Path | None,
    as_of: date,
    urls: Mapping[str, str],
) -> requests.Session:
    """A session for `source`: the network, or the replay adapter playing the recorded snapshot as of `as_of`."""
    policy: HttpPolicy = replace(source.http, retries=retries, timeout_s=timeout_s)
    if replay_dir is None:
        return make_session(policy, user_agent)
    if not Path(replay_dir).is_dir():
        raise SourceError(
            source.name,
            str(replay_dir),
            "replay directory not found: set QTWATCH_REPLAY_DIR or "
            "run `python -m scripts.build_replay` to build the snapshot",
        )
    adapter = ReplayAdapter(Path(replay_dir), as_of, routes=default_routes(urls))
    return make_session(policy, user_agent, adapter=adapter)


def fetch_source(session: requests.Session, request: FetchRequest) -> Batch:
    """Call the source's registered fetch function."""
    return fetcher(request.source.fetch)(session, request)


@cache
def fetcher(dotted: str) -> Callable[[requests.Session, FetchRequest], Batch]:
    """The function a registry entry names, imported once."""
    return resolve(dotted)
