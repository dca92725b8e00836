"""OFR Short-term Funding Monitor (repo rates and volumes by segment), live and replay.

One `series/timeseries?mnemonic=...&start_date=...&end_date=...` request per mnemonic of
transforms.ofr_stfm.MNEMONICS (12 at the OFR host's pace). The bundled replay snapshot holds no OFR recording (none
was found in public repositories): its handler answers every series with an empty list, so a replay run lands no OFR
row rather than an invented one.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import requests

from flows.http import get_bytes
from flows.probes import Check, Probe
from flows.probes import window as probe_window
from flows.replay import ReplayCall
from flows.sources import Batch, FetchRequest, parse_or_raise
from transforms import ofr_stfm as parse
from transforms.registry import Source

TIMESERIES_PATH = "series/timeseries"
PROBE_MNEMONIC = "REPO-DVP_AR_OO-P"  # DVP overnight rate, preliminary: the segment the basis trade funds in


def fetch_ofr(session: requests.Session, request: FetchRequest) -> Batch:
    """Each repo mnemonic over the window (both vintages), one request each."""
    source, window = request.source, request.window
    frames, urls = [], []
    for mnemonic in parse.MNEMONICS:
        params = {"mnemonic": mnemonic, "start_date": (window.start or source.history_start).isoformat(),
                  "end_date": window.end.isoformat()}
        body, url = get_bytes(session, request.base_url + TIMESERIES_PATH, params, source=source.name,
                              expect="json")
        frame = parse_or_raise(parse.parse_timeseries_json, body, mnemonic, source=source.name, url=url)
        frames.append(frame.with_columns(source_url=pl.lit(url)))
        urls.append(url)
    frame = pl.concat(frames).filter(pl.col("date") <= window.end) if frames else _empty()
    return Batch(source.name, source.dataset.name, frame, urls, {"*": window})


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema={**parse.SCHEMA, "source_url": pl.Utf8})


def replay(call: ReplayCall) -> tuple[int, bytes, str]:
    """No OFR recording in the snapshot: every known series answers `[]` (no rows), an unknown path 404."""
    if call.path == TIMESERIES_PATH and call.query.get("mnemonic") in parse.MNEMONICS:
        return 200, b"[]", "application/json"
    return call.not_found()


# ------------------------------------------------------------------------------------------------- doctor's probe
def probe(source: Source, api_key: str | None, today: date) -> Probe:  # noqa: ARG001 - no key
    """The last two weeks of one repo series (the DVP overnight rate, preliminary)."""
    start, _ = probe_window(today)
    return Probe(source.http.base_url_setting, TIMESERIES_PATH, {"mnemonic": PROBE_MNEMONIC, "start_date": start},
                 "json", _inspect)


def _inspect(body: bytes, check: Check) -> None:
    frame = parse.parse_timeseries_json(body, PROBE_MNEMONIC)
    check.note = f"{frame.height} days of {PROBE_MNEMONIC}"
