"""Replay: a requests adapter that answers the sources' real URLs from the recorded snapshot (replay/).

Routes derive from the source registry: each source's `replay` handler serves the URLs under its base URL(s).

It plays the server, not the parser: it applies each request's own filters (dates, Fiscal Data filter/sort/
pagination) and the run's as-of date (nothing observed after it; auctions announced but not yet held carry no
results), and returns the payload in the live wire format, so live and replay share every fetcher and parser.
"""

from __future__ import annotations

import gzip
import importlib
import io
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, partial
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

import requests
from requests.adapters import BaseAdapter

# Fields an auction only has once it has been held: hidden when replaying a date before the auction.
_RESULT_PREFIXES = ("high_", "low_", "avg_med_", "bid_to_cover", "allocation_pctage", "price_per100")
_RESULT_SUFFIXES = ("_accepted", "_tendered", "comp_results", "noncomp_results")


@dataclass(frozen=True)
class Route:
    """Requests under `base_url` are answered by `handler(ReplayCall)` (a source's `replay` function)."""

    base_url: str
    setting: str
    handler: Callable[[ReplayCall], tuple[int, bytes, str]]


@dataclass(frozen=True)
class ReplayCall:
    """One request as a source's replay handler sees it: `path` relative to the matched base URL."""

    root: Path
    setting: str
    path: str
    query: dict[str, str]
    as_of: date | None

    def upper(self, requested: str | None) -> date:
        """The last date a request may see: its own end date capped by the run's as-of date."""
        ends = [d for d in (date_or_none(requested), self.as_of) if d is not None]
        return min(ends) if ends else date.max

    def not_found(self) -> tuple[int, bytes, str]:
        """The answer to a URL the snapshot does not serve (a real server's 404)."""
        return 404, b'{"error":"Not Found","message":"no such endpoint in the replay snapshot"}', "application/json"


class ReplayAdapter(BaseAdapter):
    """Serve GET requests for the registered sources' URLs from `root`, as the world stood on `as_of`."""

    def __init__(self, root: Path, as_of: date | None = None, routes: Sequence[Route] | None = None) -> None:
        super().__init__()
        self.root, self.as_of = Path(root), as_of
        self.routes = sorted(routes if routes is not None else default_routes(), key=lambda r: -len(r.base_url))
        self.requests: list[str] = []

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):  # noqa: ARG002
        """Route one request to its recorded payload; unknown URLs get a 404 like a real server."""
        self.requests.append(request.url)
        parts = urlsplit(request.url)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        bare = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        route = next((r for r in self.routes if bare.startswith(r.base_url)), None)
        call = ReplayCall(self.root, route.setting if route else "", bare[len(route.base_url):] if route else "",
                          query, self.as_of)
        try:
            status, body, ctype = route.handler(call) if route else call.not_found()
        except FileNotFoundError as exc:
            status, body, ctype = 404, f"not in the replay snapshot: {Path(exc.filename).name}".encode(), "text/plain"
        except _BadQuery as exc:
            body = json.dumps({"error": "Invalid Query Param", "message": str(exc)}).encode()
            status, ctype = 400, "application/json"
        return _response(request, status, body, ctype)

    def close(self) -> None:
        """Nothing to release."""


def default_routes(urls: Mapping[str, str] | None = None) -> list[Route]:
    """A route per base-URL setting of every registered source with a replay handler (`urls` overrides defaults)."""
    from transforms.registry import SOURCES

    routes: dict[str, Route] = {}
    for source in SOURCES.values():
        if source.replay is None:
            continue
        handler = resolve(source.replay)
        for setting, default in source.http.url_settings().items():
            routes.setdefault(setting, Route((urls or {}).get(setting, default), setting, handler))
    return list(routes.values())


def resolve(dotted: str) -> Callable:
    """`"package.module:function"` -> the function (the registry names code without importing it)."""
    module, _, name = dotted.partition(":")
    return getattr(importlib.import_module(module), name)


def filter_dated_csv(text: str, low: date | None, high: date) -> bytes:
    """Keep the header and the rows whose first field (an ISO date) lies in [low, high]."""
    header, *rows = text.splitlines()
    kept = [r for r in rows if (low or date.min) <= date.fromisoformat(r[:10]) <= high]
    return ("\n".join([header, *kept]) + "\n").encode()


def fiscal_response(call: ReplayCall, file: str, *, auctions: bool) -> dict:
    """One Fiscal Data page from a recorded dataset: the request's filter, sort, fields and pagination applied,
    plus the run's as-of (auctions announced but not yet held carry no results)."""
    dataset = load_json_gz(call.root / file)
    records = [r for r in dataset["data"] if _passes_filter(r, call.query.get("filter", ""))]
    if auctions:
        records = _auctions_as_of(records, call.as_of)
    else:
        as_of = call.as_of or date.max
        records = [r for r in records if (date_or_none(r["record_date"]) or date.min) <= as_of]
    records = _sorted(records, call.query.get("sort", ""))
    fields = [f for f in call.query.get("fields", "").split(",") if f]
    page = _page(records, dataset["meta"], call.query)
    return _project(page, fields) if fields else page


def _auctions_as_of(records: list[dict], as_of: date | None) -> list[dict]:
    """Auctions as known on `as_of`: announced ones only, with results hidden until the auction date."""
    if as_of is None:
        return records
    visible = []
    for record in records:
        announced, held = date_or_none(record.get("announcemt_date")), date_or_none(record.get("auction_date"))
        known = announced or held
        if known is None or known > as_of:
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
    a: float | str
    b: float | str
    a, b = (float(have), float(value)) if _is_number(have) and _is_number(value) else (have, value)
    return {"lt": a < b, "lte": a <= b, "gt": a > b, "gte": a >= b, "eq": a == b}[op]  # type: ignore[operator]


def _sorted(records: list[dict], sort: str) -> list[dict]:
    for field in reversed([f for f in sort.split(",") if f]):
        name = field.lstrip("-")
        records = sorted(records, key=partial(_sort_key, name), reverse=field.startswith("-"))
    return records


def _sort_key(name: str, record: dict) -> str:
    return str(record.get(name, ""))


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


@cache
def load_json_gz(path: Path) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def date_or_none(text: str | None) -> date | None:
    if not text or text == "null":
        return None
    return date.fromisoformat(text[:10])


def us_date(text: str) -> date:
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
