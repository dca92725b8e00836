"""What the replay snapshot's manifest says about the snapshot as a whole: the day a replay run stands on."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path


class SnapshotError(ValueError):
    """The replay folder has no readable manifest.json (not a replay snapshot, or not installed with this copy)."""


def source_last_days(root: Path) -> dict[str, date]:
    """Each source's last recorded day in the snapshot at `root` (the latest `last_date` of its files)."""
    path = Path(root) / "manifest.json"
    try:
        entries = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise SnapshotError(
            f"no replay snapshot at {Path(root)} ({type(exc).__name__}: manifest.json not readable); "
            "run from a checkout of qtwatch or set QTWATCH_REPLAY_DIR to its replay/ folder"
        ) from None
    days: dict[str, date] = {}
    for entry in entries:
        last = date.fromisoformat(entry["last_date"])
        days[entry["source"]] = max(last, days.get(entry["source"], last))
    if not days:
        raise SnapshotError(f"{path} lists no files")
    return days


def snapshot_as_of(root: Path) -> date:
    """The default as-of of a replay run: the latest day that more than half of the sources' recordings reach.

    Replaying as of today would make every source look months stale; as of the very last recorded day the sources
    whose recordings end weeks earlier would. The majority day keeps most sources fresh and shows each source only
    what had been published by then (a source whose recording stops earlier is honestly stale)."""
    days = sorted(source_last_days(root).values(), reverse=True)
    return days[len(days) // 2]
