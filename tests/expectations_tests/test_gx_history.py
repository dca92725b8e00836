"""great-expectations as its users know it: a file-backed context keeps each run's results under the run's name,
named data assets, a retention limit, and Data Docs that list every kept run."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl

from expectations.runner import Validator

# synthetic one-row batch of the fred_observations shape (value in the series' declared units)
BATCH = pl.DataFrame(
    {
        "series_id": ["WALCL"],
        "date": [dt.date(2026, 1, 7)],
        "value": [6_700_000.0],
        "units": ["Millions of U.S. Dollars"],
    }
)


def _run(root: Path, docs: Path, name: str, keep: int) -> Validator:
    validator = Validator(root, run_name=name, keep_runs=keep)
    assert validator.validate("fred_observations", BATCH, as_of=dt.date(2026, 1, 8)).success
    validator.build_data_docs(docs)
    return validator


def test_history_is_kept_named_and_pruned(tmp_path) -> None:
    root, docs = tmp_path / "data", tmp_path / "data" / "gx_docs"
    names = ["20260105T210000Z-aaaaaa", "20260106T210000Z-bbbbbb", "20260107T210000Z-cccccc"]
    for name in names:
        validator = _run(root, docs, name, keep=2)
    assert (root / "gx" / "great_expectations.yml").is_file()  # a real GX project users can open
    assert validator.kept_runs() == names[:0:-1]
    index = (docs / "index.html").read_text()
    assert names[1] in index and names[2] in index and names[0] not in index
    pages = sorted((docs / "validations" / "fred_observations").iterdir())
    assert [p.name for p in pages] == names[1:]
    page = next(pages[-1].rglob("*.html")).read_text()
    assert re.search(r"Data asset:\s*fred_observations", page) and "__none__" not in page


def test_a_run_id_that_reads_as_a_date_is_a_name_not_a_time(tmp_path) -> None:
    # "8158ad" is digits and an era to dateutil, which GX uses to read a run time out of a bare run name: the time
    # became 2026-12-07 02:48:34+81:58 and every validation of that run failed (CI, 2026-12-07: ~1 run id in 1,100)
    started = dt.datetime.now(dt.UTC)
    validator = _run(tmp_path / "data", tmp_path / "docs", "20261207T024834Z-8158ad", keep=2)
    (key,) = validator.store.result_keys()
    assert key.run_id.run_name == "20261207T024834Z-8158ad"
    assert started <= key.run_id.run_time <= dt.datetime.now(dt.UTC)


def test_a_new_validator_reuses_the_context_it_finds(tmp_path) -> None:
    root, docs = tmp_path / "data", tmp_path / "docs"
    _run(root, docs, "20260105T210000Z-aaaaaa", keep=5)
    again = _run(root, docs, "20260106T210000Z-bbbbbb", keep=5)
    assert again.kept_runs() == ["20260106T210000Z-bbbbbb", "20260105T210000Z-aaaaaa"]


def test_a_run_renders_only_its_own_pages_and_the_index_lists_every_kept_run(tmp_path) -> None:
    root, docs = tmp_path / "data", tmp_path / "docs"
    names = ["20260105T210000Z-aaaaaa", "20260106T210000Z-bbbbbb"]
    _run(root, docs, names[0], keep=5)
    first = next((docs / "validations" / "fred_observations" / names[0]).rglob("*.html"))
    first.write_text(first.read_text() + "<!-- rendered by the first run -->")
    _run(root, docs, names[1], keep=5)
    assert first.read_text().endswith("<!-- rendered by the first run -->")  # not rendered again: cost follows new runs
    index = (docs / "index.html").read_text()
    assert names[0] in index and names[1] in index
    assert any((docs / "validations" / "fred_observations" / names[1]).rglob("*.html"))


def test_a_site_without_its_index_is_rendered_whole(tmp_path) -> None:
    root, docs = tmp_path / "data", tmp_path / "docs"
    _run(root, docs, "20260105T210000Z-aaaaaa", keep=5)
    fresh = tmp_path / "elsewhere"  # e.g. QTWATCH_GX_DOCS_DIR moved: the kept runs' pages must be there too
    _run(root, fresh, "20260106T210000Z-bbbbbb", keep=5)
    assert any((fresh / "validations" / "fred_observations" / "20260105T210000Z-aaaaaa").rglob("*.html"))


def _stored(root: Path) -> dict[str, int]:
    """mtime of every suite, validation definition and the GX config a context keeps on disk."""
    gx_dir = root / "gx"
    files = [
        *gx_dir.glob("expectations/*.json"),
        *gx_dir.glob("validation_definitions/*"),
        gx_dir / "great_expectations.yml",
    ]
    return {str(p.relative_to(gx_dir)): p.stat().st_mtime_ns for p in files}


def test_an_unchanged_suite_is_not_stored_again_and_a_changed_one_is(tmp_path, monkeypatch) -> None:
    import great_expectations as gx

    from expectations import suites

    root, docs = tmp_path / "data", tmp_path / "data" / "gx_docs"
    _run(root, docs, "20260105T210000Z-aaaaaa", keep=5)
    before = _stored(root)
    _run(root, docs, "20260106T210000Z-bbbbbb", keep=5)  # same suites: read back, nothing rewritten
    assert _stored(root) == before
    build = suites.registry["fred_observations"]

    def stricter() -> gx.ExpectationSuite:
        suite = build()
        suite.add_expectation(gx.expectations.ExpectTableRowCountToBeBetween(min_value=2))
        return suite

    monkeypatch.setitem(suites.registry, "fred_observations", stricter)
    validator = Validator(root, run_name="20260107T210000Z-cccccc", keep_runs=5)
    verdict = validator.validate("fred_observations", BATCH, as_of=dt.date(2026, 1, 8))
    assert not verdict.success  # the changed suite is the one that ran: one row is too few now
    assert _stored(root)["expectations/fred_observations.json"] != before["expectations/fred_observations.json"]


def test_docs_moved_to_another_folder_are_built_there(tmp_path) -> None:
    root = tmp_path / "data"
    _run(root, root / "gx_docs", "20260105T210000Z-aaaaaa", keep=5)
    _run(root, tmp_path / "elsewhere", "20260106T210000Z-bbbbbb", keep=5)  # QTWATCH_GX_DOCS_DIR changed
    assert "20260106T210000Z-bbbbbb" in (tmp_path / "elsewhere" / "index.html").read_text()


def test_a_suite_page_is_rendered_again_only_when_the_suite_changed_or_its_page_is_gone(tmp_path, monkeypatch):
    import great_expectations as gx

    from expectations import suites

    root, docs = tmp_path / "data", tmp_path / "data" / "gx_docs"
    page = docs / "expectations" / "fred_observations.html"
    _run(root, docs, "20260105T210000Z-aaaaaa", keep=5)
    first = page.stat().st_mtime_ns
    _run(root, docs, "20260106T210000Z-bbbbbb", keep=5)
    assert page.stat().st_mtime_ns == first  # same suite: its page stays
    page.unlink()
    _run(root, docs, "20260107T210000Z-cccccc", keep=5)
    assert page.exists()  # a missing page is rendered
    build = suites.registry["fred_observations"]

    def renamed_rule() -> gx.ExpectationSuite:
        suite = build()
        suite.add_expectation(gx.expectations.ExpectTableRowCountToBeBetween(min_value=1, meta={"notes": "new"}))
        return suite

    monkeypatch.setitem(suites.registry, "fred_observations", renamed_rule)
    before = page.stat().st_mtime_ns
    _run(root, docs, "20260108T210000Z-dddddd", keep=5)
    assert page.stat().st_mtime_ns != before  # a changed suite: its page is rendered again
