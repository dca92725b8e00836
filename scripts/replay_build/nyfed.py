"""Replay builder for the NY Fed: `nyfed/rates_all.csv` (rates CSV download) and `nyfed/rp_operations.json.gz`
(`{"repo":{"operations":[...]}}`, one object per recorded operation row, amounts in USD)."""

import ast
import csv
import gzip
import io
import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

RATES_CSV = "nyfed/r0pc/reference_rates_all_2026.csv"
RATES_PIVOT = "nyfed/Jaggerxtrm/nyfed_reference_rates.csv"
# SOFR search 2025-09-01..2026-09-18 with percentiles and volumes (cassettes/PROVENANCE.md, A-file by SHA-256).
SOFR_SEARCH = "cassettes/nyfed/rates_secured_sofr_search_2025-09-01_2026-09-18_fetched-2026-09-18.json"
# rates/all/search.csv columns filled from a search.json row (the others empty: not sent for SOFR).
_SEARCH_COLUMNS = (
    "percentRate",
    "percentPercentile1",
    "percentPercentile25",
    "percentPercentile75",
    "percentPercentile99",
    "volumeInBillions",
)
RRP_OPS = "nyfed/Jaggerxtrm/nyfed_rrp_ops.csv"
REPO_OPS = "nyfed/Jaggerxtrm/nyfed_repo_ops.csv"

# Pivot column -> rate type, in the order the CSV download lists types within a date.
PIVOT_TYPES = {"EFFR_Rate": "EFFR", "OBFR_Rate": "OBFR", "TGCR_Rate": "TGCR", "BGCR_Rate": "BGCR", "SOFR_Rate": "SOFR"}
_PANDAS_INT = re.compile(r"^(-?\d+)\.0$")

# Recorded columns that are not API fields: the pandas index and the recorder's derived series.
_DROPPED = {"date", "repo_change", "ma5_repo", "ma20_repo"}
_INT_FIELDS = {
    "termCalenderDays",
    "participatingCpty",
    "acceptedCpty",
    "operationLimit",
    "totalAmtSubmitted",
    "totalAmtAccepted",
}
_DATE_FIELDS = {"operationDate", "settlementDate", "maturityDate"}
_LIST_FIELDS = {"details", "propositions"}
# On a day whose operations the recorder summed, these are sums or concatenations without meaning for one record.
_MEANINGLESS_WHEN_MERGED = {
    "termCalenderDays",
    "operationLimit",
    "participatingCpty",
    "acceptedCpty",
    "releaseTime",
    "closeTime",
    "lastUpdated",
}
# String fields whose concatenation is a repetition of one value when the day's operations agree.
_REPEATED_STRINGS = {"auctionStatus", "operationType", "operationMethod", "settlementType", "term"}
_PART_WIDTH = {"operationDate": 10, "settlementDate": 10, "maturityDate": 10}


def _date_range(iso_dates: list[str]) -> tuple[str, str]:
    """(first, last) of ISO date strings."""
    return min(iso_dates), max(iso_dates)


# ---------------------------------------------------------------- reference rates CSV


def _us_date(iso: str) -> str:
    """ISO date -> the download's MM/DD/YYYY."""
    return date.fromisoformat(iso).strftime("%m/%d/%Y")


def _iso(us: str) -> str:
    """MM/DD/YYYY -> ISO date."""
    return datetime.strptime(us, "%m/%d/%Y").date().isoformat()


def _pivot_rows(real_dir: Path, n_columns: int) -> list[list[str]]:
    """The Jaggerxtrm pivot as download rows: date, type, rate; every other column empty (not recorded)."""
    rows = []
    with (real_dir / RATES_PIVOT).open(newline="") as fh:
        for record in csv.DictReader(fh):
            for column, rate_type in PIVOT_TYPES.items():
                rate = record[column].strip()
                if rate:  # a blank cell is a type not published that day (e.g. SOFR on Good Friday): no row
                    match = _PANDAS_INT.match(rate)
                    rows.append(
                        [_us_date(record["date"]), rate_type, match.group(1) if match else rate]
                        + [""] * (n_columns - 3)
                    )
    return rows


def _read_download(real_dir: Path) -> tuple[list[str], list[str], str]:
    """(header line, data lines, trailing all-comma line) of the recorded CSV download, lines as recorded."""
    lines = (real_dir / RATES_CSV).read_text().splitlines()
    header, body = lines[0], lines[1:]
    trailer = body.pop() if body and set(body[-1]) == {","} else "," * header.count(",")
    return header, body, trailer


def _search_rows(real_dir: Path, n_columns: int) -> list[list[str]]:
    """The SOFR search.json rows as download rows: date, SOFR, rate, 1st/25th/75th/99th percentiles, volume, then
    empty target-range/intraday/std-dev/average columns, the revision indicator, an empty footnote."""
    body = json.loads((real_dir / SOFR_SEARCH).read_text())
    rows = []
    for r in body["refRates"]:
        values = [_us_date(r["effectiveDate"]), r["type"], *(str(r[k]) for k in _SEARCH_COLUMNS)]
        rows.append(values + [""] * (n_columns - len(values) - 2) + [r.get("revisionIndicator", ""), ""])
    return rows


def _check_agrees(rows: list[list[str]], body: list[str]) -> None:
    """Search rows on a date the download also holds must carry the same rate and percentiles."""
    held = {(r[0], r[1]): r[2:7] for r in csv.reader(body)}
    clashes = [
        r[:2]
        for r in rows
        if (r[0], r[1]) in held and [float(x) for x in held[r[0], r[1]] if x] != [float(x) for x in r[2:7] if x]
    ]
    if clashes:
        raise ValueError(f"{SOFR_SEARCH} disagrees with {RATES_CSV} on {clashes[:5]}")


def build_rates(real_dir: Path, out_dir: Path) -> dict:
    """Write `nyfed/rates_all.csv`: the recorded download, the SOFR search (percentiles and volumes) where the download
    lacks the date, then the pivot's rates where neither has it, newest first."""
    header, body, trailer = _read_download(real_dir)
    n_columns = header.count(",") + 1
    keys = {(row[0], row[1]) for row in csv.reader(body)}
    search = _search_rows(real_dir, n_columns)
    _check_agrees(search, body)
    searched = [r for r in search if (r[0], r[1]) not in keys]  # recorded download wins
    keys |= {(r[0], r[1]) for r in searched}
    extra = [r for r in _pivot_rows(real_dir, n_columns) if (r[0], r[1]) not in keys]
    lines = [(_iso(line.split(",", 1)[0]), line) for line in body]
    lines += [(_iso(r[0]), ",".join(r)) for r in searched + extra]
    lines.sort(key=lambda pair: pair[0], reverse=True)  # stable: keeps the download's type order within a date
    rel = "nyfed/rates_all.csv"
    (out_dir / rel).parent.mkdir(parents=True, exist_ok=True)
    (out_dir / rel).write_text("\n".join([header, *(line for _, line in lines), trailer]) + "\n", newline="")
    first, last = _date_range([d for d, _ in lines])
    return {
        "file": rel,
        "source": "nyfed_rates",
        "recorded_from": [RATES_CSV, SOFR_SEARCH, RATES_PIVOT],
        "rows": len(lines),
        "first_date": first,
        "last_date": last,
        "notes": f"{len(body)} rows of the recorded download as is; {len(searched)} SOFR rows of the SOFR search "
        f"download (rate, percentiles, volume as sent; {len(search) - len(searched)} dates the download also holds, "
        f"equal there, left to it); {len(extra)} rows re-expressed from the {RATES_PIVOT} pivot (rate only: "
        f"percentiles, volume, target range, revision indicator lost; blank pivot cells give no row; pandas '.0' "
        f"removed); {len(_pivot_rows(real_dir, n_columns)) - len(extra)} pivot rows overlapped and were dropped",
    }


# ---------------------------------------------------------------- repo / reverse repo operations JSON


def _n_operations(record: dict[str, str]) -> int:
    """How many API operations the recorder merged into this row (operation ids are 'RP mmddyy n')."""
    return max(1, record["operationId"].count("RP "))


def _collapse(value: str, n_ops: int, width: int | None) -> str | None:
    """A concatenation of n identical parts -> that part; parts that differ -> None (meaningless)."""
    if n_ops == 1:
        return value
    size = width if width else (len(value) // n_ops if len(value) % n_ops == 0 else 0)
    parts = {value[i : i + size] for i in range(0, len(value), size)} if size else set()
    return parts.pop() if len(parts) == 1 else None


def _list_field(text: str) -> list | None:
    """A Python-repr list (`[{'a': 1}]`) back to a list; '0' or '' (pandas sum/fill of a missing list) -> None."""
    if text in ("", "0"):
        return None
    value = ast.literal_eval(text)
    if not isinstance(value, list):
        raise ValueError(f"expected a list repr, got {text[:60]!r}")
    return value


def _int_field(text: str) -> int | None:
    """Integer text ('1579526000000' or pandas '500000000000.0') -> int; blank -> None."""
    if text == "":
        return None
    match = _PANDAS_INT.match(text)
    return int(match.group(1) if match else text)  # any other fraction raises: amounts are whole dollars


def _field(name: str, text: str, n_ops: int) -> Any:
    """One recorded CSV cell -> its JSON value, undoing the recorder's serialisation where it is lossless."""
    if n_ops > 1 and name in _MEANINGLESS_WHEN_MERGED:
        return None
    if name in _LIST_FIELDS:
        return _list_field(text)
    if name in _INT_FIELDS:
        return _int_field(text)
    if name in _DATE_FIELDS or name in _REPEATED_STRINGS:
        return _collapse(text, n_ops, _PART_WIDTH.get(name))
    return text


def operation_from_record(record: dict[str, str]) -> dict[str, Any]:
    """One recorded row -> one API operation object (field order as recorded, derived columns dropped)."""
    n_ops = _n_operations(record)
    op = {name: _field(name, text, n_ops) for name, text in record.items() if name not in _DROPPED}
    if op["operationDate"] != record["date"]:
        raise ValueError(f"{record['operationId']}: operationDate {op['operationDate']} != index {record['date']}")
    return op


def read_operations(real_dir: Path, rel_path: str) -> list[dict[str, Any]]:
    """All operation objects of one recorded pandas CSV."""
    with (real_dir / rel_path).open(newline="") as fh:
        return [operation_from_record(record) for record in csv.DictReader(fh)]


def _gzip_json(obj: Any) -> bytes:
    """Deterministic gzip -9 of compact JSON (mtime 0, so the bytes depend only on the content)."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
        gz.write(json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode())
    return buffer.getvalue()


def build_operations(real_dir: Path, out_dir: Path) -> dict:
    """Write `nyfed/rp_operations.json.gz` from the recorded RRP and repo rows, newest first."""
    rrp, repo = read_operations(real_dir, RRP_OPS), read_operations(real_dir, REPO_OPS)
    operations = sorted(
        rrp + repo, key=lambda op: (op["operationDate"], op["operationType"], op["operationId"]), reverse=True
    )
    rel = "nyfed/rp_operations.json.gz"
    (out_dir / rel).parent.mkdir(parents=True, exist_ok=True)
    (out_dir / rel).write_bytes(_gzip_json({"repo": {"operations": operations}}))
    merged = [op for op in operations if op["operationId"].count("RP ") > 1]
    first, last = _date_range([op["operationDate"] for op in operations])
    return {
        "file": rel,
        "source": "nyfed_repo",
        "recorded_from": [RRP_OPS, REPO_OPS],
        "rows": len(operations),
        "first_date": first,
        "last_date": last,
        "notes": _operations_notes(rrp, repo, merged),
    }


def _operations_notes(rrp: list[dict], repo: list[dict], merged: list[dict]) -> str:
    """What the operations file holds and what the recorder's day-grouping lost."""
    no_props = sum(op.get("propositions") is None for op in rrp)
    return (
        f"{len(rrp)} reverse repo + {len(repo)} repo records, one per recorded row; details/propositions turned "
        f"from Python repr back into JSON lists; index 'date' and derived repo_change/ma5_repo/ma20_repo dropped. "
        f"{len(merged)} records are days the recorder summed several operations into one row "
        f"({sum(op['operationType'] == 'Repo' for op in merged)} repo, "
        f"{sum(op['operationType'] == 'Reverse Repo' for op in merged)} reverse repo): operationId kept concatenated, "
        f"amounts are the day's sums as recorded, details/propositions the concatenated lists, repeated strings "
        f"collapsed to one value (null where the parts differ, e.g. 'TermOvernight'); termCalenderDays, "
        f"operationLimit, participatingCpty, acceptedCpty (sums), releaseTime, closeTime, lastUpdated "
        f"(concatenations) set to null. {no_props} reverse repo records had propositions recorded as 0 "
        f"(missing list): null. Repo records carry no participatingCpty/acceptedCpty (not recorded)."
    )


def build(real_dir: Path, out_dir: Path) -> list[dict]:
    """Write the NY Fed replay files under out_dir; one manifest entry per file."""
    return [build_rates(real_dir, out_dir), build_operations(real_dir, out_dir)]
