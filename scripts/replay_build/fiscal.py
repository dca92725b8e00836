"""Replay builder for Fiscal Data: auctions_query and DTS operating_cash_balance as API records (all strings, "null").

Each file is `{"data": [...], "meta": {"labels", "dataTypes", "dataFormats"}}`, gzip -9 with mtime 0 (the bytes
depend only on the recordings); the replay adapter adds pagination and counts like the live API.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from pathlib import Path

AUCTIONS_RAW = "treasury_auctions/fiscaldata_openbb_cassette/auctions_query_bills_2026-01.json"
AUCTIONS_TREASURYDIRECT = "treasury_auctions/SOFR3/treasury.csv"
AUCTIONS_WEBSITE = "treasury_auctions/fiscaldata_mrgeneko/Auctions_Query_19791115_20251215.csv.gz"
DTS_CSV = "dts/SOFR3/DTS_OpCashBal_20210624_20260623.csv"
AUCTIONS_FILE = "fiscaldata/auctions_query.json.gz"
DTS_FILE = "fiscaldata/operating_cash_balance.json.gz"

# The full history (1979-10-31 on) compresses to ~0.5 MB, so no cut-off is needed; kept as a knob in case the
# file ever outgrows ~1.5 MB (then cut to 2008 and say so in the notes).
AUCTIONS_FIRST_DATE = "1979-01-01"
NULL = "null"

# TreasuryDirect CSV header (PascalCase, as its securities API) -> auctions_query field. Reviewed one by one against
# the raw API record's labels; the 5 auctions in both recordings agree on every field both carry.
TD_TO_API: dict[str, str] = {
    "Cusip": "cusip",
    "IssueDate": "issue_date",
    "SecurityType": "security_type",
    "SecurityTerm": "security_term",
    "MaturityDate": "maturity_date",
    "InterestRate": "int_rate",
    "RefCpiOnIssueDate": "ref_cpi_on_issue_date",
    "AnnouncementDate": "announcemt_date",
    "AuctionDate": "auction_date",
    "DatedDate": "dated_date",
    "RefCpiOnDatedDate": "ref_cpi_on_dated_date",
    "AccruedInterestPer1000": "accrued_int_per1000",
    "AccruedInterestPer100": "accrued_int_per100",
    "AdjustedAccruedInterestPer1000": "adj_accrued_int_per1000",
    "AdjustedPrice": "adj_price",
    "AllocationPercentage": "allocation_pctage",
    "AllocationPercentageDecimals": "allocation_pctage_decimals",
    "AnnouncedCusip": "announcemtd_cusip",
    "AuctionFormat": "auction_format",
    "AverageMedianDiscountRate": "avg_med_discnt_rate",
    "AverageMedianInvestmentRate": "avg_med_investment_rate",
    "AverageMedianPrice": "avg_med_price",
    "AverageMedianDiscountMargin": "avg_med_discnt_margin",
    "AverageMedianYield": "avg_med_yield",
    "BackDated": "back_dated",
    "BackDatedDate": "back_dated_date",
    "BidToCoverRatio": "bid_to_cover_ratio",
    "CallDate": "call_date",
    "Callable": "callable",
    "CalledDate": "called_date",
    "CashManagementBillCMB": "cash_management_bill_cmb",
    "ClosingTimeCompetitive": "closing_time_comp",
    "ClosingTimeNoncompetitive": "closing_time_noncomp",
    "CompetitiveAccepted": "comp_accepted",
    "CompetitiveBidDecimals": "comp_bid_decimals",
    "CompetitiveTendered": "comp_tendered",
    "CompetitiveTendersAccepted": "comp_tenders_accepted",
    "CorpusCusip": "corpus_cusip",
    "CpiBaseReferencePeriod": "cpi_base_reference_period",
    "CurrentlyOutstanding": "currently_outstanding",
    "DirectBidderAccepted": "direct_bidder_accepted",
    "DirectBidderTendered": "direct_bidder_tendered",
    "EstimatedAmountOfPubliclyHeldMaturingSecuritiesByType": "est_pub_held_mat_by_type_amt",
    "FimaIncluded": "fima_included",
    "FimaNoncompetitiveAccepted": "fima_noncomp_accepted",
    "FimaNoncompetitiveTendered": "fima_noncomp_tendered",
    "FirstInterestPeriod": "first_int_period",
    "FirstInterestPaymentDate": "first_int_payment_date",
    "FloatingRate": "floating_rate",
    "FrnIndexDeterminationDate": "frn_index_determination_date",
    "FrnIndexDeterminationRate": "frn_index_determination_rate",
    "HighDiscountRate": "high_discnt_rate",
    "HighInvestmentRate": "high_investment_rate",
    "HighPrice": "high_price",
    "HighDiscountMargin": "high_discnt_margin",
    "HighYield": "high_yield",
    "IndexRatioOnIssueDate": "index_ratio_on_issue_date",
    "IndirectBidderAccepted": "indirect_bidder_accepted",
    "IndirectBidderTendered": "indirect_bidder_tendered",
    "InterestPaymentFrequency": "int_payment_frequency",
    "LowDiscountRate": "low_discnt_rate",
    "LowInvestmentRate": "low_investment_rate",
    "LowPrice": "low_price",
    "LowDiscountMargin": "low_discnt_margin",
    "LowYield": "low_yield",
    "MaturingDate": "mat_date",
    "MaximumCompetitiveAward": "max_comp_award",
    "MaximumNoncompetitiveAward": "max_noncomp_award",
    "MaximumSingleBid": "max_single_bid",
    "MinimumBidAmount": "min_bid_amt",
    "MinimumStripAmount": "min_strip_amt",
    "MinimumToIssue": "min_to_issue",
    "MultiplesToBid": "multiples_to_bid",
    "MultiplesToIssue": "multiples_to_issue",
    "NlpExclusionAmount": "nlp_exclusion_amt",
    "NlpReportingThreshold": "nlp_reporting_threshold",
    "NoncompetitiveAccepted": "noncomp_accepted",
    "NoncompetitiveTendersAccepted": "noncomp_tenders_accepted",
    "OfferingAmount": "offering_amt",
    "OriginalCusip": "original_cusip",
    "OriginalDatedDate": "original_dated_date",
    "OriginalIssueDate": "original_issue_date",
    "OriginalSecurityTerm": "original_security_term",
    "PdfFilenameAnnouncement": "pdf_filenm_announcemt",
    "PdfFilenameCompetitiveResults": "pdf_filenm_comp_results",
    "PdfFilenameNoncompetitiveResults": "pdf_filenm_noncomp_results",
    "PdfFilenameSpecialAnnouncement": "pdf_filenm_spec_announcemt",
    "PricePer100": "price_per100",
    "PrimaryDealerAccepted": "primary_dealer_accepted",
    "PrimaryDealerTendered": "primary_dealer_tendered",
    "Reopening": "reopening",
    "SecurityTermDayMonth": "security_term_day_month",
    "SecurityTermWeekYear": "security_term_week_year",
    "Series": "series",
    "SomaAccepted": "soma_accepted",
    "SomaHoldings": "soma_holdings",
    "SomaIncluded": "soma_included",
    "SomaTendered": "soma_tendered",
    "Spread": "spread",
    "StandardInterestPaymentPer1000": "std_int_payment_per1000",
    "Strippable": "strippable",
    "TiinConversionFactorPer1000": "tiin_conversion_factor_per1000",
    "TintCusip1": "tint_cusip_1",
    "TintCusip2": "tint_cusip_2",
    "TotalAccepted": "total_accepted",
    "TotalTendered": "total_tendered",
    "TreasuryRetailAccepted": "treas_retail_accepted",
    "TreasuryRetailTendersAccepted": "treas_retail_tenders_accepted",
    "UnadjustedAccruedInterestPer1000": "unadj_accrued_int_per1000",
    "UnadjustedPrice": "unadj_price",
    "XmlFilenameAnnouncement": "xml_filenm_announcemt",
    "XmlFilenameCompetitiveResults": "xml_filenm_comp_results",
}
# TreasuryDirect columns with no auctions_query field; left out rather than forced onto a look-alike
# (e.g. `Tips` is not provably the API's `inflation_index_security`, `Term` not `security_term`).
TD_UNMAPPED = (
    "AuctionDateYear",
    "Term",
    "Tips",
    "TintCusip1DueDate",
    "TintCusip2DueDate",
    "Type",
    "XmlFilenameSpecialAnnouncement",
)

# Fiscal Data website CSV (display names = the API's meta.labels) -> auctions_query field.
WEBSITE_TO_API: dict[str, str] = {
    "CUSIP": "cusip",
    "Security Type": "security_type",
    "Security Term": "security_term",
    "Auction Date": "auction_date",
    "Issue Date": "issue_date",
    "Maturity Date": "maturity_date",
    "Price per $100": "price_per100",
    "Download PDF - Announcement": "pdf_filenm_announcemt",
    "Download PDF - Competitive Results": "pdf_filenm_comp_results",
    "Download PDF - Noncompetitive Results": "pdf_filenm_noncomp_results",
    "Download XML - Announcement": "xml_filenm_announcemt",
    "Download XML - Competitive Results": "xml_filenm_comp_results",
}

# DTS website CSV display header -> operating_cash_balance field (API order; the CSV has no closing column).
DTS_FIELDS: dict[str, str] = {
    "record_date": "Record Date",
    "account_type": "Type of Account",
    "close_today_bal": "Closing Balance Today",
    "open_today_bal": "Opening Balance Today",
    "open_month_bal": "Opening Balance This Month",
    "open_fiscal_year_bal": "Opening Balance This Fiscal Year",
    "table_nbr": "Table Number",
    "table_nm": "Table Name",
    "sub_table_name": "Sub Table Name",
    "src_line_nbr": "Source Line Number",
    "record_fiscal_year": "Fiscal Year",
    "record_fiscal_quarter": "Fiscal Quarter Number",
    "record_calendar_year": "Calendar Year",
    "record_calendar_quarter": "Calendar Quarter Number",
    "record_calendar_month": "Calendar Month Number",
    "record_calendar_day": "Calendar Day Number",
}
# Stated, not recorded: no response of this endpoint was recorded. Types/formats follow what the API sends for the
# same kinds of field (DATE "YYYY-MM-DD"; CURRENCY0 "$1,000,000" as auctions_query's offering_amt; INTEGER and
# YEAR/QUARTER/MONTH/DAY with "10"/"YYYY"/"Q"/"MM"/"DD" as on other Fiscal Data endpoints).
DTS_TYPES: dict[str, tuple[str, str]] = {
    "record_date": ("DATE", "YYYY-MM-DD"),
    "account_type": ("STRING", "String"),
    "close_today_bal": ("CURRENCY0", "$1,000,000"),
    "open_today_bal": ("CURRENCY0", "$1,000,000"),
    "open_month_bal": ("CURRENCY0", "$1,000,000"),
    "open_fiscal_year_bal": ("CURRENCY0", "$1,000,000"),
    "table_nbr": ("STRING", "String"),
    "table_nm": ("STRING", "String"),
    "sub_table_name": ("STRING", "String"),
    "src_line_nbr": ("INTEGER", "10"),
    "record_fiscal_year": ("YEAR", "YYYY"),
    "record_fiscal_quarter": ("QUARTER", "Q"),
    "record_calendar_year": ("YEAR", "YYYY"),
    "record_calendar_quarter": ("QUARTER", "Q"),
    "record_calendar_month": ("MONTH", "MM"),
    "record_calendar_day": ("DAY", "DD"),
}

# Excel in a French locale rewrote some large integers as "1,75754E+11": six significant digits, value lost.
_EXCEL_MANGLED = re.compile(r"^-?\d+,\d+E[+-]\d+$")
_MIDNIGHT = "T00:00:00"
# TreasuryDirect writes closing times as "1:00 PM" where auctions_query sends "01:00 PM" (seen on 912797TM9).
_UNPADDED_TIME = re.compile(r"^\d:\d\d [AP]M$")


def build(real_dir: Path, out_dir: Path) -> list[dict]:
    """Write the two Fiscal Data replay files under out_dir; one manifest entry per file."""
    return [build_auctions(real_dir, out_dir), build_operating_cash_balance(real_dir, out_dir)]


# ---------------------------------------------------------------- auctions_query


def build_auctions(real_dir: Path, out_dir: Path) -> dict:
    """`fiscaldata/auctions_query.json.gz`: raw API records > TreasuryDirect CSV > website CSV, per (cusip, date)."""
    raw = json.loads((real_dir / AUCTIONS_RAW).read_text(encoding="utf-8"))
    fields = list(raw["data"][0])
    td_records, td_lost = treasurydirect_records(real_dir / AUCTIONS_TREASURYDIRECT, fields)
    web_records = website_records(real_dir / AUCTIONS_WEBSITE, fields)
    layers = [("raw", raw["data"]), ("treasurydirect", td_records), ("website", web_records)]
    merged, counts = merge_by_key(layers)
    records = [r for r in merged if r["auction_date"] >= AUCTIONS_FIRST_DATE]
    meta = {key: raw["meta"][key] for key in ("labels", "dataTypes", "dataFormats")}
    n_bytes = _write(out_dir / AUCTIONS_FILE, {"data": records, "meta": meta})
    dates = [r["auction_date"] for r in records]
    return {
        "file": AUCTIONS_FILE,
        "source": "auctions",
        "recorded_from": [AUCTIONS_RAW, AUCTIONS_TREASURYDIRECT, AUCTIONS_WEBSITE],
        "rows": len(records),
        "first_date": min(dates),
        "last_date": max(dates),
        "notes": _auction_notes(counts, td_lost, len(fields), n_bytes),
    }


def treasurydirect_records(path: Path, fields: list[str]) -> tuple[list[dict], int]:
    """TreasuryDirect CSV rows as auctions_query records -> (records, values lost to Excel and set to "null")."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    unknown = set(rows[0]) - set(TD_TO_API) - set(TD_UNMAPPED)
    if unknown or any(None in row for row in rows):
        raise ValueError(f"{path.name}: columns with no reviewed mapping: {sorted(unknown)}")
    records, lost = [], 0
    for row in rows:
        values = {TD_TO_API[col]: treasurydirect_value(text) for col, text in row.items() if col in TD_TO_API}
        lost += sum(bool(_EXCEL_MANGLED.match(text)) for text in row.values())
        records.append(_api_record(fields, values))
    return records, lost


def treasurydirect_value(text: str) -> str:
    """One TreasuryDirect cell in API form: empty/Excel-mangled -> "null", midnight stamp -> date, "1:00 PM" padded."""
    text = text.strip()
    if not text or _EXCEL_MANGLED.match(text):
        return NULL
    if re.match(r"^\d{4}-\d{2}-\d{2}T", text):
        if not text.endswith(_MIDNIGHT):
            raise ValueError(f"TreasuryDirect timestamp is not a plain date: {text!r}")
        return text.removesuffix(_MIDNIGHT)
    return "0" + text if _UNPADDED_TIME.match(text) else text


def website_records(path: Path, fields: list[str]) -> list[dict]:
    """Fiscal Data website CSV (12 display-name columns) as auctions_query records; other fields "null"."""
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if set(rows[0]) != set(WEBSITE_TO_API):
        raise ValueError(f"{path.name}: unexpected header {list(rows[0])}")
    return [_api_record(fields, {WEBSITE_TO_API[c]: t.strip() or NULL for c, t in row.items()}) for row in rows]


def _api_record(fields: list[str], values: dict[str, str]) -> dict:
    """A record with every API field in API order; a field the source does not carry is "null" (never guessed)."""
    return {name: values.get(name, NULL) for name in fields}


def merge_by_key(layers: list[tuple[str, list[dict]]]) -> tuple[list[dict], dict[str, int]]:
    """Records by (cusip, auction_date), earlier layers winning whole records -> (sorted records, kept per layer)."""
    merged: dict[tuple[str, str], dict] = {}
    counts: dict[str, int] = {}
    for name, records in layers:
        fresh = {(r["cusip"], r["auction_date"]): r for r in records}
        if len(fresh) != len(records):
            raise ValueError(f"{name}: duplicate (cusip, auction_date) keys")
        added = {k: r for k, r in fresh.items() if k not in merged}
        _check_overlap(name, merged, fresh)
        merged.update(added)
        counts[name] = len(added)
    ordered = sorted(merged.items(), key=lambda item: (item[0][1], item[0][0]))
    return [record for _, record in ordered], counts


def _check_overlap(name: str, better: dict[tuple[str, str], dict], fresh: dict[tuple[str, str], dict]) -> None:
    """A lower layer must agree with the better one on every field both carry (else a mapping is wrong)."""
    clashes = [
        f"{key} {field}: {better[key][field]!r} vs {value!r}"
        for key in fresh.keys() & better.keys()
        for field, value in fresh[key].items()
        if NULL not in (value, better[key][field]) and not _same(value, better[key][field])
    ]
    if clashes:
        raise ValueError(f"{name} disagrees with a better recording on {len(clashes)} values: {clashes[:5]}")


def _same(a: str, b: str) -> bool:
    """Two value texts denote the same value ("2.840000" == "2.84"; text compared as is)."""
    try:
        return float(a) == float(b)
    except ValueError:
        return a == b


def _auction_notes(counts: dict[str, int], td_lost: int, n_fields: int, n_bytes: int) -> str:
    return (
        f"{n_fields} API fields; field order, labels, dataTypes, dataFormats from the raw response; "
        f"{counts['raw']} records exact from the raw response (bills auctioned 2026-01); "
        f"{counts['treasurydirect']} from the TreasuryDirect CSV (auctions 2025-01-08..2026-06-24: every note and "
        f'bond, only a subset of bills; {td_lost} Excel-mangled big integers such as total_tendered set to "null"; '
        f"closing times zero-padded as the API sends them; its columns {', '.join(TD_UNMAPPED)} have no API field); "
        f"{counts['website']} from the Fiscal Data website CSV (to 2025-12-11; its 12 fields only: dates, "
        'terms, price_per100, document names; other results "null"), so results such as bid_to_cover_ratio '
        "exist only from 2025-01-08 and bill coverage after "
        '2025-12-11 is incomplete outside 2026-01; record_date is "null" outside the raw response (not recorded, '
        f"not guessed); full history from 1979 kept ({n_bytes / 1e6:.2f} MB gzipped, under the 1.5 MB budget)"
    )


# ---------------------------------------------------------------- DTS operating_cash_balance


def build_operating_cash_balance(real_dir: Path, out_dir: Path) -> dict:
    """`fiscaldata/operating_cash_balance.json.gz`: the DTS CSV download re-expressed as API records ($ millions)."""
    records = dts_records(real_dir / DTS_CSV)
    meta = {
        "labels": dict(DTS_FIELDS),
        "dataTypes": {name: kind for name, (kind, _) in DTS_TYPES.items()},
        "dataFormats": {name: fmt for name, (_, fmt) in DTS_TYPES.items()},
    }
    _write(out_dir / DTS_FILE, {"data": records, "meta": meta})
    return {
        "file": DTS_FILE,
        "source": "dts",
        "recorded_from": [DTS_CSV],
        "rows": len(records),
        "first_date": records[0]["record_date"],
        "last_date": records[-1]["record_date"],
        "notes": "website CSV (display headers, newest first) re-expressed as API records sorted by record_date, "
        'src_line_nbr; close_today_bal is "null" throughout (the download has no closing column: new-era closing '
        "balances are the 'Treasury General Account (TGA) Closing Balance' rows, value in open_today_bal); "
        "meta labels from the CSV headers, dataTypes/dataFormats stated by the builder (not recorded)",
    }


def dts_records(path: Path) -> list[dict]:
    """DTS operating cash balance CSV rows as API records (every value a string, "null" for missing), ascending."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    expected = [label for name, label in DTS_FIELDS.items() if name != "close_today_bal"]
    if list(rows[0]) != expected:
        raise ValueError(f"{path.name}: unexpected header {list(rows[0])}")
    records = [{name: (row.get(label) or "").strip() or NULL for name, label in DTS_FIELDS.items()} for row in rows]
    return sorted(records, key=lambda r: (r["record_date"], int(r["src_line_nbr"])))


# ---------------------------------------------------------------- output


def render(document: dict) -> bytes:
    """Deterministic bytes: compact JSON (as the API sends it) gzipped at level 9 with mtime 0 and no file name."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=buffer, mtime=0) as gz:
        gz.write(text.encode("utf-8"))
    return buffer.getvalue()


def _write(path: Path, document: dict) -> int:
    """Write the rendered document; returns its size in bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.write_bytes(render(document))
