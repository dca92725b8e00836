"""Bad payloads, written against each wire format: each fault takes a real recorded body and breaks it one way.

Row-level faults (a held value turned NULL, the newest held rows dropped, a series cut short, a revision) touch one
target group per source — a FRED series, a NY Fed rate type, a DTS account, or every row of an ungrouped source —
and only rows the warehouse already holds (dated on or before HELD_UNTIL, the as-of of the base run).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta

from tests.support.fake_host import Fault
from transforms import cftc

HELD_UNTIL = date(2025, 6, 6)  # as-of of the base warehouse: rows dated up to here are held
TARGETS = {  # sources: chosen, the grouped sources' target group (the other sources are broken in every row)
    "fred": "WALCL",
    "nyfed_rates": "SOFR",
    "dts": "Treasury General Account (TGA) Closing Balance",
}
# CFTC TFF text: the report date's and open interest's field numbers, and a concentration ratio's (transforms.cftc)
CFTC_DATE, CFTC_OPEN_INTEREST = 2, 7
CFTC_CONCENTRATION = list(cftc.HEADERS).index("Conc_Gross_LE_4_TDR_Long_All")
HTML_PAGE = b"<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body>down</body></html>"


# ---------------------------------------------------------------------------------------- rows of each wire format
def _unzip(body: bytes) -> tuple[str, bytes]:
    """A CFTC zip's one member: (name, text)."""
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        member = archive.namelist()[0]
        return member, archive.read(member)


def _zip(member: str, text: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, text)
    return buffer.getvalue()


class Rows:
    """A body split into a container and editable rows, with each format's date, group and value fields."""

    def __init__(self, fmt: str, body: bytes) -> None:
        self.fmt = fmt
        if fmt == "cftc_zip":  # one text member of comma-separated rows (no commas inside the Treasury rows' fields)
            self.member, body = _unzip(body)
        if fmt in ("fredgraph", "rates_csv", "cftc_zip"):
            lines = body.decode().splitlines()
            self.header = lines[0]
            self.tail = [line for line in lines[1:] if not line.strip(",")]  # the rates download's all-comma line
            self.rows = [line.split(",") for line in lines[1:] if line.strip(",")]
        else:
            self.doc = json.loads(body)
            self.rows = self._records()

    def _records(self) -> list[dict]:
        return {
            "fred_api": lambda d: d["observations"],
            "rp_json": lambda d: d["repo"]["operations"],
            "fiscal_json": lambda d: d["data"],
        }[self.fmt](self.doc)

    def dump(self) -> bytes:
        if self.fmt in ("fredgraph", "rates_csv", "cftc_zip"):
            text = ("\n".join([self.header, *(",".join(r) for r in self.rows), *self.tail]) + "\n").encode()
            return _zip(self.member, text) if self.fmt == "cftc_zip" else text
        records = self._records()
        records[:] = self.rows
        if self.fmt == "fiscal_json":
            self.doc["meta"].update({"count": len(self.rows), "total-count": len(self.rows)})
        return json.dumps(self.doc).encode()

    def day(self, row) -> date:
        match self.fmt:
            case "fredgraph":
                return date.fromisoformat(row[0])
            case "rates_csv":
                return datetime.strptime(row[0], "%m/%d/%Y").date()
            case "fred_api":
                return date.fromisoformat(row["date"])
            case "rp_json":
                return date.fromisoformat(row["operationDate"])
            case "cftc_zip":
                return date.fromisoformat(row[CFTC_DATE].strip())
        return date.fromisoformat(row.get("record_date") if "account_type" in row else row["auction_date"])

    def in_target(self, source: str, row) -> bool:
        match self.fmt:
            case "rates_csv":
                return row[1] == TARGETS[source]
            case "fiscal_json" if source == "dts":
                return row["account_type"] == TARGETS[source]
        return True  # a FRED body is one series (faults are applied to the target's requests only); others ungrouped

    def value_field(self, source: str):
        """Where the row's guarded value sits: a CSV column index or a JSON key."""
        return {
            "fredgraph": 1,
            "rates_csv": 2,
            "fred_api": "value",
            "rp_json": "totalAmtAccepted",
            "cftc_zip": CFTC_OPEN_INTEREST,
        }.get(self.fmt, "open_today_bal" if source == "dts" else "total_accepted")

    def held_targets(self, source: str, *, with_value: bool = False) -> list:
        """Target rows the warehouse holds, newest first (optionally only those with a value to break)."""
        field = self.value_field(source)
        rows = [
            r
            for r in self.rows
            if self.in_target(source, r) and self.day(r) <= HELD_UNTIL and _public_by_held_until(source, self.day(r))
        ]
        if with_value:
            rows = [r for r in rows if str(r[field]).strip() not in ("", ".", "null", "None")]
        return sorted(rows, key=self.day, reverse=True)


def _public_by_held_until(source: str, day: date) -> bool:
    """Held means published by the base warehouse's as-of, not merely dated before it (SOFR and the DTS for a day
    are published the next business day): the source's release rule for the target decides."""
    from transforms.registry import SOURCES, release_of

    kind = TARGETS.get(source) if source == "nyfed_rates" else None
    return release_of(SOURCES[source], kind).is_public(day, HELD_UNTIL)


def _spared(source: str, fmt: str, query: Mapping[str, str]) -> bool:
    """FRED faults hit the target series' observations only (not the API's units request): the batch keeps every
    other series."""
    if source != "fred":
        return False
    series = query.get("id") or query.get("series_id")
    return series != TARGETS["fred"] or (fmt == "fred_api" and "observation_end" not in query)


def _row_fault(edit: Callable[[str, Rows], None]) -> Fault:
    """A fault that edits the parsed rows of the body and re-serialises them in the same wire format."""

    def fault(source: str, fmt: str, query: Mapping[str, str], body: bytes) -> tuple[int, bytes]:
        if _spared(source, fmt, query):
            return 200, body
        rows = Rows(fmt, body)
        edit(source, rows)
        return 200, rows.dump()

    return fault


def _body_fault(make: Callable[[str, bytes], bytes]) -> Fault:
    def fault(source: str, fmt: str, query: Mapping[str, str], body: bytes) -> tuple[int, bytes]:
        if _spared(source, fmt, query):
            return 200, body
        return 200, make(fmt, body)

    return fault


# ------------------------------------------------------------------------------------------------------ the faults
def _truncated(fmt: str, body: bytes) -> bytes:
    """The connection dropped: the body stops mid-way (mid-line, mid-JSON)."""
    cut = body[: len(body) * 6 // 10]
    return cut[:-3] if cut.endswith(b"\n") else cut


_RENAMED = {
    "fredgraph": ("observation_date", "period"),
    "rates_csv": ("Rate (%)", "Rate Percent"),
    "cftc_zip": ("Report_Date_as_YYYY-MM-DD", "Report_Date"),
    "fred_api": ('"date"', '"obs_date"'),
    "rp_json": ('"operationDate"', '"opDate"'),
    "fiscal_json": ('"record_date"', '"record_dt"'),
}


def _renamed(fmt: str, body: bytes) -> bytes:
    """The provider renamed a column the parser needs."""
    old, new = _RENAMED[fmt]
    if fmt == "cftc_zip":
        member, text = _unzip(body)
        return _zip(member, text.replace(old.encode(), new.encode()))
    text = body.decode()
    if fmt == "fiscal_json" and '"account_type"' not in text:
        old, new = '"auction_date"', '"auction_dt"'
    return text.replace(old, new).encode()


def _no_rows(source: str, rows: Rows) -> None:
    """A 200 with no rows at all: header-only CSV, `data: []`, `operations: []`, `observations: []` (for FRED: the
    target series' answer; the batch keeps the other series)."""
    rows.rows, rows.tail = [], []


def _date_format(source: str, rows: Rows) -> None:
    """Dates arrive in another format (ISO <-> US) than the source documents."""
    for row in rows.rows:
        day = rows.day(row)
        if rows.fmt == "fredgraph":
            row[0] = day.strftime("%m/%d/%Y")
        elif rows.fmt == "cftc_zip":
            row[CFTC_DATE] = day.strftime("%m/%d/%Y")
        elif rows.fmt == "rates_csv":
            row[0] = day.isoformat()
        else:
            key = {"fred_api": "date", "rp_json": "operationDate"}.get(
                rows.fmt, "record_date" if source == "dts" else "auction_date"
            )
            row[key] = day.strftime("%m/%d/%Y")


def _held_value_null(source: str, rows: Rows) -> None:
    """The newest held value comes back missing ('.' / '' / "null" / null)."""
    row = rows.held_targets(source, with_value=True)[0]
    row[rows.value_field(source)] = {
        "fredgraph": "",
        "rates_csv": "",
        "fred_api": ".",
        "rp_json": None,
        "cftc_zip": ".",
    }.get(rows.fmt, "null")


def _newest_missing(source: str, rows: Rows) -> None:
    """The two newest held rows are gone while newer rows still arrive."""
    dropped = {id(r) for r in rows.held_targets(source)[:2]}
    rows.rows = [r for r in rows.rows if id(r) not in dropped]


def _ends_early(source: str, rows: Rows) -> None:
    """The series stops a week before what is held, on a perfectly plausible last value (a week before its newest
    held row when that is older than HELD_UNTIL's week: the CFTC's recorded 2025 file ends with 2025-04-29)."""
    newest = rows.day(rows.held_targets(source)[0])
    cutoff = min(HELD_UNTIL, newest) - timedelta(days=7)
    rows.rows = [r for r in rows.rows if not (rows.in_target(source, r) and rows.day(r) > cutoff)]


def _revised(source: str, rows: Rows) -> None:
    """A held value is revised by a small, plausible amount (a revision, not an error)."""
    row = rows.held_targets(source, with_value=True)[0]
    field = rows.value_field(source)
    if rows.fmt in ("fredgraph", "fred_api"):
        row[field] = f"{float(row[field]) * 1.001:.4f}"
    elif rows.fmt == "rates_csv":
        row[field] = f"{float(row[field]) + 0.01:.2f}"  # the recorded SOFR rows carry no percentiles to cross
    elif rows.fmt == "rp_json":
        row["totalAmtSubmitted"] += 1_000_000
    elif rows.fmt == "cftc_zip":  # a concentration ratio: in no sum rule (positions partition open interest exactly)
        row[CFTC_CONCENTRATION] = f"{float(row[CFTC_CONCENTRATION]) + 0.1:.1f}"
    elif source == "dts":
        row[field] = str(int(row[field]) + 7)
    else:
        row["offering_amt"] = str(int(float(row["offering_amt"])) + 1_000_000)


FAULTS: dict[str, Fault] = {
    "truncated": _body_fault(_truncated),
    "html": _body_fault(lambda fmt, body: HTML_PAGE),
    "empty_body": _body_fault(lambda fmt, body: b""),
    "no_rows": _row_fault(_no_rows),
    "renamed_column": _body_fault(_renamed),
    "date_format": _row_fault(_date_format),
    "held_value_null": _row_fault(_held_value_null),
    "newest_missing": _row_fault(_newest_missing),
    "ends_early": _row_fault(_ends_early),
    "revised": _row_fault(_revised),
}
