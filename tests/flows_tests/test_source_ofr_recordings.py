"""OFR Short-term Funding Monitor on REAL recorded bodies: `series/timeseries` answers the OFR sent
eleonorabjornberg/repo-market-model on 2026-10-02 and 2026-10-08, excerpts from 2025-06-02 committed under
recordings/ofr/eleonorabjornberg/ (recordings/PROVENANCE.md: repository, path, commit, sha256, offsets). Every number
asserted below is read from those files (each is one line; "pair N" counts from 1); no published OFR figure for these
dates was found to check them against beyond the recordings themselves."""

import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from flows.http import make_session
from flows.replay import ReplayCall
from flows.sources import Window
from flows.sources import ofr_stfm as source
from scripts.replay_build import ofr as builder
from tests.conftest import REPLAY_DIR, fetch_request
from transforms import ofr_stfm
from transforms.registry import OFR, SOURCES, HttpPolicy, release_of

ROOT = Path(__file__).resolve().parents[2]
OFR_BASE = OFR.base_url


def recorded(mnemonic: str) -> bytes:
    return (ROOT / builder.RECORDINGS[mnemonic]).read_bytes()


def values(mnemonic: str) -> dict[date, float | None]:
    frame = ofr_stfm.parse_timeseries_json(recorded(mnemonic), mnemonic)
    return dict(zip(frame["date"].to_list(), frame["value"].to_list(), strict=True))


def test_dvp_preliminary_parses_every_recorded_day():
    frame = ofr_stfm.parse_timeseries_json(recorded("REPO-DVP_AR_OO-P"), "REPO-DVP_AR_OO-P")
    assert frame.height == 334 and frame["value"].null_count() == 0
    assert set(frame["segment"]) == {"DVP"} and set(frame["vintage"]) == {"P"} and set(frame["tenor"]) == {"OO"}
    by_day = dict(zip(frame["date"].to_list(), frame["value"].to_list(), strict=True))
    assert by_day[date(2025, 6, 2)] == 4.37  # pair 1
    assert by_day[date(2025, 6, 30)] == 4.45  # pair 20: quarter end
    assert by_day[date(2025, 9, 15)] == 4.55  # pair 73: the mid-September tax date
    assert by_day[date(2026, 10, 1)] == 3.85  # pair 334, the last: the day before the 2026-10-02 fetch
    assert date(2025, 6, 19) not in by_day  # Juneteenth: the OFR sends no pair for a holiday


def test_gcf_nulls_stay_null_and_the_final_vintage_fills_some():
    preliminary, final = values("REPO-GCF_AR_OO-P"), values("REPO-GCF_AR_OO-F")
    assert preliminary[date(2025, 6, 3)] is None  # pair 2: `null` as sent (thin GCF overnight day)
    assert sum(v is not None for v in preliminary.values()) == 124 and len(preliminary) == 337
    assert preliminary[date(2026, 9, 15)] == 3.7  # pair 322
    assert preliminary[date(2025, 6, 9)] is None and final[date(2025, 6, 9)] == 4.35  # pair 6 of each
    both = [d for d in final if preliminary.get(d) is not None and final[d] is not None]
    assert len(both) == 106 and all(preliminary[d] == final[d] for d in both)


@pytest.mark.parametrize("segment", ["DVP", "TRI"])
def test_final_equals_preliminary_where_both_are_recorded(segment):
    preliminary, final = values(f"REPO-{segment}_AR_OO-P"), values(f"REPO-{segment}_AR_OO-F")
    assert max(final) == date(2026, 6, 30) and len(final) == 269
    assert all(preliminary[d] == v for d, v in final.items())


def _call(mnemonic: str, as_of: date | None, **dates: str) -> ReplayCall:
    return ReplayCall(REPLAY_DIR, "ofr_url", source.TIMESERIES_PATH, {"mnemonic": mnemonic, **dates}, as_of)


def test_replay_serves_the_recording_byte_for_byte_without_as_of():
    for mnemonic in builder.RECORDINGS:
        assert (REPLAY_DIR / builder.target(mnemonic)).read_bytes() == recorded(mnemonic)
        status, body, ctype = source.replay(_call(mnemonic, None))
        assert (status, ctype) == (200, "application/json")
        assert json.loads(body) == json.loads(recorded(mnemonic))


def test_replay_cuts_the_preliminary_at_the_as_of_and_the_window():
    status, body, _ = source.replay(
        _call("REPO-DVP_AR_OO-P", date(2025, 6, 13), start_date="2025-06-03", end_date="2025-06-30")
    )
    frame = ofr_stfm.parse_timeseries_json(body, "REPO-DVP_AR_OO-P")
    # 2025-06-12's rate is out on 2025-06-13 (a business day after); 2025-06-13's only on 2025-06-16
    assert status == 200 and frame["date"].min() == date(2025, 6, 3) and frame["date"].max() == date(2025, 6, 12)
    assert frame.height == 8 and frame["value"].to_list()[-1] == 4.3  # pair 9 of the recording


def test_replay_holds_back_the_final_vintage_for_its_months():
    release = release_of(SOURCES["ofr_stfm"], "F")
    assert source.replay(_call("REPO-TRI_AR_OO-F", date(2025, 6, 13)))[1] == b"[]"  # no final of June yet
    body = source.replay(_call("REPO-TRI_AR_OO-F", date(2025, 10, 1)))[1]
    days = ofr_stfm.parse_timeseries_json(body, "REPO-TRI_AR_OO-F")["date"].to_list()
    assert max(days) == date(2025, 6, 16) and release.published_on(date(2025, 6, 16)) == date(2025, 10, 1)
    assert date(2025, 6, 17) not in days


def test_unrecorded_volume_series_still_answer_empty_and_unknown_mnemonics_404():
    for mnemonic in ofr_stfm.MNEMONICS:
        if mnemonic not in builder.RECORDINGS:
            assert "_TV_TOT-" in mnemonic and source.replay(_call(mnemonic, None))[:2] == (200, b"[]")
    assert source.replay(_call("REPO-DVP_TV_OO-F", None))[0] == 404  # recorded upstream, not a qtwatch mnemonic


def test_the_segment_spread_thresholds_fire_on_the_recorded_pressure_days_only():
    """transforms.funding_events' OFR thresholds, computed on the recorded preliminary overnight rates: they sit
    above the 95th percentile of each spread and fire on quarter/year ends and the late-October 2025 squeeze."""
    import polars as pl

    from transforms import funding_events

    rates = {seg: values(f"REPO-{seg}_AR_OO-P") for seg in ("DVP", "GCF", "TRI")}
    days = sorted(rates["TRI"])
    frame = pl.DataFrame(
        {
            "date": days,
            "dvp_tri_bp": [_bp(rates["DVP"].get(d), rates["TRI"][d]) for d in days],
            "gcf_tri_bp": [_bp(rates["GCF"].get(d), rates["TRI"][d]) for d in days],
        },
        schema={"date": pl.Date, "dvp_tri_bp": pl.Float64, "gcf_tri_bp": pl.Float64},
    )
    assert frame["dvp_tri_bp"].quantile(0.95) == 5.0 and frame["gcf_tri_bp"].quantile(0.95) == 11.0
    assert funding_events.OFR_DVP_TRI_BP > 5.0 and funding_events.OFR_GCF_TRI_BP > 11.0
    fired = frame.filter(
        (pl.col("dvp_tri_bp") >= funding_events.OFR_DVP_TRI_BP)
        | (pl.col("gcf_tri_bp") >= funding_events.OFR_GCF_TRI_BP)
    )["date"].to_list()
    assert [d.isoformat() for d in fired] == [
        "2025-06-30",
        "2025-07-01",
        "2025-09-30",
        "2025-10-17",
        "2025-10-31",
        "2025-11-03",
        "2025-11-04",
        "2025-12-31",
    ]


def _bp(rate: float | None, tri: float | None) -> float | None:
    return None if rate is None or tri is None else round((rate - tri) * 100, 1)


def test_fetcher_over_http_lands_every_recorded_pair(fake_host):
    """The registered fetcher, over HTTP, on the recorded bodies as the fake host serves them without an as-of (the
    recordings byte for byte, above; the unrecorded volumes answer []): every recorded pair arrives, with its value."""
    request = fetch_request("ofr_stfm", Window(date(2025, 6, 2), date(2026, 10, 8)))
    with fake_host(None).in_process():
        frame = source.fetch_ofr(
            make_session(HttpPolicy("t", OFR_BASE, "ofr_url", min_interval_s=0.0, retries=0), "t"), request
        ).frame
    for mnemonic in builder.RECORDINGS:
        got = frame.filter(pl.col("mnemonic") == mnemonic)
        assert dict(zip(got["date"].to_list(), got["value"].to_list(), strict=True)) == values(mnemonic)
    assert set(frame["mnemonic"]) == set(builder.RECORDINGS)
