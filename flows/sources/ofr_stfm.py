"""OFR Short-term Funding Monitor (repo rates and volumes by segment), live and replay.

One `series/timeseries?mnemonic=...&start_date=...&end_date=...` request per mnemonic of
transforms.ofr_stfm.MNEMONICS (12 at the OFR host's pace). The bundled replay snapshot serves the six overnight/open
average rates (DVP, GCF, tri-party; preliminary and final) from real OFR bodies recorded in public (excerpts from
2025-06-02, recordings/PROVENANCE.md); the six total-volume series have no recording and answer an empty list, so a
replay run lands no volume row rather than an invented one.
"""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import requests

from flows.http import get_bytes
from flows.probes import Check, Probe
from flows.probes import window as probe_window
from flows.replay import ReplayCall, date_or_none
from flows.sources import Batch, FetchRequest, parse_or_raise
from transforms import ofr_stfm as parse
from transforms.registry import SOURCES, Source, release_of

TIMESERIES_PATH = "series/timeseries"
PROBE_MNEMONIC = "REPO-DVP_AR_OO-P"  # DVP overnight rate, preliminary: the segment the basis trade funds in
REPLAY_DIR = "ofr/series_timeseries"  # one recorded body per mnemonic (scripts/replay_build/ofr.py)


def fetch_ofr(session: requests.Session, request: FetchRequest) -> Batch:
    """Each repo mnemonic over the window (both vintages), one request each."""
    source, window = request.source, request.window
    frames, urls = [], []
    for mnemonic in parse.MNEMONICS:
        params = {
            "mnemonic": mnemonic,
            "start_date": (window.start or source.history_start).isoformat(),
            "end_date": window.end.isoformat(),
        }
        body, url = get_bytes(session, request.base_url + TIMESERIES_PATH, params, source=source.name, expect="json")
        frame = parse_or_raise(parse.parse_timeseries_json, body, mnemonic, source=source.name, url=url)
        frames.append(frame.with_columns(source_url=pl.lit(url)))
        urls.append(url)
    frame = pl.concat(frames).filter(pl.col("date") <= window.end) if frames else _empty()
    return Batch(source.name, source.dataset.name, frame, urls, {"*": window})


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema={**parse.SCHEMA, "source_url": pl.Utf8})


def replay(call: ReplayCall) -> tuple[int, bytes, str]:
    """A recorded mnemonic's pairs within `start_date`..`end_date` that its vintage (P a business day after, F about
    3.5 months after) had published by the run's as-of; a known mnemonic without a recording answers `[]` (no rows),
    an unknown path or mnemonic 404."""
    mnemonic = call.query.get("mnemonic")
    if call.path != TIMESERIES_PATH or mnemonic not in parse.MNEMONICS:
        return call.not_found()
    path = call.root / REPLAY_DIR / f"{mnemonic}.json"
    if not path.is_file():
        return 200, b"[]", "application/json"
    low, high = date_or_none(call.query.get("start_date")) or date.min, call.upper(call.query.get("end_date"))
    release = release_of(SOURCES["ofr_stfm"], parse.split_mnemonic(mnemonic)["vintage"])
    kept = [
        pair
        for pair in json.loads(path.read_bytes())
        if low <= (day := date.fromisoformat(pair[0])) <= high and call.published(day, release)
    ]
    return 200, json.dumps(kept).encode(), "application/json"


# ------------------------------------------------------------------------------------------------- doctor's probe
def probe(source: Source, api_key: str | None, today: date) -> Probe:  # noqa: ARG001 - no key
    """The last two weeks of one repo series (the DVP overnight rate, preliminary)."""
    start, _ = probe_window(today)
    return Probe(
        source.http.base_url_setting,
        TIMESERIES_PATH,
        {"mnemonic": PROBE_MNEMONIC, "start_date": start},
        "json",
        _inspect,
    )


def _inspect(body: bytes, check: Check) -> None:
    frame = parse.parse_timeseries_json(body, PROBE_MNEMONIC)
    check.note = f"{frame.height} days of {PROBE_MNEMONIC}"
