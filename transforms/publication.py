"""When each row of a batch became public: its source's release rule (transforms/registry.py) applied per row.

The rule of a row is its kind's (a FRED series' catalog `release`, a NY Fed rate type) or else the source's; an
auction announced but not yet held was public on its announcement date; a repo operation's own close time replaces
the rule's time of day. Times are New York wall-clock, returned as UTC instants (raw.*.published_at).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl

from transforms.registry import Release, Source, release_of

PUBLISHED_AT = pl.Datetime("us", "UTC")


def row_kinds(frame: pl.DataFrame, source: Source, catalog: pl.DataFrame | None = None) -> pl.Series:
    """Each row's release kind: the dataset's own `group_release_column`, else the groups table's, joined on the
    group column (FRED series -> ref.fred_series.release); null where neither says."""
    column = source.group_release_column
    if column is None:
        return pl.repeat(None, frame.height, dtype=pl.Utf8, eager=True).alias("kind")
    if column in frame.columns:
        return frame[column].cast(pl.Utf8).alias("kind")
    group = source.dataset.group_column
    if catalog is None or group is None or column not in catalog.columns:
        return pl.repeat(None, frame.height, dtype=pl.Utf8, eager=True).alias("kind")
    lookup = catalog.select(pl.col(group).cast(pl.Utf8), pl.col(column).cast(pl.Utf8).alias("kind"))
    return frame.select(pl.col(group).cast(pl.Utf8)).join(lookup, on=group, how="left", maintain_order="left")["kind"]


def published_at(frame: pl.DataFrame, source: Source, catalog: pl.DataFrame | None = None) -> pl.Series:
    """The instant (UTC) each row of `frame` was published under its release rule; the rule's own dates need only
    the dataset's date column (plus the announcement and row-time columns the rule names)."""
    inputs = _rule_inputs(frame, source, catalog)
    unique = inputs.unique()
    stamps = [
        _published(release_of(source, kind), observed, announced, hhmm)
        for kind, observed, announced, hhmm in unique.iter_rows()
    ]
    unique = unique.with_columns(published_at=pl.Series(stamps, dtype=PUBLISHED_AT))
    joined = inputs.join(unique, on=list(inputs.columns), how="left", nulls_equal=True, maintain_order="left")
    return joined["published_at"]


def _rule_inputs(frame: pl.DataFrame, source: Source, catalog: pl.DataFrame | None) -> pl.DataFrame:
    """Per row: (kind, observation date, announcement date when results are still missing, own time of day)."""
    release = source.release
    announced = pl.lit(None, pl.Date)
    if release.announced and release.announced[0] in frame.columns:
        results, announcement = release.announced
        announced = pl.when(pl.col(results).is_null()).then(pl.col(announcement)).otherwise(None)
    hhmm = pl.col(release.row_time) if release.row_time in frame.columns else pl.lit(None, pl.Utf8)
    return frame.select(
        kind=row_kinds(frame, source, catalog),
        observed=pl.col(source.dataset.date_column).cast(pl.Date),
        announced=announced.cast(pl.Date),
        hhmm=hhmm.cast(pl.Utf8),
    )


def _published(release: Release, observed: date | None, announced: date | None, hhmm: str | None):
    if observed is None:
        return None
    day = announced if announced is not None else observed
    # an own time that is not HH:MM (a recorder's concatenation) says nothing: keep the rule's
    own = hhmm if hhmm and len(hhmm) == 5 and hhmm[2] == ":" else None
    return release.published_at(day, own).astimezone(UTC)


def with_published_at(
    frame: pl.DataFrame, source: Source, catalog: pl.DataFrame | None = None, *, fetched_at: datetime | None = None
) -> pl.DataFrame:
    """`frame` with `published_at`: the rule's time per row; for a live fetch (`fetched_at` given) never later than
    the fetch (we held it then, whatever the rule says). A `published_at` the fetcher set (ALFRED vintages) wins."""
    rule = published_at(frame, source, catalog) if not frame.is_empty() else pl.Series([], dtype=PUBLISHED_AT)
    if fetched_at is not None:
        rule = pl.select(pl.min_horizontal(rule, pl.lit(fetched_at.astimezone(UTC), PUBLISHED_AT))).to_series()
    stamped = rule.alias("published_at")
    if "published_at" in frame.columns:
        stamped = frame["published_at"].cast(PUBLISHED_AT).fill_null(stamped)
    return frame.with_columns(stamped)
