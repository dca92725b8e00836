"""The report's basis-trade section: its traces carry the marts' values, and headless Chromium renders it with data
(Chromium is required: CI installs it, `apt-get install -y chromium` here)."""

import subprocess
from datetime import date

import polars as pl
import pytest
from PIL import Image

from qtwatch import report, report_basis
from transforms.cftc import TENORS


@pytest.fixture(scope="module")
def frames(marts_db) -> dict[str, pl.DataFrame]:
    return report.read_marts(marts_db)


@pytest.fixture(scope="module")
def section(frames) -> report.Section:
    return next(s for s in report.build_sections(frames) if s.key == "basis")


def test_stacked_bars_are_the_net_shorts_of_each_tenor(frames, section):
    bars = [t for t in section.figure.data if t.type == "bar"]
    assert [t.name for t in bars] == [f"{report_basis.TENOR_LABELS[t]} net short" for t in TENORS]
    assert section.figure.layout.barmode == "relative"
    ten = frames["basis"].filter(pl.col("tenor") == "10y")
    trace = next(t for t in bars if t.name == "10-year net short")
    assert list(trace.y) == (-ten["lev_net_notional_bn"]).to_list()
    april = dict(zip(trace.x, trace.y, strict=True))[date(2025, 4, 8)]
    assert april == pytest.approx(187.369)  # the 10-year net short in the week of the April 2025 shock


def test_sofr_iorb_is_on_the_second_axis_and_calendar_days_are_marked(frames, section):
    weekly = next(t for t in section.figure.data if t.name == "SOFR - IORB, week average")
    assert weekly.yaxis == "y2"
    marked = {t.name: t for t in section.figure.data if getattr(t, "mode", None) == "markers"}
    assert set(marked) == {label for _, label, _, _ in report_basis.MARKED_DAYS}
    tax = frames["calendar"].filter(pl.col("is_tax_date"))
    assert list(marked["Estimated-tax date"].x) == tax["date"].to_list()
    assert list(marked["Estimated-tax date"].y) == tax["sofr_iorb_bp"].to_list()
    assert date(2025, 9, 15) in list(marked["Treasury coupon settlement"].x)


def test_section_without_cftc_marts_shows_its_note(frames):
    empty = {**frames, "basis": frames["basis"].clear()}
    basis = next(s for s in report.build_sections(empty) if s.key == "basis")
    assert basis.figure is None and "marts.basis_weekly has no rows yet" in basis.empty_note


def test_headless_chromium_renders_the_section_with_data(section, tmp_path, chromium):
    page = tmp_path / "basis.html"
    page.write_text(report.render_html([section], None, [], "basis section"), encoding="utf-8")
    shot = tmp_path / "basis.png"
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--virtual-time-budget=15000",
            "--window-size=1280,900",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    image = Image.open(shot).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    for tenor in ("2y", "5y", "10y"):  # the three largest stacks are drawn in their colours
        rgb = tuple(int(report_basis.TENOR_COLORS[tenor][i : i + 2], 16) for i in (1, 3, 5))
        assert sum(n for n, c in colours if _near(c, rgb)) > 2000, f"the {tenor} bars did not render"
    assert len(colours) > 200  # axes, text, lines and markers: a drawn chart, not a blank or error page


def _near(rgb: tuple[int, int, int], target: tuple[int, int, int], tolerance: int = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(rgb, target, strict=True))
