"""NY Fed Markets Data API: reference rates (SOFR, TGCR, BGCR, EFFR, OBFR) and repo / reverse-repo operations."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import polars as pl
import requests

from flows.http import get_bytes
from flows.replay import ReplayCall, date_or_none, load_json_gz, us_date
from flows.sources import Batch, FetchRequest, parse_or_raise
from transforms import nyfed as parse

RATES_PATH = "rates/all/search.csv"
RP_PATH = "rp/results/search.json"


def fetch_rates(session: requests.Session, request: FetchRequest) -> Batch:
    """All reference rates, one row per (rate type, effective date), with percentiles and volumes."""
    return _fetch(session, request, RATES_PATH, "csv", parse.parse_reference_rates_csv)


def fetch_operations(session: requests.Session, request: FetchRequest) -> Batch:
    """Repo (standing repo facility) and reverse-repo (ON RRP) operation results, one row per operation."""
    return _fetch(session, request, RP_PATH, "json", parse.parse_rp_operations_json)


def _fetch(session: requests.Session, request: FetchRequest, path: str, expect: str,
           parser: Callable[[bytes], pl.DataFrame]) -> Batch:
    """One NY Fed search request over the window, parsed, each row carrying the request URL."""
    source, window = request.source, request.window
    params = {"startDate": (window.start or source.history_start).isoformat(), "endDate": window.end.isoformat()}
    body, url = get_bytes(session, request.base_url + path, params, source=source.name, expect=expect)
    frame = parse_or_raise(parser, body, source=source.name, url=url)
    return Batch(source.name, source.dataset.name, frame.with_columns(source_url=pl.lit(url)), [url],
                 {"*": window})


# ------------------------------------------------------------------------------------------------------ replay
def replay(call: ReplayCall) -> tuple[int, bytes, str]:
    """Serve the rates CSV search and the repo/reverse-repo results search from `replay/nyfed/`."""
    low, high = date_or_none(call.query.get("startDate")) or date.min, call.upper(call.query.get("endDate"))
    if call.path == RATES_PATH:
        header, *rows = (call.root / "nyfed" / "rates_all.csv").read_text().splitlines()
        kept = [r for r in rows if r.strip(",") and low <= us_date(r.split(",", 1)[0]) <= high]
        return 200, ("\n".join([header, *kept, "," * header.count(",")])).encode(), "text/csv"
    if call.path == RP_PATH:
        operations = load_json_gz(call.root / "nyfed" / "rp_operations.json.gz")["repo"]["operations"]
        wanted = call.query.get("operationTypes")
        ops = [op for op in operations if low <= date.fromisoformat(op["operationDate"]) <= high
               and _matches_type(op, wanted)]
        return 200, json.dumps({"repo": {"operations": ops}}).encode(), "application/json"
    return call.not_found()


def _matches_type(op: dict, wanted: str | None) -> bool:
    return not wanted or op.get("operationType", "").replace(" ", "").lower() == wanted.replace(" ", "").lower()
