"""Team mode's scheduled upkeep of the lake (DuckLake's own procedures, nothing hand-made): merge small adjacent data
files, expire snapshots older than `keep_days`, delete the files no snapshot uses. Holds the warehouse writer slot,
so it never races a run's commit; a run after it pulls the lake once (the merge is a new snapshot)."""

from __future__ import annotations

from prefect import flow, get_run_logger

from flows.settings import get_settings
from flows.writer_slot import writer_slot
from warehouse import lake_sync

FLOW_NAME = "qtwatch-lake-maintenance"
CRON = "0 3 * * 0"  # Sundays 03:00 New York: no source publishes then
KEEP_DAYS = 90  # `qtwatch sql --at-run` reaches this far back; known_on(day) needs no old snapshot


def maintain_lake(keep_days: int = KEEP_DAYS) -> dict[str, int] | None:
    """Maintain the lake QTWATCH_WAREHOUSE names (None in the single-file mode: nothing to maintain)."""
    settings = get_settings()
    target = settings.lake()
    if target is None:
        return None
    with writer_slot(settings.writer_wait_s):
        return lake_sync.maintain(target, keep_days)


@flow(name=FLOW_NAME, log_prints=False)
def lake_maintenance(keep_days: int = KEEP_DAYS) -> dict[str, int] | None:
    """Merge the lake's small files and expire its snapshots older than `keep_days` (team mode)."""
    done = maintain_lake(keep_days)
    logger = get_run_logger()
    if done is None:
        logger.info("QTWATCH_WAREHOUSE is a file, not a lake: nothing to maintain")
    else:
        logger.info(
            "lake maintained: data files %d -> %d, snapshots %d -> %d",
            done["files_before"],
            done["files_after"],
            done["snapshots_before"],
            done["snapshots_after"],
        )
    return done
