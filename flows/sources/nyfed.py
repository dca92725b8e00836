"""NY Fed Markets Data API: reference rates (SOFR, TGCR, BGCR, EFFR, OBFR) and repo / reverse-repo operations."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import polars as pl
import requests

from flows.http import get_bytes
from flows.probes import Check, Probe
from flows.probes import window as probe_window
from flows.replay import ReplayCall, date_or_none, us_date
from flows.sources import Batch, FetchRequest, parse_or_raise, run_logger
from transforms import nyfed as parse
from transforms.nyfed import unknown_fields
from transforms.nyfed_details import minimum_bid_changes
from transforms.registry import SOURCES, Source, release_of

RATES_PATH = "rates/all/search.csv"
RP_PATH = "rp/results/search.json"


def fetch_rates(session: requests.Session, request: FetchRequest) -> Batch:
    """All reference rates, one row per (rate type, effective date), with percentiles and volumes."""
    batch = _fetch(session, request, RATES_PATH, "csv", parse.parse_reference_rates_csv)
    note_drift(
        request.source.name,
        unknown_fields(batch.frame, parse.KNOWN_UNMODELLED_RATE_FIELDS),
        parse.unknown_rate_types(batch.frame),
    )
    return batch


def fetch_operations(session: requests.Session, request: FetchRequest) -> Batch:
    """Repo (standing repo facility) and reverse-repo (ON RRP) operation results, one row per operation."""
    batch = _fetch(session, request, RP_PATH, "json", parse.parse_rp_operations_json)
    note_drift(request.source.name, unknown_fields(batch.frame, parse.KNOWN_UNMODELLED_RP_FIELDS), [])
    changes = minimum_bid_changes(batch.frame)  # kept in raw extra.minimumBidRate, not a column: say so
    if changes:  # one line however many moves a backfill spans (logs stay quiet)
        run_logger().warning("%s: %s (kept in raw extra.minimumBidRate)", request.source.name, "; ".join(changes))
    return batch


def note_drift(source: str, fields: list[str], rate_types: list[str]) -> None:
    """One log line per fetch naming fields and rate types the NY Fed sent that qtwatch does not model (they are
    kept in raw: `extra`, or rows as they came), so a schema drift is seen without failing the load."""
    parts = [f"new field(s) kept in raw extra: {', '.join(fields)}"] if fields else []
    parts += [f"unknown rate type(s) kept as sent: {', '.join(rate_types)}"] if rate_types else []
    if parts:
        run_logger().warning("%s: %s", source, "; ".join(parts))


def _fetch(
    session: requests.Session, request: FetchRequest, path: str, expect: str, parser: Callable[[bytes], pl.DataFrame]
) -> Batch:
    """One NY Fed search request over the window, parsed, each row carrying the request URL."""
    source, window = request.source, request.window
    params = {"startDate": (window.start or source.history_start).isoformat(), "endDate": window.end.isoformat()}
    body, url = get_bytes(session, request.base_url + path, params, source=source.name, expect=expect)
    frame = parse_or_raise(parser, body, source=source.name, url=url)
    return Batch(source.name, source.dataset.name, frame.with_columns(source_url=pl.lit(url)), [url], {"*": window})


# ------------------------------------------------------------------------------------------------------ replay
def replay(call: ReplayCall) -> tuple[int, bytes, str]:
    """Serve the rates CSV search and the repo/reverse-repo results search from `replay/nyfed/` (and the primary
    dealer statistics' `pd/...` paths, which share the host's base URL, through flows.sources.nyfed_pd)."""
    if call.path.startswith("pd/"):
        from flows.sources import nyfed_pd

        return nyfed_pd.replay(call)
    low, high = date_or_none(call.query.get("startDate")) or date.min, call.upper(call.query.get("endDate"))
    if call.path == RATES_PATH:
        header, *rows = (call.root / "nyfed" / "rates_all.csv").read_text().splitlines()
        kept = [
            r
            for r in rows
            if r.strip(",")
            and low <= (day := us_date(r.split(",", 1)[0])) <= high
            and call.published(day, release_of(SOURCES["nyfed_rates"], r.split(",", 2)[1]))
        ]
        return 200, ("\n".join([header, *kept, "," * header.count(",")])).encode(), "text/csv"
    if call.path == RP_PATH:
        operations = call.json_gz("nyfed/rp_operations.json.gz")["repo"]["operations"]
        release = SOURCES["nyfed_repo"].release
        wanted = call.query.get("operationTypes")
        ops = [
            op
            for op in operations
            if low <= (day := date.fromisoformat(op["operationDate"])) <= high
            and call.published(day, release)
            and _matches_type(op, wanted)
        ]
        return 200, json.dumps({"repo": {"operations": ops}}).encode(), "application/json"
    return call.not_found()


def _matches_type(op: dict, wanted: str | None) -> bool:
    return not wanted or op.get("operationType", "").replace(" ", "").lower() == wanted.replace(" ", "").lower()


# ------------------------------------------------------------------------------------------------ doctor's probes
def probe_rates(source: Source, api_key: str | None, today: date) -> Probe:  # noqa: ARG001 - no key
    """The last two weeks of every reference rate (a few dozen CSV rows)."""
    start, end = probe_window(today)
    return Probe(source.http.base_url_setting, RATES_PATH, {"startDate": start, "endDate": end}, "csv", _inspect_rates)


def probe_operations(source: Source, api_key: str | None, today: date) -> Probe:  # noqa: ARG001 - no key
    """The last two weeks of repo and reverse repo operations."""
    start, end = probe_window(today)
    return Probe(
        source.http.base_url_setting, RP_PATH, {"startDate": start, "endDate": end}, "json", _inspect_operations
    )


def _inspect_rates(body: bytes, check: Check) -> None:
    frame = parse.parse_reference_rates_csv(body)
    check.new = [
        *parse.unknown_fields(frame, parse.KNOWN_UNMODELLED_RATE_FIELDS),
        *(f"rate type {t}" for t in parse.unknown_rate_types(frame)),
    ]
    check.note = f"{frame.height} rows, rate types {', '.join(sorted(frame['rate_type'].unique()))}"


def _inspect_operations(body: bytes, check: Check) -> None:
    frame = parse.parse_rp_operations_json(body)
    check.new = parse.unknown_fields(frame, parse.KNOWN_UNMODELLED_RP_FIELDS)
    check.note = f"{frame.height} operations"
