"""The report as a reader sees it: headless Chromium renders every chart of the page offline (no network)."""

from __future__ import annotations

import re
import struct
import subprocess
from pathlib import Path

import pytest

from qtwatch import report

WIDTH, HEIGHT = 1400, 4300


def _chromium(binary: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--virtual-time-budget=20000",
            *args,
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )


@pytest.fixture(scope="module")
def rendered_dom(chromium: str, demo_report: dict) -> str:
    """The page's DOM after Plotly ran in the browser."""
    done = _chromium(chromium, "--dump-dom", Path(demo_report["path"]).resolve().as_uri())
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return done.stdout.decode("utf-8", "replace")


def test_every_chart_is_drawn_by_the_browser(rendered_dom: str, demo_report: dict) -> None:
    plots = re.findall(r'<div id="([0-9a-f-]{36})" class="plotly-graph-div', rendered_dom)
    assert len(plots) == len(demo_report["figures"]) == 7  # runoff ... basis, plumbing, reserves
    assert rendered_dom.count('class="main-svg"') >= 2 * len(plots)  # Plotly drew an SVG for each


def test_auction_panels_and_legends_are_on_the_page(rendered_dom: str) -> None:
    for title in report.AUCTION_CLASSES[:2]:
        assert f">{title}<" in rendered_dom
    for tenor in ("4-Week", "13-Week", "52-Week", "2-Year", "10-Year", "30-Year"):
        assert f">{tenor}<" in rendered_dom


def test_header_names_the_datas_real_date_range(rendered_dom: str) -> None:
    assert re.search(r"Data \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}, as of \d{4}-\d{2}-\d{2}", rendered_dom)


def test_screenshot_is_a_full_page_image(chromium: str, demo_report: dict, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    done = _chromium(
        chromium,
        f"--window-size={WIDTH},{HEIGHT}",
        f"--screenshot={shot}",
        Path(demo_report["path"]).resolve().as_uri(),
    )
    assert done.returncode == 0 and shot.exists(), done.stderr.decode()[-2000:]
    head = shot.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", head[16:24]) == (WIDTH, HEIGHT)
    assert shot.stat().st_size > 200_000  # charts, not a blank page (a blank page of that size is ~25 KB)
