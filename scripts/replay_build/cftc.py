"""Replay builder for the CFTC TFF source: `cftc/fut_fin_txt_<YYYY>.zip`, one per recorded year, in the live wire
format (a zip whose one member `FinFutYY.txt` is the comma-separated yearly file).

Only the header and the six Treasury contracts' rows are kept (the recordings hold every financial market, ~2 MB a
year; the Treasury rows are ~6% of that), each line byte for byte as recorded, in recorded order. Years the
recording does not fully cover stay short: a missing week is never filled. The zip is written with a fixed member
timestamp and deflate settings, so a rebuild gives the same bytes.
"""

from __future__ import annotations

import gzip
import io
import zipfile
from pathlib import Path

# Recorded yearly file per year (../shared/data/real/cftc/tff, PROVENANCE.md there names repository and commit).
RECORDINGS: dict[int, str] = {
    2017: "cftc/tff/storrealba09/FinFut17.txt.gz",
    2018: "cftc/tff/storrealba09/FinFut18.txt.gz",
    2019: "cftc/tff/storrealba09/FinFut19.txt.gz",
    2020: "cftc/tff/storrealba09/COT_FinFutYY_2020.txt.gz",
    2021: "cftc/tff/storrealba09/FinFutYY_2021.txt.gz",
    2022: "cftc/tff/LIQiushui2427/FinFutYY_2022.txt.gz",
    2023: "cftc/tff/cloorem2/fut_fin_txt_2023.zip",
    2024: "cftc/tff/Blockstacksdottech/FinFutYY_2024H1.txt.gz",
    2025: "cftc/tff/jtrobinsonuk/FinFutYY_2025JanApr.txt.gz",
    2026: "cftc/tff/jessetusiime/FinFutYY_2026.txt.gz",
}
# The recordings' own holes (their PROVENANCE.md): kept missing.
GAPS: dict[int, str] = {
    2020: "2020-12 missing (the recording was taken in late November 2020)",
    2023: "2023-10-17..2023-12-26 missing (downloaded 2023-10-12)",
    2024: "2024-06-18..2024-12-31 missing (downloaded mid-June 2024)",
    2025: "2025-05-06..2025-12-30 missing (downloaded early May 2025); no other public recording of these weeks was "
    "found",
}
TREASURY_CODES = ("042601", "044601", "043602", "043607", "020601", "020604")
MEMBER = "FinFutYY.txt"
# A fixed timestamp for the zip member (the zip format cannot store anything before 1980).
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Field positions in a data row: the quoted market name before them never holds a comma in a Treasury row (the
# builder's test checks every kept row against the parser).
DATE_FIELD = 2  # Report_Date_as_YYYY-MM-DD
CODE_FIELD = 3  # CFTC_Contract_Market_Code


def recorded_text(real_dir: Path, rel: str) -> bytes:
    """The recorded yearly text: gunzip of a `.txt.gz`, or the one member of an original CFTC zip."""
    path = real_dir / rel
    if rel.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            return archive.read(archive.namelist()[0])
    return gzip.decompress(path.read_bytes())


def treasury_lines(text: bytes) -> tuple[bytes, list[bytes]]:
    """(header line, Treasury rows), each line with its recorded line ending, in recorded order."""
    header, *rows = text.splitlines(keepends=True)
    kept = [row for row in rows if _field(row, CODE_FIELD) in TREASURY_CODES]
    return header, kept


def _field(line: bytes, index: int) -> str:
    """One comma-separated field of a data row (the first, quoted market name holds no comma)."""
    return line.split(b",")[index].strip().decode("ascii")


def zip_bytes(text: bytes) -> bytes:
    """A deterministic zip holding `text` as FinFutYY.txt (as the CFTC serves it)."""
    info = zipfile.ZipInfo(MEMBER, date_time=ZIP_TIME)
    info.compress_type, info.external_attr, info.create_system = zipfile.ZIP_DEFLATED, 0o644 << 16, 3
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(info, text, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()


def build(real_dir: Path, out_dir: Path) -> list[dict]:
    """Write `cftc/fut_fin_txt_<YYYY>.zip` for every recorded year; one manifest entry per file."""
    (out_dir / "cftc").mkdir(parents=True, exist_ok=True)
    return [_build_year(real_dir, out_dir, year, rel) for year, rel in RECORDINGS.items()]


def _build_year(real_dir: Path, out_dir: Path, year: int, rel: str) -> dict:
    header, rows = treasury_lines(recorded_text(real_dir, rel))
    target = f"cftc/fut_fin_txt_{year}.zip"
    (out_dir / target).write_bytes(zip_bytes(header + b"".join(rows)))
    dates = sorted({_field(row, DATE_FIELD) for row in rows})
    endings = "CRLF" if header.endswith(b"\r\n") else "LF"
    notes = (
        f"Treasury rows only ({len(rows)} of the recorded file's market rows; codes {', '.join(TREASURY_CODES)}) "
        f"with the recorded header, lines byte for byte ({endings} as recorded), {len(dates)} report dates"
    )
    if year in GAPS:
        notes += f"; {GAPS[year]}"
    return {
        "file": target,
        "source": "cftc",
        "recorded_from": [rel],
        "rows": len(rows),
        "first_date": dates[0],
        "last_date": dates[-1],
        "notes": notes,
    }
