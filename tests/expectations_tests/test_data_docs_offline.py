"""Issue 25 item 5: GX Data Docs work on an air-gapped host — the pages load the shipped CSS/JS (from npm packages,
licences beside them) instead of public CDNs, the index lists the runs in a headless Chromium with no network, and
the pages name rules the way a reader does (no `chk_…`/`ctx_…` helper-column names).

The batches are the real recorded WALCL series of the replay snapshot; run-2 replaces its last value by a SYNTHETIC
-5.0 so that one validation fails.
Reproduce: .venv/bin/python -m pytest tests/expectations_tests/test_data_docs_offline.py -q
"""

from __future__ import annotations

import html
import importlib
import re
import subprocess
from pathlib import Path

import polars as pl
import pytest

from expectations.docs_assets import LOCAL, STATIC, label, localize_page, readable, remote_urls
from tests.conftest import replay_bytes

pytestmark = pytest.mark.slow  # two validations, a Data Docs build and a browser (~20 s)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A Data Docs site built by qtwatch's validator from two runs (one passing, one failing)."""
    from expectations import Validator
    from expectations.fred_observations import catalog

    fred = importlib.import_module("transforms.fred")
    units = {e["series_id"]: e["units"] for e in catalog()}
    walcl = fred.parse_fredgraph_csv(replay_bytes("fred/fredgraph/WALCL.csv"), "WALCL").with_columns(
        units=pl.col("series_id").replace_strict(units)
    )
    broken = walcl.with_columns(
        value=pl.when(pl.col("date") == walcl["date"].max()).then(-5.0).otherwise(pl.col("value"))
    )
    root = tmp_path_factory.mktemp("gx")
    for run, frame in (("run-1", walcl), ("run-2", broken)):
        validator = Validator(root, run_name=run)
        validator.validate("fred_observations", frame, as_of=walcl["date"].max())
    return validator.build_data_docs(root / "docs").parent


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_every_page_loads_only_local_assets(site) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 3
    for page in pages:
        assert remote_urls(page.read_text()) == [], page
    for file in LOCAL.values():
        assert (site / "static" / "vendor" / file).is_file()


def test_every_shipped_package_has_its_licence_and_provenance() -> None:
    readme = (STATIC / "README.md").read_text()
    for package in {Path(f).parts[0] for f in LOCAL.values()}:
        licences = list((STATIC / package).glob("LICENSE*"))
        assert licences or package == "popper.js", package
        assert package in readme
    assert "MIT" in (STATIC / "popper.js" / "popper.min.js").read_text()[:300]  # its licence is in its header
    assert readme.count("sha256 `") == 7


def test_pages_name_rules_as_a_reader_does(site) -> None:
    for page in site.rglob("*.html"):
        text = visible_text(page.read_text())
        assert not re.search(r"\b(chk|ctx)_[a-z]", text), (page, re.findall(r"\b(?:chk|ctx)_\w+", text)[:5])
    assert label("chk_all_between_851ac149") == "range and identity rules"
    assert label("ctx_band_low") == "band low (context)"
    assert label("chk_weekday") == "date: a weekday"


def test_rewrites_keep_scripts_and_attributes() -> None:
    page = '<a id="chk_x" href="#chk_x">chk_all_ordered_0d6d2659</a><script>var c = "ctx_as_of";</script>'
    assert readable(page) == (
        '<a id="chk_x" href="#chk_x">order, as-of and history rules</a><script>var c = "ctx_as_of";</script>'
    )
    cdn = '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>'
    assert localize_page(cdn, "../static/vendor") == '<script src="../static/vendor/jquery/jquery.min.js"></script>'


def test_the_index_lists_the_runs_in_a_browser_with_no_network(site, chromium) -> None:
    done = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--proxy-server=127.0.0.1:9",
            "--virtual-time-budget=10000",
            "--dump-dom",
            (site / "index.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    rows = set(re.findall(r'<tr[^>]*data-index="(\d+)"', done.stdout))  # rows bootstrap-table built from its data
    assert rows == {"0", "1"}, rows
    assert "run-1" in done.stdout and "run-2" in done.stdout
