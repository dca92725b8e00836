"""One fake of every source host: `fake_host(as_of, ...)` answers each registered source's requests as the recorded
world stood on `as_of`, in process (`responses`) or on the wire (a pytest-httpserver).

The answers come from the committed snapshot (flows.replay.ReplayAdapter as of that day); the FRED API
(`api.stlouisfed.org`, used when FRED_API_KEY is set) is built from the same recorded fredgraph files and the series
catalog, behind the snapshot's FRED key check. On top of them, per host: `refuse` answers a source or a route prefix
with a status instead (403, 429, 5xx), `overrides` answers a route with a given body (a drifted payload), `faults`
rewrites one source's answers on the way out (truncated, HTML, empty or reshaped bodies: the payload suite) and
`fixtures=True` serves tests/fixtures' recorded bodies where it has them (FixtureOverlay). A URL goes to its source by
the registry (flows.routing.owner_of); a URL no registered source serves is an error, never a guess.

A route is where a request lands on the wire: its base-URL setting's prefix (ROUTES, else /<setting>/) and the path
below the base URL; the same route names the request in process. `in_process()` answers every https request of the
process (loopback passes through: webhooks, Prefect; no pacing); `on_wire(httpserver)` answers on the server over
plain http:// and returns the QTWATCH_<SETTING> environment pointing every base URL at it.

Not folded in:
- tests/faults_tests/slow_server.py: trickled, cut and gzip-bomb transfers are transport faults only a raw socket makes.
- tests/support/alfred_fake.py: its ALFRED vintages are SYNTHETIC (the snapshot has none); this host serves recordings.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from pytest_httpserver import HTTPServer, URIPattern
from werkzeug import Request, Response

from flows import extract
from flows.replay import ReplayAdapter, ReplayCall, date_or_none, filter_dated_csv, fiscal_response, us_date
from flows.routing import Owner, owner_of
from flows.sources import fiscal, nyfed
from transforms.registry import FREDGRAPH_URL, SOURCES

ROOT = Path(__file__).resolve().parents[2]
REPLAY = ROOT / "replay"
FIXTURES = ROOT / "tests" / "fixtures"
LOCAL = re.compile(r"http://(127\.0\.0\.1|localhost)(:\d+)?/.*")

# fault(source, format, query, body) -> (status, body); format: one of WIRE_FORMATS' values.
Fault = Callable[[str, str, Mapping[str, str], bytes], tuple[int, bytes]]
Answer = tuple[int, dict[str, str], bytes]  # status, headers, body
Recorded = tuple[int, str, bytes]  # status, content type, body

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
# Where a base-URL setting answers on the wire; any other setting (a source added later) answers under /<setting>/.
ROUTES = {
    "fred_api_url": "/fred/",
    "fredgraph_url": "/fredgraph.csv",
    "fiscaldata_url": "/fiscal/",
    "nyfed_url": "/nyfed/",
    "cftc_url": "/cftc/",
}


class UnknownURL(LookupError):
    """A request no registered source serves: the fake refuses to guess (it used to answer it as the DTS)."""


@dataclass(frozen=True)
class Call:
    """One request as the fake sees it: its source, wire format, route, path below the base URL and query, and its
    URL on the registry's default base URL (what the replay adapter routes)."""

    source: str
    fmt: str
    route: str
    path: str
    query: dict[str, str]
    url: str


def base_urls() -> dict[str, str]:
    """Every base-URL setting of the registry with its default base URL."""
    return {setting: url for source in SOURCES.values() for setting, url in source.http.url_settings().items()}


def route_of(setting: str) -> str:
    """Where a base-URL setting answers on the wire: its prefix in ROUTES, else /<setting>/."""
    return ROUTES.get(setting, f"/{setting}/")


def wire_urls(server: HTTPServer) -> dict[str, str]:
    """Every base-URL setting of the registry pointed at `server` (plain http:// to localhost)."""
    return {setting: server.url_for(route_of(setting)) for setting in base_urls()}


def _owner(url: str, urls: Mapping[str, str] | None) -> tuple[Owner, str]:
    """The registered source serving `url` and its wire format; UnknownURL for none."""
    owner = owner_of(url, urls)
    if owner is None:
        raise UnknownURL(f"no registered source serves {url}")
    setting = owner.setting + ("." + owner.source.name if owner.setting == "nyfed_url" else "")
    if setting not in WIRE_FORMATS:
        raise UnknownURL(f"the fake host has no wire format for {setting} ({url}): add it to WIRE_FORMATS")
    return owner, WIRE_FORMATS[setting]


def source_of(url: str, urls: Mapping[str, str] | None = None) -> tuple[str, str]:
    """(source, wire format) of a request URL, by the registry's base URLs (or `urls`) and endpoints."""
    owner, fmt = _owner(url, urls)
    return owner.source.name, fmt


def call_of(url: str, urls: Mapping[str, str] | None = None) -> Call:
    """The Call for a request URL under `urls` (the base URLs the fake answers under; the registry's by default)."""
    owner, fmt = _owner(url, urls)
    parts = urlsplit(url)
    query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    registry_url = base_urls()[owner.setting] + owner.path + (f"?{parts.query}" if parts.query else "")
    return Call(owner.source.name, fmt, route_of(owner.setting) + owner.path, owner.path, query, registry_url)


def _catalog() -> dict[str, dict[str, str]]:
    text = (ROOT / "warehouse" / "seeds" / "fred_series.csv").read_text(encoding="utf-8")
    return {row["series_id"]: row for row in csv.DictReader(text.splitlines())}


class FakeHost:
    """Answers every registered source's requests as the recorded world stood on `as_of` (the module says how);
    `faults[source]` rewrites that source, `refuse` and `overrides` answer by source or route, `overlay` serves
    tests/fixtures' recordings. `urls` lists every URL asked, `unknown` those no registered source serves."""

    def __init__(
        self,
        as_of: date | None,
        *,
        faults: Mapping[str, Fault] | None = None,
        refuse: Mapping[str, int] | None = None,
        overrides: Mapping[str, bytes] | None = None,
        overlay: FixtureOverlay | None = None,
        replay: Path = REPLAY,
    ) -> None:
        self.replay = ReplayAdapter(replay, as_of)
        self.faults, self.refuse, self.overrides = dict(faults or {}), dict(refuse or {}), dict(overrides or {})
        self.overlay = overlay
        self.catalog = _catalog()
        self.urls: list[str] = []
        self.unknown: list[str] = []

    def answer(self, url: str, urls: Mapping[str, str] | None = None) -> Answer:
        """The answer to `url` (`urls`: the base URLs the fake answers under; the registry's by default)."""
        self.urls.append(url)
        try:
            call = call_of(url, urls)
        except UnknownURL:
            self.unknown.append(url)
            raise
        refused = self._refusal(call)
        if refused is not None:
            return refused
        if call.route in self.overrides:
            return 200, {"Content-Type": "application/octet-stream"}, self.overrides[call.route]
        status, ctype, body = self._served(call)
        return status, {"Content-Type": ctype}, body

    def check(self) -> None:
        """Fail (UnknownURL) if any request asked for a URL no registered source serves."""
        if self.unknown:
            raise UnknownURL(f"no registered source serves {self.unknown}")

    @contextmanager
    def in_process(self) -> Iterator[responses.RequestsMock]:
        """Route every https request of the process here (loopback passes through: webhooks, Prefect); no pacing."""
        real = extract.make_session

        def unpaced(policy, user_agent, adapter=None):  # no pacing, no backoff: tests must not sleep
            return real(replace(policy, min_interval_s=0.0, backoff_factor=0.0), user_agent, adapter)

        with (
            responses.RequestsMock(assert_all_requests_are_fired=False) as rsps,
            mock.patch.object(extract, "make_session", unpaced),
        ):
            rsps.add_passthru(LOCAL)
            rsps.add_callback(responses.GET, re.compile(r"https://.*"), callback=lambda r: self.answer(str(r.url)))
            yield rsps
        self.check()

    def on_wire(self, server: HTTPServer) -> dict[str, str]:
        """Answer every request to `server`; returns the QTWATCH_<SETTING> variables pointing each base URL at it."""
        urls = wire_urls(server)

        def handler(request: Request) -> Response:
            query = request.query_string.decode()
            try:
                status, headers, body = self.answer(server.url_for(request.path) + (f"?{query}" if query else ""), urls)
            except UnknownURL as exc:  # kept in `unknown`: check() (the fixture's teardown) fails the test
                return Response(str(exc), status=500, content_type="text/plain")
            return Response(body, status=status, headers=headers)

        server.expect_request(_AnyPath()).respond_with_handler(handler)
        return {f"QTWATCH_{setting.upper()}": url for setting, url in urls.items()}

    def _refusal(self, call: Call) -> Answer | None:
        """A refusing server's answer when `refuse` names the call's source or a prefix of its route."""
        status = next((s for key, s in self.refuse.items() if key == call.source or call.route.startswith(key)), None)
        if status is None:
            return None
        headers = {"Content-Type": "text/html", **({"Retry-After": "1"} if status in (429, 503) else {})}
        return status, headers, b"<html><body>Forbidden</body></html>" if status == 403 else b"busy"

    def _served(self, call: Call) -> Recorded:
        """The recorded answer, rewritten by the source's fault. A fault plays the source's server: it rewrites what
        a valid request gets, so FRED's key check is its to make (key_echo_run's answers a key FRED refuses)."""
        fault = self.faults.get(call.source)
        status, ctype, body = self._recorded(call, key_checked=fault is None)
        if fault is not None and status == 200:
            status, body = fault(call.source, call.fmt, call.query, body)
        return status, ctype, body

    def _recorded(self, call: Call, *, key_checked: bool) -> Recorded:
        """tests/fixtures' body (with an overlay, where it has one), else the snapshot's; the FRED API built from the
        catalog unless the snapshot's FRED refuses the request (a bad key, an unknown series: FRED's 400)."""
        if self.overlay is not None and (found := self.overlay.answer(call)) is not None:
            return found
        replayed = self._replayed(call.url)
        if call.fmt != "fred_api" or (key_checked and replayed[0] != 200):
            return replayed
        return self._fred_api(call) or replayed

    def _replayed(self, url: str) -> Recorded:
        response = self.replay.send(requests.Request("GET", url).prepare())
        return response.status_code, response.headers["Content-Type"], response.content

    def _fred_api(self, call: Call) -> Recorded | None:
        """`series` from the catalog, `series/observations` from the recorded fredgraph file (None: a path or a
        series the catalog does not have)."""
        series = self.catalog.get(call.query.get("series_id", ""))
        if series is None or call.path not in ("series", "series/observations"):
            return None
        if call.path == "series":
            meta = {
                "id": series["series_id"],
                "title": series["title"],
                "units": series["units"],
                "frequency": series["frequency"].title(),
                "last_updated": "2025-06-12 15:31:02-05",
            }
            return 200, "application/json", json.dumps({"seriess": [meta]}).encode()
        params = {"id": series["series_id"], "coed": call.query["observation_end"]}
        if call.query.get("observation_start"):
            params["cosd"] = call.query["observation_start"]
        graph = self.replay.send(requests.Request("GET", FREDGRAPH_URL, params=params).prepare()).text
        rows = [line.split(",") for line in graph.splitlines()[1:] if line]
        observations = [{"realtime_start": "2025-06-13", "date": d, "value": v or "."} for d, v in rows]
        return 200, "application/json", json.dumps({"count": len(observations), "observations": observations}).encode()


class _AnyPath(URIPattern):
    """A pytest-httpserver URI matcher that accepts every path."""

    def match(self, uri: str) -> bool:  # noqa: ARG002 - every path
        return True


# ------------------------------------------------------------------------------------ tests/fixtures' recordings
FISCAL_FILES = {fiscal.AUCTIONS_ENDPOINT: "auctions.json.gz", fiscal.DTS_ENDPOINT: "dts.json.gz"}


class FixtureOverlay:
    """tests/fixtures' recorded bodies (their READMEs) in place of the snapshot's: the keyless fredgraph WALCL, the
    auctions and DTS pages (paged by the strict replay's Fiscal Data rules), the 2026 NY Fed rates and operations.
    Rows are cut to each request's own window, as the servers do; no as-of cut (each is one day's recording)."""

    def __init__(self, folder: Path) -> None:
        self.root = _fiscal_root(folder)

    def answer(self, call: Call) -> Recorded | None:
        """The recorded answer to `call`, None where tests/fixtures has no body for it (the snapshot answers)."""
        low, high = date_or_none(call.query.get("startDate")), date_or_none(call.query.get("endDate"))
        if call.fmt == "fredgraph" and call.query.get("id") == "WALCL":
            return 200, "text/csv", _walcl(call.query)
        if call.fmt == "fiscal_json" and call.path.strip("/") in FISCAL_FILES:
            return self._fiscal(call)
        if call.fmt == "rates_csv" and call.path == nyfed.RATES_PATH:
            return 200, "text/csv", _rates(low or date.min, high or date.max)
        if call.fmt == "rp_json" and call.path == nyfed.RP_PATH:
            return 200, "application/json", _operations(low or date.min, high or date.max)
        return None

    def _fiscal(self, call: Call) -> Recorded:
        endpoint = call.path.strip("/")
        try:
            page = fiscal_response(
                ReplayCall(self.root, "fiscaldata_url", endpoint, call.query, None, seed=3),
                FISCAL_FILES[endpoint],
                auctions=endpoint == fiscal.AUCTIONS_ENDPOINT,
                release=SOURCES[call.source].release,
            )
        except ValueError as exc:  # the strict rules' 400
            body = json.dumps({"error": "Invalid Query Param", "message": str(exc)}).encode()
            return 400, "application/json", body
        return 200, "application/json", json.dumps(page).encode()


def _walcl(query: Mapping[str, str]) -> bytes:
    """The real keyless WALCL download (fetched 2025-08-11), rows in the request's window."""
    text = (FIXTURES / "fred" / "fredgraph_WALCL_fetched-2025-08-11.csv").read_text()
    return filter_dated_csv(text, date_or_none(query.get("cosd")), date_or_none(query.get("coed")) or date.max)


def _fiscal_root(folder: Path) -> Path:
    """The two recorded Fiscal Data bodies as datasets the strict replay's paging can serve."""
    root = folder / "fake_fiscal"
    root.mkdir(exist_ok=True)
    auctions = json.loads(gzip.decompress((FIXTURES / "fiscal" / "auctions_query_bills_2026-01.json.gz").read_bytes()))
    dts = json.loads((FIXTURES / "fiscal" / "dts_operating_cash_balance_2025-07-07_2025-07-11.json").read_text())
    for name, body in ((FISCAL_FILES[fiscal.AUCTIONS_ENDPOINT], auctions), (FISCAL_FILES[fiscal.DTS_ENDPOINT], dts)):
        meta = {k: body["meta"][k] for k in ("labels", "dataTypes", "dataFormats")}
        (root / name).write_bytes(gzip.compress(json.dumps({"data": body["data"], "meta": meta}).encode()))
    return root


def _rates(low: date, high: date) -> bytes:
    """The recorded rates downloads (2026-02-05/06 with SOFRAI, 2026-08-03), rows in [low, high]."""
    header, rows = "", []
    for name in ("rates_all_2026-08-03.csv", "rates_all_sofrai_2026-02-05_06.csv"):
        header, *body = (FIXTURES / "nyfed" / name).read_text().splitlines()
        rows += [r for r in body if r.strip(",") and low <= us_date(r.split(",", 1)[0]) <= high]
    return "\n".join([header, *rows, "," * header.count(",")]).encode()


def _operations(low: date, high: date) -> bytes:
    """The recorded 2026-01-23..02-06 operations in [low, high]."""
    body = json.loads((FIXTURES / "nyfed" / "rp_all_all_results_lastTwoWeeks_2026-02-06.json").read_text())
    kept = [op for op in body["repo"]["operations"] if low <= date.fromisoformat(op["operationDate"]) <= high]
    return json.dumps({"repo": {"operations": kept}}).encode()


# ------------------------------------------------------------------------------------------------------ fixture
@pytest.fixture
def fake_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., FakeHost]]:
    """fake_host(as_of, faults=, refuse=, overrides=, fixtures=False) -> a FakeHost (`fixtures=True`: with
    tests/fixtures' recordings); a URL no registered source serves, asked of any of them, fails the test."""
    made: list[FakeHost] = []

    def make(
        as_of: date | None,
        *,
        faults: Mapping[str, Fault] | None = None,
        refuse: Mapping[str, int] | None = None,
        overrides: Mapping[str, bytes] | None = None,
        fixtures: bool = False,
    ) -> FakeHost:
        overlay = FixtureOverlay(tmp_path_factory.mktemp("fake-host")) if fixtures else None
        made.append(FakeHost(as_of, faults=faults, refuse=refuse, overrides=overrides, overlay=overlay))
        return made[-1]

    yield make
    for host in made:
        host.check()
