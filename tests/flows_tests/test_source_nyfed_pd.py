"""NY Fed Primary Dealer Statistics: the parser on the real recorded bodies (suppressed cells, series breaks), the
fetcher's one request and window, the replay's as-of (Thursday 16:15 ET, 8 days on), the suite."""

import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import responses

from expectations import Validator
from expectations import nyfed_pd as suite
from flows.http import SourceError, make_session
from flows.replay import ReplayAdapter, ReplayCall
from flows.sources import Window
from flows.sources import nyfed_pd as source
from tests.conftest import fetch_request
from transforms import nyfed_pd
from transforms.errors import ParseError
from transforms.registry import SOURCES, HttpPolicy

ROOT = Path(__file__).resolve().parents[2]
CASSETTE = (
    ROOT
    / "tests"
    / "fixtures"
    / "nyfed"
    / ("pd_get_16-keyids_2021-12-01_2022-02-16-excerpt_fetched-2026-09-11.payload.json")
)
REPLAY = ROOT / "replay"
BASE = "https://markets.newyorkfed.org/api/"
FAST = HttpPolicy("test", BASE, "nyfed_url", min_interval_s=0.0, retries=0, backoff_factor=0.0, timeout_s=5.0)


def recorded_body() -> bytes:
    """The 16 recorded `pd/get/{keyid}.json` bodies as the one body `pd/get/{K1_K2...}.json` returns."""
    wrapper = json.loads(CASSETTE.read_text())
    rows = [row for series in wrapper["series"] for row in series["body"]["pd"]["timeseries"]]
    return json.dumps({"pd": {"timeseries": rows}}).encode()


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    return nyfed_pd.parse_pd_json(recorded_body())


def value(frame: pl.DataFrame, keyid: str, day: date) -> float | None:
    return frame.filter((pl.col("keyid") == keyid) & (pl.col("as_of_date") == day))["value_mn"].item()


# ------------------------------------------------------------------------------------------------ parser
def test_recorded_values_land_in_millions(frame):
    assert frame.schema == pl.Schema(nyfed_pd.SCHEMA)
    assert frame.height == 182 and frame["keyid"].n_unique() == 16
    # the recorded strings: PDPOSGST-TOT "112141" on 2022-01-05, PDFTD-USTET "95869" on 2021-12-01
    assert value(frame, "PDPOSGST-TOT", date(2022, 1, 5)) == 112141
    assert value(frame, "PDFTD-USTET", date(2021, 12, 1)) == 95869
    assert value(frame, "PDPOSGSC-G2L3", date(2021, 12, 1)) == -5258  # net short: negative, kept
    assert value(frame, "PDSORA-UTSETTOT", date(2021, 12, 1)) == 1773528


def test_suppressed_weeks_are_null_and_flagged_never_zero(frame):
    suppressed = frame.filter(pl.col("suppressed"))
    assert suppressed.height == 7  # PDSOOS-UTSETTOT in 6 weeks, PDSORA-UTSETTOT on 2022-01-12
    assert suppressed["value_mn"].null_count() == 7
    assert sorted(suppressed["keyid"].unique()) == ["PDSOOS-UTSETTOT", "PDSORA-UTSETTOT"]
    assert frame.filter(~pl.col("suppressed"))["value_mn"].null_count() == 0


def test_every_row_carries_its_series_break(frame):
    eras = dict(frame.group_by("series_break").agg(pl.col("as_of_date").min()).iter_rows())
    assert eras == {"SBN2015": date(2021, 12, 1), "SBN2022": date(2022, 1, 5)}
    new_buckets = frame.filter(pl.col("keyid").is_in(["PDPOSGSC-G11L21", "PDPOSGSC-G21"]))
    assert new_buckets["as_of_date"].min() == date(2022, 1, 5) and set(new_buckets["series_break"]) == {"SBN2022"}
    assert nyfed_pd.series_break_of(date(2024, 7, 3)) == "SBN2024"
    assert nyfed_pd.series_break_of(date(2024, 7, 2)) == "SBN2022"
    assert nyfed_pd.series_break_of(date(2012, 1, 4)) is None


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"", "empty"),
        (b"<html><body>Bad Request</body></html>", "HTML"),
        (b'{"pd": {}}', "no pd.timeseries"),
        (b'{"pd": {"timeseries": [{"asofdate": "2022-01-05", "value": "1"}]}}', "lacks asofdate or keyid"),
        (b'{"pd": {"timeseries": [{"asofdate": "2022-01-05", "keyid": "X", "value": "n/a"}]}}', "unparseable"),
    ],
    ids=["empty", "html", "no-list", "no-keyid", "bad-value"],
)
def test_bad_payloads_raise_one_clear_parse_error(payload, message):
    with pytest.raises(ParseError, match=message):
        nyfed_pd.parse_pd_json(payload)


# ------------------------------------------------------------------------------------------------ fetcher
def test_one_request_for_every_key_id_cut_to_the_window(fake_host):
    url = BASE + source.keyids_path()
    host = fake_host(None)  # the recorded bodies (replay/nyfed/pd_get.json), uncut
    request = fetch_request("nyfed_pd", Window(date(2022, 1, 1), date(2022, 1, 31)))
    with host.in_process():
        batch = source.fetch_pd(make_session(FAST, "t"), request)
    assert len(host.urls) == 1 and all(k in host.urls[0] for k in nyfed_pd.KEYIDS)
    assert batch.frame["as_of_date"].min() == date(2022, 1, 5) and batch.frame["as_of_date"].max() == date(2022, 1, 26)
    assert set(batch.frame["source_url"]) == {url}


@responses.activate
def test_an_html_error_page_is_one_source_error():
    responses.get(BASE + source.keyids_path(), body="<html>Service Unavailable</html>", status=200)
    with pytest.raises(SourceError, match="HTML"):
        source.fetch_pd(make_session(FAST, "t"), fetch_request("nyfed_pd", Window(None, date(2022, 2, 16))))


# ------------------------------------------------------------------------------------------------ replay
def call(path: str, as_of: date | None = None) -> list[dict]:
    status, body, _ = source.replay(ReplayCall(REPLAY, "nyfed_url", path, {}, as_of))
    assert status == 200
    return json.loads(body)["pd"]["timeseries"]


def test_replay_shows_a_week_from_the_thursday_eight_days_on():
    # the week as of Wednesday 2022-01-05 is released Thursday 2022-01-13 at 16:15 ET
    assert max(r["asofdate"] for r in call(source.keyids_path(), date(2022, 1, 12))) == "2021-12-29"
    assert max(r["asofdate"] for r in call(source.keyids_path(), date(2022, 1, 13))) == "2022-01-05"
    assert SOURCES["nyfed_pd"].release.published_on(date(2025, 11, 19)) == date(2025, 11, 28)  # Thanksgiving


def test_replay_answers_asof_latest_and_subsets():
    assert {r["keyid"] for r in call("pd/get/PDFTD-USTET_PDFTR-USTET.json")} == {"PDFTD-USTET", "PDFTR-USTET"}
    assert {r["asofdate"] for r in call("pd/get/asof/2022-01-12.json")} == {"2022-01-12"}
    assert {r["asofdate"] for r in call("pd/latest/SBN2015.json")} == {"2021-12-29"}
    assert {r["asofdate"] for r in call("pd/latest/SBN2022.json")} == {"2022-02-16"}
    assert source.replay(ReplayCall(REPLAY, "nyfed_url", "pd/unknown.json", {}, None))[0] == 404


def test_replay_adapter_serves_the_fetcher(replay_dir):
    session = make_session(FAST, "t")
    session.mount("https://", ReplayAdapter(replay_dir, as_of=date(2022, 2, 24)))
    batch = source.fetch_pd(session, fetch_request("nyfed_pd", Window(None, date(2022, 2, 24))))
    assert batch.frame.height == 182


# ------------------------------------------------------------------------------------------------ suite
AS_OF = date(2022, 2, 24)


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator()


def test_suite_passes_the_recorded_batch(validator, frame):
    outcome = validator.validate("nyfed_pd", frame, as_of=AS_OF)
    assert outcome.success, outcome.failed_rules


def _slip(f: pl.DataFrame) -> pl.DataFrame:
    return f.with_columns(
        pl.when(pl.col("keyid") == "PDSORA-UTSETTOT")
        .then(pl.col("value_mn") * 1e6)
        .otherwise(pl.col("value_mn"))
        .alias("value_mn")
    )


BREAKS = [
    (_slip, "value_mn: in [-1e+07, 1e+07]"),
    (lambda f: f.with_columns(pl.col("as_of_date") + pl.duration(days=1)), "as_of_date: a Wednesday"),
    (lambda f: f.with_columns(pl.col("value_mn").fill_null(0.0)), "value_mn: NULL exactly where"),
    (lambda f: f.filter(pl.col("as_of_date") != date(2022, 1, 12)), "as_of_date: no gap beyond the series frequency"),
]


@pytest.mark.parametrize(("brk", "rule"), BREAKS, ids=["x1e6", "thursday", "suppressed-as-zero", "gap"])
def test_suite_names_each_break(validator, frame, brk, rule):
    outcome = validator.validate("nyfed_pd", brk(frame), as_of=AS_OF)
    assert not outcome.success
    assert any(r.startswith(rule) for r in outcome.failed_rules), outcome.failed_rules
    assert suite.KEY == ("keyid", "as_of_date")
