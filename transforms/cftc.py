"""CFTC Traders in Financial Futures (TFF), futures only: parser of the yearly history file `fut_fin_txt_<YYYY>.zip`.

The zip holds one comma-separated `FinFutYY.txt` with a header of 87 columns, one row per financial market x report
Tuesday (all markets, year to date). qtwatch keeps the six CBOT Treasury contracts, joined on their CFTC contract
code (the market names changed on 2022-02-08, the codes did not), with every column of the file. Positions are
contracts; numbers are right-aligned with leading spaces; `.` marks a trader count the CFTC suppresses (fewer than
four traders), kept as null.
"""

from __future__ import annotations

import io
import logging
import zipfile
from datetime import date, timedelta

import polars as pl

from transforms.errors import ParseError, decode_text, first_line, read_text_csv
from transforms.schema import SchemaDict

log = logging.getLogger(__name__)

# CFTC contract code -> (tenor label, face value per contract in USD). Face values: CME contract specs ("$200,000
# face value" for the 2-year note, "$100,000" for the others), also each row's Contract_Units text.
TREASURY_CONTRACTS: dict[str, tuple[str, int]] = {
    "042601": ("2y", 200_000),
    "044601": ("5y", 100_000),
    "043602": ("10y", 100_000),
    "043607": ("ultra_10y", 100_000),
    "020601": ("bond", 100_000),
    "020604": ("ultra_bond", 100_000),
}
TENORS: tuple[str, ...] = tuple(t for t, _ in TREASURY_CONTRACTS.values())

# File header -> column. Only the two date headers are not valid identifiers; every other column is the header
# lower-cased, so an analyst finds `lev_money_positions_short_all` under the CFTC's own name.
_RENAMED = {"As_of_Date_In_Form_YYMMDD": "as_of_date_yymmdd", "Report_Date_as_YYYY-MM-DD": "report_date"}
_TEXT = (
    "Market_and_Exchange_Names",
    "As_of_Date_In_Form_YYMMDD",
    "CFTC_Contract_Market_Code",
    "CFTC_Market_Code",
    "CFTC_Region_Code",
    "CFTC_Commodity_Code",
)
_GROUPS = ("Dealer", "Asset_Mgr", "Lev_Money", "Other_Rept")
_POSITIONS = (
    "Open_Interest_All",
    *(f"{g}_Positions_{side}_All" for g in _GROUPS for side in ("Long", "Short", "Spread")),
    "Tot_Rept_Positions_Long_All",
    "Tot_Rept_Positions_Short_All",
    "NonRept_Positions_Long_All",
    "NonRept_Positions_Short_All",
)
_CHANGES = (
    "Change_in_Open_Interest_All",
    *(f"Change_in_{g}_{side}_All" for g in _GROUPS for side in ("Long", "Short", "Spread")),
    "Change_in_Tot_Rept_Long_All",
    "Change_in_Tot_Rept_Short_All",
    "Change_in_NonRept_Long_All",
    "Change_in_NonRept_Short_All",
)
_PERCENTS = (
    "Pct_of_Open_Interest_All",
    *(f"Pct_of_OI_{g}_{side}_All" for g in _GROUPS for side in ("Long", "Short", "Spread")),
    "Pct_of_OI_Tot_Rept_Long_All",
    "Pct_of_OI_Tot_Rept_Short_All",
    "Pct_of_OI_NonRept_Long_All",
    "Pct_of_OI_NonRept_Short_All",
)
_TRADERS = (
    "Traders_Tot_All",
    *(f"Traders_{g}_{side}_All" for g in _GROUPS for side in ("Long", "Short", "Spread")),
    "Traders_Tot_Rept_Long_All",
    "Traders_Tot_Rept_Short_All",
)
_CONCENTRATION = tuple(
    f"Conc_{kind}_LE_{n}_TDR_{side}_All" for kind in ("Gross", "Net") for n in (4, 8) for side in ("Long", "Short")
)
_TRAILER = (
    "Contract_Units",
    "CFTC_Contract_Market_Code_Quotes",
    "CFTC_Market_Code_Quotes",
    "CFTC_Commodity_Code_Quotes",
    "CFTC_SubGroup_Code",
    "FutOnly_or_Combined",
)

# The file's 87 headers in file order, each with its type.
HEADERS: SchemaDict = {
    _TEXT[0]: pl.Utf8(),
    _TEXT[1]: pl.Utf8(),
    "Report_Date_as_YYYY-MM-DD": pl.Date(),
    **{h: pl.Utf8() for h in _TEXT[2:]},
    **{h: pl.Int64() for h in (*_POSITIONS, *_CHANGES)},
    **{h: pl.Float64() for h in _PERCENTS},
    **{h: pl.Int64() for h in _TRADERS},
    **{h: pl.Float64() for h in _CONCENTRATION},
    **{h: pl.Utf8() for h in _TRAILER},
}


def column_name(header: str) -> str:
    """The warehouse column of a file header (lower-case; the two date headers renamed)."""
    return _RENAMED.get(header, header.lower())


SCHEMA: SchemaDict = {column_name(h): t for h, t in HEADERS.items()}
KEY: tuple[str, ...] = ("cftc_contract_market_code", "report_date")
DATE_COLUMN = "report_date"
FRIDAY = 5  # polars dt.weekday(): Monday=1 .. Sunday=7
_CODE = "CFTC_Contract_Market_Code"
_warned_extra: set[tuple[str, ...]] = set()


def parse_tff_zip(payload: bytes, max_bytes: int | None = None) -> pl.DataFrame:
    """`fut_fin_txt_<YYYY>.zip` (one FinFutYY.txt member) -> Treasury rows in SCHEMA, one per (code, report date);
    a member larger than `max_bytes` once decompressed (a zip bomb) is refused before it is inflated."""
    if not payload.startswith(b"PK"):
        decode_text(payload, "CFTC TFF zip")  # names an empty body or an HTML page
        raise ParseError(f"expected a CFTC TFF zip, received {payload[:40]!r}")
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            members = [m for m in archive.namelist() if m.lower().endswith(".txt")]
            if len(members) != 1:
                raise ParseError(f"CFTC TFF zip should hold one .txt file, holds {archive.namelist()}")
            text = _read_member(archive, members[0], max_bytes)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise ParseError(f"CFTC TFF zip is corrupt: {exc}") from None
    return parse_tff_text(text)


def _read_member(archive: zipfile.ZipFile, member: str, max_bytes: int | None) -> bytes:
    """The member's bytes, never inflating more than `max_bytes` (+1), whatever its header declares."""
    if max_bytes is None:
        return archive.read(member)
    declared = archive.getinfo(member).file_size
    with archive.open(member) as handle:
        text = handle.read(max_bytes + 1) if declared <= max_bytes else b""
    if declared > max_bytes or len(text) > max_bytes:
        size = f"{declared / 2**20:,.0f} MB, " if declared > max_bytes else ""
        raise ParseError(
            f"CFTC TFF zip inflates to {size}more than the {max_bytes / 2**20:g} MB limit "
            "(QTWATCH_MAX_RESPONSE_MB): refused"
        )
    return text


def parse_tff_text(payload: bytes) -> pl.DataFrame:
    """The FinFutYY.txt text (CRLF or LF) -> Treasury rows in SCHEMA; ParseError when a column is missing."""
    frame = read_text_csv(payload, "CFTC TFF text")
    missing = [h for h in HEADERS if h not in frame.columns]
    if missing:
        raise ParseError(
            f"CFTC TFF file lacks the column(s) {', '.join(missing[:5])}"
            f"{' ...' if len(missing) > 5 else ''}; header was {frame.columns[:4]}..."
        )
    _note_extra([c for c in frame.columns if c not in HEADERS])
    treasury = frame.select(list(HEADERS)).filter(pl.col(_CODE).str.strip_chars().is_in(list(TREASURY_CONTRACTS)))
    return _cast(treasury).rename(column_name).select(list(SCHEMA)).cast(SCHEMA).sort(KEY)


def _cast(frame: pl.DataFrame) -> pl.DataFrame:
    """Strip the padding, `.` -> null, cast each header to its type; unparseable text raises ParseError."""
    stripped = frame.with_columns(pl.all().str.strip_chars())
    casts = []
    for header, dtype in HEADERS.items():
        column = pl.when(pl.col(header) != ".").then(pl.col(header))
        if dtype == pl.Date():
            casts.append(column.str.to_date("%Y-%m-%d", strict=True).alias(header))
        elif dtype != pl.Utf8():
            casts.append(column.cast(dtype, strict=True).alias(header))
    try:
        return stripped.with_columns(casts)
    except pl.exceptions.PolarsError as exc:
        raise ParseError(f"CFTC TFF file has an unparseable date or number: {first_line(exc)}") from None


def _note_extra(extra: list[str]) -> None:
    """Columns the CFTC added that qtwatch does not model are dropped; say so once per distinct set."""
    if extra and tuple(extra) not in _warned_extra:
        _warned_extra.add(tuple(extra))
        log.warning("CFTC TFF file has %d column(s) qtwatch does not keep: %s", len(extra), ", ".join(extra[:8]))


def release_date(report_date: pl.Expr) -> pl.Expr:
    """The Friday a report is published (15:30 New York): the first Friday after its report date. Positions are as
    of Tuesday (Monday or Wednesday in some holiday weeks); a federal holiday can push the release to Monday, which
    this rule does not know (freshness allows for it with a grace period)."""
    return report_date + pl.duration(days=(FRIDAY - report_date.dt.weekday() - 1) % 7 + 1)


def published_on(report: date) -> date:
    """`release_date` for one report date (Python weekday: Friday = 4)."""
    return report + timedelta(days=(4 - report.weekday() - 1) % 7 + 1)
