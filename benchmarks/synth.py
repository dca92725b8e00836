"""SYNTHETIC scale-up for the benchmark: extra FRED series made by shifting and scaling the real recorded ones.

Everything it writes goes to a folder the caller names (a temporary one in `make bench`), never to `replay/` or a
real warehouse: a copy of the replay snapshot plus `SYNTH_<SERIES>_<k>` files, and a copy of the code whose FRED
catalog seed lists those series (same units, frequency and role as the series each one is copied from). A synthetic
series is the real one with its dates moved back k weeks (weekdays and gaps kept) and its values times 1 + k/200
(still inside the series' validation band), so every rule, parser and transform does the same work per row.
Run: python -m benchmarks.synth 4 /tmp/qtwatch-synth-x4
"""

# A command-line tool: printing is its output.
# ruff: noqa: T201

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "SYNTH_"
CODE_PACKAGES = ("flows", "transforms", "warehouse", "expectations", "qtwatch", "benchmarks")
CATALOG = Path("warehouse/seeds/fred_series.csv")


@dataclass(frozen=True)
class Extension:
    """Where the synthetic copy lives and how big it is."""

    replay_dir: Path
    code_dir: Path
    real_rows: int
    synthetic_rows: int
    synthetic_series: int

    @property
    def factor(self) -> float:
        """Total rows over the real snapshot's rows."""
        return (self.real_rows + self.synthetic_rows) / self.real_rows


def real_rows(replay_dir: Path = ROOT / "replay") -> tuple[int, int]:
    """(rows in the whole snapshot, rows in its FRED files) from replay/manifest.json."""
    manifest = json.loads((replay_dir / "manifest.json").read_text())
    total = sum(entry["rows"] for entry in manifest)
    fred = sum(entry["rows"] for entry in manifest if entry["source"] == "fred")
    return total, fred


def copies_for(factor: int, total: int, fred: int) -> int:
    """Synthetic copies of every FRED series that bring the snapshot to about `factor` x its rows."""
    return max(0, round((factor - 1) * total / fred))


def shifted_csv(text: str, series_id: str, k: int) -> str:
    """A fredgraph CSV of `series_id`: the real rows k weeks earlier, values x (1 + k/200), blanks kept blank."""
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([rows[0][0], series_id])
    scale = 1 + k / 200
    for day, value in rows[1:]:
        moved = date.fromisoformat(day) - timedelta(weeks=k)
        writer.writerow([moved.isoformat(), f"{float(value) * scale:.6g}" if value not in ("", ".") else ""])
    return out.getvalue()


def build(factor: int, dest: Path) -> Extension:
    """Write the synthetic replay copy and code copy for `factor` (1 = the real snapshot only) under `dest`."""
    dest = Path(dest)
    replay, code = dest / "replay", dest / "code"
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(ROOT / "replay", replay)
    for package in CODE_PACKAGES:
        shutil.copytree(ROOT / package, code / package, ignore=shutil.ignore_patterns("__pycache__"))
    total, fred = real_rows()
    copies = copies_for(factor, total, fred)
    catalog_path = code / CATALOG
    with open(catalog_path, newline="") as handle:
        reader = csv.DictReader(handle)
        fields, entries = reader.fieldnames, list(reader)
    added, rows = [], 0
    # a catalog series the snapshot does not record (replay/fred/not_recorded.json) has nothing to copy
    recorded = [e for e in entries if (replay / "fred/fredgraph" / f"{e['series_id']}.csv").is_file()]
    for k in range(1, copies + 1):
        for entry in recorded:
            series_id = f"{PREFIX}{entry['series_id']}_{k}"
            text = shifted_csv((replay / "fred/fredgraph" / f"{entry['series_id']}.csv").read_text(), series_id, k)
            (replay / "fred/fredgraph" / f"{series_id}.csv").write_text(text)
            rows += text.count("\n") - 1
            added.append({**entry, "series_id": series_id, "title": f"SYNTHETIC benchmark copy: {entry['title']}"})
    with open(catalog_path, "a", newline="") as handle:
        csv.DictWriter(handle, fieldnames=fields, lineterminator="\n").writerows(added)
    (dest / "README.txt").write_text(
        f"SYNTHETIC benchmark data ({PREFIX}* series), written by benchmarks/synth.py; "
        "not real observations. Safe to delete.\n"
    )
    return Extension(replay, code, total, rows, len(added))


if __name__ == "__main__":
    built = build(int(sys.argv[1]), Path(sys.argv[2]))
    print(
        f"x{built.factor:.2f}: {built.synthetic_series} synthetic series, {built.synthetic_rows:,} synthetic rows "
        f"+ {built.real_rows:,} real rows -> {built.replay_dir}"
    )
