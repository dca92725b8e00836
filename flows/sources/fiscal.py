"""US Treasury Fiscal Data API: auctions_query (Treasury auctions) and the Daily Treasury Statement TGA table."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from urllib.parse import parse_qs, unquote

import polars as pl
import requests

from flows.http import get_bytes
from flows.probes import Check, Probe
from flows.replay import ReplayCall, fiscal_response, resolve
from flows.sources import Batch, FetchRequest, Window, parse_or_raise
from transforms import fiscal as parse
from transforms.registry import SOURCES, Source

AUCTIONS_ENDPOINT = "v1/accounting/od/auctions_query"
DTS_ENDPOINT = "v1/accounting/dts/operating_cash_balance"
PAGE_SIZE = 10000  # the largest page public clients use; a full auctions history is two pages
MAX_PAGES = 100  # a guard against a server that keeps announcing more pages
REPLAY_FILES = {
    AUCTIONS_ENDPOINT: "fiscaldata/auctions_query.json.gz",
    DTS_ENDPOINT: "fiscaldata/operating_cash_balance.json.gz",
}


def sort_key(date_field: str, key: tuple[str, ...]) -> str:
    """The `sort=` of a paged read: the date, then the rest of the natural key, so it is unique. Rows with equal
    sort values come in no fixed order across pages, so a non-unique sort can repeat or skip rows between pages."""
    return ",".join([date_field, *(k for k in key if k != date_field)])


def fetch_pages(
    session: requests.Session,
    url: str,
    date_field: str,
    window: Window,
    source: str,
    parser: Callable[[pl.DataFrame], pl.DataFrame],
    fields: list[str],
    on_page: Callable[[int, int], None] | None = None,
    key: tuple[str, ...] = (),
) -> tuple[pl.DataFrame, list[str]]:
    """Every page of one endpoint filtered to the window on `date_field`, sorted by the unique `key`, parsed page by
    page and stacked; follows `links.next` (and stops at `meta.total-pages`).

    Only `fields` are requested (a quarter of auctions_query's 114): four times less to download and parse. The API
    returns one row per distinct value of the requested fields, so the natural key is always among them."""
    params = page_params(date_field, window, fields, key)
    frames: list[pl.DataFrame] = []
    urls: list[str] = []
    number: int | None = 1
    while number is not None and len(urls) < MAX_PAGES:
        body, final_url = get_bytes(session, url, {**params, "page[number]": str(number)}, source=source, expect="json")
        page, meta = parse_or_raise(parse.parse_fiscal_page, body, source=source, url=final_url)
        frames.append(
            parse_or_raise(parser, page, source=source, url=final_url).with_columns(source_url=pl.lit(final_url))
        )
        urls.append(final_url)
        pages = int(meta.get("total-pages") or 1)
        if on_page:
            on_page(number, pages)
        number = next_page(meta.get("links") or {}, number, pages)
    return pl.concat(frames), urls


def page_params(date_field: str, window: Window, fields: list[str], key: tuple[str, ...]) -> dict[str, str]:
    """The query of every page but its number: `fields` plus the key, filtered to the window, in `sort_key` order."""
    clauses = [f"{date_field}:lte:{window.end.isoformat()}"]
    if window.start:
        clauses.insert(0, f"{date_field}:gte:{window.start.isoformat()}")
    fields = [*fields, *(k for k in key if k not in fields)]
    return {
        "fields": ",".join(fields),
        "filter": ",".join(clauses),
        "sort": sort_key(date_field, key),
        "page[size]": str(PAGE_SIZE),
    }


def next_page(links: dict, number: int, pages: int) -> int | None:
    """The page number `links.next` points at (a query fragment like `&page%5Bnumber%5D=2&...`), None on the last
    page; without links, the next number up to `meta.total-pages`."""
    if "next" not in links:
        return number + 1 if number < pages else None
    if not links["next"]:
        return None
    query = parse_qs(unquote(str(links["next"])).lstrip("&?"))
    following = int(query.get("page[number]", [number + 1])[-1])
    return following if following > number else None  # a link that goes nowhere new ends the read


def fetch_auctions(session: requests.Session, request: FetchRequest) -> Batch:
    """Auctions announced or held in the window; rows without results are kept (they are updated later)."""
    return _fetch(session, request, AUCTIONS_ENDPOINT, parse.parse_auctions)


def fetch_dts(session: requests.Session, request: FetchRequest) -> Batch:
    """Daily Treasury Statement operating cash balance rows (all account types) in the window."""
    return _fetch(session, request, DTS_ENDPOINT, parse.parse_operating_cash_balance)


def _fetch(
    session: requests.Session, request: FetchRequest, endpoint: str, parser: Callable[[pl.DataFrame], pl.DataFrame]
) -> Batch:
    source = request.source
    progress = request.progress
    on_page = (lambda n, total: progress(f"{source.name}: page {n}/{total}")) if progress else None
    frame, urls = fetch_pages(
        session,
        request.base_url + endpoint,
        source.dataset.date_column,
        request.window,
        source.name,
        parser,
        list(source.dataset.schema),
        on_page,
        key=source.dataset.key,
    )
    return Batch(source.name, source.dataset.name, frame, urls, {"*": request.window})


# ------------------------------------------------------------------------------------------------------ replay
def replay(call: ReplayCall) -> tuple[int, bytes, str]:
    """Serve auctions_query and the DTS operating cash balance from `replay/fiscaldata/`, like the API."""
    endpoint = call.path.strip("/")
    if endpoint not in REPLAY_FILES:
        return call.not_found()
    source = next(s for s in SOURCES.values() if s.endpoint and resolve(s.endpoint) == endpoint)
    body = fiscal_response(call, REPLAY_FILES[endpoint], auctions=endpoint == AUCTIONS_ENDPOINT, release=source.release)
    return 200, json.dumps(body, separators=(",", ":")).encode(), "application/json"


# ------------------------------------------------------------------------------------------------- doctor's probe
def probe(source: Source, api_key: str | None, today: date) -> Probe:  # noqa: ARG001 - no key, no window
    """The newest record of the source's Fiscal Data endpoint (its registry `endpoint`): one row, every field."""
    endpoint = str(resolve(source.endpoint or ""))
    params = {"sort": f"-{source.dataset.date_column}", "page[size]": "1"}
    return Probe(source.http.base_url_setting, endpoint, params, "json", _inspector(list(source.dataset.schema)))


def _inspector(expected: list[str]) -> Callable[[bytes, Check], None]:
    """Compare a Fiscal Data page's fields (meta.labels: every field the dataset has) with the parser's schema."""

    def inspect(body: bytes, check: Check) -> None:
        frame, meta = parse.parse_fiscal_page(body)
        labels = meta.get("labels") or {c: c for c in frame.columns}
        check.missing = [f for f in expected if f not in labels]
        check.note = f"{len(labels)} fields, {len(expected)} used; {meta.get('total-count')} records"

    return inspect
