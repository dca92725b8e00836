"""OFR Short-term Funding Monitor parser: `series/timeseries?mnemonic=...` bodies -> one row per (mnemonic, date).

Wire format (OFR STFM API, https://www.financialresearch.gov/short-term-funding-monitor/api/): `series/timeseries`
returns a bare JSON list of `[date, value]` pairs (`[["2025-10-31", 4.31], ...]`, value a number or null);
`series/full` wraps the same list as `{MNEMONIC: {"timeseries": {"aggregation": [...]}, "metadata": {...}}}`.
Repo mnemonics read `REPO-{SEGMENT}_{MEASURE}_{TENOR}-{VINTAGE}`: segment DVP (cleared bilateral via FICC, incl.
sponsored), GCF (FICC's general collateral finance), TRI (tri-party); measure AR (average rate, percent), TV
(transaction volume, USD); tenor OO (overnight/open) or TOT (all tenors); vintage P (preliminary, about one business
day after the trade date) or F (final, about 3.5 months later). Both vintages are kept, each under its own mnemonic,
so a revision (F against P) is a column away, never an overwrite.

Real recorded bodies exist for the six overnight/open average rates (DVP, GCF, tri-party; P and F): excerpts from
2025-06-02 of answers the OFR sent a public pipeline in October 2026 (recordings/ofr/, recordings/PROVENANCE.md),
tested in tests/flows_tests/test_source_ofr_recordings.py and served by the replay. No recording of the total
volumes (`*_TV_TOT-*`) was found; their tests use small bodies labelled SYNTHETIC in this wire format.
"""

from __future__ import annotations

import json
import re
from typing import Any

import polars as pl

from transforms.errors import ParseError, decode_text, first_line
from transforms.schema import SchemaDict

SCHEMA: SchemaDict = {
    "date": pl.Date(),
    "mnemonic": pl.Utf8(),
    "value": pl.Float64(),
    "segment": pl.Utf8(),
    "measure": pl.Utf8(),
    "tenor": pl.Utf8(),
    "vintage": pl.Utf8(),
}
KEY: tuple[str, ...] = ("mnemonic", "date")
DATE_COLUMN = "date"
SEGMENTS = ("DVP", "GCF", "TRI")
VINTAGES = ("P", "F")
# What qtwatch asks for: each segment's overnight/open average rate and its total transaction volume, both vintages.
MNEMONICS: tuple[str, ...] = tuple(
    f"REPO-{segment}_{measure}-{vintage}"
    for segment in SEGMENTS
    for measure in ("AR_OO", "TV_TOT")
    for vintage in VINTAGES
)
_MNEMONIC = re.compile(r"REPO-(?P<segment>[A-Z0-9]+)_(?P<measure>[A-Z]+)_(?P<tenor>[A-Z0-9]+)-(?P<vintage>[PF])")


def split_mnemonic(mnemonic: str) -> dict[str, str]:
    """`REPO-DVP_AR_OO-P` -> segment DVP, measure AR, tenor OO, vintage P; ParseError for another shape."""
    found = _MNEMONIC.fullmatch(mnemonic)
    if not found:
        raise ParseError(f"OFR mnemonic {mnemonic!r} is not REPO-<segment>_<measure>_<tenor>-<P|F>")
    return found.groupdict()


def _pairs(body: Any, mnemonic: str) -> list[Any]:
    """The [date, value] list of a `series/timeseries` (bare list) or `series/full` (wrapped) body."""
    if isinstance(body, dict):
        body = (body.get(mnemonic) or {}).get("timeseries", {}).get("aggregation")
    if not isinstance(body, list) or any(not isinstance(p, list) or len(p) != 2 for p in body):
        raise ParseError(f"OFR response for {mnemonic} is not a list of [date, value] pairs")
    return body


def parse_timeseries_json(payload: bytes, mnemonic: str) -> pl.DataFrame:
    """Parse one mnemonic's `series/timeseries` (or `series/full`) body into SCHEMA rows."""
    text = decode_text(payload, f"OFR JSON for {mnemonic}")
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"expected OFR JSON for {mnemonic}, received non-JSON text: {text[:80]!r}") from exc
    pairs = _pairs(body, mnemonic)
    parts = split_mnemonic(mnemonic)
    try:
        frame = pl.DataFrame(
            {
                "date": pl.Series([str(p[0]) for p in pairs], dtype=pl.Utf8),
                "value": pl.Series([p[1] for p in pairs], dtype=pl.Float64, strict=True),
            }
        )
        frame = frame.with_columns(pl.col("date").str.slice(0, 10).str.to_date("%Y-%m-%d", strict=True))
    except (pl.exceptions.PolarsError, TypeError) as exc:
        raise ParseError(f"OFR response for {mnemonic} has a bad date or value: {first_line(exc)}") from exc
    frame = frame.with_columns(pl.lit(mnemonic).alias("mnemonic"), *(pl.lit(v).alias(k) for k, v in parts.items()))
    return frame.select(list(SCHEMA)).cast(SCHEMA).unique(KEY, keep="last", maintain_order=True).sort(KEY)
