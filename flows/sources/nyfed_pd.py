"""NY Fed Primary Dealer Statistics (FR 2004) through the NY Fed Markets API, live and replay.

One request per run: `pd/get/{K1_K2_..._Kn}.json` (key ids joined by `_`, the form OpenBB's recorded fetchers use)
returns every week of every key id qtwatch lands; the rows are cut to the run's window. The API has no date filter
for `pd/get`; the whole history of ~22 key ids is a few hundred KB.
"""

from __future__ import annotations

import json
import re
from datetime import date

import polars as pl
import requests

from flows.http import get_bytes
from flows.probes import Check, Probe
from flows.replay import ReplayCall
from flows.sources import Batch, FetchRequest, parse_or_raise, run_logger
from transforms import nyfed_pd as parse
from transforms.registry import SOURCES, Source

ENDPOINT = "pd/get"  # what this source owns under the NY Fed Markets API base URL it shares (flows.routing)
GET_PATH = ENDPOINT + "/{keyids}.json"
PROBE_KEYID = "PDPOSGST-TOT"  # dealers' total net Treasury position: one key id, ~700 weeks, a few dozen KB
REPLAY_FILE = "nyfed/pd_get.json"
_GET = re.compile(r"pd/get/([A-Z0-9_-]+)\.json")
_GET_ASOF = re.compile(r"pd/get/asof/(\d{4}-\d{2}-\d{2})\.json")
_LATEST = re.compile(r"pd/latest/(SB[NP]\d{4})\.json")


def keyids_path(keyids: list[str] | None = None) -> str:
    """The `pd/get` path asking for `keyids` (default: every key id of transforms.nyfed_pd.KEYIDS) at once."""
    return GET_PATH.format(keyids="_".join(keyids or list(parse.KEYIDS)))


def fetch_pd(session: requests.Session, request: FetchRequest) -> Batch:
    """Every modelled key id in one request, cut to the window; suppressed weeks land as NULL (suppressed)."""
    source, window = request.source, request.window
    body, url = get_bytes(session, request.base_url + keyids_path(), None, source=source.name, expect="json")
    frame = parse_or_raise(parse.parse_pd_json, body, source=source.name, url=url)
    day = pl.col(parse.DATE_COLUMN)
    keep = day <= window.end if window.start is None else day.is_between(window.start, window.end)
    frame = frame.filter(keep).with_columns(source_url=pl.lit(url))
    unknown = parse.unknown_keyids(frame)
    if unknown:
        run_logger().warning("%s: key id(s) not modelled, kept as sent: %s", source.name, ", ".join(unknown))
    return Batch(source.name, source.dataset.name, frame, [url], {"*": window})


# ------------------------------------------------------------------------------------------------------ replay
def replay(call: ReplayCall) -> tuple[int, bytes, str]:
    """Serve `pd/get/{KEYIDS}.json`, `pd/get/asof/{DATE}.json` and `pd/latest/{SERIESBREAK}.json` from the recorded
    `replay/nyfed/pd_get.json`, showing only weeks released by the run's as-of (Thursday 16:15 ET, 8 days on)."""
    rows = _visible(call)
    if found := _GET_ASOF.fullmatch(call.path):
        rows = [r for r in rows if r["asofdate"] == found.group(1)]
    elif found := _LATEST.fullmatch(call.path):
        era = [r for r in rows if parse.series_break_of(date.fromisoformat(r["asofdate"])) == found.group(1)]
        last = max((r["asofdate"] for r in era), default=None)
        rows = [r for r in era if r["asofdate"] == last]
    elif found := _GET.fullmatch(call.path):
        wanted = set(found.group(1).split("_"))
        rows = [r for r in rows if r["keyid"] in wanted]
    else:
        return call.not_found()
    return 200, json.dumps({"pd": {"timeseries": rows}}).encode(), "application/json"


def _visible(call: ReplayCall) -> list[dict]:
    """The recorded observations published by the run's as-of (all of them without one)."""
    recorded = json.loads((call.root / REPLAY_FILE).read_text())["pd"]["timeseries"]
    release = SOURCES["nyfed_pd"].release
    return [r for r in recorded if call.published(date.fromisoformat(r["asofdate"]), release)]


# ------------------------------------------------------------------------------------------------- doctor's probe
def probe(source: Source, api_key: str | None, today: date) -> Probe:  # noqa: ARG001 - no key, no date filter
    """The published total's whole history (one key id: `pd/get` takes no date window)."""
    return Probe(source.http.base_url_setting, keyids_path([PROBE_KEYID]), {}, "json", _inspect)


def _inspect(body: bytes, check: Check) -> None:
    frame = parse.parse_pd_json(body)
    check.new = [f"key id {k}" for k in parse.unknown_keyids(frame)]
    eras = sorted(set(frame["series_break"].drop_nulls()))
    check.note = f"{frame.height} weeks of {PROBE_KEYID}, series breaks {', '.join(eras) or 'none'}"
