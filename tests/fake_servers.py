"""Local stand-ins for the real servers (FRED API, fredgraph.csv, Fiscal Data, NY Fed, CFTC) on one pytest-httpserver.

Where a real recorded body exists (tests/fixtures/, see the READMEs there) it is served: fredgraph WALCL, the auctions
and DTS cassettes (paged by the strict replay's Fiscal Data rules), the 2026 NY Fed rates and operations. Everything
else a full live run asks for (the other FRED series, the FRED API) comes from the bundled replay snapshot through
the replay handlers: built from real recordings too. Rows are cut to each request's own date window, as the servers
do. `refuse` maps a route prefix ("/fredgraph") to a status every request there gets instead (403, 429, 5xx).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from pytest_httpserver import HTTPServer, URIPattern
from werkzeug import Request, Response

from flows.replay import ReplayCall, date_or_none, filter_dated_csv, fiscal_response, resolve, us_date
from flows.sources import cftc as cftc_source
from flows.sources import fred as fred_source
from flows.sources import nyfed_pd as pd_source
from transforms.registry import SOURCES

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
REPLAY = ROOT / "replay"
_RECORDED = {
    "fred_api_url": "/fred/",
    "fredgraph_url": "/fredgraph.csv",
    "fiscaldata_url": "/fiscal/",
    "nyfed_url": "/nyfed/",
    "cftc_url": "/cftc/",
}  # the settings answered from tests/fixtures/ (above)
# Every other base-URL setting of the registry (a source added later) is answered by its source's replay handler.
_REPLAYED = {
    setting: (f"/{setting}/", source)
    for source in SOURCES.values()
    if source.replay
    for setting in source.http.url_settings()
    if setting not in _RECORDED
}
PREFIXES = {**_RECORDED, **{setting: prefix for setting, (prefix, _) in _REPLAYED.items()}}


def base_urls(server: HTTPServer) -> dict[str, str]:
    """Every base-URL setting of the registry pointed at the fake (plain http:// to localhost)."""
    return {name: server.url_for(prefix) for name, prefix in PREFIXES.items()}


def environment(server: HTTPServer) -> dict[str, str]:
    """QTWATCH_<NAME> variables for every base URL."""
    return {f"QTWATCH_{name.upper()}": url for name, url in base_urls(server).items()}


def serve(
    server: HTTPServer,
    tmp: Path,
    refuse: Mapping[str, int] | None = None,
    overrides: Mapping[str, bytes] | None = None,
    as_of: date | None = None,
) -> None:
    """Register one handler answering every path like the real server would, from real recorded bodies.

    `overrides` maps a path (e.g. "/nyfed/rates/all/search.csv") to a body served instead (a drifted payload);
    `as_of` is the day the CFTC files are served as of (the snapshot's yearly files, published on Fridays)."""
    root = _fiscal_root(tmp)

    def handler(request: Request) -> Response:
        query = {k: v for k, v in request.args.items()}
        for prefix, status in (refuse or {}).items():
            if request.path.startswith(prefix):
                return Response(
                    "<html><body>Forbidden</body></html>" if status == 403 else "busy",
                    status=status,
                    content_type="text/html",
                    headers={"Retry-After": "1"} if status in (429, 503) else {},
                )
        if overrides and request.path in overrides:
            return Response(overrides[request.path], content_type="application/octet-stream")
        if request.path.startswith("/cftc/"):  # the snapshot's real CFTC rows, as published by `as_of`
            status, body, ctype = cftc_source.replay(
                ReplayCall(REPLAY, "cftc_url", request.path[len("/cftc/") :], query, as_of)
            )
            return Response(body, status=status, content_type=ctype)
        replayed = next(((s, p, src) for s, (p, src) in _REPLAYED.items() if request.path.startswith(p)), None)
        if replayed:
            setting, prefix, source = replayed
            call = ReplayCall(REPLAY, setting, request.path[len(prefix) :], query, as_of)
            status, body, ctype = resolve(source.replay or "")(call)
        else:
            status, body, ctype = _answer(request.path, query, root)
        return Response(body, status=status, content_type=ctype)

    server.expect_request(_AnyPath()).respond_with_handler(handler)


class _AnyPath(URIPattern):
    """A pytest-httpserver URI matcher that accepts every path."""

    def match(self, uri: str) -> bool:  # noqa: ARG002 - every path
        return True


def _answer(path: str, query: dict[str, str], root: Path) -> tuple[int, bytes, str]:
    if path.startswith("/fredgraph.csv"):
        return _fredgraph(query)
    if path.startswith("/fred/"):
        return fred_source.replay(ReplayCall(REPLAY, "fred_api_url", path[len("/fred/") :], query, None))
    if path.startswith("/fiscal/"):
        endpoint = path[len("/fiscal/") :].strip("/")
        files = {
            "v1/accounting/od/auctions_query": "auctions.json.gz",
            "v1/accounting/dts/operating_cash_balance": "dts.json.gz",
        }
        if endpoint not in files:
            return 404, b'{"error":"Not Found"}', "application/json"
        try:
            page = fiscal_response(
                ReplayCall(root, "fiscaldata_url", endpoint, query, None, seed=3),
                files[endpoint],
                auctions=endpoint.endswith("auctions_query"),
                release=SOURCES["auctions"].release,
            )
        except ValueError as exc:  # the strict rules' 400
            return 400, json.dumps({"error": "Invalid Query Param", "message": str(exc)}).encode(), "application/json"
        return 200, json.dumps(page).encode(), "application/json"
    if path == "/nyfed/rates/all/search.csv":
        return 200, _rates(query), "text/csv"
    if path == "/nyfed/rp/results/search.json":
        return 200, _operations(query), "application/json"
    if path.startswith("/nyfed/pd/"):  # the recorded primary dealer bodies (replay/nyfed/pd_get.json, real)
        return pd_source.replay(ReplayCall(REPLAY, "nyfed_url", path[len("/nyfed/") :], query, None))
    return 404, b"not found", "text/plain"


def _fredgraph(query: dict[str, str]) -> tuple[int, bytes, str]:
    """WALCL: the real keyless download; other series from the snapshot (same wire format)."""
    series = query.get("id", "")
    recorded = FIXTURES / "fred" / "fredgraph_WALCL_fetched-2025-08-11.csv"
    path = recorded if series == "WALCL" else REPLAY / "fred" / "fredgraph" / f"{series}.csv"
    if series in fred_source.not_recorded(REPLAY):  # a real series the snapshot has no recording of: no observations
        return 200, f"observation_date,{series}\n".encode(), "text/csv"
    if not path.exists():
        return 404, b"<html>Not Found</html>", "text/html"
    high = date_or_none(query.get("coed")) or date.max
    return 200, filter_dated_csv(path.read_text(), date_or_none(query.get("cosd")), high), "text/csv"


def _fiscal_root(tmp: Path) -> Path:
    """The two recorded Fiscal Data bodies as datasets the strict replay's paging can serve."""
    root = tmp / "fake_fiscal"
    root.mkdir(exist_ok=True)
    auctions = json.loads(gzip.decompress((FIXTURES / "fiscal" / "auctions_query_bills_2026-01.json.gz").read_bytes()))
    dts = json.loads((FIXTURES / "fiscal" / "dts_operating_cash_balance_2025-07-07_2025-07-11.json").read_text())
    for name, body in (("auctions.json.gz", auctions), ("dts.json.gz", dts)):
        meta = {k: body["meta"][k] for k in ("labels", "dataTypes", "dataFormats")}
        (root / name).write_bytes(gzip.compress(json.dumps({"data": body["data"], "meta": meta}).encode()))
    return root


def _rates(query: dict[str, str]) -> bytes:
    """The recorded rates downloads (2026-02-05/06 with SOFRAI, 2026-08-03), rows in the request's window."""
    low, high = date_or_none(query.get("startDate")) or date.min, date_or_none(query.get("endDate")) or date.max
    header, rows = "", []
    for name in ("rates_all_2026-08-03.csv", "rates_all_sofrai_2026-02-05_06.csv"):
        header, *body = (FIXTURES / "nyfed" / name).read_text().splitlines()
        rows += [r for r in body if r.strip(",") and low <= us_date(r.split(",", 1)[0]) <= high]
    return "\n".join([header, *rows, "," * header.count(",")]).encode()


def _operations(query: dict[str, str]) -> bytes:
    """The recorded 2026-01-23..02-06 operations in the request's window."""
    low, high = date_or_none(query.get("startDate")) or date.min, date_or_none(query.get("endDate")) or date.max
    body = json.loads((FIXTURES / "nyfed" / "rp_all_all_results_lastTwoWeeks_2026-02-06.json").read_text())
    kept = [op for op in body["repo"]["operations"] if low <= date.fromisoformat(op["operationDate"]) <= high]
    return json.dumps({"repo": {"operations": kept}}).encode()
