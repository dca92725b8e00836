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
import random
from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

import orjson
import requests
from requests.adapters import BaseAdapter

from flows.http import redact
from transforms.registry import Release

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
    seed: int = 0  # orders ties of a Fiscal Data sort, differently on every page (as the live API may)
    # the adapter's decoded files and the records a Fiscal Data query sees (by path, or by ("visible", file,
    # filter)): worked out once per session (the pages of one fetch), freed with it
    files: dict[object, Any] = field(default_factory=dict, compare=False, repr=False)

    def json_gz(self, relative: str) -> dict:
        """A recorded .json.gz under the snapshot, decoded once per session (not once per page, nor kept for the
        process: the auctions file is ~100 MB of Python objects)."""
        path = self.root / relative
        if path not in self.files:
            self.files[path] = load_json_gz(path)
        return self.files[path]

    def upper(self, requested: str | None) -> date:
        """The last date a request may see: its own end date capped by the run's as-of date."""
        ends = [d for d in (date_or_none(requested), self.as_of) if d is not None]
        return min(ends) if ends else date.max

    def published(self, observed: date | None, release: Release) -> bool:
        """Had the observation for `observed` been published (under `release`) by the end of the run's as-of day,
        New York time? The replay serves nothing a user could not have seen that day (an undated record is kept,
        as the date filters keep it)."""
        return self.as_of is None or observed is None or release.is_public(observed, self.as_of)

    def not_found(self) -> tuple[int, bytes, str]:
        """The answer to a URL the snapshot does not serve (a real server's 404)."""
        return 404, b'{"error":"Not Found","message":"no such endpoint in the replay snapshot"}', "application/json"


class ReplayAdapter(BaseAdapter):
    """Serve GET requests for the registered sources' URLs from `root`, as the world stood on `as_of`."""

    def __init__(
        self,
        root: Path,
        as_of: date | None = None,
        routes: Sequence[Route] | None = None,
        *,
        seed: int = 0,
        refusals: Mapping[str, int] | None = None,
    ) -> None:
        """`refusals` maps a base-URL setting (e.g. "fredgraph_url") or a host to an HTTP status (403, 429, 5xx) that
        every request there gets instead of data, as a refusing server would answer (tests inject outages this way)."""
        super().__init__()
        self.root, self.as_of, self.seed, self.refusals = Path(root), as_of, seed, dict(refusals or {})
        self.routes = sorted(routes if routes is not None else default_routes(), key=lambda r: -len(r.base_url))
        self.requests: list[str] = []
        self.files: dict[object, Any] = {}

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):  # noqa: ARG002
        """Route one request to its recorded payload; unknown URLs get a 404 like a real server."""
        self.requests.append(redact(request.url))  # tests read it; a key must not sit there either
        parts = urlsplit(request.url)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        bare = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        route = next((r for r in self.routes if bare.startswith(r.base_url)), None)
        call = ReplayCall(
            self.root,
            route.setting if route else "",
            bare[len(route.base_url) :] if route else "",
            query,
            self.as_of,
            self.seed,
            self.files,
        )
        refusal = self.refusals.get(call.setting) or self.refusals.get(parts.hostname or "")
        if refusal:
            return _refused(request, refusal)
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


_REFUSAL_BODIES = {
    403: b"<html><head><title>403 Forbidden</title></head><body>Forbidden</body></html>",
    429: b'{"error":"Too Many Requests"}',
}


def _refused(request, status: int) -> requests.Response:
    """A refusing server's answer: 403 (an HTML wall), 429 with Retry-After, or a bare 5xx."""
    body = _REFUSAL_BODIES.get(status, f"<html><body>{status} Service Unavailable</body></html>".encode())
    response = _response(request, status, body, "application/json" if status == 429 else "text/html")
    if status in (429, 503):
        response.headers["Retry-After"] = "1"
    return response


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


def filter_dated_csv(text: str, low: date | None, high: date, public: Callable[[date], bool] | None = None) -> bytes:
    """Keep the header and the rows whose first field (an ISO date) lies in [low, high] (and is `public`). Rows in
    date order (every recorded series) are cut by bisection, so a day's request costs its window, not the file's
    whole history (ISO dates sort as text); rows out of order are read one by one."""
    header, *rows = text.splitlines()
    if rows == sorted(rows):  # one linear pass in C on sorted rows
        rows = rows[bisect_left(rows, (low or date.min).isoformat()) : bisect_left(rows, f"{high.isoformat()}~")]
    kept = [
        r
        for r in rows
        if (low or date.min) <= (day := date.fromisoformat(r[:10])) <= high and (public is None or public(day))
    ]
    return ("\n".join([header, *kept]) + "\n").encode()


# The query parameters Fiscal Data accepts; any other is answered 400 (https://fiscaldata.treasury.gov/api-documentation/).
FISCAL_PARAMS = frozenset({"fields", "filter", "sort", "format", "page[number]", "page[size]"})
FISCAL_OPERATORS = frozenset({"lt", "lte", "gt", "gte", "eq", "in"})
FISCAL_MAX_PAGE_SIZE = 10000


def fiscal_response(call: ReplayCall, file: str, *, auctions: bool, release: Release) -> dict:
    """One Fiscal Data page from a recorded dataset, as strict as the API: an unknown parameter, field, filter or
    sort field is a 400; `fields=` returns one row per distinct value of those fields; rows with equal sort values
    come in an arbitrary (seeded) order that differs from page to page; plus the run's as-of: only what `release`
    says was published by then (auctions announced but not yet held carry no results)."""
    dataset = call.json_gz(file)
    labels = dataset["meta"].get("labels", {})
    _check_fiscal_query(call.query, labels)
    fields = [f for f in call.query.get("fields", "").split(",") if f]
    unknown = [f for f in fields if f not in labels]
    if unknown:
        raise _BadQuery(f"Invalid query parameter 'fields' with value '{','.join(unknown)}'")
    records = _sorted(
        _shuffled(_visible(call, file, auctions=auctions, release=release), call), call.query.get("sort", "")
    )
    if fields:
        records = _distinct(records, fields)
    page = _page(records, dataset["meta"], call.query)
    return {**page, "meta": _project_meta(page["meta"], fields)} if fields else page


def _visible(call: ReplayCall, file: str, *, auctions: bool, release: Release) -> list[dict]:
    """The records that pass the request's filter and the run's as-of; worked out once for all pages of a query."""
    memo = ("visible", file, call.query.get("filter", ""))
    if memo not in call.files:
        clauses = _split_filter(call.query.get("filter", ""))  # once per request, not once per record
        records = [r for r in call.json_gz(file)["data"] if _passes_filter(r, clauses)]
        if auctions:
            records = _auctions_as_of(records, call, release)
        else:
            records = [r for r in records if call.published(date_or_none(r["record_date"]), release)]
        call.files[memo] = records
    return call.files[memo]


def _check_fiscal_query(query: Mapping[str, str], labels: Mapping[str, str]) -> None:
    """Refuse what the API refuses: unknown parameters, fields, filter fields or operators, sort fields."""
    unknown = sorted(set(query) - FISCAL_PARAMS)
    if unknown:
        raise _BadQuery(f"Invalid query parameter '{unknown[0]}'")
    if query.get("format", "json") != "json":
        raise _BadQuery(f"Invalid query parameter 'format' with value '{query['format']}'")
    for clause in _split_filter(query.get("filter", "")):
        field, op, _ = (clause.split(":", 2) + ["", ""])[:3]
        if field not in labels or op not in FISCAL_OPERATORS:
            raise _BadQuery(f"Invalid query parameter 'filter' with value '{clause}'")
    for field in (f.lstrip("-") for f in query.get("sort", "").split(",") if f):
        if field not in labels:
            raise _BadQuery(f"Invalid query parameter 'sort' with value '{field}'")
    if int(query.get("page[size]", "100")) > FISCAL_MAX_PAGE_SIZE:
        raise _BadQuery(f"Invalid query parameter 'page[size]' with value '{query['page[size]']}'")


def _distinct(records: list[dict], fields: list[str]) -> list[dict]:
    """`fields=a,b`: one record of those fields per distinct value, in order (what the API returns); a field a
    record lacks reads "null"."""
    pick = itemgetter(*fields)
    single = len(fields) == 1  # itemgetter of one field returns the value, not a 1-tuple
    seen: set[tuple] = set()
    kept = []
    for record in records:
        try:
            values = (pick(record),) if single else pick(record)
        except KeyError:
            values = tuple(record.get(f, "null") for f in fields)
        if values not in seen:
            seen.add(values)
            kept.append(dict(zip(fields, values, strict=True)))
    return kept


def _shuffled(records: list[dict], call: ReplayCall) -> list[dict]:
    """Records in an arbitrary order that depends on the seed and the page asked for: the stable sort that follows
    keeps it among ties, so a non-unique sort sees ties reshuffled between pages, as on the live API."""
    shuffled = list(records)
    random.Random(f"{call.seed}:{call.query.get('page[number]', '1')}").shuffle(shuffled)
    return shuffled


def _auctions_as_of(records: list[dict], call: ReplayCall, release: Release) -> list[dict]:
    """Auctions as known on the run's as-of: announced ones only, with results hidden until the auction day (the
    auctions' release rule: results the same day)."""
    if call.as_of is None:
        return records
    visible = []
    for record in records:
        announced, held = date_or_none(record.get("announcemt_date")), date_or_none(record.get("auction_date"))
        if (announced or held) is None or not call.published(announced or held, release):
            continue
        visible.append(record if held is not None and call.published(held, release) else _without_results(record))
    return visible


def _without_results(record: dict) -> dict:
    """An announced auction as it looks before it is held: every result field is the string "null"."""
    return {
        k: "null" if k.startswith(_RESULT_PREFIXES) or k.endswith(_RESULT_SUFFIXES) else v for k, v in record.items()
    }


def _passes_filter(record: dict, clauses: list[str]) -> bool:
    """Apply a Fiscal Data `filter=field:op:value,...` (ops lt lte gt gte eq in), split into clauses, to one
    all-string record."""
    for clause in clauses:
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
    for spec in reversed([f for f in sort.split(",") if f]):
        name = spec.lstrip("-")
        records = sorted(records, key=partial(_sort_key, name), reverse=spec.startswith("-"))
    return records


def _sort_key(name: str, record: dict) -> str:
    return str(record.get(name, ""))


def _page(records: list[dict], meta: dict, query: dict[str, str]) -> dict:
    """One page of a Fiscal Data response with the API's meta counts and query-fragment links."""
    size = int(query.get("page[size]", "100"))
    number = int(query.get("page[number]", "1"))
    pages = max(1, math.ceil(len(records) / size))
    chunk = records[(number - 1) * size : number * size]

    def link(n: int) -> str:
        return f"&page%5Bnumber%5D={n}&page%5Bsize%5D={size}"

    return {
        "data": chunk,
        "meta": {"count": len(chunk), **meta, "total-count": len(records), "total-pages": pages},
        "links": {
            "self": link(number),
            "first": link(1),
            "prev": link(number - 1) if number > 1 else None,
            "next": link(number + 1) if number < pages else None,
            "last": link(pages),
        },
    }


def _project_meta(meta: dict, fields: list[str]) -> dict:
    """`fields=a,b`: meta's per-field maps list only those fields, as the API returns them."""
    return {
        k: ({f: v[f] for f in fields} if k in ("labels", "dataTypes", "dataFormats") else v) for k, v in meta.items()
    }


class _BadQuery(ValueError):
    """The request names something the API does not have: answered with a 400 and the API's error object."""


def load_json_gz(path: Path) -> dict:
    """A gzipped JSON file, decoded with orjson (Prefect's own dependency; ~2x the stdlib's speed)."""
    with gzip.open(path, "rb") as handle:
        return orjson.loads(handle.read())


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
