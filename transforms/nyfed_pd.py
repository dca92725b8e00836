"""NY Fed Primary Dealer Statistics (FR 2004) parser: `pd/get/{KEYIDS}.json`, `pd/get/asof/{DATE}.json` and
`pd/latest/{SERIESBREAK}.json` bodies -> one row per (key id, as-of Wednesday), $ millions.

Wire format (recorded: tests/fixtures/nyfed/README.md): `{"pd": {"timeseries": [{"asofdate": "2022-01-05", "keyid":
"PDPOSGS-B", "value": "26991"}, ...]}}`; every value is a string in $ millions and `"*"` marks a suppressed week
(a cell the NY Fed withholds): landed as NULL with `suppressed` true, never as 0. The FR 2004 changed its items at
each series break, and the key ids with it; every row carries the `series_break` (era) of its as-of date, so two
definitions are never joined silently.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import polars as pl

from transforms.errors import ParseError, decode_text, first_line
from transforms.schema import SchemaDict

SCHEMA: SchemaDict = {
    "as_of_date": pl.Date(),
    "keyid": pl.Utf8(),
    "value_mn": pl.Float64(),
    "suppressed": pl.Boolean(),
    "series_break": pl.Utf8(),
}
KEY: tuple[str, ...] = ("keyid", "as_of_date")
DATE_COLUMN = "as_of_date"
SUPPRESSED = "*"

# Series breaks of the FR 2004 since its 2013 redesign (first and last as-of Wednesday of each era). Sources: the
# NY Fed Markets API `pd/list/seriesbreaks.json` (label, startdate, enddate; SBN2024 from 2024-07-03 per
# shared/docs/domain.md); the recorded `pd/get` bodies confirm SBN2022's start: PDPOSGSC-G11L21 and -G21 (coupons
# 11-21 and >21 years) begin on 2022-01-05 (tests/fixtures/nyfed/pd_get_16-keyids_*.json).
SERIES_BREAKS: tuple[tuple[str, date, date], ...] = (
    ("SBN2013", date(2013, 4, 1), date(2014, 12, 31)),
    ("SBN2015", date(2015, 1, 1), date(2022, 1, 4)),
    ("SBN2022", date(2022, 1, 5), date(2024, 7, 2)),
    ("SBN2024", date(2024, 7, 3), date(9999, 12, 31)),
)
KNOWN_BREAKS = tuple(name for name, _, _ in SERIES_BREAKS)

# The key ids qtwatch lands: (kind, bucket) per key id. Positions are net (long minus short), $ millions, market
# value. PDPOSGST-TOT is the published total: bills + FRNs + coupon buckets + TIPS buckets in every week since
# 2013-04-03 (checked by a public project on 704 weeks; the mart recomputes it and says when a part is missing).
KEYIDS: dict[str, tuple[str, str]] = {
    "PDPOSGST-TOT": ("net_position", "total"),
    "PDPOSGS-B": ("net_position", "bills"),
    "PDPOSGS-BFRN": ("net_position", "frn"),  # from 2015-01-07 (SBN2015)
    "PDPOSGSC-L2": ("net_position", "coupons_le2y"),
    "PDPOSGSC-G2L3": ("net_position", "coupons_2_3y"),
    "PDPOSGSC-G3L6": ("net_position", "coupons_3_6y"),
    "PDPOSGSC-G6L7": ("net_position", "coupons_6_7y"),
    "PDPOSGSC-G7L11": ("net_position", "coupons_7_11y"),
    "PDPOSGSC-G11": ("net_position", "coupons_gt11y"),  # SBN2013, SBN2015 only
    "PDPOSGSC-G11L21": ("net_position", "coupons_11_21y"),  # from SBN2022
    "PDPOSGSC-G21": ("net_position", "coupons_gt21y"),  # from SBN2022
    "PDPOSTIPS-L2": ("net_position", "tips_le2y"),
    "PDPOSTIPS-G2": ("net_position", "tips_2_6y"),
    "PDPOSTIPS-G6L11": ("net_position", "tips_6_11y"),
    "PDPOSTIPS-G11": ("net_position", "tips_gt11y"),
    "PDSORA-UTSETTOT": ("financing", "securities_out_repo"),
    "PDSIRRA-UTSETTOT": ("financing", "securities_in_reverse_repo"),
    "PDSIOSB-UTSETTOT": ("financing", "securities_in_borrowed"),
    "PDSOOS-UTSETTOT": ("financing", "securities_out_lent"),
    "PDFTD-USTET": ("fails", "fails_to_deliver"),
    "PDFTR-USTET": ("fails", "fails_to_receive"),
    "PDGSWOEXTTOT": ("transactions", "ust_ex_tips_volume"),
}


def series_break_of(day: date) -> str | None:
    """The FR 2004 series break (era) in force on an as-of date, or None before the 2013 redesign."""
    return next((name for name, first, last in SERIES_BREAKS if first <= day <= last), None)


def _era_expr() -> pl.Expr:
    """`series_break` from `as_of_date` by SERIES_BREAKS (NULL before 2013-04-01)."""
    expr = pl.lit(None, dtype=pl.Utf8)
    for name, first, last in reversed(SERIES_BREAKS):
        expr = pl.when(pl.col("as_of_date").is_between(first, last)).then(pl.lit(name)).otherwise(expr)
    return expr


def _observations(payload: bytes) -> list[Any]:
    """The `pd.timeseries` list of a body; ParseError naming what is wrong otherwise."""
    text = decode_text(payload, "NY Fed primary dealer JSON")
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"expected NY Fed primary dealer JSON, received non-JSON text: {text[:80]!r}") from exc
    rows = body.get("pd", {}).get("timeseries") if isinstance(body, dict) else None
    if not isinstance(rows, list):
        raise ParseError("NY Fed primary dealer JSON has no pd.timeseries list")
    return rows


def _row(item: Any) -> dict[str, Any]:
    """One observation object -> asofdate, keyid, value text (checked present)."""
    if not isinstance(item, dict) or any(item.get(k) in (None, "") for k in ("asofdate", "keyid")):
        raise ParseError(f"NY Fed primary dealer observation lacks asofdate or keyid: {str(item)[:120]}")
    value = item.get("value")
    return {"as_of_date": item["asofdate"], "keyid": item["keyid"], "value": None if value is None else str(value)}


def parse_pd_json(payload: bytes) -> pl.DataFrame:
    """Parse a `pd/get` (or `pd/get/asof`, `pd/latest`) body into SCHEMA: one row per (keyid, as-of date)."""
    rows = [_row(item) for item in _observations(payload)]
    frame = pl.DataFrame(rows, schema={"as_of_date": pl.Utf8, "keyid": pl.Utf8, "value": pl.Utf8}, orient="row")
    value = pl.col("value").str.strip_chars()
    try:
        frame = frame.with_columns(
            pl.col("as_of_date").str.to_date("%Y-%m-%d", strict=True),
            (value == SUPPRESSED).fill_null(False).alias("suppressed"),
            pl.when(value == SUPPRESSED)
            .then(None)
            .otherwise(value.str.replace_all(",", ""))
            .cast(pl.Float64, strict=True)
            .alias("value_mn"),
        )
    except pl.exceptions.PolarsError as exc:
        raise ParseError(f"NY Fed primary dealer JSON has an unparseable date or value: {first_line(exc)}") from exc
    frame = frame.with_columns(_era_expr().alias("series_break"))
    return frame.select(list(SCHEMA)).cast(SCHEMA).unique(KEY, keep="last", maintain_order=True).sort(KEY)


def unknown_keyids(frame: pl.DataFrame) -> list[str]:
    """Key ids in a parsed frame that qtwatch does not model (kept in raw as sent; worth one log line)."""
    return sorted(set(frame["keyid"].unique().to_list()) - set(KEYIDS))
