"""`qtwatch doctor`: one small request per registered source, to check a live setup before the first run.

For each source in the registry: is the host reachable, what status it answers, how long it took, whether the API
key works (FRED), and whether the payload still has what the parsers expect (missing fields: unusable; new fields:
reported, they are kept in raw). Reads settings passed in as plain values; writes nothing.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from flows.http import SourceError, get_bytes, make_session
from flows.sources.fred import KEY_HELP
from transforms import fiscal, fred, nyfed, nyfed_pd, ofr_stfm
from transforms.errors import ParseError
from transforms.registry import SOURCES, Source

PROBE_SERIES = "WALCL"  # weekly, small, on every FRED mirror
PROBE_DAYS = 14  # a two-week window: a few rows, never a large download
PD_PROBE_KEYID = "PDPOSGST-TOT"  # dealers' total net Treasury position: one key id, ~700 weeks, a few dozen KB
OFR_PROBE_MNEMONIC = "REPO-DVP_AR_OO-P"  # DVP overnight rate, preliminary: the segment the basis trade funds in
# Fields FRED's `series` metadata carries today (cassettes/fred/series_*.json): anything else is new.
FRED_SERIES_FIELDS = frozenset({
    "id", "realtime_start", "realtime_end", "title", "observation_start", "observation_end", "frequency",
    "frequency_short", "units", "units_short", "seasonal_adjustment", "seasonal_adjustment_short", "last_updated",
    "popularity", "notes", "group_popularity"})


@dataclass
class Check:
    """What one probe of one source found; `usable` False means a run would fail that source."""

    source: str
    url: str = ""
    reachable: bool = False
    status: int | None = None
    latency_ms: float | None = None
    key: str = "n/a"  # ok / rejected / not set / n/a
    missing: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def probed(self) -> bool:
        return not self.note.startswith("not probed")

    @property
    def usable(self) -> bool:
        """A run can fetch this source (an unprobed source is not counted against the setup)."""
        if not self.probed:
            return True
        return self.reachable and self.status == 200 and not self.missing and self.key != "rejected"


@dataclass(frozen=True)
class Probe:
    """The request a source's check makes: `path` under `setting`'s base URL, its params, and how to read the body."""

    setting: str
    path: str
    params: dict[str, str]
    expect: str
    inspect: Callable[[bytes, Check], None]


def run_doctor(urls: Mapping[str, str], *, api_keys: Mapping[str, str], user_agent: str, timeout_s: float = 15.0,
               today: date | None = None, sources: Mapping[str, Source] = SOURCES) -> list[Check]:
    """Probe every registered source once (a source without a probe is reported, not failed)."""
    today = today or date.today()
    return [probe_source(source, urls, api_keys.get(source.name), user_agent, timeout_s, today)
            for source in sources.values()]


def probe_source(source: Source, urls: Mapping[str, str], api_key: str | None, user_agent: str, timeout_s: float,
                 today: date) -> Check:
    """One small request to one source; every failure is caught into the Check (one line, no traceback)."""
    check = Check(source.name)
    probe = probe_for(source, api_key, today)
    if probe is None:  # a source registered after doctor was written: said, never a reason to fail
        check.reachable, check.status, check.note = True, None, "not probed: doctor has no probe for this source yet"
        return check
    base = urls.get(probe.setting) or source.http.url_settings()[probe.setting]
    policy = dataclasses.replace(source.http, retries=0, timeout_s=timeout_s, min_interval_s=0.0)  # one request
    session = make_session(policy, user_agent)
    url = base + probe.path
    if source.api_key_setting:
        check.key = "not set" if not api_key else check.key
    clock = time.perf_counter()
    try:
        body, check.url = get_bytes(session, url, probe.params, source=source.name, expect=probe.expect)
        check.reachable, check.status = True, 200
    except SourceError as exc:
        _record_failure(check, exc, api_key)
        return check
    finally:
        check.latency_ms = round((time.perf_counter() - clock) * 1000, 1)
    try:
        probe.inspect(body, check)
    except (ParseError, ValueError, KeyError, TypeError) as exc:
        check.missing.append("(payload)")
        check.note = str(exc).splitlines()[0][:200]
    return check


def _record_failure(check: Check, exc: SourceError, api_key: str | None) -> None:
    """A failed request: unreachable, or the status and what the server said."""
    check.url, check.note = exc.url, exc.cause[:200]
    if exc.connection:
        return
    check.reachable = True
    check.status = _status_of(exc.cause)
    if check.source == "fred" and api_key and "api_key" in exc.cause:
        check.key = "rejected"
    elif check.source == "fred" and not api_key and check.status == 403:
        check.note = f"fredgraph.csv refused the keyless download (HTTP 403); {KEY_HELP}"


def _status_of(cause: str) -> int | None:
    head = cause.split(":", 1)[0]
    return int(head[5:]) if head.startswith("HTTP ") and head[5:].isdigit() else None


def probe_for(source: Source, api_key: str | None, today: date) -> Probe | None:
    """The probe of a registered source, by the dataset it lands (None for a source doctor does not know yet)."""
    start = (today - timedelta(days=PROBE_DAYS)).isoformat()
    name = source.dataset.name
    if name == "fred_observations":
        if api_key:
            return Probe(source.http.base_url_setting, "series", {"series_id": PROBE_SERIES, "api_key": api_key,
                                                                   "file_type": "json"}, "json", _inspect_fred_meta)
        return Probe("fredgraph_url", "", {"id": PROBE_SERIES, "cosd": start}, "csv", _inspect_fredgraph)
    if name in ("treasury_auctions", "dts_operating_cash_balance"):
        endpoint = "v1/accounting/od/auctions_query" if name == "treasury_auctions" \
            else "v1/accounting/dts/operating_cash_balance"
        schema = fiscal.AUCTIONS_SCHEMA if name == "treasury_auctions" else fiscal.DTS_SCHEMA
        params = {"sort": f"-{source.dataset.date_column}", "page[size]": "1"}
        return Probe(source.http.base_url_setting, endpoint, params, "json", _fiscal_inspector(list(schema)))
    window = {"startDate": start, "endDate": today.isoformat()}
    if name == "nyfed_reference_rates":
        return Probe(source.http.base_url_setting, "rates/all/search.csv", window, "csv", _inspect_rates)
    if name == "nyfed_rp_operations":
        return Probe(source.http.base_url_setting, "rp/results/search.json", window, "json", _inspect_operations)
    return _plumbing_probe(source, start)


def _plumbing_probe(source: Source, start: str) -> Probe | None:
    """Primary dealer statistics: the published total's history (one key id); OFR: one repo series since `start`."""
    if source.dataset.name == "nyfed_pd":
        return Probe(source.http.base_url_setting, f"pd/get/{PD_PROBE_KEYID}.json", {}, "json", _inspect_pd)
    if source.dataset.name == "ofr_stfm":
        return Probe(source.http.base_url_setting, "series/timeseries",
                     {"mnemonic": OFR_PROBE_MNEMONIC, "start_date": start}, "json", _inspect_ofr)
    return None


def _inspect_pd(body: bytes, check: Check) -> None:
    frame = nyfed_pd.parse_pd_json(body)
    check.new = [f"key id {k}" for k in nyfed_pd.unknown_keyids(frame)]
    eras = sorted(set(frame["series_break"].drop_nulls()))
    check.note = f"{frame.height} weeks of {PD_PROBE_KEYID}, series breaks {', '.join(eras) or 'none'}"


def _inspect_ofr(body: bytes, check: Check) -> None:
    frame = ofr_stfm.parse_timeseries_json(body, OFR_PROBE_MNEMONIC)
    check.note = f"{frame.height} days of {OFR_PROBE_MNEMONIC}"


def _inspect_fredgraph(body: bytes, check: Check) -> None:
    frame = fred.parse_fredgraph_csv(body, PROBE_SERIES)
    check.note = f"{frame.height} rows of {PROBE_SERIES}"


def _inspect_fred_meta(body: bytes, check: Check) -> None:
    check.key = "ok"
    meta = json.loads(body)["seriess"][0]
    check.missing = [k for k in ("id", "title", "units", "frequency", "last_updated") if k not in meta]
    check.new = sorted(set(meta) - FRED_SERIES_FIELDS)
    check.note = f"{PROBE_SERIES} units: {meta.get('units')}"


def _fiscal_inspector(expected: list[str]) -> Callable[[bytes, Check], None]:
    """Compare a Fiscal Data page's fields (meta.labels: every field the dataset has) with the parser's schema."""

    def inspect(body: bytes, check: Check) -> None:
        frame, meta = fiscal.parse_fiscal_page(body)
        labels = meta.get("labels") or {c: c for c in frame.columns}
        check.missing = [f for f in expected if f not in labels]
        check.note = f"{len(labels)} fields, {len(expected)} used; {meta.get('total-count')} records"

    return inspect


def _inspect_rates(body: bytes, check: Check) -> None:
    frame = nyfed.parse_reference_rates_csv(body)
    check.new = [*nyfed.unknown_fields(frame, nyfed.KNOWN_UNMODELLED_RATE_FIELDS),
                 *(f"rate type {t}" for t in nyfed.unknown_rate_types(frame))]
    check.note = f"{frame.height} rows, rate types {', '.join(sorted(frame['rate_type'].unique()))}"


def _inspect_operations(body: bytes, check: Check) -> None:
    frame = nyfed.parse_rp_operations_json(body)
    check.new = nyfed.unknown_fields(frame, nyfed.KNOWN_UNMODELLED_RP_FIELDS)
    check.note = f"{frame.height} operations"

