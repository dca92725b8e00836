"""Fixtures for the validation tests: one Validator per session and real recorded batches in CONTRACTS shape."""

import importlib
import re
from pathlib import Path

import polars as pl
import pytest

from expectations import Validator
from expectations.fred_observations import catalog

ROOT = Path(__file__).resolve().parents[2]
# fredgraph.csv downloads (the exact wire format of the live FRED source) and the series they hold.
FREDGRAPH_FILES = {
    "WALCL": "fred/fredgraph/qie2003/WALCL.csv",
    "WDTGAL": "fred/fredgraph/sphynxkatt0/WDTGAL.csv",
    "WRESBAL": "fred/fredgraph/SOFR3/WRESBAL.csv",
    "RRPONTSYD": "fred/fredgraph/qie2003/RRPONTSYD.csv",
    "SOFR": "fred/fredgraph/qie2003/SOFR.csv",
    "IORB": "fred/fredgraph/SOFR3/IORB.csv",
}


@pytest.fixture(scope="session")
def validator() -> Validator:
    """One Validator for the whole session (GX context set-up paid once)."""
    return Validator()


@pytest.fixture(scope="session")
def fred_batch(real_data: Path) -> pl.DataFrame:
    """Six recorded FRED series parsed by transforms.fred, + units from the catalog (as raw lands them)."""
    fred = importlib.import_module("transforms.fred")
    units = {e["series_id"]: e["units"] for e in catalog()}
    frames = [fred.parse_fredgraph_csv((real_data / f).read_bytes(), s) for s, f in FREDGRAPH_FILES.items()]
    return pl.concat(frames).with_columns(units=pl.col("series_id").replace_strict(units))


@pytest.fixture(scope="session")
def rates_batch(real_data: Path) -> pl.DataFrame:
    """NY Fed reference rates 2026 (all five types), parsed by transforms.nyfed."""
    nyfed = importlib.import_module("transforms.nyfed")
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
    """Recorded Fiscal Data auctions_query page (25 bill auctions, Jan 2026) parsed by transforms.fiscal."""
    fiscal = importlib.import_module("transforms.fiscal")
    path = real_data / "treasury_auctions/fiscaldata_openbb_cassette/auctions_query_bills_2026-01.json"
    frame, _meta = fiscal.parse_fiscal_page(path.read_bytes())
    return fiscal.parse_auctions(frame)


def _api_reformatted(real_data: Path, series_id: str) -> bytes:
    """A `date,value` FRED API dump given the fredgraph header it was reformatted from."""
    body = (real_data / f"fred/api_reformatted/opxie1/{series_id}.csv").read_bytes().split(b"\n", 1)[1]
    return f"observation_date,{series_id}\n".encode() + body


@pytest.fixture(scope="session")
def fred_bn(real_data: Path, fred_batch: pl.DataFrame) -> pl.DataFrame:
    """The FRED batch + TREAST and WSHOMCB, converted to $ billions by transforms.units (as the marts take it)."""
    fred, units = importlib.import_module("transforms.fred"), importlib.import_module("transforms.units")
    holdings = [fred.parse_fredgraph_csv(_api_reformatted(real_data, s), s) for s in ("TREAST", "WSHOMCB")]
    catalog_frame = pl.read_csv(ROOT / "warehouse/seeds/fred_series.csv")
    return units.to_billions(pl.concat([fred_batch.drop("units"), *holdings]), catalog_frame)


@pytest.fixture(scope="session")
def mart_batches(fred_bn, rates_batch, rp_batch, dts_batch, auctions_batch) -> dict[str, pl.DataFrame]:
    """The five marts built by the project's transforms from the real recorded batches."""
    t = {m: importlib.import_module(f"transforms.{m}") for m in ("liquidity", "runoff", "funding", "tga", "fiscal",
                                                              "auction_health")}
    caps = pl.read_csv(ROOT / "warehouse/seeds/qt_cap_regimes.csv", try_parse_dates=True)
    return {
        "liquidity_weekly": t["liquidity"].build_liquidity_weekly(fred_bn),
        "qt_runoff_monthly": t["runoff"].build_qt_runoff_monthly(fred_bn, caps),
        "funding_daily": t["funding"].build_funding_daily(fred_bn, rates_batch, rp_batch),
        "tga_daily": t["tga"].build_tga_daily(t["fiscal"].tga_closing_balance(dts_batch)),
        "auction_health": t["auction_health"].build_auction_health(auctions_batch),
    }
