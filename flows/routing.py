"""Which registered source a request URL belongs to, from the registry alone (base URLs and declared endpoints).

A URL belongs to the source(s) whose base URL (a setting's value, else the registry default) is its longest prefix;
when several sources share that base URL (Fiscal Data, the NY Fed), to the one whose `endpoint` the path starts
with. Anything else belongs to no source: callers treat that as an error, never as a guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from flows.replay import resolve
from transforms.registry import SOURCES, Source


@dataclass(frozen=True)
class Owner:
    """The source a URL belongs to, the base-URL setting it falls under and the path below that base URL."""

    source: Source
    setting: str
    path: str


def owner_of(url: str, urls: Mapping[str, str] | None = None, sources: Mapping[str, Source] = SOURCES) -> Owner | None:
    """The registered source serving `url` (`urls` overrides the registry's base URLs), None for no source."""
    parts = urlsplit(url)
    bare = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    hits = [
        (base, setting, source)
        for source in sources.values()
        for setting, default in source.http.url_settings().items()
        if bare.startswith(base := (urls or {}).get(setting, default))
    ]
    if not hits:
        return None
    longest = max(len(base) for base, _, _ in hits)
    hits = [hit for hit in hits if len(hit[0]) == longest]
    path = bare[longest:]
    if len(hits) > 1:
        hits = [hit for hit in hits if hit[2].endpoint and path.strip("/").startswith(_endpoint(hit[2]))]
    if len(hits) != 1:
        return None
    _, setting, source = hits[0]
    return Owner(source, setting, path)


def _endpoint(source: Source) -> str:
    return str(resolve(source.endpoint or "")).strip("/")
