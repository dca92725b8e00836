"""OFR Short-term Funding Monitor: the parser and fetcher on small SYNTHETIC bodies in the documented wire format,
the empty replay of the unrecorded volume series, the suite's bands. Every number below is SYNTHETIC, chosen only to
exercise the code; the real recorded rate bodies are tested in test_ofr_real_recordings.py."""

import json
from datetime import date

import polars as pl
import pytest
import responses

from expectations import Validator
from flows.http import make_session
from flows.replay import ReplayCall
from flows.sources import Window
from flows.sources import ofr_stfm as source
from tests.conftest import REPLAY_DIR, fetch_request
from transforms import ofr_stfm
from transforms.errors import ParseError
from transforms.registry import SOURCES, HttpPolicy

BASE = "https://data.financialresearch.gov/v1/"
FAST = HttpPolicy("test", BASE, "ofr_url", min_interval_s=0.0, retries=0, backoff_factor=0.0, timeout_s=5.0)
# SYNTHETIC: three trade days of one rate and one volume series.
RATE = b'[["2025-10-29", 4.21], ["2025-10-30", 4.25], ["2025-10-31", null]]'
VOLUME = b'[["2025-10-29", 2.41e12], ["2025-10-30", 2.52e12]]'


def test_timeseries_pairs_become_rows_with_the_mnemonic_split():
    frame = ofr_stfm.parse_timeseries_json(RATE, "REPO-DVP_AR_OO-P")
    assert frame.schema == pl.Schema(ofr_stfm.SCHEMA) and frame.height == 3
    row = frame.row(0, named=True)
    assert (row["segment"], row["measure"], row["tenor"], row["vintage"]) == ("DVP", "AR", "OO", "P")
    assert frame["value"].to_list() == [4.21, 4.25, None]  # a null stays NULL


def test_series_full_wrapper_parses_the_same():
    wrapped = json.dumps(
        {
            "REPO-DVP_AR_OO-P": {
                "timeseries": {"aggregation": json.loads(RATE)},
                "metadata": {"mnemonic": "REPO-DVP_AR_OO-P"},
            }
        }
    ).encode()
    assert ofr_stfm.parse_timeseries_json(wrapped, "REPO-DVP_AR_OO-P").equals(
        ofr_stfm.parse_timeseries_json(RATE, "REPO-DVP_AR_OO-P")
    )


def test_both_vintages_of_every_segment_are_asked_for():
    assert len(ofr_stfm.MNEMONICS) == 12
    assert {ofr_stfm.split_mnemonic(m)["vintage"] for m in ofr_stfm.MNEMONICS} == {"P", "F"}
    assert {ofr_stfm.split_mnemonic(m)["segment"] for m in ofr_stfm.MNEMONICS} == {"DVP", "GCF", "TRI"}
    assert SOURCES["ofr_stfm"].group_releases["F"].published_on(date(2025, 10, 31)) > date(2026, 2, 1)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "empty"),
        (b"<html>Forbidden</html>", "HTML"),
        (b'{"error": "x"}', "not a list"),
        (b'[["2025-10-29"]]', "not a list"),
        (b'[["2025-13-45", 1.0]]', "bad date"),
        (b'[["2025-10-29", "x"]]', "bad"),
    ],
    ids=["empty", "html", "object", "short-pair", "bad-date", "bad-value"],
)
def test_bad_payloads_raise_one_clear_parse_error(payload, message):
    with pytest.raises(ParseError, match=message):
        ofr_stfm.parse_timeseries_json(payload, "REPO-GCF_AR_OO-F")


def test_unknown_mnemonic_shape_is_refused():
    with pytest.raises(ParseError, match="not REPO-"):
        ofr_stfm.split_mnemonic("MMF-MMF_TOT-M")


@responses.activate
def test_fetcher_asks_each_mnemonic_over_the_window():
    for mnemonic in ofr_stfm.MNEMONICS:
        responses.get(
            BASE + "series/timeseries",
            body=VOLUME if "_TV_" in mnemonic else RATE,
            match=[
                responses.matchers.query_param_matcher(
                    {"mnemonic": mnemonic, "start_date": "2025-10-01", "end_date": "2025-10-31"}
                )
            ],
        )
    request = fetch_request("ofr_stfm", Window(date(2025, 10, 1), date(2025, 10, 31)))
    batch = source.fetch_ofr(make_session(FAST, "t"), request)
    assert len(responses.calls) == 12 and len(batch.urls) == 12
    assert batch.frame.height == 6 * 3 + 6 * 2 and batch.frame["mnemonic"].n_unique() == 12


def test_replay_of_an_unrecorded_series_lands_nothing():
    status, body, _ = source.replay(
        ReplayCall(REPLAY_DIR, "ofr_url", "series/timeseries", {"mnemonic": "REPO-DVP_TV_TOT-P"}, None)
    )
    assert (status, body) == (200, b"[]")
    assert ofr_stfm.parse_timeseries_json(body, "REPO-DVP_TV_TOT-P").height == 0
    assert source.replay(ReplayCall(REPLAY_DIR, "ofr_url", "series/other", {}, None))[0] == 404


@pytest.fixture(scope="module")
def batch() -> pl.DataFrame:
    return pl.concat(
        [
            ofr_stfm.parse_timeseries_json(RATE, "REPO-DVP_AR_OO-P"),
            ofr_stfm.parse_timeseries_json(VOLUME, "REPO-DVP_TV_TOT-P"),
        ]
    )


def test_suite_passes_synthetic_batch_and_refuses_volumes_in_billions(batch):
    validator = Validator()
    assert validator.validate("ofr_stfm", batch, as_of=date(2025, 11, 3)).success
    in_billions = batch.with_columns(
        pl.when(pl.col("measure") == "TV").then(pl.col("value") / 1e9).otherwise(pl.col("value")).alias("value")
    )
    outcome = validator.validate("ofr_stfm", in_billions, as_of=date(2025, 11, 3))
    assert not outcome.success and any("chk_volume_usd" in r for r in outcome.failed_rules), outcome.failed_rules


def test_preliminary_and_final_vintages_carry_their_own_publication_lag(batch):
    from transforms.publication import with_published_at

    final = ofr_stfm.parse_timeseries_json(RATE, "REPO-DVP_AR_OO-F")  # SYNTHETIC
    stamped = with_published_at(pl.concat([batch, final]), SOURCES["ofr_stfm"])
    day = stamped.filter(pl.col("date") == date(2025, 10, 29))
    by_vintage = {r["mnemonic"]: r["published_at"].date() for r in day.iter_rows(named=True)}
    assert by_vintage["REPO-DVP_AR_OO-P"] == date(2025, 10, 30)  # a business day after the trade date
    assert by_vintage["REPO-DVP_AR_OO-F"] == date(2026, 2, 13)  # ~3.5 months (107 days) after
