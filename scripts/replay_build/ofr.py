"""Replay builder for the OFR Short-term Funding Monitor: one `series/timeseries` body (`[[date, value], ...]`) per
recorded mnemonic, `ofr/series_timeseries/<MNEMONIC>.json`, byte for byte the recording (recordings/PROVENANCE.md).

The recordings are excerpts (2025-06-02 to the day before the fetch) of real bodies the OFR sent
eleonorabjornberg/repo-market-model on 2026-10-02 and 2026-10-08; the mnemonics of transforms.ofr_stfm.MNEMONICS
without a recording are not in the snapshot, and the replay answers them `[]` (flows.sources.ofr_stfm.replay).
"""

import json
from pathlib import Path

from transforms.ofr_stfm import MNEMONICS

REPO_ROOT = Path(__file__).resolve().parents[2]
_DIR = "recordings/ofr/eleonorabjornberg"
# mnemonic -> recording (from the repository root); each the tail of the recorded body from 2025-06-02, with its
# opening '[' (recordings/PROVENANCE.md gives the repository, path, commit, sha256 and offset of each).
RECORDINGS: dict[str, str] = {
    "REPO-DVP_AR_OO-P": f"{_DIR}/timeseries_REPO-DVP_AR_OO-P_fetched-2026-10-02_excerpt-from-2025-06-02.json",
    "REPO-DVP_AR_OO-F": f"{_DIR}/timeseries_REPO-DVP_AR_OO-F_fetched-2026-10-02_excerpt-from-2025-06-02.json",
    "REPO-GCF_AR_OO-P": f"{_DIR}/timeseries_REPO-GCF_AR_OO-P_fetched-2026-10-08_excerpt-from-2025-06-02.json",
    "REPO-GCF_AR_OO-F": f"{_DIR}/timeseries_REPO-GCF_AR_OO-F_fetched-2026-10-08_excerpt-from-2025-06-02.json",
    "REPO-TRI_AR_OO-P": f"{_DIR}/timeseries_REPO-TRI_AR_OO-P_fetched-2026-10-08_excerpt-from-2025-06-02.json",
    "REPO-TRI_AR_OO-F": f"{_DIR}/timeseries_REPO-TRI_AR_OO-F_fetched-2026-10-08_excerpt-from-2025-06-02.json",
}
TARGET_DIR = "ofr/series_timeseries"


def target(mnemonic: str) -> str:
    """The snapshot file (relative to replay/) that answers `series/timeseries?mnemonic=<mnemonic>`."""
    return f"{TARGET_DIR}/{mnemonic}.json"


def not_recorded() -> list[str]:
    """PROVENANCE.md lines for the mnemonics qtwatch asks for that no recording holds."""
    return [
        f"- OFR `{m}`: not recorded (no committed `series/timeseries` body found in public repositories; "
        "eleonorabjornberg/repo-market-model records the overnight/open volumes `*_TV_OO-F`, not the totals; the "
        "replay answers `[]`)"
        for m in MNEMONICS
        if m not in RECORDINGS
    ]


def build(real_dir: Path, out_dir: Path) -> list[dict]:  # noqa: ARG001 - the recordings are committed with qtwatch
    """Copy each recording to `ofr/series_timeseries/`; one manifest entry per mnemonic."""
    (out_dir / TARGET_DIR).mkdir(parents=True, exist_ok=True)
    entries = []
    for mnemonic, rel in RECORDINGS.items():
        body = (REPO_ROOT / rel).read_bytes()
        pairs = json.loads(body)
        (out_dir / target(mnemonic)).write_bytes(body)
        nulls = sum(value is None for _, value in pairs)
        entries.append(
            {
                "file": target(mnemonic),
                "source": "ofr_stfm",
                "recorded_from": [rel],
                "rows": len(pairs),
                "first_date": pairs[0][0],
                "last_date": pairs[-1][0],
                "notes": f"the recorded `series/timeseries?mnemonic={mnemonic}` body from 2025-06-02 to its end, "
                f"byte for byte (its earlier pairs not copied); {nulls} null values (days the OFR publishes no "
                "rate) kept null",
            }
        )
    return entries
