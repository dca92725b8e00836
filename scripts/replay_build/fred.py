"""Replay builder for FRED: one fredgraph.csv (`observation_date,<ID>`, ascending, blank = missing) per series."""

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CATALOG = REPO_ROOT / "warehouse" / "seeds" / "fred_series.csv"
# Recordings committed with qtwatch (recordings/PROVENANCE.md) are named from the repository root; `#COLUMN` picks one
# column of a multi-series table; a `.json` path is a FRED API `series/observations` body.
_REPO_PREFIX = "recordings/"

# Recordings per series, best first (PROVENANCE.md "Best file per series"); later ones only add missing dates.
# The fredgraph_legacy files (old billions units) are deliberately absent: they are unit-change test fixtures.
# RRPONTSYD, IORB, EFFR and WDTGAL: the keyless fredgraph downloads of 2026-09-04 (recordings/PROVENANCE.md), whole
# histories byte for byte, replace the older recordings (which they contain: the shared cassettes' notes).
RECORDINGS: dict[str, tuple[str, ...]] = {
    "WALCL": ("fred/fredgraph/qie2003/WALCL.csv",),
    "TREAST": ("fred/api_reformatted/opxie1/TREAST.csv",),
    "WSHOMCB": ("fred/api_reformatted/opxie1/WSHOMCB.csv",),
    "WSHOSHO": ("fred/api_reformatted/opxie1/WSHOSHO.csv",),
    # SOFR3 is the untouched fredgraph download (2021-06..); opxie1 (pandas) adds 1984..2021-06.
    "WRESBAL": ("fred/fredgraph/SOFR3/WRESBAL.csv", "fred/api_reformatted/opxie1/WRESBAL.csv"),
    "WTREGEN": ("fred/api_reformatted/lihaidong43/WTREGEN.csv",),
    "WDTGAL": ("recordings/fred/schhabra2003/fredgraph_WDTGAL_fetched-2026-09-04.csv",),
    "RRPONTSYD": ("recordings/fred/schhabra2003/fredgraph_RRPONTSYD_fetched-2026-09-04.csv",),
    "SOFR": ("fred/fredgraph/qie2003/SOFR.csv", "fred/fredgraph/SOFR3/SOFR.csv"),
    "IORB": ("recordings/fred/schhabra2003/fredgraph_IORB_fetched-2026-09-04.csv",),
    "EFFR": ("recordings/fred/schhabra2003/fredgraph_EFFR_fetched-2026-09-04.csv",),
    "DGS10": ("fred/fredgraph/qie2003/DGS10.csv",),
    "T10Y2Y": ("fred/fredgraph/qie2003/T10Y2Y.csv",),
    # SOFR averages and index (issue 22): no long public recording; one contiguous run each (the FRED suite refuses
    # a gap beyond a business week inside a daily series), the other real values stay in recordings/ as test evidence.
    "SOFR30DAYAVG": (
        "recordings/fred/massey007/SOFR30DAYAVG.csv",
        "recordings/nyfed/pages/sofr-avg-ind_print-page_2020-03-06_2020-04-09.csv#SOFR30DAYAVG",
    ),
    "SOFR90DAYAVG": ("recordings/nyfed/pages/sofr-avg-ind_print-page_2020-03-06_2020-04-09.csv#SOFR90DAYAVG",),
    "SOFR180DAYAVG": ("recordings/nyfed/pages/sofr-avg-ind_print-page_2020-03-06_2020-04-09.csv#SOFR180DAYAVG",),
    "SOFRINDEX": ("recordings/nyfed/pages/sofr-avg-ind_print-page_2020-03-06_2020-04-09.csv#SOFRINDEX",),
    "TLAACBW027SBOG": ("recordings/fred/pyoph/TLAACBW027SBOG.csv",),
}
# Catalog series no public recording was found for (issue 23, searched 2026-12-06): the snapshot does not serve them,
# a replay run names them in meta.loads (status partial, "not in the replay snapshot") and their marts' columns stay
# NULL. Their code path is tested on real bodies of the same endpoint and on transcribed H.4.1 tables
# (tests/fixtures/h41/).
NOT_RECORDED: dict[str, str] = {
    series: "H.4.1 Wednesday-level factor line: no committed fredgraph.csv download found in public repositories"
    for series in (
        "WRBWFRBL",
        "WTFSRFL",
        "WTFORBAFL",
        "WSHOBL",
        "WSHONBNL",
        "WSHONBIIL",
        "WSHOICL",
        "WORAL",
        "WLCFLL",
        "WCICL",
        "WLRRAL",
        "WLRRAFOIAL",
        "WLRRAOL",
    )
}
# Decimals FRED publishes for the SOFR averages (5) and index (8): a pandas float artefact
# ('1.5869799999999998') is rounded back to them; FRED's missing marker '.' becomes blank.
_DECIMALS = {"SOFR30DAYAVG": 5, "SOFR90DAYAVG": 5, "SOFR180DAYAVG": 5, "SOFRINDEX": 8}
_DATE_HEADERS = {"observation_date", "date"}
# Recorder quirks worth a line in the manifest (facts read from the recordings, see PROVENANCE.md).
_QUIRKS = {
    "SOFR30DAYAVG": "massey007's pandas re-save: FRED's '.' (holiday) kept blank, float artefacts rounded back to "
    "FRED's 5 decimals; the NY Fed page values of 2020 equal FRED's on every date (recordings/PROVENANCE.md)",
    "SOFR90DAYAVG": "NY Fed page values 2020-03-06..04-09 only (FRED mirrors them under the same dates)",
    "SOFR180DAYAVG": "NY Fed page values 2020-03-06..04-09 only (FRED mirrors them under the same dates)",
    "SOFRINDEX": "NY Fed page values 2020-03-06..04-09 only (FRED mirrors them under the same dates)",
}
# pandas writes every float with a decimal point, so an integer-valued observation became "719542.0".
_PANDAS_INT = re.compile(r"^(-?\d+)\.0$")


@dataclass
class Recording:
    """One recorded file read as text: date (ISO) -> value text ('' = missing), plus how it was recorded."""

    path: str
    values: dict[str, str]
    reformatted: bool


def catalog_series(catalog: Path = CATALOG) -> list[str]:
    """Series ids of the FRED catalog seed, in catalog order."""
    with catalog.open(newline="") as fh:
        return [row["series_id"] for row in csv.DictReader(fh)]


def _clean_value(text: str, reformatted: bool, decimals: int | None = None) -> str:
    """Value text as recorded; for pandas re-serialisations drop the float artifact '.0' ('719542.0' -> '719542')
    and round a longer float back to the series' published decimals; FRED's missing marker '.' becomes blank."""
    text = text.strip()
    if text == ".":
        return ""
    fraction = text.partition(".")[2]
    if decimals is not None and len(fraction) > decimals:
        return repr(round(float(text), decimals))
    match = _PANDAS_INT.match(text) if reformatted else None
    return match.group(1) if match else text


def _source(real_dir: Path, rel_path: str) -> Path:
    """Where a recording lives: the repository's recordings/ or the shared real-data folder."""
    return REPO_ROOT / rel_path if rel_path.startswith(_REPO_PREFIX) else real_dir / rel_path


def _read_api_json(real_dir: Path, rel_path: str, series_id: str) -> Recording:
    """A FRED API `series/observations` body: date -> value text ('.' = missing)."""
    body = json.loads(_source(real_dir, rel_path).read_text())
    values = {o["date"]: _clean_value(o["value"], False) for o in body["observations"]}
    return Recording(rel_path, values, False)


def read_recording(real_dir: Path, rel_path: str, series_id: str) -> Recording:
    """Read a two-column recording (fredgraph or pandas `date,value`) or one column of a recorded table (`#COLUMN`),
    checking its header."""
    path, _, column = rel_path.partition("#")
    if path.endswith(".json"):
        return _read_api_json(real_dir, path, series_id)
    reformatted = path.startswith("fred/api_reformatted/")
    with _source(real_dir, path).open(newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    if (len(header) != 2 and not column) or header[0].strip().lower() not in _DATE_HEADERS:
        raise ValueError(f"{rel_path}: unexpected header {header}")
    index = header.index(column) if column else 1
    if not reformatted and header[index] != series_id:
        raise ValueError(f"{rel_path}: holds {header[index]}, expected {series_id}")
    values = {row[0]: _clean_value(row[index], reformatted, _DECIMALS.get(series_id)) for row in body}
    if len(values) != len(body):
        raise ValueError(f"{rel_path}: duplicate dates")
    return Recording(rel_path, values, reformatted)


def _same(a: str, b: str) -> bool:
    """Two value texts denote the same observation (both missing, or numerically equal)."""
    if a == "" or b == "":
        return a == b
    return float(a) == float(b)


def merge(values: dict[str, str], extra: Recording) -> tuple[dict[str, str], int]:
    """Values extended by the extra recording's new dates -> (values, dates added); overlaps must agree."""
    overlap = [(d, v) for d, v in extra.values.items() if d in values]
    clashes = [f"{d}: {values[d]!r} vs {v!r}" for d, v in overlap if not _same(values[d], v)]
    if clashes:
        raise ValueError(f"{extra.path} disagrees with the better recording on {len(clashes)} dates: {clashes[:5]}")
    added = {d: v for d, v in extra.values.items() if d not in values}
    return {**values, **added}, len(added)


def render_fredgraph(series_id: str, values: dict[str, str]) -> str:
    """fredgraph.csv text: `observation_date,<ID>` header, ascending ISO dates, blank = missing, LF, final newline."""
    lines = [f"observation_date,{series_id}"] + [f"{d},{values[d]}" for d in sorted(values)]
    return "\n".join(lines) + "\n"


def _notes(series_id: str, recordings: list[Recording], added: list[int], values: dict[str, str]) -> str:
    """Human-readable account of what was converted or merged for one series."""
    best = recordings[0]
    parts = [f"best recording {best.path}"]
    if best.reformatted:
        parts.append("pandas re-serialisation rewritten as fredgraph; trailing '.0' float artifacts removed")
    else:
        parts.append("fredgraph rows as recorded")
    if series_id in _QUIRKS:
        parts.append(_QUIRKS[series_id])
    for rec, n in zip(recordings[1:], added, strict=True):
        parts.append(f"{rec.path} agrees on every overlapping date and adds {n} dates")
    parts.append(f"{sum(v == '' for v in values.values())} blank (missing) values kept blank")
    return "; ".join(parts)


def build_series(real_dir: Path, out_dir: Path, series_id: str) -> dict:
    """Write `fred/fredgraph/<ID>.csv` from the series' recordings and return its manifest entry."""
    recordings = [read_recording(real_dir, p, series_id) for p in RECORDINGS[series_id]]
    values, added = recordings[0].values, []
    for extra in recordings[1:]:
        values, n_added = merge(values, extra)
        added.append(n_added)
    rel = f"fred/fredgraph/{series_id}.csv"
    (out_dir / rel).parent.mkdir(parents=True, exist_ok=True)
    (out_dir / rel).write_text(render_fredgraph(series_id, values), newline="")
    dates = sorted(values)
    return {
        "file": rel,
        "source": "fred",
        "recorded_from": [r.path for r in recordings],
        "rows": len(dates),
        "first_date": dates[0],
        "last_date": dates[-1],
        "notes": _notes(series_id, recordings, added, values),
    }


def build(real_dir: Path, out_dir: Path) -> list[dict]:
    """Write one fredgraph CSV per catalog series under out_dir; one manifest entry per file."""
    missing = [s for s in catalog_series() if s not in RECORDINGS and s not in NOT_RECORDED]
    if missing:
        raise KeyError(f"no recording mapped for catalog series {missing}")
    write_not_recorded(out_dir)
    return [build_series(real_dir, out_dir, s) for s in catalog_series() if s in RECORDINGS]


def write_not_recorded(out_dir: Path) -> None:
    """`fred/not_recorded.json`: the catalog series the snapshot has no recording of, and why; the replay serves
    them with no observations (flows/sources/fred.py) instead of failing the demo's FRED load."""
    listed = {s: why for s, why in NOT_RECORDED.items() if s in catalog_series()}
    path = out_dir / "fred" / "not_recorded.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(listed, indent=2, sort_keys=True) + "\n")


def not_recorded() -> list[str]:
    """PROVENANCE.md lines for the catalog series the snapshot does not serve, and why."""
    return [f"- FRED `{s}`: not recorded ({why})" for s, why in NOT_RECORDED.items() if s in catalog_series()]
