"""The report's Reserves section: three panels from the marts, a panel without recorded inputs says so in its
title, and a warehouse without these marts gets the section's note."""

import datetime as dt

import duckdb
import polars as pl
import pytest

from qtwatch import report, report_reserves
from transforms.reserves import SCHEMA
from warehouse.db import apply_schema, load_seeds

EMPTY = {key: pl.DataFrame() for key in ("runoff", "regimes", "liquidity", "funding", "auctions")}


@pytest.fixture(scope="module")
def frames() -> dict[str, pl.DataFrame]:
    """The section's frames read from a warehouse holding one SYNTHETIC H.4.1 week (securities +10, TGA +30)."""
    con = duckdb.connect()
    apply_schema(con)
    load_seeds(con)
    week = (
        pl.DataFrame({"week": [dt.date(2030, 1, 8)]})
        .with_columns(pl.lit(None, dtype).alias(c) for c, dtype in SCHEMA.items() if c != "week")
        .with_columns(
            securities_contrib_bn=pl.lit(10.0), tga_contrib_bn=pl.lit(-30.0), reserves_change_bn=pl.lit(-20.0)
        )
    )
    con.register("synthetic_week", week.to_arrow())
    con.execute("INSERT INTO marts.reserves_weekly SELECT * FROM synthetic_week")
    return report_reserves.read_frames(con)


def test_section_is_drawn_with_its_panels(frames: dict[str, pl.DataFrame]) -> None:
    section = next(s for s in report.build_sections({**EMPTY, **frames}) if s.key == "reserves")
    assert section.figure is not None
    titles = [a.text for a in section.figure.layout.annotations]
    assert titles[:2] == ["Why reserves moved, week of 2030-01-08 ($bn)", "Reserves / bank assets: H.8 not recorded"]
    bars = section.figure.data[0]
    assert list(bars.y)[0] == 10.0 and list(bars.y)[list(bars.x).index("TGA")] == -30.0


def test_missing_inputs_are_named_in_the_title(frames: dict[str, pl.DataFrame]) -> None:
    week = frames["reserves"].with_columns(missing_inputs=pl.lit("WRBWFRBL, WTFSRFL, WTFORBAFL, WSHOBL, WCICL"))
    fig = report_reserves.reserves_figure({**frames, "reserves": week})
    assert fig.layout.annotations[0].text.endswith("<sub>not recorded: WRBWFRBL, WTFSRFL, WTFORBAFL and 2 more</sub>")


def test_a_warehouse_without_the_marts_gets_the_note() -> None:
    frames = report_reserves.read_frames(duckdb.connect())
    section = next(s for s in report.build_sections({**EMPTY, **frames}) if s.key == "reserves")
    assert section.figure is None and "marts.reserves_weekly has no rows yet" in section.empty_note
