"""Fixtures for the validation tests: one Validator per session and real recorded batches in CONTRACTS shape."""

import json
import re
from pathlib import Path

import polars as pl
import pytest

from expectations import Validator
from expectations.fred_observations import catalog

# fredgraph.csv downloads (the exact wire format of the live FRED source) and the series they hold.
FREDGRAPH_FILES = {
    "WALCL": "fred/fredgraph/qie2003/WALCL.csv",
    "WDTGAL": "fred/fredgraph/sphynxkatt0/WDTGAL.csv",
    "WRESBAL": "fred/fredgraph/SOFR3/WRESBAL.csv",
    "RRPONTSYD": "fred/fredgraph/qie2003/RRPONTSYD.csv",
    "SOFR": "fred/fredgraph/qie2003/SOFR.csv",
    "IORB": "fred/fredgraph/SOFR3/IORB.csv",
}
AUCTION_FLOAT_COLUMNS = (
    "offering_amt", "total_tendered", "total_accepted", "bid_to_cover_ratio", "high_yield", "high_discnt_rate",
    "high_investment_rate", "int_rate", "primary_dealer_accepted", "direct_bidder_accepted",
    "indirect_bidder_accepted", "soma_accepted", "soma_tendered", "soma_holdings", "fima_noncomp_accepted",
    "comp_accepted", "noncomp_accepted",
)
AUCTION_TEXT_COLUMNS = (
    "cusip", "security_type", "security_term", "original_security_term", "reopening", "cash_management_bill_cmb",
    "soma_included",
)
AUCTION_DATE_COLUMNS = ("auction_date", "announcemt_date", "issue_date", "maturity_date")


@pytest.fixture(scope="session")
def validator() -> Validator:
    """One Validator for the whole session (GX context set-up paid once)."""
    return Validator()


@pytest.fixture(scope="session")
def fred_batch(real_data: Path) -> pl.DataFrame:
    """Six recorded FRED series parsed by transforms.fred, + units from the catalog (as raw lands them)."""
    fred = pytest.importorskip("transforms.fred")
    units = {e["series_id"]: e["units"] for e in catalog()}
    frames = [fred.parse_fredgraph_csv((real_data / f).read_bytes(), s) for s, f in FREDGRAPH_FILES.items()]
    return pl.concat(frames).with_columns(units=pl.col("series_id").replace_strict(units))


@pytest.fixture(scope="session")
def rates_batch(real_data: Path) -> pl.DataFrame:
    """NY Fed reference rates 2026 (all five types), parsed by transforms.nyfed."""
    nyfed = pytest.importorskip("transforms.nyfed")
    return nyfed.parse_reference_rates_csv((real_data / "nyfed/r0pc/reference_rates_all_2026.csv").read_bytes())


@pytest.fixture(scope="session")
def rp_batch(real_data: Path) -> pl.DataFrame:
    """Recorded ON RRP operations 2022-01..2025-11 (a flattened API dump) reshaped to the RP schema."""
    raw = pl.read_csv(real_data / "nyfed/Jaggerxtrm/nyfed_rrp_ops.csv", infer_schema=False)
    # The dump's author summed days with two operations into one row (ids and dates concatenated): not one op.
    raw = raw.filter(pl.col("operationDate").str.len_chars() == len("2022-01-03"))
    award = raw["details"].map_elements(_award_rate, return_dtype=pl.Float64)
    return raw.select(
        pl.col("operationId").alias("operation_id"),
        *[pl.col(c).str.to_date().alias(n) for c, n in
          (("operationDate", "operation_date"), ("settlementDate", "settlement_date"),
           ("maturityDate", "maturity_date"))],
        pl.col("operationType").alias("operation_type"),
        pl.col("operationMethod").alias("operation_method"),
        pl.col("term"),
        pl.col("termCalenderDays").cast(pl.Int64).alias("term_calendar_days"),
        pl.col("participatingCpty").cast(pl.Int64).alias("participating_cpty"),
        pl.col("acceptedCpty").cast(pl.Int64).alias("accepted_cpty"),
        pl.col("totalAmtSubmitted").cast(pl.Float64).alias("total_amt_submitted_usd"),
        pl.col("totalAmtAccepted").cast(pl.Float64).alias("total_amt_accepted_usd"),
    ).with_columns(award_rate_pct=award)


def _award_rate(details: str) -> float | None:
    """percentAwardRate of the Treasury detail (stored as a Python-repr string in the recorded dump)."""
    found = re.search(r"'percentAwardRate': ([-0-9.]+)", details or "")
    return float(found.group(1)) if found else None


@pytest.fixture(scope="session")
def dts_batch(real_data: Path) -> pl.DataFrame:
    """Recorded DTS Table I (2021-06..2026-06, website CSV) reshaped to DTS_SCHEMA ($ millions)."""
    raw = pl.read_csv(real_data / "dts/SOFR3/DTS_OpCashBal_20210624_20260623.csv", infer_schema=False)
    raw = raw.rename({raw.columns[0]: "Record Date"})  # the header starts with a UTF-8 BOM

    def amount(name: str) -> pl.Expr:
        return pl.col(name).replace({"null": None}).cast(pl.Float64)

    return raw.select(
        pl.col("Record Date").str.to_date().alias("record_date"),
        pl.col("Type of Account").alias("account_type"),
        amount("Opening Balance Today").alias("open_today_bal"),
        pl.lit(None, dtype=pl.Float64).alias("close_today_bal"),  # not in the website download
        amount("Opening Balance This Month").alias("open_month_bal"),
        amount("Opening Balance This Fiscal Year").alias("open_fiscal_year_bal"),
        pl.col("Sub Table Name").alias("sub_table_name"),
        pl.col("Source Line Number").cast(pl.Int64).alias("src_line_nbr"),
    )


@pytest.fixture(scope="session")
def auctions_batch(real_data: Path) -> pl.DataFrame:
    """Recorded Fiscal Data auctions_query page (25 bill auctions, Jan 2026), strings cast as meta.dataTypes say."""
    path = real_data / "treasury_auctions/fiscaldata_openbb_cassette/auctions_query_bills_2026-01.json"
    records = json.loads(path.read_text())["data"]
    raw = pl.DataFrame(records, infer_schema_length=None).select(
        [*AUCTION_TEXT_COLUMNS, *AUCTION_DATE_COLUMNS, *AUCTION_FLOAT_COLUMNS]
    )
    raw = raw.with_columns(pl.all().replace({"null": None}))
    return raw.with_columns(
        *[pl.col(c).str.to_date() for c in AUCTION_DATE_COLUMNS],
        *[pl.col(c).cast(pl.Float64) for c in AUCTION_FLOAT_COLUMNS],
    )
