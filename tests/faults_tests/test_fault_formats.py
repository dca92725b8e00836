"""The payload faults of every wire format, checked fast on real recorded bodies (the slow flow runs are in
test_payloads): each registered source's requests are routed to a wire format, and each fault breaks a CFTC zip the
way it says (the CFTC joined the payload runs with this format)."""

from __future__ import annotations

from datetime import date

import pytest

from flows.replay import resolve
from tests.faults_tests.payload_faults import FAULTS
from tests.support.fake_host import WIRE_FORMATS, FakeHost, source_of
from transforms import cftc
from transforms.errors import ParseError
from transforms.registry import SOURCES

CFTC_URL = SOURCES["cftc"].http.base_url + "fut_fin_txt_2025.zip"
BROKEN = ("truncated", "html", "empty_body", "renamed_column", "date_format")  # the parser refuses these


@pytest.mark.parametrize("name", list(SOURCES))
def test_every_registered_source_has_a_wire_format(name: str) -> None:
    source = SOURCES[name]
    path = str(resolve(source.endpoint)) if source.endpoint else ""
    for base in source.http.url_settings().values():
        routed, fmt = source_of(base + path)
        assert routed == name and fmt in WIRE_FORMATS.values()


@pytest.fixture(scope="module")
def cftc_body() -> bytes:
    status, headers, body = FakeHost(date(2025, 6, 13)).answer(CFTC_URL)
    assert status == 200 and headers["Content-Type"] == "application/x-zip-compressed"
    return body


def _fault(case: str, body: bytes) -> bytes:
    status, broken = FAULTS[case]("cftc", "cftc_zip", {}, body)
    assert status == 200
    return broken


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_cftc_body_is_refused_by_the_parser(cftc_body: bytes, case: str) -> None:
    with pytest.raises(ParseError):
        cftc.parse_tff_zip(_fault(case, cftc_body))


def test_row_faults_on_the_cftc_file_touch_what_they_say(cftc_body: bytes) -> None:
    held = cftc.parse_tff_zip(cftc_body)  # the recorded 2025 file: reports 2025-01-07 .. 2025-04-29, six contracts
    newest = held["report_date"].max()
    assert cftc.parse_tff_zip(_fault("no_rows", cftc_body)).is_empty()
    assert cftc.parse_tff_zip(_fault("held_value_null", cftc_body))["open_interest_all"].null_count() == 1
    assert cftc.parse_tff_zip(_fault("newest_missing", cftc_body)).height == held.height - 2
    assert cftc.parse_tff_zip(_fault("ends_early", cftc_body))["report_date"].max() < newest
    revised = cftc.parse_tff_zip(_fault("revised", cftc_body))
    changed = revised.join(held, on=list(held.columns), how="anti", nulls_equal=True)
    assert changed.height == 1 and changed["report_date"][0] == newest
