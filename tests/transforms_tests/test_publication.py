"""transforms.publication: each landed row's published_at from its source's rule, per row kind (small literal
frames, synthetic)."""

from datetime import UTC, date, datetime

import polars as pl
import pytest

from transforms.publication import published_at, with_published_at
from transforms.registry import SOURCES

# synthetic: two catalog rows in the shape of ref.fred_series (series_id, release)
CATALOG = pl.DataFrame({"series_id": ["SOFR", "WALCL"], "release": ["nyfed_secured", "h41"]})


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_fred_rows_follow_their_series_release_from_the_catalog():
    frame = pl.DataFrame(
        {"series_id": ["SOFR", "WALCL", "SOFR"], "date": [date(2025, 7, 1), date(2025, 7, 2), date(2025, 7, 3)]}
    )
    assert published_at(frame, SOURCES["fred"], CATALOG).to_list() == [
        utc(2025, 7, 2, 12),
        utc(2025, 7, 3, 20, 30),
        utc(2025, 7, 7, 12),
    ]  # 8:00 / 16:30 EDT; over July 4


def test_nyfed_rates_follow_the_rate_type():
    frame = pl.DataFrame({"effective_date": [date(2025, 4, 17)] * 2, "rate_type": ["SOFR", "EFFR"]})
    assert published_at(frame, SOURCES["nyfed_rates"]).to_list() == [utc(2025, 4, 21, 12), utc(2025, 4, 18, 13)]


def test_an_announced_auction_is_public_on_its_announcement_day_and_results_on_the_auction_day():
    frame = pl.DataFrame(
        {
            "auction_date": [date(2025, 7, 8)] * 2,
            "bid_to_cover_ratio": [None, 2.5],
            "announcemt_date": [date(2025, 7, 3)] * 2,
        }
    )
    assert published_at(frame, SOURCES["auctions"]).to_list() == [utc(2025, 7, 3, 17), utc(2025, 7, 8, 17)]


def test_a_repo_operation_is_public_at_its_own_close_time():
    frame = pl.DataFrame({"operation_date": [date(2025, 7, 1)] * 3, "close_time": ["08:30", None, "08:30,13:45"]})
    assert published_at(frame, SOURCES["nyfed_repo"]).to_list() == [
        utc(2025, 7, 1, 12, 30),
        utc(2025, 7, 1, 17, 45),
        utc(2025, 7, 1, 17, 45),
    ]  # no / unusable time: the rule


def test_a_live_fetch_is_never_published_after_it_was_fetched_and_a_fetcher_stamp_wins():
    frame = pl.DataFrame(
        {"record_date": [date(2025, 7, 1), date(2025, 6, 30)], "published_at": [None, utc(2025, 7, 1, 12)]}
    )
    stamped = with_published_at(frame, SOURCES["dts"], fetched_at=utc(2025, 7, 2, 18))
    assert stamped["published_at"].to_list() == [utc(2025, 7, 2, 18), utc(2025, 7, 1, 12)]  # rule: 20:00 UTC


# One row per registered source and the time its publisher states (citations in transforms/registry.py): a source
# registered without a case here fails test_every_source_has_a_publication_case.
ONE_ROW = {
    "fred": ({"series_id": ["WALCL"], "date": [date(2025, 7, 2)]}, [utc(2025, 7, 3, 20, 30)]),  # H.4.1 Thu 4:30 pm
    "auctions": (  # a 10-year note: results at 1:00 pm ET on the auction day (TreasuryDirect)
        {"auction_date": [date(2025, 7, 9)], "bid_to_cover_ratio": [2.6], "announcemt_date": [date(2025, 7, 3)]},
        [utc(2025, 7, 9, 17)],
    ),
    "nyfed_rates": ({"effective_date": [date(2025, 7, 1)], "rate_type": ["SOFR"]}, [utc(2025, 7, 2, 12)]),
    "nyfed_repo": ({"operation_date": [date(2025, 7, 1)], "close_time": ["13:15"]}, [utc(2025, 7, 1, 17, 15)]),
    "dts": ({"record_date": [date(2025, 7, 1)]}, [utc(2025, 7, 2, 20)]),  # by 4:00 pm ET the next business day
    # CFTC: Friday 3:30 pm ET for the Tuesday before (cftc.gov Commitments of Traders release schedule)
    "cftc": ({"report_date": [date(2025, 4, 22)]}, [utc(2025, 4, 25, 19, 30)]),
    # FR 2004: Thursday 4:15 pm ET, positions as of the Wednesday a week before (newyorkfed.org primary dealer stats)
    "nyfed_pd": ({"as_of_date": [date(2025, 7, 2)]}, [utc(2025, 7, 10, 20, 15)]),
    # OFR: preliminary a business day after the trade date (over July 4), final ~3.5 months after (107 days)
    "ofr_stfm": (
        {"date": [date(2025, 7, 1), date(2025, 7, 3), date(2025, 7, 1)], "vintage": ["P", "P", "F"]},
        [utc(2025, 7, 2, 22), utc(2025, 7, 7, 22), utc(2025, 10, 16, 22)],
    ),
}


def test_every_source_has_a_publication_case():
    assert set(ONE_ROW) == set(SOURCES), "add the new source's row and its publisher's stated time to ONE_ROW"


@pytest.mark.parametrize("source", list(ONE_ROW))
def test_each_source_row_is_published_when_its_publisher_says(source):
    columns, expected = ONE_ROW[source]
    catalog = CATALOG if SOURCES[source].groups_table is not None else None
    assert published_at(pl.DataFrame(columns), SOURCES[source], catalog).to_list() == expected
