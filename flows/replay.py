"""Replay: a requests adapter that answers the sources' real URLs from the recorded snapshot (replay/).

It plays the server, not the parser: it applies each request's own filters (dates, Fiscal Data filter/sort/
pagination) and the run's as-of date (nothing observed after it; auctions announced but not yet held carry no
results), and returns the payload in the live wire format, so live and replay share every fetcher and parser.
"""

from __future__ import annotations

import gzip
import io
import json
import math
from datetime import date, datetime
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests
from requests.adapters import BaseAdapter

FISCAL_PREFIX = "/services/api/fiscal_service/"
FISCAL_FILES = {
    "v1/accounting/od/auctions_query": "fiscaldata/auctions_query.json.gz",
    "v1/accounting/dts/operating_cash_balance": "fiscaldata/operating_cash_balance.json.gz",
}
# Fields an auction only has once it has been held: hidden when replaying a date before the auction.
_RESULT_PREFIXES = ("high_", "low_", "avg_med_", "bid_to_cover", "allocation_pctage", "price_per100")
_RESULT_SUFFIXES = ("_accepted", "_tendered", "comp_results", "noncomp_results")


class ReplayAdapter(BaseAdapter):
    """Serve GET requests for FRED, Fiscal Data and NY Fed URLs from `root`, as the world stood on `as_of`."""

    def __init__(self, root: Path, as_of: date | None = None) -> None:
        super().__init__()
        self.root, self.as_of = Path(root), as_of
        self.requests: list[str] = []

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):  # noqa: ARG002
        """Route one request to its recorded payload; unknown URLs get a 404 like a real server."""
        self.requests.append(request.url)
        parts = urlsplit(request.url)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        try:
            status, body, ctype = self._route(parts.netloc, parts.path, query)
        except FileNotFoundError as exc:
            status, body, ctype = 404, f"not in the replay snapshot: {Path(exc.filename).name}".encode(), "text/plain"
        except _BadQuery as exc:
            body = json.dumps({"error": "Invalid Query Param", "message": str(exc)}).encode()
            status, ctype = 400, "application/json"
        return _response(request, status, body, ctype)

    def close(self) -> None:
        """Nothing to release."""

    def _route(self, host: str, path: str, query: dict[str, str]) -> tuple[int, bytes, str]:
        if host == "fred.stlouisfed.org" and path == "/graph/fredgraph.csv":
            return 200, self._fredgraph(query), "text/csv"
        if host == "markets.newyorkfed.org" and path == "/api/rates/all/search.csv":
            return 200, self._nyfed_rates(query), "text/csv"
        if host == "markets.newyorkfed.org" and path == "/api/rp/results/search.json":
            return 200, self._nyfed_rp(query), "application/json"
        if host == "api.fiscaldata.treasury.gov" and path.startswith(FISCAL_PREFIX):
            endpoint = path.removeprefix(FISCAL_PREFIX).strip("/")
            if endpoint in FISCAL_FILES:
                return 200, self._fiscal(endpoint, query), "application/json"
        return 404, b'{"error":"Not Found","message":"no such endpoint in the replay snapshot"}', "application/json"

    def _upper(self, requested: str | None) -> date:
        """The last date a request may see: its own end date capped by the run's as-of date."""
        ends = [d for d in (_iso(requested), self.as_of) if d is not None]
        return min(ends) if ends else date.max

    def _fredgraph(self, query: dict[str, str]) -> bytes:
        series = query.get("id", "")
        text = (self.root / "fred" / "fredgraph" / f"{series}.csv").read_text()
        header, *rows = text.splitlines()
        low, high = _iso(query.get("cosd")) or date.min, self._upper(query.get("coed"))
        kept = [r for r in rows if low <= date.fromisoformat(r[:10]) <= high]
        return ("\n".join([header, *kept]) + "\n").encode()

    def _nyfed_rates(self, query: dict[str, str]) -> bytes:
        text = (self.root / "nyfed" / "rates_all.csv").read_text()
        header, *rows = text.splitlines()
        low, high = _iso(query.get("startDate")) or date.min, self._upper(query.get("endDate"))
        kept = [r for r in rows if r.strip(",") and low <= _us_date(r.split(",", 1)[0]) <= high]
        return ("\n".join([header, *kept, "," * header.count(",")])).encode()

    def _nyfed_rp(self, query: dict[str, str]) -> bytes:
        operations = _load_json(self.root / "nyfed" / "rp_operations.json.gz")["repo"]["operations"]
        low, high = _iso(query.get("startDate")) or date.min, self._upper(query.get("endDate"))
        kept = [op for op in operations if low <= date.fromisoformat(op["operationDate"]) <= high]
        kept = [op for op in kept if _matches_type(op, query.get("operationTypes"))]
        return json.dumps({"repo": {"operations": kept}}).encode()

    def _fiscal(self, endpoint: str, query: dict[str, str]) -> bytes:
        dataset = _load_json(self.root / FISCAL_FILES[endpoint])
        records = [r for r in dataset["data"] if _passes_filter(r, query.get("filter", ""))]
        if endpoint.endswith("auctions_query"):
            records = _auctions_as_of(records, self.as_of)
        else:
            records = [r for r in records if self.as_of is None or _iso(r["record_date"]) <= self.as_of]
        records = _sorted(records, query.get("sort", ""))
        fields = [f for f in query.get("fields", "").split(",") if f]
        page = _page(records, dataset["meta"], query)
        return json.dumps(_project(page, fields) if fields else page, separators=(",", ":")).encode()


def _auctions_as_of(records: list[dict], as_of: date | None) -> list[dict]:
    """Auctions as known on `as_of`: announced ones only, with results hidden until the auction date."""
    if as_of is None:
        return records
    visible = []
    for record in records:
        announced, held = _iso(record.get("announcemt_date")), _iso(record.get("auction_date"))
        if (announced or held) is None or (announced or held) > as_of:
            continue
        visible.append(record if held is not None and held <= as_of else _without_results(record))
    return visible


def _without_results(record: dict) -> dict:
    """An announced auction as it looks before it is held: every result field is the string "null"."""
    return {k: "null" if k.startswith(_RESULT_PREFIXES) or k.endswith(_RESULT_SUFFIXES) else v
            for k, v in record.items()}


def _passes_filter(record: dict, spec: str) -> bool:
    """Apply a Fiscal Data `filter=field:op:value,...` (ops lt lte gt gte eq in) to one all-string record."""
    for clause in _split_filter(spec):
        field, op, value = clause.split(":", 2)
        have = record.get(field, "null")
        if op == "in":
            if have not in value.strip("()").split("|"):
                return False
        elif have == "null" or not _compare(have, op, value):
            return False
    return True


def _split_filter(spec: str) -> list[str]:
    """Split a filter on commas outside `in:(a,b)` lists; inside, values are re-joined with '|'."""
    clauses, depth, current = [], 0, ""
    for char in spec:
        depth += char == "("
        depth -= char == ")"
        if char == "," and depth == 0:
            clauses.append(current)
            current = ""
        else:
            current += "|" if char == "," and depth else char
    return [c for c in [*clauses, current] if c]


def _compare(have: str, op: str, value: str) -> bool:
    a, b = (float(have), float(value)) if _is_number(have) and _is_number(value) else (have, value)
    return {"lt": a < b, "lte": a <= b, "gt": a > b, "gte": a >= b, "eq": a == b}[op]


def _sorted(records: list[dict], sort: str) -> list[dict]:
    for field in reversed([f for f in sort.split(",") if f]):
        name = field.lstrip("-")
        records = sorted(records, key=lambda r, n=name: r.get(n, ""), reverse=field.startswith("-"))
    return records


def _page(records: list[dict], meta: dict, query: dict[str, str]) -> dict:
    """One page of a Fiscal Data response with the API's meta counts and query-fragment links."""
    size = int(query.get("page[size]", "100"))
    number = int(query.get("page[number]", "1"))
    pages = max(1, math.ceil(len(records) / size))
    chunk = records[(number - 1) * size: number * size]

    def link(n: int) -> str:
        return f"&page%5Bnumber%5D={n}&page%5Bsize%5D={size}"

    return {
        "data": chunk,
        "meta": {"count": len(chunk), **meta, "total-count": len(records), "total-pages": pages},
        "links": {"self": link(number), "first": link(1), "prev": link(number - 1) if number > 1 else None,
                  "next": link(number + 1) if number < pages else None, "last": link(pages)},
    }


def _project(page: dict, fields: list[str]) -> dict:
    """`fields=a,b`: only those fields in data and in meta's per-field maps, as the API returns them."""
    unknown = [f for f in fields if f not in page["meta"].get("labels", {})]
    if unknown:
        raise _BadQuery(f"Invalid query parameter 'fields' with value '{','.join(unknown)}'")
    meta = {k: ({f: v[f] for f in fields} if k in ("labels", "dataTypes", "dataFormats") else v)
            for k, v in page["meta"].items()}
    return {**page, "data": [{f: r.get(f, "null") for f in fields} for r in page["data"]], "meta": meta}


class _BadQuery(ValueError):
    """The request names something the API does not have: answered with a 400 and the API's error object."""


def _matches_type(op: dict, wanted: str | None) -> bool:
    return not wanted or op.get("operationType", "").replace(" ", "").lower() == wanted.replace(" ", "").lower()


@cache
def _load_json(path: Path) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _iso(text: str | None) -> date | None:
    if not text or text == "null":
        return None
    return date.fromisoformat(text[:10])


def _us_date(text: str) -> date:
    return datetime.strptime(text, "%m/%d/%Y").date()


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _response(request, status: int, body: bytes, content_type: str) -> requests.Response:
    response = requests.Response()
    response.status_code, response._content, response.url = status, body, request.url
    response.headers["Content-Type"] = content_type
    response.request, response.encoding = request, "utf-8"
    response.raw = io.BytesIO(body)
    response.reason = "OK" if status == 200 else "Not Found"
    return response
