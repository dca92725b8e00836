"""auction_health.tenor of cross-term reopenings, on the real auction records of the replay snapshot."""

import datetime as dt

import polars as pl
import pytest

from transforms.auction_health import build_auction_health
from transforms.marts_registry import Frames

d = dt.date


@pytest.fixture(scope="module")
def health(replay_core: Frames) -> pl.DataFrame:
    return build_auction_health(replay_core["treasury_auctions"])


def test_2026_01_26_two_year_reopening_of_a_five_year_note_compares_with_two_year_notes(health: pl.DataFrame) -> None:
    # Treasury's 2-year auction of 2026-01-26 reopened 91282CGH8 (the 5-year note of 2023-01-31, due 2028-01-31).
    # RTTNews 2026-01-26 "Two-Year Note Auction Attracts Above Average Demand": $69bn two-year notes, high yield
    # 3.580%, bid-to-cover 2.75; last month's 2-year 2.54 (our 2025-12-22 row).
    mask = (pl.col("cusip") == "91282CGH8") & (pl.col("auction_date") == d(2026, 1, 26))
    row = health.filter(mask).row(0, named=True)
    assert (row["tenor"], row["security_class"], row["is_reopening"]) == ("2-Year", "nominal", True)
    assert (row["bid_to_cover"], row["high_yield_pct"]) == (2.75, 3.58)
    # against the six previous 2-year auctions (2025-07-28 .. 2025-12-22), not against 5-year notes (+0.39)
    assert row["btc_vs_prev6"] == pytest.approx(0.145, abs=1e-9)
    dec = health.filter(
        (pl.col("auction_date") == d(2025, 12, 22))
        & (pl.col("tenor") == "2-Year")
        & (pl.col("security_class") == "nominal")
    )
    assert dec["bid_to_cover"].to_list() == [2.54]


def test_five_year_baseline_no_longer_holds_the_two_year_auction(health: pl.DataFrame) -> None:
    five = health.filter((pl.col("tenor") == "5-Year") & (pl.col("security_class") == "nominal"))
    assert d(2026, 1, 26) not in five["auction_date"].to_list()
    # the 2025-02-25 5-year auction reopened the 7-year note 91282CGQ8 of 2023: it is a 5-year auction
    feb = five.filter(pl.col("auction_date") == d(2025, 2, 25))
    assert feb["cusip"].to_list() == ["91282CGQ8"]


def test_audit_every_reopening_gets_the_tenor_it_was_auctioned_as(replay_core: Frames, health: pl.DataFrame) -> None:
    # Audit of the snapshot: of the coupon reopenings with results (2025-01..2026-06), exactly two were cross-term
    # (the auctioned whole-year term differs from the security's original term); every other one keeps its original
    # term (remaining terms like "9-Year 11-Month" of a 10-year note).
    coupons = health.filter(~pl.col("security_class").is_in(["bill", "CMB"]) & pl.col("is_reopening"))
    raw = replay_core["treasury_auctions"].select("cusip", "auction_date", "original_security_term")
    joined = coupons.join(raw.unique(["cusip", "auction_date"]), on=["cusip", "auction_date"])
    cross = joined.filter(pl.col("tenor") != pl.col("original_security_term")).sort("auction_date")
    assert cross.select("auction_date", "cusip", "original_security_term", "tenor").rows() == [
        (d(2025, 2, 25), "91282CGQ8", "7-Year", "5-Year"),
        (d(2026, 1, 26), "91282CGH8", "5-Year", "2-Year"),
    ]
    assert joined.height >= 50


def test_every_coupon_auction_has_a_tenor_and_whole_year_terms_are_kept(health: pl.DataFrame) -> None:
    coupons = health.filter(~pl.col("security_class").is_in(["bill", "CMB"]))
    assert coupons["tenor"].null_count() == 0
    whole = coupons.filter(pl.col("security_term").str.contains(r"^\d+-Year$"))
    assert (whole["tenor"] == whole["security_term"]).all()
