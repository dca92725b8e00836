"""Build the bundled replay snapshot (replay/) from the real recorded data in ../shared/data/real.

Usage: python -m scripts.build_replay [--real-dir DIR] [--out DIR]
Each source's data is written in the wire format of its live request; replay/manifest.json lists every file with
its sha256, rows and date range; replay/PROVENANCE.md says where each file came from and what the recording lost.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from scripts.replay_build import cftc, fiscal, fred, nyfed, nyfed_pd, ofr

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REAL = ROOT.parent / "shared" / "data" / "real"
BUILDERS = (fred, nyfed, fiscal, cftc, nyfed_pd, ofr)


def build_all(real_dir: Path, out_dir: Path) -> list[dict]:
    """Run every builder, then write manifest.json and PROVENANCE.md; returns the manifest entries."""
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = [entry for builder in BUILDERS for entry in builder.build(real_dir, out_dir)]
    for entry in entries:
        entry["sha256"] = hashlib.sha256((out_dir / entry["file"]).read_bytes()).hexdigest()
        entry["bytes"] = (out_dir / entry["file"]).stat().st_size
    (out_dir / "manifest.json").write_text(json.dumps(entries, indent=2, sort_keys=True) + "\n")
    (out_dir / "PROVENANCE.md").write_text(provenance(entries))
    return entries


def provenance(entries: list[dict]) -> str:
    """PROVENANCE.md: one table row per snapshot file, then the notes on what was converted or lost."""
    lines = [
        "# Replay snapshot provenance",
        "",
        "Built by `python -m scripts.build_replay` from `../shared/data/real` (real recordings of FRED, Treasury",
        "Fiscal Data, NY Fed Markets and CFTC responses, collected from public repositories; see that folder's",
        "PROVENANCE.md for the repository, path and commit of every recording) and from `recordings/` (committed",
        "with qtwatch, among them the OFR Short-term Funding Monitor bodies; see recordings/PROVENANCE.md). Each",
        "file below is in the wire",
        "format of the live request qtwatch makes (docs/CONTRACTS.md). Values are kept as recorded; a value a",
        "recording lost is missing here (never guessed). Rebuilding gives byte-identical files (sha256 in",
        "manifest.json).",
        "",
        "| file | source | rows | first | last | bytes | recorded from |",
        "|---|---|---|---|---|---|---|",
    ]
    for e in entries:
        lines.append(
            f"| `{e['file']}` | {e['source']} | {e['rows']:,} | {e['first_date']} | {e['last_date']} | "
            f"{e['bytes']:,} | {', '.join(f'`{p}`' for p in e['recorded_from'])} |"
        )
    lines += ["", "## Notes per file", ""]
    lines += [f"- `{e['file']}`: {e['notes']}" for e in entries if e.get("notes")]
    lines += ["", "## Not recorded", "", *fred.not_recorded(), *ofr.not_recorded()]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real-dir", type=Path, default=DEFAULT_REAL)
    parser.add_argument("--out", type=Path, default=ROOT / "replay")
    args = parser.parse_args()
    if not args.real_dir.is_dir():
        parser.error(f"recorded data not found at {args.real_dir}")
    entries = build_all(args.real_dir, args.out)
    total = sum(e["bytes"] for e in entries)
    print(f"wrote {len(entries)} files, {total / 1e6:.2f} MB, to {args.out}")  # noqa: T201 - a script's output


if __name__ == "__main__":
    main()
