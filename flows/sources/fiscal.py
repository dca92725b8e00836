"""US Treasury Fiscal Data API: auctions_query (Treasury auctions) and the Daily Treasury Statement TGA table."""

from __future__ import annotations

import json
from collections.abc import Callable

import polars as pl
import requests

from flows.http import get_bytes
from flows.replay import ReplayCall, fiscal_response
from flows.sources import Batch, FetchRequest, Window, parse_or_raise
from transforms import fiscal as parse

AUCTIONS_ENDPOINT = "v1/accounting/od/auctions_query"
DTS_ENDPOINT = "v1/accounting/dts/operating_cash_balance"
PAGE_SIZE = 10000  # the largest page public clients use; a full auctions history is two pages
MAX_PAGES = 100  # a guard against a server that keeps announcing more pages
REPLAY_FILES = {AUCTIONS_ENDPOINT: "fiscaldata/auctions_query.json.gz",
                DTS_ENDPOINT: "fiscaldata/operating_cash_balance.json.gz"}


def fetch_pages(session: requests.Session, url: str, date_field: str, window: Window, source: str,
                parser: Callable[[pl.DataFrame], pl.DataFrame], fields: list[str],
                on_page: Callable[[int, int], None] | None = None) -> tuple[pl.DataFrame, list[str]]:
    """Every page of one endpoint filtered to the window on `date_field`, parsed page by page and stacked.

    Only `fields` are requested (a quarter of auctions_query's 114): four times less to download and parse. They
    must include the dataset's full natural key, or the API aggregates (sums) non-unique rows."""
    clauses = [f"{date_field}:lte:{window.end.isoformat()}"]
    if window.start:
        clauses.insert(0, f"{date_field}:gte:{window.start.isoformat()}")
    params = {"fields": ",".join(fields), "filter": ",".join(clauses), "sort": date_field,
              "page[size]": str(PAGE_SIZE)}
    frames, urls, number, pages = [], [], 1, 1
    while number <= min(pages, MAX_PAGES):
        body, final_url = get_bytes(session, url, {**params, "page[number]": str(number)}, source=source,
                                    expect="json")
        page, meta = parse_or_raise(parse.parse_fiscal_page, body, source=source, url=final_url)
        frames.append(parse_or_raise(parser, page, source=source, url=final_url)
                      .with_columns(source_url=pl.lit(final_url)))
        urls.append(final_url)
        pages = int(meta.get("total-pages") or 1)
        if on_page:
            on_page(number, pages)
        number += 1
    return pl.concat(frames), urls


def fetch_auctions(session: requests.Session, request: FetchRequest) -> Batch:
    """Auctions announced or held in the window; rows without results are kept (they are updated later)."""
    return _fetch(session, request, AUCTIONS_ENDPOINT, parse.parse_auctions)


def fetch_dts(session: requests.Session, request: FetchRequest) -> Batch:
    """Daily Treasury Statement operating cash balance rows (all account types) in the window."""
    return _fetch(session, request, DTS_ENDPOINT, parse.parse_operating_cash_balance)


def _fetch(session: requests.Session, request: FetchRequest, endpoint: str,
           parser: Callable[[pl.DataFrame], pl.DataFrame]) -> Batch:
    source = request.source
    progress = request.progress
    on_page = (lambda n, total: progress(f"{source.name}: page {n}/{total}")) if progress else None
    frame, urls = fetch_pages(session, request.base_url + endpoint, source.dataset.date_column, request.window,
                              source.name, parser, list(source.dataset.schema), on_page)
    return Batch(source.name, source.dataset.name, frame, urls, {"*": request.window})


# ------------------------------------------------------------------------------------------------------ replay
def replay(call: ReplayCall) -> tuple[int, bytes, str]:
    """Serve auctions_query and the DTS operating cash balance from `replay/fiscaldata/`, like the API."""
    endpoint = call.path.strip("/")
    if endpoint not in REPLAY_FILES:
        return call.not_found()
    body = fiscal_response(call, REPLAY_FILES[endpoint], auctions=endpoint == AUCTIONS_ENDPOINT)
    return 200, json.dumps(body, separators=(",", ":")).encode(), "application/json"
