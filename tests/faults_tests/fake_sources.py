"""A fake of every source host for runs of the real flow in *live* mode (real sessions, retries, fetchers, parsers).

`responses` answers each request from the committed replay snapshot (flows.replay.ReplayAdapter, as of the run's
date) and serves the FRED API (`api.stlouisfed.org`, used when FRED_API_KEY is set) from the same recorded fredgraph
files and the series catalog. A `Fault` may rewrite the body of one source's answers on the way out: that is how the
payload suite injects truncated, HTML, empty or reshaped bodies into a real run.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import requests
import responses

from flows import extract
from flows.replay import ReplayAdapter
from flows.routing import owner_of

ROOT = Path(__file__).resolve().parents[2]
REPLAY = ROOT / "replay"
GRAPH_URL = "https://fred.stlouisfed.org/graph/fredgraph.csv"
LOCAL = re.compile(r"http://(127\.0\.0\.1|localhost)(:\d+)?/.*")

# fault(source, format, query, body) -> (status, body); format: one of WIRE_FORMATS' values.
Fault = Callable[[str, str, Mapping[str, str], bytes], tuple[int, bytes]]


# The wire format of the answers under each base-URL setting (the NY Fed's by the source owning the endpoint): a
# source on a new setting needs its format here (and, for the payload faults, its rows in payload_faults.Rows, unless
# its registry entry says why the payload faults cannot break it: Source.payload_faults_excluded).
WIRE_FORMATS = {
    "fred_api_url": "fred_api",
    "fredgraph_url": "fredgraph",
    "fiscaldata_url": "fiscal_json",
    "cftc_url": "cftc_zip",
    "nyfed_url.nyfed_rates": "rates_csv",
    "nyfed_url.nyfed_repo": "rp_json",
    "nyfed_url.nyfed_pd": "pd_json",
    "ofr_url": "ofr_json",
}


class UnknownURL(LookupError):
    """A request no registered source serves: the fake refuses to guess (it used to answer it as the DTS)."""


def source_of(url: str) -> tuple[str, str]:
    """(source, wire format) of a request URL, by the source registry's base URLs and endpoints."""
    owner = owner_of(url)
    if owner is None:
        raise UnknownURL(f"no registered source serves {url}")
    suffix = "." + owner.source.name if owner.setting == "nyfed_url" else ""
    if owner.setting + suffix not in WIRE_FORMATS:
        raise UnknownURL(f"fake_sources has no wire format for {owner.setting + suffix} ({url}): add it")
    return owner.source.name, WIRE_FORMATS[owner.setting + suffix]


def _content_type(fmt: str) -> str:
    if fmt == "cftc_zip":
        return "application/x-zip-compressed"
    return "text/csv" if fmt.endswith(("csv", "graph")) else "application/json"


def _catalog() -> dict[str, dict[str, str]]:
    text = (ROOT / "warehouse" / "seeds" / "fred_series.csv").read_text(encoding="utf-8")
    return {row["series_id"]: row for row in csv.DictReader(text.splitlines())}


class FakeSources:
    """Answers every source URL as the recorded world stood on `as_of`; `faults[source]` rewrites that source."""

    def __init__(self, as_of: date, faults: Mapping[str, Fault] | None = None, replay: Path = REPLAY) -> None:
        self.replay = ReplayAdapter(replay, as_of)
        self.faults = dict(faults or {})
        self.catalog = _catalog()
        self.urls: list[str] = []

    def respond(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        """responses callback: the recorded answer, rewritten by the source's fault if it has one."""
        self.urls.append(request.url)
        source, fmt = source_of(request.url)
        query = {k: v[-1] for k, v in parse_qs(urlsplit(request.url).query, keep_blank_values=True).items()}
        status, body = self._fred_api(request.url, query) if fmt == "fred_api" else self._recorded(request)
        if status == 200 and source in self.faults:
            status, body = self.faults[source](source, fmt, query, body)
        return status, {"Content-Type": _content_type(fmt)}, body

    def _recorded(self, request: requests.PreparedRequest) -> tuple[int, bytes]:
        response = self.replay.send(request)
        return response.status_code, response.content

    def _fred_api(self, url: str, query: Mapping[str, str]) -> tuple[int, bytes]:
        """`fred/series` from the catalog, `fred/series/observations` from the recorded fredgraph file."""
        series = self.catalog[query["series_id"]]
        if urlsplit(url).path.endswith("/series"):
            meta = {
                "id": series["series_id"],
                "title": series["title"],
                "units": series["units"],
                "frequency": series["frequency"].title(),
                "last_updated": "2025-06-12 15:31:02-05",
            }
            return 200, json.dumps({"seriess": [meta]}).encode()
        params = {"id": series["series_id"], "coed": query["observation_end"]}
        if query.get("observation_start"):
            params["cosd"] = query["observation_start"]
        graph = self.replay.send(requests.Request("GET", GRAPH_URL, params=params).prepare()).text
        rows = [line.split(",") for line in graph.splitlines()[1:] if line]
        observations = [{"realtime_start": "2025-06-13", "date": d, "value": v or "."} for d, v in rows]
        return 200, json.dumps({"count": len(observations), "observations": observations}).encode()


@contextmanager
def serving(fake: FakeSources) -> Iterator[responses.RequestsMock]:
    """Route every https request of the process to `fake` (loopback passes through: webhooks, Prefect); no pacing."""
    real = extract.make_session

    def unpaced(policy, user_agent, adapter=None):  # no pacing, no backoff: tests must not sleep
        return real(replace(policy, min_interval_s=0.0, backoff_factor=0.0), user_agent, adapter)

    with (
        responses.RequestsMock(assert_all_requests_are_fired=False) as rsps,
        mock.patch.object(extract, "make_session", unpaced),
    ):
        rsps.add_passthru(LOCAL)
        rsps.add_callback(responses.GET, re.compile(r"https://.*"), callback=fake.respond)
        yield rsps
